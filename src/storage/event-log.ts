// Events table: append-only, partition = the month the event happened, row = time, then this process's sequence, then
// a random suffix (see trail.ts). A decision's events arrive through its own transaction and the trail; append is for
// the events that sum up a whole job (an import, a month's requests), which no single transaction holds.
import type { AuditEvent, EventLog } from "../app/ports";
import { assertSafeKey } from "./keys";
import { guard, listPartition, type Tables } from "./tables";
import { catchUpTrail, eventEntity, eventOf, eventRowKey } from "./trail";

export function createEventLog(tables: Tables): EventLog {
  const client = tables.table("Events");
  const endpoint = tables.endpoint;
  return {
    async append(event: AuditEvent) {
      await guard(endpoint, () => client.createEntity(eventEntity(event, eventRowKey(event.at))));
    },
    async listMonth(m) {
      return (await listPartition(client, endpoint, assertSafeKey(m, "month"))).map(eventOf);
    },
    catchUp: (olderThanMs) => catchUpTrail(tables, olderThanMs),
  };
}
