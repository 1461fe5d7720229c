// Outbound messages are decisions first: stored with the business row, then delivered by the relay.
import { createHash } from "node:crypto";
import type { View } from "../cards/views";
import type { Chat } from "../../domain/person";

export const groupName = (recipient: string): string | null => (recipient.startsWith("group:") ? recipient.slice("group:".length).split("@")[0]! : null);

/**
 * A group channel in one chat: "group:champions" is Teams' (as it always was), "group:champions@slack" Slack's. Each
 * chat gets its own message, so a failure in one never posts twice in the other.
 */
export const groupIn = (name: string, chat: Chat): string => (chat === "teams" ? `group:${name}` : `group:${name}@${chat}`);

/** The chat a group recipient is pinned to; undefined for a person. */
export function groupChat(recipient: string): Chat | undefined {
  if (!recipient.startsWith("group:")) return undefined;
  return recipient.endsWith("@slack") ? "slack" : "teams";
}

export interface OutboxMessage {
  /** Idempotency key: the same decision always makes the same id, so storing it twice stores it once. */
  id: string;
  recipientEmail: string;
  view: View;
  createdAt: string;
  /** Update this earlier message's card in place instead of sending a new one (same recipient). */
  replacesId?: string;
}

export type DeliveryState = "pending" | "waiting_for_recipient" | "sending" | "sent";

/** Where a message landed in its chat (Teams activity id, Slack ts), so it can be updated in place. */
export interface DeliveredTo {
  channel: string;
  conversationId: string;
  activityId: string;
}

/**
 * Added to a message sent again because a relay died after its request may have reached the chat and before the
 * chat's answer was stored: the person may hold it twice, and this is how they tell.
 */
export const RESENT_NOTE = "(sent again after a restart)";

export interface StoredOutbox extends OutboxMessage {
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
  /**
   * The attempt (its number in `attempts`) whose request was on its way to the chat; 0 for none. Stored before the
   * request, so after a crash it tells "never sent" (send as new) from "may have landed" (send with RESENT_NOTE).
   */
  sendingAttempt: number;
  /**
   * A relay died after an attempt's request had left and before the chat's answer (where it landed) was stored: the
   * person may already hold this message. Kept through later retries and waits, so every new send of it carries
   * RESENT_NOTE, not only the first one after the crash.
   */
  mayHaveLanded: boolean;
  /** Where the card landed, so a later message (or a resend after a crash) can update it in place. */
  deliveredTo: DeliveredTo | null;
  etag: string;
  /** Where the row lives: the table of the decision it belongs to, and that decision's partition. */
  source: string;
  partition: string;
}

/** A storage-safe row key for a message id (ids carry emails and case references). */
export function outboxRowKey(id: string): string {
  return "outbox-" + createHash("sha256").update(id).digest("hex").slice(0, 40);
}
