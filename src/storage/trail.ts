// The audit trail travels with its decision. Azure transactions cannot span tables, so each event is first a "trail-"
// row in the decision's own partition, written in the decision's transaction: no decision without its event, and no
// event without its decision. It is then copied to the Events table under the same key and removed from beside the
// decision. A copy cut short (storage failing, the process dying) leaves the row for catchUp: late, never lost, never
// written twice, because a second copy of the same key is a conflict that changes nothing.
import { randomBytes } from "node:crypto";
import type { AuditEvent } from "../app/ports";
import { StorageError } from "../app/errors";
import { assertSafeKey } from "./keys";
import { createOnce, guard, listWhere, type Entity, type TableName, type Tables } from "./tables";
import { jsonProperty } from "./values";

export const TRAIL_PREFIX = "trail-";
/** Marks a trail row, so a person whose email happens to start with "trail-" is never taken for one. */
const TRAIL_KIND = "trail";
/** Every table whose decisions carry events. */
export const TRAIL_TABLES: readonly TableName[] = ["Allocations", "Escalations", "People"];

// Readers take the audit trail as a sequence, and one use case can log several events in the same millisecond
// (a fixed clock makes them all the same), so a random suffix alone would shuffle them. The sequence is per process
// and zero-padded so it sorts as text; the random part keeps two instances apart. Rows written before the sequence
// existed ("<at>~<hex>") still sort by their time; only their order within one millisecond is unspecified.
let sequence = 0;
const SEQUENCE_DIGITS = 16;

/** The event's key in the Events table: its time, then this process's sequence, then a random suffix. */
export function eventRowKey(at: string): string {
  return `${at}~${String(sequence++).padStart(SEQUENCE_DIGITS, "0")}~${randomBytes(4).toString("hex")}`;
}

/** The Events table's row for an event: partition = the month it happened. */
export function eventEntity(event: AuditEvent, rowKey: string): Entity {
  return {
    partitionKey: assertSafeKey(event.at.slice(0, 7), "event month"),
    rowKey,
    at: event.at,
    actor: event.actor,
    type: event.type,
    subject: event.subject,
    data: jsonProperty(event.data, "event data"),
  };
}

/** An event as read back from its row (in Events, or beside its decision). */
export function eventOf(row: Entity): AuditEvent {
  return { at: String(row.at), actor: String(row.actor), type: String(row.type), subject: String(row.subject), data: JSON.parse(String(row.data)) as AuditEvent["data"] };
}

/** The rows to create in the decision's transaction, one per event, in the decision's partition. */
export function trailRows(partitionKey: string, events: readonly AuditEvent[] = []): Entity[] {
  return events.map((event) => {
    const row = eventEntity(event, "");
    return { ...row, partitionKey, rowKey: TRAIL_PREFIX + eventRowKey(event.at), kind: TRAIL_KIND };
  });
}

/** Transaction actions that create the trail rows. */
export const trailCreates = (rows: readonly Entity[]) => rows.map((row) => ["create", row] as ["create", Entity]);

export const isTrailRow = (row: Entity): boolean => row.kind === TRAIL_KIND && row.rowKey.startsWith(TRAIL_PREFIX);

/** Copies one trail row to Events and removes it from beside its decision. Throws when storage fails. */
async function copyToEvents(tables: Tables, source: TableName, row: Entity): Promise<void> {
  const endpoint = tables.endpoint;
  const rowKey = row.rowKey.slice(TRAIL_PREFIX.length);
  // "exists": an earlier copy got this far and was cut short before the removal below.
  await createOnce(endpoint, () => tables.table("Events").createEntity(eventEntity(eventOf(row), rowKey)));
  try {
    await guard(endpoint, () => tables.table(source).deleteEntity(row.partitionKey, row.rowKey));
  } catch (err) {
    // Another copier removed it first.
    if (!(err instanceof StorageError && err.code === "storage_not_found")) throw err;
  }
}

/**
 * Right after the decision's transaction: copies its trail rows to Events, in order. A failure is not the decision's:
 * it is stored, so this row and the ones after it stay for catchUp and the caller goes on.
 */
export async function settleTrail(tables: Tables, source: TableName, rows: readonly Entity[]): Promise<void> {
  try {
    for (const row of rows) await copyToEvents(tables, source, row);
  } catch {
    // Left for catchUp.
  }
}

/**
 * A copy normally follows its decision within milliseconds: rows younger than this are left to it, so the catch-up
 * does not race it and report a copy as late that was merely under way.
 */
export const TRAIL_GRACE_MS = 5_000;

/**
 * Copies every trail row left behind (by a failed copy or a process that died) and stored at least `olderThanMs`
 * ago by the table service's own clock, oldest first; returns how many.
 */
export async function catchUpTrail(tables: Tables, olderThanMs = TRAIL_GRACE_MS): Promise<number> {
  let copied = 0;
  const before = new Date(Date.now() - olderThanMs).toISOString();
  for (const source of TRAIL_TABLES) {
    const filter = `RowKey ge '${TRAIL_PREFIX}' and RowKey lt 'trail.' and kind eq '${TRAIL_KIND}' and Timestamp lt datetime'${before}'`;
    const rows = await listWhere(tables.table(source), tables.endpoint, filter);
    rows.sort((a, b) => a.rowKey.localeCompare(b.rowKey));
    for (const row of rows) {
      await copyToEvents(tables, source, row);
      copied++;
    }
  }
  return copied;
}
