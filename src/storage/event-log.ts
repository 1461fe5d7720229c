// Events table: append-only, partition = the month the event happened, row = time, then this process's sequence, then a random suffix.
import { randomBytes } from "node:crypto";
import type { AuditEvent, EventLog } from "../app/ports";
import { assertSafeKey } from "./keys";
import { guard, listPartition, type Tables } from "./tables";
import { jsonProperty } from "./values";

// Readers take the audit trail as a sequence, and one use case can log several events in the same millisecond
// (a fixed clock makes them all the same), so a random suffix alone would shuffle them. The sequence is per process
// (shared by every log it creates) and zero-padded so it sorts as text; the random part keeps two instances apart.
// Rows written before the sequence existed ("<at>~<hex>") still sort by their time; only their order among rows of
// the very same millisecond is unspecified, as it always was.
let sequence = 0;
const SEQUENCE_DIGITS = 16;

export function createEventLog(tables: Tables): EventLog {
  const client = tables.table("Events");
  const endpoint = tables.endpoint;
  return {
    async append(event: AuditEvent) {
      const partitionKey = assertSafeKey(event.at.slice(0, 7), "event month");
      const rowKey = `${event.at}~${String(sequence++).padStart(SEQUENCE_DIGITS, "0")}~${randomBytes(4).toString("hex")}`;
      await guard(endpoint, () =>
        client.createEntity({ partitionKey, rowKey, at: event.at, actor: event.actor, type: event.type, subject: event.subject, data: jsonProperty(event.data, "event data") }),
      );
    },
    async listMonth(m) {
      const rows = await listPartition(client, endpoint, assertSafeKey(m, "month"));
      return rows.map((e) => ({
        at: String(e.at),
        actor: String(e.actor),
        type: String(e.type),
        subject: String(e.subject),
        data: JSON.parse(String(e.data)) as AuditEvent["data"],
      }));
    },
  };
}
