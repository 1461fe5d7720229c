// Outbound messages are decisions first: stored with the business row, then delivered by the relay.
import { createHash } from "node:crypto";
import type { View } from "./views";
import type { Chat } from "../domain/person";

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

export interface StoredOutbox extends OutboxMessage {
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
  /** Where the card landed, so a later message can update it in place. */
  deliveredTo: { channel: string; conversationId: string; activityId: string } | null;
  etag: string;
  /** Where the row lives: the table of the decision it belongs to, and that decision's partition. */
  source: string;
  partition: string;
}

/** A storage-safe row key for a message id (ids carry emails and case references). */
export function outboxRowKey(id: string): string {
  return "outbox-" + createHash("sha256").update(id).digest("hex").slice(0, 40);
}
