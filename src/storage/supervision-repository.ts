// Supervision checklists live in the Allocations table in their quarter's first month partition ("supervision-<case>"),
// one per case and quarter, so asking twice creates nothing and a manager's list is one filtered query of one partition.
import type { SupervisionRepository } from "../app/ports";
import type { Supervision } from "../domain/supervision";
import { assertSafeKey, toKey } from "./keys";
import { createOnce, getOrUndefined, listWhere, type Entity, type Tables } from "./tables";
import { submitDecision } from "./decision";
import { chunkedJson, readChunkedJson } from "./values";

const PREFIX = "supervision-";
const rowKeyOf = (caseRef: string) => PREFIX + toKey(caseRef, "case reference");
const quote = (s: string) => s.replace(/'/g, "''");

function toEntity(s: Supervision): Entity {
  return { partitionKey: assertSafeKey(s.quarter, "quarter"), rowKey: rowKeyOf(s.caseRef), caseRef: s.caseRef, managerEmail: s.managerEmail, status: s.status, ...chunkedJson(s, "supervision") };
}
const fromEntity = (e: Entity) => readChunkedJson(e, "supervision") as Supervision;

export function createSupervisionRepository(tables: Tables): SupervisionRepository {
  const client = tables.table("Allocations");
  const endpoint = tables.endpoint;
  const inQuarter = (quarter: string) => `PartitionKey eq '${assertSafeKey(quarter, "quarter")}' and RowKey ge '${PREFIX}' and RowKey lt 'supervision.'`;
  return {
    async create(s) {
      return createOnce(endpoint, () => client.createEntity(toEntity(s)));
    },
    async get(quarter, caseRef) {
      const e = await getOrUndefined(client, endpoint, assertSafeKey(quarter, "quarter"), rowKeyOf(caseRef));
      return e ? { supervision: fromEntity(e), version: String(e.etag) } : undefined;
    },
    async update(s, version, effects) {
      await submitDecision(tables, "Allocations", assertSafeKey(s.quarter, "quarter"), [["update", toEntity(s), "Replace", { etag: version }]], effects);
    },
    async listForManager(quarter, managerEmail) {
      return (await listWhere(client, endpoint, `${inQuarter(quarter)} and managerEmail eq '${quote(managerEmail.toLowerCase())}'`)).map(fromEntity);
    },
    async listQuarter(quarter) {
      return (await listWhere(client, endpoint, inQuarter(quarter))).map(fromEntity);
    },
  };
}
