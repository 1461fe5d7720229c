// The Teams channel: a CloudAdapter behind POST /api/messages, and the messenger the outbox relay uses.
// botbuilder stays inside this folder so the Microsoft 365 Agents SDK can replace it without touching the core.
import { CloudAdapter } from "botbuilder";
import type { Request, Response } from "express";
import type { AppConfig } from "../../config";
import type { ChatDeps } from "../../app/chat-deps";
import type { Messenger } from "../../app/delivery/outbox-relay";
import type { Logger } from "../../logger";
import { NoRetryBotFrameworkAuthentication } from "./bot-authentication";
import { createTeamsMessenger } from "./teams-messenger";
import { createTeamsTurnHandler } from "./teams-turn";

export interface TeamsChannel {
  /** `requestLog` carries the request's id, so the turn's log lines can be tied to the HTTP request. */
  handle(req: Request, res: Response, requestLog?: Logger): Promise<void>;
  messenger: Messenger;
  authenticated: boolean;
}

export function createTeamsChannel(config: AppConfig, core: ChatDeps, log: Logger, onReachable: () => void): TeamsChannel {
  const authenticated = !!config.MicrosoftAppId;
  const auth = new NoRetryBotFrameworkAuthentication(
    authenticated
      ? {
          MicrosoftAppId: config.MicrosoftAppId,
          MicrosoftAppPassword: config.MicrosoftAppPassword,
          MicrosoftAppTenantId: config.MicrosoftAppTenantId,
          MicrosoftAppType: config.MicrosoftAppType ?? "SingleTenant",
        }
      : {},
  );
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    log.error({ code: "teams_turn_error", err: error, activityType: context.activity.type }, "unhandled error in a Teams turn");
  };
  const logic = createTeamsTurnHandler({ core, log, onReachable });
  return {
    authenticated,
    handle: async (req, res, requestLog) => {
      // botbuilder throws (500) on a body that is not an activity, and cannot answer one with no conversation or
      // serviceUrl (501): refuse those here as the client's error, with a short answer and nothing stored.
      if (!isActivityShaped(req.body)) {
        (requestLog ?? log).warn({ code: "teams_activity_malformed" }, "request refused: not a Bot Framework activity");
        res.status(400).json({ error: "bad_request" });
        return;
      }
      // With authentication on, a request without a bearer token is refused here: botbuilder would refuse it too,
      // but prints a stack trace to stderr for each, which lets anyone fill the log.
      if (authenticated && !/^Bearer \S+$/.test(req.get("authorization") ?? "")) {
        (requestLog ?? log).warn({ code: "teams_unauthenticated" }, "request refused: no Bot Framework token");
        res.status(401).json({ error: "unauthorized" });
        return;
      }
      await adapter.process(req, res, requestLog ? createTeamsTurnHandler({ core, log: requestLog, onReachable }) : logic);
    },
    messenger: createTeamsMessenger({ adapter, directory: core.directory, appId: config.MicrosoftAppId ?? "" }),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === "string" && v !== "";

/** What every turn needs before botbuilder sees it: a type, who from, which conversation, and where to answer. */
function isActivityShaped(body: unknown): boolean {
  return (
    isObject(body) &&
    isText(body.type) &&
    isText(body.serviceUrl) &&
    isObject(body.from) &&
    isText(body.from.id) &&
    isObject(body.conversation) &&
    isText(body.conversation.id) &&
    (body.recipient === undefined || isObject(body.recipient))
  );
}
