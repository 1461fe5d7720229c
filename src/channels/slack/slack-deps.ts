// What the Slack turns need, and the one sentence a person gets when a turn fails on our side.
import { noticeView } from "../../app/cards/audit-views";
import type { ChatDeps, ChatReply } from "../../app/chat-deps";
import { StorageError } from "../../app/errors";
import type { ChannelMemory } from "../../app/ports";
import type { Logger } from "../../logger";

export interface SlackDeps {
  core: ChatDeps & { channelMemory: ChannelMemory };
  log: Logger;
  /** Called when someone became reachable, so their waiting messages go out now. */
  onReachable(): void;
}

export function failureReply(log: Logger, err: unknown, kind: string): ChatReply {
  const code = err instanceof StorageError ? err.code : (err as { code?: string }).code?.startsWith("slack_webapi") ? "slack_api_failed" : "internal_error";
  // The error's own text can quote what was sent; for Slack errors only Slack's short error code is logged.
  const slackError = (err as { data?: { error?: unknown } }).data?.error;
  log.error({ code, kind, slackError: typeof slackError === "string" ? slackError : undefined, err: code === "internal_error" ? err : undefined }, "slack turn failed");
  const text =
    err instanceof StorageError
      ? "I could not save that just now because storage is not answering. Nothing you typed was stored half-way. Please press the button again in a minute."
      : `Something went wrong on our side (${code}). Nothing was stored half-way. Please try again; if it keeps happening, tell the QA team.`;
  return { view: noticeView("Please try again", text), inPlace: false, code };
}
