// The bot's HTTP server: Teams on /api/messages, a health check, and the outbox relay that delivers what any process stored.
import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createOutboxRelay, type OutboxRelay } from "./app/outbox-relay";
import { alertQaOfStuckMessage } from "./app/alert-qa";
import { runLadder } from "./app/run-ladder";
import { runFeedbackReminders } from "./app/run-feedback-reminders";
import { startInterval } from "./jobs/interval";
import { createScheduler, type Scheduler } from "./jobs/scheduler";
import { instanceName, scheduledJobs } from "./jobs/jobs";
import { createJobClaims } from "./storage/job-claims";
import { createTeamsChannel } from "./channels/teams/teams-channel";
import type { AppConfig } from "./config";
import type { Logger } from "./logger";
import type { Tables } from "./storage/tables";
import { createCore, type Core } from "./wiring";
import { systemClock, type Clock } from "./app/ports";

export interface RunningBot {
  core: Core;
  scheduler: Scheduler;
  url: string;
  port: number;
  relay: OutboxRelay;
  close(): Promise<void>;
}

export async function startBot(config: AppConfig, tables: Tables, log: Logger, clock: Clock = systemClock): Promise<RunningBot> {
  let relay: OutboxRelay | undefined;
  // Whatever this process stores with messages is sent at once; the interval catches what other processes store.
  const core = createCore(tables, config, clock, () => relay?.nudge());
  const teams = createTeamsChannel(config, core, log, () => relay?.nudge());
  relay = createOutboxRelay({
    store: core.outbox,
    people: core.people,
    messenger: teams.messenger,
    clock: core.clock,
    log,
    alertAfterAttempts: config.CAF_ALERT_AFTER_ATTEMPTS,
    onRepeatedFailure: (message) => alertQaOfStuckMessage(core, message),
  });
  // The escalation ladder and the feedback reminders: timers kept in the tables, stepped with ETags (once across instances).
  // Each job on its own, so a failure in one never holds back the other.
  const scheduler = createScheduler({ jobs: scheduledJobs(core, config), claims: createJobClaims(tables), clock: core.clock, owner: instanceName(), log });
  const schedules = config.CAF_SCHEDULER === "on" ? startInterval(config.CAF_SCHEDULER_INTERVAL_MS, async () => void (await scheduler.tick()), log) : { stop: async () => {} };
  const ladder = startInterval(config.CAF_LADDER_INTERVAL_MS, async () => {
    const results = await Promise.allSettled([runLadder(core), runFeedbackReminders(core)]);
    for (const r of results) if (r.status === "rejected") log.warn({ code: "job_failed", error: String(r.reason) }, "scheduled job failed");
  }, log);
  if (!teams.authenticated) {
    log.warn({ code: "teams_auth_off" }, "MicrosoftAppId is not set: Teams authentication is off, so this bot is for local use only");
  }

  const app = express();
  app.disable("x-powered-by");
  app.use("/api/messages", express.json({ limit: "1mb" }));
  app.post("/api/messages", (req, res) => teams.handle(req, res));
  app.get("/healthz", async (_req, res) => {
    try {
      await tables.ensure();
      res.json({ status: "ok" });
    } catch {
      res.status(503).json({ status: "storage_unreachable" });
    }
  });
  // Malformed JSON and other client errors: a short answer, never a stack trace.
  app.use((err: { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    log.warn({ code: status === 500 ? "http_internal_error" : "http_bad_request", type: err.type }, "request refused");
    res.status(status).json({ error: status === 500 ? "internal_error" : "bad_request" });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.PORT, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  relay.start(config.CAF_RELAY_INTERVAL_MS);
  log.info({ code: "bot_started", port }, `bot listening on http://localhost:${port}/api/messages`);
  return {
    core,
    scheduler,
    url: `http://127.0.0.1:${port}`,
    port,
    relay,
    async close() {
      await schedules.stop();
      await ladder.stop();
      await relay!.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
