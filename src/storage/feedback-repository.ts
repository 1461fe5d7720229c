// Feedback rows live beside their audit in the month partition of the Allocations table ("feedback-<case>"),
// so an audit's submission and its feedback (and their messages) are one transaction.
import type { FeedbackRepository } from "../app/ports";
import type { Feedback } from "../domain/feedback";
import { submitDecision } from "./decision";
import { assertSafeKey, toKey } from "./keys";
import { getOrUndefined, listWhere, type Entity, type Tables } from "./tables";
import { chunkedJson, readChunkedJson } from "./values";

const PREFIX = "feedback-";
export const feedbackRowKey = (caseRef: string) => PREFIX + toKey(caseRef, "case reference");

export function feedbackToEntity(f: Feedback): Entity {
  return {
    partitionKey: assertSafeKey(f.month, "month"),
    rowKey: feedbackRowKey(f.caseRef),
    caseRef: f.caseRef,
    status: f.status,
    // "~" sorts after every timestamp, so a feedback with nothing pending never matches the reminder query.
    nextReminderAt: f.nextReminderAt ?? "~",
    ...chunkedJson(f, "feedback"),
  };
}

const fromEntity = (e: Entity) => readChunkedJson(e, "feedback") as Feedback;

export function createFeedbackRepository(tables: Tables): FeedbackRepository {
  const client = tables.table("Allocations");
  const endpoint = tables.endpoint;
  return {
    async get(month, caseRef) {
      const e = await getOrUndefined(client, endpoint, assertSafeKey(month, "month"), feedbackRowKey(caseRef));
      return e ? { feedback: fromEntity(e), version: String(e.etag) } : undefined;
    },
    async update(f, version, effects) {
      await submitDecision(tables, "Allocations", assertSafeKey(f.month, "month"), [["update", feedbackToEntity(f), "Replace", { etag: version }]], effects);
    },
    async due(now) {
      // Every month, however old: corrective actions can run past a quarter and their reminders must not stop. The
      // filter runs in the table service, so only the rows due come back.
      const rows = await listWhere(client, endpoint, `RowKey ge '${PREFIX}' and RowKey lt 'feedback.' and nextReminderAt le '${now.toISOString()}'`);
      return rows.map((e) => ({ feedback: fromEntity(e), version: String(e.etag) }));
    },
    async pending() {
      return (await listWhere(client, endpoint, `RowKey ge '${PREFIX}' and RowKey lt 'feedback.' and nextReminderAt lt '~'`)).map(fromEntity);
    },
    async listBetween(fromMonth, toMonth) {
      const filter = `PartitionKey ge '${assertSafeKey(fromMonth, "month")}' and PartitionKey le '${assertSafeKey(toMonth, "month")}' and RowKey ge '${PREFIX}' and RowKey lt 'feedback.'`;
      return (await listWhere(client, endpoint, filter)).map(fromEntity);
    },
    async listSince(fromMonth) {
      const rows = await listWhere(client, endpoint, `PartitionKey ge '${assertSafeKey(fromMonth, "month")}' and RowKey ge '${PREFIX}' and RowKey lt 'feedback.'`);
      return rows.map(fromEntity);
    },
  };
}
