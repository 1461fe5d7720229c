// Self-assessment rows live beside their audit in the month partition of the Allocations table ("selfassess-<case>"),
// so a request and its card to the lead professional are one transaction, and the relay finds the card there.
import type { SelfAssessmentRepository } from "../app/ports";
import type { SelfAssessment } from "../domain/self-assessment";
import { outboxToEntity } from "./audit-rows";
import { assertSafeKey, toKey } from "./keys";
import { createOnce, getOrUndefined, listWhere, type Entity, type Tables } from "./tables";
import { submitDecision } from "./decision";
import { chunkedJson, readChunkedJson } from "./values";

const PREFIX = "selfassess-";
const rowKeyOf = (caseRef: string) => PREFIX + toKey(caseRef, "case reference");

function toEntity(s: SelfAssessment): Entity {
  return { partitionKey: assertSafeKey(s.month, "month"), rowKey: rowKeyOf(s.caseRef), caseRef: s.caseRef, status: s.status, ...chunkedJson(s, "selfAssessment") };
}
const fromEntity = (e: Entity) => readChunkedJson(e, "selfAssessment") as SelfAssessment;

export function createSelfAssessmentRepository(tables: Tables): SelfAssessmentRepository {
  const client = tables.table("Allocations");
  const endpoint = tables.endpoint;
  const outboxRows = (s: SelfAssessment, outbox: Parameters<SelfAssessmentRepository["create"]>[1]) => outbox.map((o) => ["create", outboxToEntity(s.month, o)] as ["create", Entity]);
  return {
    async create(s, outbox) {
      // Asked already (a re-run of the month): the row and its card exist.
      return createOnce(endpoint, () => client.submitTransaction([["create", toEntity(s)], ...outboxRows(s, outbox)]));
    },
    async get(month, caseRef) {
      const e = await getOrUndefined(client, endpoint, assertSafeKey(month, "month"), rowKeyOf(caseRef));
      return e ? { selfAssessment: fromEntity(e), version: String(e.etag) } : undefined;
    },
    async update(s, version, effects) {
      await submitDecision(tables, "Allocations", assertSafeKey(s.month, "month"), [["update", toEntity(s), "Replace", { etag: version }]], effects);
    },
    async listBetween(fromMonth, toMonth) {
      const filter = `PartitionKey ge '${assertSafeKey(fromMonth, "month")}' and PartitionKey le '${assertSafeKey(toMonth, "month")}' and RowKey ge '${PREFIX}' and RowKey lt 'selfassess.'`;
      return (await listWhere(client, endpoint, filter)).map(fromEntity);
    },
  };
}
