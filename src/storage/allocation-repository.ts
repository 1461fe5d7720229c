// Allocations table: partition = month; row "plan" claims the month and holds the whole plan, rows "case-..." one per allocated case.
import { randomBytes } from "node:crypto";
import { StorageError } from "../app/errors";
import type { AllocationRepository, AuditEvent, EventLog } from "../app/ports";
import type { AllocationPlan, AllocationRecord } from "../domain/allocation-plan";
import { assertSafeKey, toKey } from "./keys";
import { getOrUndefined, guard, listPartition, upsertInBatches, type Entity, type Tables } from "./tables";
import { chunkedJson, jsonProperty, readChunkedJson } from "./values";

const PLAN_ROW = "plan";
const RECORD_PREFIX = "case-";

export function createAllocationRepository(tables: Tables): AllocationRepository {
  const client = tables.table("Allocations");
  const endpoint = tables.endpoint;
  const month = (m: string) => assertSafeKey(m, "month");
  return {
    async getPlan(m) {
      const e = await getOrUndefined(client, endpoint, month(m), PLAN_ROW);
      if (!e) return undefined;
      return { plan: readChunkedJson(e, "plan") as AllocationPlan, status: e.status === "allocated" ? "allocated" : "planned", version: String(e.etag) };
    },
    async claimPlan(plan) {
      try {
        await guard(endpoint, () =>
          client.createEntity({ partitionKey: month(plan.month), rowKey: PLAN_ROW, status: "planned", seed: plan.seed, ...chunkedJson(plan, "plan") }),
        );
        return "claimed";
      } catch (err) {
        if (err instanceof StorageError && err.code === "storage_conflict") return "taken";
        throw err;
      }
    },
    async saveRecords(records) {
      await upsertInBatches(client, endpoint, records.map(toEntity));
    },
    async markAllocated(m, version) {
      await guard(endpoint, () => client.updateEntity({ partitionKey: month(m), rowKey: PLAN_ROW, status: "allocated" }, "Merge", { etag: version }));
    },
    async listMonth(m) {
      return (await listPartition(client, endpoint, month(m))).filter((e) => e.rowKey.startsWith(RECORD_PREFIX)).map(toRecord);
    },
  };
}

function toEntity(r: AllocationRecord): Entity {
  return {
    partitionKey: assertSafeKey(r.month, "month"),
    rowKey: RECORD_PREFIX + toKey(r.caseRef, "case reference"),
    caseRef: r.caseRef,
    serviceArea: r.serviceArea,
    auditorEmail: r.auditorEmail,
    dueOn: r.dueOn,
    toolkitId: r.toolkitId,
    allocatedAt: r.allocatedAt,
  };
}

function toRecord(e: Entity): AllocationRecord {
  return {
    month: e.partitionKey,
    caseRef: String(e.caseRef),
    serviceArea: String(e.serviceArea),
    auditorEmail: String(e.auditorEmail),
    dueOn: String(e.dueOn),
    toolkitId: String(e.toolkitId),
    allocatedAt: String(e.allocatedAt),
  };
}

/** Events table: append-only, partition = the month the event happened, row = time then a random suffix. */
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
