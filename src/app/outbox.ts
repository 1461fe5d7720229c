// Outbound messages are decisions first: stored with the business row, then delivered by the relay.
import { createHash } from "node:crypto";
import type { View } from "./views";

/** A group channel as a recipient: "group:champions" is the CAF Champions Group's channel. */
export const CHAMPIONS_CHANNEL = "group:champions";
export const groupName = (recipient: string): string | null => (recipient.startsWith("group:") ? recipient.slice("group:".length) : null);

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
