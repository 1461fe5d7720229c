// The relay's view of the outbox rows that live beside their decisions (audits, escalations) in those tables.
// Only the recent month partitions are scanned, so the cost follows the months in play, not all history.
import { StorageError } from "../app/errors";
import type { OutboxStore } from "../app/ports";
import type { StoredOutbox } from "../app/delivery/outbox";
import { outboxRowKey } from "../app/delivery/outbox";
import { addMonths } from "../domain/months";
import { londonDate } from "../domain/working-days";
import { entityToOutbox, OUTBOX_PREFIX, outboxToEntity } from "./audit-rows";
import { getOrUndefined, guard, listWhere, type TableName, type Tables } from "./tables";

/**
 * Months of partitions scanned. Messages live in the partition of the decision that made them, which for feedback
 * is the audit's month: corrective-action reminders and re-checks (and their reopened rounds) come many months after
 * it, so a short window would store them and never send them. Each month costs one range seek per table per pass.
 */
const MONTHS_SCANNED = 24;
export const OUTBOX_TABLES: readonly TableName[] = ["Allocations", "Escalations"];

export function createOutboxStore(tables: Tables, clock: { now(): Date }): OutboxStore {
  const endpoint = tables.endpoint;
  const clientOf = (source: string) => tables.table(source as TableName);
  const scan = async (stateFilter: string) => {
    const from = addMonths(londonDate(clock.now()).slice(0, 7), -(MONTHS_SCANNED - 1));
    const filter = `PartitionKey ge '${from}' and RowKey ge '${OUTBOX_PREFIX}' and RowKey lt 'outbox.' and ${stateFilter}`;
    const found = await Promise.all(OUTBOX_TABLES.map(async (t) => (await listWhere(tables.table(t), endpoint, filter)).map((e) => entityToOutbox(e, t))));
    return found.flat();
  };
  /** An ETag update; the row's new ETag, or null when someone changed the row since `m` was read (412). */
  const conditional = async (m: StoredOutbox, patch: Record<string, unknown>): Promise<string | null> => {
    try {
      const done = await guard(endpoint, () => clientOf(m.source).updateEntity({ partitionKey: m.partition, rowKey: outboxRowKey(m.id), ...patch }, "Merge", { etag: m.etag }));
      if (!done.etag) throw new StorageError("storage_failed", "Storage did not say which version of the record it stored.");
      return done.etag;
    } catch (err) {
      if (err instanceof StorageError && err.code === "storage_precondition_failed") return null;
      throw err;
    }
  };
  const read = async (source: string, partition: string, id: string) => {
    const e = await getOrUndefined(clientOf(source), endpoint, partition, outboxRowKey(id));
    return e ? entityToOutbox(e, source) : undefined;
  };
  return {
    async due(now) {
      const iso = now.toISOString();
      // A "sending" row whose lease ran out belonged to a relay that died mid-send: it is due again.
      const rows = await scan(`(state eq 'pending' or state eq 'sending') and nextAttemptAt le '${iso}'`);
      return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async claim(m, leaseUntil, mayHaveLanded) {
      // The ETag matched, so the row is `m` with this patch: no read needed to know it.
      const patch = { state: "sending" as const, nextAttemptAt: leaseUntil.toISOString(), attempts: m.attempts + 1, mayHaveLanded };
      const etag = await conditional(m, patch);
      return etag ? { ...m, ...patch, etag } : null;
    },
    async markSending(m) {
      const etag = await conditional(m, { sendingAttempt: m.attempts });
      return etag ? { ...m, sendingAttempt: m.attempts, etag } : null;
    },
    async markLanded(m, deliveredTo) {
      const etag = await conditional(m, { deliveredTo: JSON.stringify(deliveredTo) });
      return etag ? { ...m, deliveredTo, etag } : null;
    },
    async markSent(m, deliveredTo, at) {
      await conditional(m, { state: "sent", sentAt: at.toISOString(), deliveredTo: JSON.stringify(deliveredTo), lastError: "" });
    },
    async markRetry(m, nextAttemptAt, error) {
      await conditional(m, { state: "pending", nextAttemptAt: nextAttemptAt.toISOString(), lastError: error.slice(0, 500) });
    },
    async markWaiting(m) {
      // The attempt number is given back, so its send mark goes too: else a later claim of that number, cut short
      // before it sends, would look like one that may have landed.
      await conditional(m, { state: "waiting_for_recipient", attempts: Math.max(0, m.attempts - 1), sendingAttempt: 0 });
    },
    async undelivered() {
      return scan(`state ne 'sent'`);
    },
    async waiting() {
      return scan(`state eq 'waiting_for_recipient'`);
    },
    async release(recipientEmail, now) {
      const waiting = (await scan(`state eq 'waiting_for_recipient'`)).filter((m) => m.recipientEmail === recipientEmail);
      let released = 0;
      for (const m of waiting) if ((await conditional(m, { state: "pending", nextAttemptAt: now.toISOString() })) !== null) released++;
      return released;
    },
    find: (beside, id) => read(beside.source, beside.partition, id),
    async addBeside(beside, messages) {
      for (const m of messages) {
        try {
          await guard(endpoint, () => clientOf(beside.source).createEntity(outboxToEntity(beside.partition, m)));
        } catch (err) {
          if (!(err instanceof StorageError && err.code === "storage_conflict")) throw err;
        }
      }
    },
  };
}
