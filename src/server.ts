// The bot's HTTP server: Teams on /api/messages, liveness and readiness probes, and the outbox relay that delivers
// what any process stored. Each request gets an id in the log; close() drains the requests in flight before stopping.
import express from "express";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createOutboxRelay, type OutboxRelay } from "./app/delivery/outbox-relay";
import { alertQaOfStuckMessage } from "./app/delivery/alert-qa";
import { runLadder } from "./app/escalation/run-ladder";
import { runFeedbackReminders } from "./app/feedback/run-feedback-reminders";
import { runTier1Reminders } from "./app/stages/run-tier1-reminders";
import { startInterval } from "./jobs/interval";
import { createScheduler, type Scheduler } from "./jobs/scheduler";
import { instanceName, scheduledJobs } from "./jobs/jobs";
import { createJobClaims } from "./storage/job-claims";
import { createTeamsChannel } from "./channels/teams/teams-channel";
import { slackSettings, type AppConfig } from "./config";
import { createSlackChannel } from "./channels/slack/slack-channel";
import { SLACK_REQUEST_PATH } from "./channels/slack/registrations";
import { routeByChat } from "./app/delivery/channel-router";
import type { Logger } from "./logger";
import { toStorageError, type Tables } from "./storage/tables";
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

export interface StartBotOptions {
  /** How long close() waits for requests in flight before cutting them off. */
  drainTimeoutMs?: number;
}

/** Long enough for a Teams turn (Teams itself gives up after about 15 s); short of App Service's 30 s stop limit. */
export const DRAIN_TIMEOUT_MS = 10_000;
/** A readiness probe that gets no answer from storage within this time reports not ready. */
const READY_TIMEOUT_MS = 5_000;
/** Routes logged by name; anything else is logged as "other", so a stray URL never puts its text in the log. */
const KNOWN_PATHS = new Set(["/api/messages", SLACK_REQUEST_PATH, "/healthz", "/readyz"]);

export async function startBot(config: AppConfig, tables: Tables, log: Logger, clock: Clock = systemClock, options: StartBotOptions = {}): Promise<RunningBot> {
  const drainTimeoutMs = options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS;
  let relay: OutboxRelay | undefined;
  // Whatever this process stores with messages is sent at once; the interval catches what other processes store.
  const core = createCore(tables, config, clock, () => relay?.nudge());
  const teams = createTeamsChannel(config, core, log, () => relay?.nudge());
  const slackOn = slackSettings(config);
  const slack = slackOn ? createSlackChannel(slackOn, core, log, () => relay?.nudge()) : undefined;
  relay = createOutboxRelay({
    store: core.outbox,
    people: core.people,
    messenger: routeByChat({ teams: teams.messenger, ...(slack ? { slack: slack.messenger } : {}) }, config.CAF_DEFAULT_CHAT),
    clock: core.clock,
    log,
    alertAfterAttempts: config.CAF_ALERT_AFTER_ATTEMPTS,
    onRepeatedFailure: (message) => alertQaOfStuckMessage(core, message),
  });
  // The escalation ladder, the feedback reminders and the Tier 1 reminders: timers kept in the tables, stepped with ETags (once across instances).
  // Each job on its own, so a failure in one never holds back the other. With them, the audit trail catches up: events
  // stored with their decisions whose copy to the Events table was cut short (by any process) are copied now.
  const scheduler = createScheduler({ jobs: scheduledJobs(core, config), claims: createJobClaims(tables), clock: core.clock, owner: instanceName(), log });
  const schedules = config.CAF_SCHEDULER === "on" ? startInterval(config.CAF_SCHEDULER_INTERVAL_MS, async () => void (await scheduler.tick()), log) : { stop: async () => {} };
  const ladder = startInterval(config.CAF_LADDER_INTERVAL_MS, async () => {
    const results = await Promise.allSettled([runLadder(core), runFeedbackReminders(core), runTier1Reminders(core), catchUpTrail(core, log)]);
    for (const r of results) if (r.status === "rejected") log.warn({ code: "job_failed", error: String(r.reason) }, "scheduled job failed");
  }, log);
  log.info({ code: slack ? "slack_on" : "slack_off" }, slack ? `Slack requests are answered at ${SLACK_REQUEST_PATH}` : "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set: Slack is off");
  if (!teams.authenticated) {
    log.warn({ code: "teams_auth_off" }, "MicrosoftAppId is not set: Teams authentication is off, so this bot is for local use only");
  }

  // Requests in flight, so that close() can let them finish; `closing` turns readiness off and asks clients not to keep the connection.
  let closing = false;
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];
  const whenIdle = (timeoutMs: number): Promise<boolean> => {
    if (inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  };

  const app = express();
  app.disable("x-powered-by");
  app.use((req, res, next) => {
    const requestId = requestIdOf(req.get("x-request-id"));
    res.setHeader("x-request-id", requestId);
    const requestLog = log.child({ requestId });
    res.locals.log = requestLog;
    if (closing) res.setHeader("Connection", "close");
    const started = performance.now();
    inFlight++;
    res.once("close", () => {
      inFlight--;
      const path = KNOWN_PATHS.has(req.path) ? req.path : "other";
      // Method, route, status and time only: never the body, the query or a header that could name someone.
      const fields = { code: "http_request" as const, method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) };
      if (path === "/api/messages" || path === SLACK_REQUEST_PATH) requestLog.info(fields, "request");
      else requestLog.debug(fields, "request");
      if (inFlight === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const wake of waiters) wake();
      }
    });
    next();
  });
  app.use("/api/messages", express.json({ limit: "1mb" }));
  app.post("/api/messages", (req, res) => teams.handle(req, res, res.locals.log as Logger));
  // Slack: events, buttons, modals and /audit, each request's signature checked by Bolt (401 when bad or stale).
  if (slack) app.use(slack.router);
  // Liveness: the process is up and serving HTTP. It never touches storage, so a storage outage does not get the app restarted.
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  // Readiness: storage answers and the toolkits are loaded; 503 otherwise, and while stopping.
  app.get("/readyz", async (_req, res) => {
    if (closing) {
      res.status(503).json({ status: "stopping" });
      return;
    }
    if (!core.toolkits.has(core.toolkitId)) {
      res.status(503).json({ status: "toolkits_not_loaded" });
      return;
    }
    const fault = await storageFault(tables);
    if (fault) {
      (res.locals.log as Logger).warn({ code: "not_ready", cause: fault }, "storage does not answer");
      res.status(503).json({ status: "storage_unreachable" });
      return;
    }
    res.json({ status: "ready" });
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

  // Stop accepting connections, let the requests in flight finish (at most drainTimeoutMs), stop the jobs and the relay, then close.
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    closing = true;
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const pending = inFlight;
    if (!(await whenIdle(drainTimeoutMs))) {
      log.warn({ code: "shutdown_drain_timeout", pending: inFlight, timeoutMs: drainTimeoutMs }, "requests still running at shutdown were cut off");
    } else if (pending > 0) {
      log.info({ code: "shutdown_drained", pending }, "requests in flight finished");
    }
    await schedules.stop();
    await ladder.stop();
    await relay!.stop();
    server.closeAllConnections();
    await serverClosed;
  };
  return {
    core,
    scheduler,
    url: `http://127.0.0.1:${port}`,
    port,
    relay,
    close() {
      stopped ??= stop();
      return stopped;
    },
  };
}

async function catchUpTrail(core: Core, log: Logger): Promise<void> {
  const copied = await core.events.catchUp();
  if (copied > 0) log.info({ code: "trail_caught_up", events: copied }, "events stored with their decisions reached the audit trail late");
}

/** The id a request is logged under: the caller's x-request-id when it is a plain token, else a new one. */
function requestIdOf(header: string | undefined): string {
  return header !== undefined && /^[A-Za-z0-9._:-]{1,100}$/.test(header) ? header : randomUUID();
}

/** Undefined when storage answers (a 404 for the probe row is an answer), else why not, as a code. */
async function storageFault(tables: Tables): Promise<string | undefined> {
  try {
    await tables.table("JobRuns").getEntity("readyz", "probe", { abortSignal: AbortSignal.timeout(READY_TIMEOUT_MS) });
    return undefined;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    if ((err as { name?: string }).name === "AbortError") return "storage_timeout";
    return toStorageError(err, tables.endpoint).code;
  }
}
