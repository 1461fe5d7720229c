// Allocations table: partition = month. Row "plan" claims the month; "case-..." rows are the audits;
// "outbox-..." rows are their messages and "trail-..." rows their events, written in the same transaction as the audit
// they belong to.
import { StorageError } from "../app/errors";
import type { AuditRepository } from "../app/ports";
import type { AllocationPlan } from "../domain/allocation-plan";
import { assertSafeKey } from "./keys";
import { AUDIT_PREFIX, auditRowKey, auditToEntity, entityToAudit, entityToModeration, MODERATION_PREFIX, moderationRowKey, moderationToEntity, outboxToEntity, SECOND_PREFIX, versionRowPrefix, versionToEntity } from "./audit-rows";
import type { Audit } from "../domain/audit";
import { getOrUndefined, guard, listPartition, listWhere, type Tables } from "./tables";
import { feedbackToEntity } from "./feedback-repository";
import { chunkedJson, readChunkedJson } from "./values";
import { outboxRowKey } from "../app/delivery/outbox";
import type { TransactionAction } from "@azure/data-tables";
import { submitDecision } from "./decision";

const PLAN_ROW = "plan";

export function createAuditRepository(tables: Tables): AuditRepository {
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
    async markAllocated(m, version, effects = {}) {
      await submitDecision(tables, "Allocations", month(m), [["update", { partitionKey: month(m), rowKey: PLAN_ROW, status: "allocated" }, "Merge", { etag: version }]], effects);
    },
    async createAudits(m, items) {
      const present = new Set((await listPartition(client, endpoint, month(m))).map((e) => e.rowKey));
      for (const { audit, outbox, moderation } of items) {
        if (present.has(auditRowKey(audit.caseRef, audit.pass))) continue;
        const rows = [
          auditToEntity(audit),
          ...outbox.filter((o) => !present.has(outboxRowKey(o.id))).map((o) => outboxToEntity(m, o)),
          ...(moderation && !present.has(moderationRowKey(moderation.caseRef)) ? [moderationToEntity(moderation)] : []),
        ];
        try {
          await guard(endpoint, () => client.submitTransaction(rows.map((row) => ["create", row])));
        } catch (err) {
          // Another process finishing the same plan created this audit first: it is there, with its message.
          if (!(err instanceof StorageError && err.code === "storage_conflict")) throw err;
        }
      }
    },
    async createMessages(m, outbox) {
      for (const o of outbox) {
        try {
          await guard(endpoint, () => client.createEntity(outboxToEntity(month(m), o)));
        } catch (err) {
          // Already stored by an earlier run of the same job: that message goes once.
          if (!(err instanceof StorageError && err.code === "storage_conflict")) throw err;
        }
      }
    },
    async get(m, caseRef, pass = "first") {
      const e = await getOrUndefined(client, endpoint, month(m), auditRowKey(caseRef, pass));
      return e ? { audit: entityToAudit(e), version: String(e.etag) } : undefined;
    },
    async listMonth(m) {
      return (await listPartition(client, endpoint, month(m))).filter((e) => e.rowKey.startsWith(AUDIT_PREFIX)).map(entityToAudit);
    },
    async listSeconds(m) {
      const rows = await listWhere(client, endpoint, `PartitionKey eq '${month(m)}' and RowKey ge '${SECOND_PREFIX}' and RowKey lt 'second.'`);
      return rows.map(entityToAudit);
    },
    async update(audit, version, effects, feedback, moderation) {
      const copy: TransactionAction[] = audit.status === "submitted" ? [["create", versionToEntity(audit)]] : [];
      // The feedback row follows the audit's ETag: it is only written together with the audit it belongs to.
      const feedbackRow: TransactionAction[] = feedback ? [["upsert", feedbackToEntity(feedback), "Replace"]] : [];
      // A moderated case's row follows its own ETag too: two auditors submitting at once cannot both miss the other.
      const moderationRow: TransactionAction[] = moderation ? [["update", moderationToEntity(moderation.record), "Replace", { etag: moderation.version }]] : [];
      await submitDecision(tables, "Allocations", month(audit.month), [["update", auditToEntity(audit), "Replace", { etag: version }], ...copy, ...feedbackRow, ...moderationRow], effects);
    },
    async getModeration(m, caseRef) {
      const e = await getOrUndefined(client, endpoint, month(m), moderationRowKey(caseRef));
      return e ? { moderation: entityToModeration(e), version: String(e.etag) } : undefined;
    },
    async listModerations(m) {
      const rows = await listWhere(client, endpoint, `PartitionKey eq '${month(m)}' and RowKey ge '${MODERATION_PREFIX}' and RowKey lt 'moderation.'`);
      return rows.map((e) => ({ moderation: entityToModeration(e), version: String(e.etag) }));
    },
    async decideModeration(record, version, effects, feedback, audit) {
      const feedbackRow: TransactionAction[] = feedback ? [["upsert", feedbackToEntity(feedback), "Replace"]] : [];
      // An unsubmitted audit the decision changes (the second audit withdrawn or passed on), on its own ETag.
      const auditRow: TransactionAction[] = audit ? [["update", auditToEntity(audit.audit), "Replace", { etag: audit.version }]] : [];
      await submitDecision(tables, "Allocations", month(record.month), [["update", moderationToEntity(record), "Replace", { etag: version }], ...auditRow, ...feedbackRow], effects);
    },
    async versions(m, caseRef, pass = "first") {
      const prefix = versionRowPrefix(caseRef, pass);
      const rows = await listWhere(client, endpoint, `PartitionKey eq '${month(m)}' and RowKey ge '${prefix}' and RowKey lt '${prefix}~'`);
      // Versions stored before moderation carry neither field: they are first audits of unmoderated cases.
      return rows.map((e) => ({ pass: "first", moderated: false, ...(readChunkedJson(e, "audit") as Partial<Audit>) }) as Audit);
    },
  };
}
