// Proactive delivery to Slack for the outbox relay: a DM found by the person's email (so the month's cards reach
// people who never wrote to the bot), a new message or an update in place, and Slack's answers turned into
// send / wait / retry. The view behind each message is kept, so a form can be opened from it later.
import type { webApi } from "@slack/bolt";
import type { DeliveryAttempt, DeliveryResult, Messenger } from "../../app/delivery/outbox-relay";
import { groupName, outboxRowKey, type DeliveredTo, type StoredOutbox } from "../../app/delivery/outbox";
import type { ChannelIdentity, ChannelMemory, Clock, Directory } from "../../app/ports";
import { keptDirectChannel } from "./slack-identity";
import type { Logger } from "../../logger";
import { SlackLimitError, UnsupportedElementError } from "./errors";
import { messageKey, messageOf } from "./slack-views";
import { digestChartBars, digestChartPng } from "./digest-chart";
import type { DigestCardData } from "../../app/cards/views";

/** What the chart shows, for screen readers: each bar's label and count. */
const chartAltText = (data: DigestCardData) => `${data.title}: ${digestChartBars(data).map((b) => `${b.label} ${b.value}`).join(", ")}`;

export interface SlackMessengerOptions {
  client: webApi.WebClient;
  directory: Directory;
  memory: ChannelMemory;
  clock: Clock;
  log: Logger;
  /** The CAF Champions Group's channel id, for digests. */
  championsChannel: string | undefined;
}

/** Answers that mean "this person or channel cannot be reached in Slack now": the message waits, it is not retried. */
const UNREACHABLE = new Set(["users_not_found", "user_not_found", "channel_not_found", "not_in_channel", "is_archived", "account_inactive", "user_disabled", "cannot_dm_bot", "messages_tab_disabled"]);

export function createSlackMessenger(options: SlackMessengerOptions): Messenger {
  const { client, directory, memory } = options;

  /** The DM channel of a person, looked up by email the first time. Undefined when Slack does not know them. */
  const dmOf = async (email: string): Promise<string | undefined> => {
    const identity = (await directory.identity(email, "slack")) ?? (await lookUp(email));
    return identity ? keptDirectChannel(client, directory, email, identity) : undefined;
  };

  /** Someone who never wrote to the bot, found by their email; undefined when Slack does not know it. */
  const lookUp = async (email: string): Promise<ChannelIdentity | undefined> => {
    const found = await client.users.lookupByEmail({ email });
    if (!found.user?.id) return undefined;
    return {
      channel: "slack",
      userKey: found.user.id,
      address: { userId: found.user.id, ...(found.user.team_id ? { teamId: found.user.team_id } : {}) },
      learntAt: options.clock.now().toISOString(),
    };
  };

  const post = async (message: StoredOutbox, channel: string, previous: DeliveredTo | undefined, attempt: DeliveryAttempt): Promise<{ channel: string; ts: string }> => {
    await attempt.sending();
    if (previous) {
      try {
        const { text, blocks } = messageOf(message.view);
        await client.chat.update({ channel: previous.conversationId, ts: previous.activityId, text, blocks });
        return { channel: previous.conversationId, ts: previous.activityId };
      } catch (err) {
        // The card to replace is gone (deleted by the person): the new state arrives as a new message instead.
        if (platformError(err) !== "message_not_found") throw err;
      }
    }
    // Only a new message can be a second copy, so only it carries the note (an update replaces what is there).
    const { text, blocks } = messageOf(message.view, { resent: attempt.resent });
    const sent = await client.chat.postMessage({ channel, text, blocks });
    const landed = { channel: sent.channel ?? channel, ts: String(sent.ts) };
    // Stored before the kept view and the chart: a crash from here on updates this message instead of posting another.
    await attempt.landed({ channel: "slack", conversationId: landed.channel, activityId: landed.ts });
    return landed;
  };

  /** The digest's chart as a PNG under its message. After the post, and never retried: a failure costs the picture, not a second digest. */
  const uploadChart = async (data: DigestCardData, messageId: string, channel: string): Promise<void> => {
    try {
      await client.files.uploadV2({ channel_id: channel, file: digestChartPng(data), filename: "caf-audit-digest.png", title: data.title, alt_text: chartAltText(data) });
    } catch (err) {
      options.log.warn({ code: "slack_chart_failed", messageId, slackError: platformError(err) }, "the digest was posted but its chart could not be uploaded");
    }
  };

  return {
    async deliver(message, recipient, replacing, attempt): Promise<DeliveryResult> {
      try {
        const group = groupName(recipient.email);
        const channel = group ? (group === "champions" ? options.championsChannel : undefined) : await dmOf(recipient.email);
        if (!channel) return { kind: "unreachable" };
        const previous = replacing?.deliveredTo?.channel === "slack" ? replacing.deliveredTo : undefined;
        const landed = await post(message, channel, previous, attempt);
        if (message.view.template === "digest" && !previous) await uploadChart(message.view.data, message.id, landed.channel);
        try {
          await memory.rememberCard(messageKey(landed.channel, landed.ts), message.view);
        } catch (err) {
          // Sent is sent: retrying would post it twice. Without the kept view its form buttons say "out of date".
          options.log.warn({ code: "slack_card_not_kept", outboxRow: outboxRowKey(message.id), error: String((err as Error).message) }, "a Slack message was sent but its card could not be kept");
        }
        return { kind: "sent", deliveredTo: { channel: "slack", conversationId: landed.channel, activityId: landed.ts } };
      } catch (err) {
        return classify(err);
      }
    },
  };
}

function platformError(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  return e.code === "slack_webapi_platform_error" ? e.data?.error : undefined;
}

function classify(err: unknown): DeliveryResult {
  if (err instanceof SlackLimitError || err instanceof UnsupportedElementError) return { kind: "retry", error: "slack_card_refused" };
  const e = err as { code?: string; retryAfter?: number; statusCode?: number };
  if (e.code === "slack_webapi_rate_limited_error") return { kind: "retry", error: "slack_429", retryAfterMs: (e.retryAfter ?? 1) * 1000 };
  const platform = platformError(err);
  if (platform && UNREACHABLE.has(platform)) return { kind: "unreachable" };
  if (platform) return { kind: "retry", error: `slack_${platform}` };
  if (e.code === "slack_webapi_http_error") return { kind: "retry", error: `slack_${e.statusCode ?? "http"}` };
  return { kind: "retry", error: "slack_network" };
}
