// How an audit and an outbox message are laid out as Azure Tables rows in a month's partition.
import type { OutboxMessage, StoredOutbox } from "../app/delivery/outbox";
import { outboxRowKey } from "../app/delivery/outbox";
import type { Audit, AuditPass } from "../domain/audit";
import type { Moderation } from "../domain/moderation";
import { assertSafeKey, toKey } from "./keys";
import type { Entity } from "./tables";
import { chunkedJson, jsonProperty, readChunkedJson } from "./values";

export const AUDIT_PREFIX = "case-";
/** The blind second audit of a moderated case: its own row, outside the "case-" range that the month's lists read. */
export const SECOND_PREFIX = "second-";
export const OUTBOX_PREFIX = "outbox-";
/** A moderated case's comparison and decision: beside its two audits, so a submission and its outcome are one transaction. */
export const MODERATION_PREFIX = "moderation-";
export const moderationRowKey = (caseRef: string) => MODERATION_PREFIX + toKey(caseRef, "case reference");

export function moderationToEntity(m: Moderation): Entity {
  return { partitionKey: assertSafeKey(m.month, "month"), rowKey: moderationRowKey(m.caseRef), caseRef: m.caseRef, status: m.status, ...chunkedJson(m, "moderation") };
}

export const entityToModeration = (e: Entity) => readChunkedJson(e, "moderation") as Moderation;

export const auditRowKey = (caseRef: string, pass: AuditPass = "first") => (pass === "second" ? SECOND_PREFIX : AUDIT_PREFIX) + toKey(caseRef, "case reference");
const versionPrefix = (caseRef: string, pass: AuditPass) => `${pass === "second" ? "secver" : "version"}-${toKey(caseRef, "case reference")}-`;
export const versionRowPrefix = versionPrefix;

export function auditToEntity(a: Audit): Entity {
  return {
    partitionKey: assertSafeKey(a.month, "month"),
    rowKey: auditRowKey(a.caseRef, a.pass),
    caseRef: a.caseRef,
    serviceArea: a.serviceArea,
    moderated: a.moderated,
    auditorEmail: a.auditorEmail,
    dueOn: a.dueOn,
    toolkitId: a.toolkitId,
    allocatedAt: a.allocatedAt,
    status: a.status,
    sectionIndex: a.sectionIndex,
    submittedAt: a.submittedAt ?? "",
    version: a.version,
    declines: jsonProperty(a.declines, "declines"),
    corrections: jsonProperty(a.corrections, "corrections"),
    // Answers can run to tens of thousands of characters: split across properties below the 64 KiB limit.
    ...chunkedJson({ sections: a.sections, final: a.final }, "answers"),
  };
}

export function entityToAudit(e: Entity): Audit {
  const answers = e.answersParts ? (readChunkedJson(e, "answers") as Pick<Audit, "sections" | "final">) : { sections: {}, final: null };
  return {
    month: e.partitionKey,
    caseRef: String(e.caseRef),
    serviceArea: String(e.serviceArea),
    auditorEmail: String(e.auditorEmail ?? ""),
    dueOn: String(e.dueOn),
    toolkitId: String(e.toolkitId),
    allocatedAt: String(e.allocatedAt),
    status: (e.status as Audit["status"]) ?? "allocated",
    sectionIndex: Number(e.sectionIndex ?? 0),
    sections: answers.sections,
    final: answers.final,
    submittedAt: e.submittedAt ? String(e.submittedAt) : null,
    version: Number(e.version ?? 0),
    declines: JSON.parse(String(e.declines ?? "[]")) as Audit["declines"],
    corrections: JSON.parse(String(e.corrections ?? "[]")) as Audit["corrections"],
    pass: String(e.rowKey).startsWith(SECOND_PREFIX) ? "second" : "first",
    moderated: e.moderated === true,
  };
}

/** An immutable copy of a submitted version: a correction never overwrites what was first submitted. */
export function versionToEntity(a: Audit): Entity {
  return {
    partitionKey: assertSafeKey(a.month, "month"),
    rowKey: `${versionPrefix(a.caseRef, a.pass)}${String(a.version).padStart(3, "0")}`,
    caseRef: a.caseRef,
    version: a.version,
    submittedAt: a.submittedAt ?? "",
    auditorEmail: a.auditorEmail,
    ...chunkedJson(a, "audit"),
  };
}

export function outboxToEntity(partition: string, m: OutboxMessage): Entity {
  return {
    partitionKey: assertSafeKey(partition, "month"),
    rowKey: outboxRowKey(m.id),
    messageId: m.id,
    recipientEmail: m.recipientEmail,
    view: jsonProperty(m.view, "message"),
    createdAt: m.createdAt,
    replacesId: m.replacesId ?? "",
    state: "pending",
    attempts: 0,
    nextAttemptAt: m.createdAt,
    lastError: "",
    sentAt: "",
    sendingAttempt: 0,
    mayHaveLanded: false,
    deliveredTo: "",
  };
}

export function entityToOutbox(e: Entity, source: string): StoredOutbox {
  return {
    id: String(e.messageId),
    recipientEmail: String(e.recipientEmail),
    view: JSON.parse(String(e.view)) as StoredOutbox["view"],
    createdAt: String(e.createdAt),
    replacesId: e.replacesId ? String(e.replacesId) : undefined,
    state: e.state as StoredOutbox["state"],
    attempts: Number(e.attempts ?? 0),
    nextAttemptAt: String(e.nextAttemptAt),
    lastError: e.lastError ? String(e.lastError) : null,
    sentAt: e.sentAt ? String(e.sentAt) : null,
    // Rows stored before this property existed had no send under way that anyone recorded.
    sendingAttempt: Number(e.sendingAttempt ?? 0),
    mayHaveLanded: e.mayHaveLanded === true,
    deliveredTo: e.deliveredTo ? (JSON.parse(String(e.deliveredTo)) as StoredOutbox["deliveredTo"]) : null,
    etag: String(e.etag),
    source,
    partition: e.partitionKey,
  };
}
