// One decision, one transaction: the decision's own rows, the messages it sends and its events, all in one partition
// of one table, so none is ever stored without the others. Then its events go on to the Events table (trail.ts).
import type { TransactionAction } from "@azure/data-tables";
import type { Effects } from "../app/ports";
import { outboxToEntity } from "./audit-rows";
import { guard, type Entity, type TableName, type Tables } from "./tables";
import { settleTrail, trailCreates, trailRows } from "./trail";

export async function submitDecision(tables: Tables, source: TableName, partition: string, actions: readonly TransactionAction[], effects: Effects): Promise<void> {
  const trail = trailRows(partition, effects.events);
  const messages = (effects.outbox ?? []).map((o) => ["create", outboxToEntity(partition, o)] as ["create", Entity]);
  await guard(tables.endpoint, () => tables.table(source).submitTransaction([...actions, ...messages, ...trailCreates(trail)]));
  await settleTrail(tables, source, trail);
}
