// Stale-case checks live in the month partition of the run that asked, in the Allocations table ("stale-<case>"),
// so a check and its card are one transaction and the outbox relay finds the card. The month and case are the key:
// a re-run of the month's job finds the check there and sends nothing twice.
import type { StaleCheckRepository } from "../app/ports";
import type { StaleCheck } from "../domain/stale-case";
import { outboxToEntity } from "./audit-rows";
import { submitDecision } from "./decision";
import { assertSafeKey, toKey } from "./keys";
import { createOnce, getOrUndefined, listWhere, type Entity, type Tables } from "./tables";
import { jsonProperty } from "./values";

const PREFIX = "stale-";
const ANY_CHECK = `RowKey ge '${PREFIX}' and RowKey lt 'stale.'`;
const staleRowKey = (caseRef: string) => PREFIX + toKey(caseRef, "case reference");

function toEntity(c: StaleCheck): Entity {
  return { partitionKey: assertSafeKey(c.month, "month"), rowKey: staleRowKey(c.caseRef), caseRef: c.caseRef, check: jsonProperty(c, "stale check") };
}

const fromEntity = (e: Entity) => JSON.parse(String(e.check)) as StaleCheck;

export function createStaleCheckRepository(tables: Tables): StaleCheckRepository {
  const client = tables.table("Allocations");
  const endpoint = tables.endpoint;
  return {
    async create(check, outbox) {
      // Asked already this month (a re-run of the job): the check is there with its card.
      return createOnce(endpoint, () => client.submitTransaction([["create", toEntity(check)], ...outbox.map((o) => ["create", outboxToEntity(check.month, o)] as [string, Entity])] as never));
    },
    async get(month, caseRef) {
      const e = await getOrUndefined(client, endpoint, assertSafeKey(month, "month"), staleRowKey(caseRef));
      return e ? { check: fromEntity(e), version: String(e.etag) } : undefined;
    },
    async update(check, version, effects) {
      await submitDecision(tables, "Allocations", assertSafeKey(check.month, "month"), [["update", toEntity(check), "Replace", { etag: version }]], effects);
    },
    async all() {
      // Every month: whether a case is asked again depends on its latest check, however old.
      return (await listWhere(client, endpoint, ANY_CHECK)).map(fromEntity);
    },
    async listMonth(month) {
      return (await listWhere(client, endpoint, `PartitionKey eq '${assertSafeKey(month, "month")}' and ${ANY_CHECK}`)).map(fromEntity);
    },
  };
}
