// Escalations table: partition = the month raised; row "esc-..." the escalation, "event-..." its append-only
// history, "outbox-..." its messages, "trail-..." its lines of the audit trail on their way to Events. A change and
// all of those go in one transaction.
import type { EscalationRepository } from "../app/ports";
import type { Escalation, EscalationEvent } from "../domain/escalation";
import { assertSafeKey, isSafeKey } from "./keys";
import { submitDecision } from "./decision";
import { createOnce, getOrUndefined, listWhere, type Entity, type Tables } from "./tables";
import { chunkedJson, readChunkedJson } from "./values";

const ROW_PREFIX = "esc-";

function toEntity(e: Escalation): Entity {
  return {
    partitionKey: assertSafeKey(e.month, "month"),
    rowKey: assertSafeKey(e.id, "escalation id"),
    caseRef: e.caseRef,
    status: e.status,
    level: e.level,
    // Kept as a string so "due" is one range filter; "~" sorts after every timestamp, so resolved ones never match.
    nextCheckAt: e.nextCheckAt ?? "~",
    raisedAt: e.raisedAt,
    ...chunkedJson(e, "escalation"),
  };
}

const fromEntity = (row: Entity) => readChunkedJson(row, "escalation") as Escalation;

function eventEntity(e: Escalation, event: EscalationEvent): Entity {
  return {
    partitionKey: e.month,
    rowKey: `event-${e.id}-${event.at}-${String(e.history.length).padStart(4, "0")}`,
    escalationId: e.id,
    caseRef: e.caseRef,
    at: event.at,
    by: event.by,
    action: event.action,
  };
}

export function createEscalationRepository(tables: Tables): EscalationRepository {
  const client = tables.table("Escalations");
  const endpoint = tables.endpoint;
  return {
    async create(e, effects) {
      // The same concern sent twice (a double click, a retried request): it exists already, with its messages.
      return createOnce(endpoint, () => submitDecision(tables, "Escalations", e.month, [["create", toEntity(e)], ["create", eventEntity(e, e.history[0]!)]], effects));
    },
    async get(id) {
      const month = /^esc-(\d{4}-\d{2})-/.exec(id)?.[1];
      // An id no escalation can have (it came from a card, so it may be anything) finds nothing, like an unknown one.
      if (!month || !isSafeKey(id)) return undefined;
      const row = await getOrUndefined(client, endpoint, month, assertSafeKey(id, "escalation id"));
      return row ? { escalation: fromEntity(row), version: String(row.etag) } : undefined;
    },
    async update(e, version, effects) {
      const last = e.history[e.history.length - 1]!;
      await submitDecision(tables, "Escalations", e.month, [["update", toEntity(e), "Replace", { etag: version }], ["create", eventEntity(e, last)]], effects);
    },
    async due(now) {
      // Every month, however old: an escalation stays open (acknowledged, waiting on MASH) for as long as it takes, and
      // its reminders must not stop when it turns two months old. Escalations are few, so the scan is small.
      const rows = await listWhere(client, endpoint, `RowKey ge '${ROW_PREFIX}' and RowKey lt 'esc.' and nextCheckAt le '${now.toISOString()}'`);
      return rows.map((row) => ({ escalation: fromEntity(row), version: String(row.etag) }));
    },
    async open() {
      return (await listWhere(client, endpoint, `RowKey ge '${ROW_PREFIX}' and RowKey lt 'esc.' and nextCheckAt lt '~'`)).map(fromEntity);
    },
    async listMonth(month) {
      const rows = await listWhere(client, endpoint, `PartitionKey eq '${assertSafeKey(month, "month")}' and RowKey ge '${ROW_PREFIX}' and RowKey lt 'esc.'`);
      return rows.map(fromEntity);
    },
  };
}
