// The Slack channel: Bolt's app behind POST /slack/events on the bot's own HTTP server (signature always checked),
// and the messenger the outbox relay uses. Bolt stays inside this folder.
import { App, AuthorizationError, ExpressReceiver, LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import { Router } from "express";
import type { ChatDeps } from "../../app/chat-deps";
import type { Messenger } from "../../app/delivery/outbox-relay";
import type { ChannelMemory } from "../../app/ports";
import type { Logger } from "../../logger";
import { SLACK_REQUEST_PATH } from "./registrations";
import { createSlackMessenger } from "./slack-messenger";
import { registerSlackTurns } from "./slack-turns";

export interface SlackSettings {
  token: string;
  signingSecret: string;
  apiUrl: string | undefined;
  championsChannel: string | undefined;
}

export interface SlackChannel {
  /** Mount on the HTTP server: it answers POST /slack/events. */
  router: Router;
  messenger: Messenger;
}

/** A Web API call that hangs is given up after this; the relay retries it later. */
export const WEB_API_TIMEOUT_MS = 10_000;

export function createSlackChannel(settings: SlackSettings, core: ChatDeps & { channelMemory: ChannelMemory }, log: Logger, onReachable: () => void): SlackChannel {
  const router = Router();
  const boltLog = boltLogger(log);
  const receiver = new ExpressReceiver({
    signingSecret: settings.signingSecret,
    endpoints: SLACK_REQUEST_PATH,
    router,
    processBeforeResponse: false,
    logger: boltLog,
    // Our listeners catch their own failures (the person is told in their DM), so an error that gets here is Bolt
    // failing to read a signed body of a shape Slack never sends (no user, a null event or view): a 400, not a 500.
    processEventErrorHandler: async ({ error, response }) => {
      if (response.headersSent) return false;
      const refused = error instanceof AuthorizationError ? 401 : 400;
      log.warn({ code: "slack_request_unreadable", status: refused, error: (error as { code?: string }).code ?? error.name }, "a signed Slack request could not be read");
      response.writeHead(refused);
      response.end();
      return true;
    },
  });
  const app = new App({
    token: settings.token,
    receiver,
    logger: boltLog,
    // Known facts for Bolt 5: without this it calls auth.test at start, and a council's IT may start it before Slack answers.
    tokenVerificationEnabled: false,
    // The relay paces and retries; the Web API client's own retries would multiply them. A 429 comes back as an error.
    clientOptions: { ...(settings.apiUrl ? { slackApiUrl: withSlash(settings.apiUrl) } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: WEB_API_TIMEOUT_MS },
  });
  app.error(async (err: { code?: string }) => {
    log.error({ code: "slack_listener_error", error: err.code }, "an error escaped a Slack listener");
  });
  registerSlackTurns(app, { core, log, onReachable });
  return {
    router,
    messenger: createSlackMessenger({ client: app.client, directory: core.directory, memory: core.channelMemory, clock: core.clock, log, championsChannel: settings.championsChannel }),
  };
}

const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);

/** Bolt's log lines as codes: its messages can quote request bodies, so only the first words are kept, at debug. */
function boltLogger(log: Logger): BoltLogger {
  const line = (level: "debug" | "warn" | "error") => (...msg: unknown[]) => {
    const first = typeof msg[0] === "string" ? msg[0].slice(0, 80) : "";
    log[level]({ code: `slack_bolt_${level}` }, first);
  };
  return {
    debug: line("debug"),
    info: line("debug"),
    warn: line("warn"),
    error: line("error"),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
