// Events table: append-only, partition = the month the event happened, row = time then a random suffix.
import { randomBytes } from "node:crypto";
import type { AuditEvent, EventLog } from "../app/ports";
import { assertSafeKey } from "./keys";
import { guard, listPartition, type Tables } from "./tables";
import { jsonProperty } from "./values";

export function createEventLog(tables: Tables): EventLog {
  const client = tables.table("Events");
  const endpoint = tables.endpoint;
  return {
    async append(event: AuditEvent) {
      const partitionKey = assertSafeKey(event.at.slice(0, 7), "event month");
      const rowKey = `${event.at}~${randomBytes(4).toString("hex")}`;
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
