// An audit's life: allocated, in progress section by section, submitted (locked). Pure transitions that
// return the next state or the reason they cannot happen; storage and channels live elsewhere.
import { validateFinal, validateSection, type FieldProblem, type FinalAnswers, type SectionAnswers } from "./answers";
import type { AllocationRecord } from "./allocation-plan";
import type { Toolkit } from "./toolkit";

/** "withdrawn": a second (moderation) audit the QA team decided to do without, at the moderation deadline. */
export type AuditStatus = "allocated" | "in_progress" | "submitted" | "unallocated" | "withdrawn";

export interface Audit extends AllocationRecord {
  status: AuditStatus;
  /** The section to show next; equal to the number of sections means the final card. */
  sectionIndex: number;
  sections: Record<string, SectionAnswers>;
  final: FinalAnswers | null;
  submittedAt: string | null;
  /** 0 until submitted; a correction after submission makes a new version. */
  version: number;
  /** Reopenings of a submitted audit: who, why, and which submitted version they corrected. */
  corrections: { by: string; why: string; at: string; fromVersion: number }[];
  /** Auditors who said they were involved in the case, and why: never offered it again. */
  declines: { by: string; reason: string; at: string }[];
  /** "second" is the blind moderation audit of a case that also has its first audit. */
  pass: AuditPass;
  /** True on both audits of a moderated case: its feedback waits for both, and for an agreed grade if they differ. */
  moderated: boolean;
}

export type AuditPass = "first" | "second";

export function newAudit(record: AllocationRecord & { pass?: AuditPass; moderated?: boolean }): Audit {
  const { pass = "first", moderated = false, ...allocation } = record;
  const fields: AllocationRecord = { month: allocation.month, caseRef: allocation.caseRef, serviceArea: allocation.serviceArea, auditorEmail: allocation.auditorEmail, dueOn: allocation.dueOn, toolkitId: allocation.toolkitId, allocatedAt: allocation.allocatedAt };
  return { ...fields, status: "allocated", sectionIndex: 0, sections: {}, final: null, submittedAt: null, version: 0, corrections: [], declines: [], pass, moderated };
}

export type Refusal =
  | { code: "not_your_audit"; message: string }
  | { code: "audit_submitted"; message: string }
  | { code: "audit_unallocated"; message: string }
  | { code: "audit_withdrawn"; message: string };

/** Only the allocated auditor may open, change or submit an audit; the message names no one else. */
export function mayWork(audit: Audit, actorEmail: string): Refusal | null {
  if (audit.status === "unallocated" || audit.auditorEmail === "") {
    return { code: "audit_unallocated", message: `Case ${audit.caseRef} is with the QA team to reallocate, so it cannot be opened here.` };
  }
  if (audit.status === "withdrawn" && audit.auditorEmail.toLowerCase() === actorEmail.toLowerCase()) {
    return { code: "audit_withdrawn", message: `The QA team no longer needs your audit of case ${audit.caseRef}, so it cannot be opened. Nothing else is needed from you on it.` };
  }
  if (audit.auditorEmail.toLowerCase() !== actorEmail.toLowerCase()) {
    return { code: "not_your_audit", message: `Case ${audit.caseRef} is not allocated to you, so you cannot open or change its audit. Ask the QA team if you think it should be.` };
  }
  return null;
}

export function start(audit: Audit): Audit {
  return audit.status === "allocated" ? { ...audit, status: "in_progress" } : audit;
}

export type SectionMove = "forward" | "stay" | "back";

/**
 * Stores a section's answers. Moving forward needs every problem fixed; staying (save and finish later) or
 * going back keeps whatever was typed as a draft, so nothing is lost.
 */
export function saveSection(
  audit: Audit,
  toolkit: Toolkit,
  sectionId: string,
  input: SectionAnswers,
  move: SectionMove,
): { ok: true; audit: Audit } | { ok: false; problems: FieldProblem[]; audit: Audit } {
  const index = toolkit.sections.findIndex((s) => s.id === sectionId);
  if (index < 0) throw new Error(`toolkit ${toolkit.id} has no section ${sectionId}`);
  const drafted: Audit = { ...audit, status: "in_progress", sections: { ...audit.sections, [sectionId]: input } };
  if (move === "back") return { ok: true, audit: { ...drafted, sectionIndex: Math.max(0, index - 1) } };
  if (move === "stay") return { ok: true, audit: { ...drafted, sectionIndex: index } };
  const problems = validateSection(toolkit, sectionId, input);
  if (problems.length > 0) return { ok: false, problems, audit: { ...drafted, sectionIndex: index } };
  return { ok: true, audit: { ...drafted, sectionIndex: index + 1 } };
}

export function saveFinalDraft(audit: Audit, toolkit: Toolkit, final: FinalAnswers, move: "stay" | "back"): Audit {
  const sectionIndex = move === "back" ? toolkit.sections.length - 1 : toolkit.sections.length;
  return { ...audit, status: "in_progress", final, sectionIndex };
}

/** The first section whose stored answers would not pass, so a submit can send the auditor back to it. */
export function firstIncompleteSection(audit: Audit, toolkit: Toolkit): { index: number; problems: FieldProblem[] } | null {
  for (const [index, section] of toolkit.sections.entries()) {
    const answers = audit.sections[section.id] ?? { answers: {}, overview: "" };
    const problems = validateSection(toolkit, section.id, answers);
    if (problems.length > 0) return { index, problems };
  }
  return null;
}

export function submit(
  audit: Audit,
  toolkit: Toolkit,
  final: FinalAnswers,
  at: string,
): { ok: true; audit: Audit } | { ok: false; problems: FieldProblem[]; audit: Audit } | { ok: false; incompleteSection: number; audit: Audit } {
  const drafted = saveFinalDraft(audit, toolkit, final, "stay");
  const incomplete = firstIncompleteSection(drafted, toolkit);
  if (incomplete) return { ok: false, incompleteSection: incomplete.index, audit: { ...drafted, sectionIndex: incomplete.index } };
  const problems = validateFinal(toolkit, final);
  if (problems.length > 0) return { ok: false, problems, audit: drafted };
  return { ok: true, audit: { ...drafted, status: "submitted", submittedAt: at, version: audit.version + 1 } };
}

export const MIN_CORRECTION_REASON = 10;

/**
 * Reopens a submitted audit for a correction. The submitted version stays as it was stored; the next submit
 * makes version n + 1. The auditor lands on the final card, where every section is one Back away.
 */
export function reopenForCorrection(audit: Audit, toolkit: Toolkit, by: string, why: string, at: string): Audit | { problem: string } {
  if (audit.status !== "submitted") return { problem: "Only a submitted audit can be corrected." };
  if (why.trim().length < MIN_CORRECTION_REASON) {
    return { problem: `Say why the audit needs correcting (at least ${MIN_CORRECTION_REASON} characters), then press Reopen to correct again.` };
  }
  return {
    ...audit,
    status: "in_progress",
    sectionIndex: toolkit.sections.length,
    corrections: [...audit.corrections, { by, why: why.trim(), at, fromVersion: audit.version }],
  };
}

/**
 * "2 of 5 sections done", "Not started", "Submitted": one line a person can check. Counted from the answers, not
 * from where the auditor last stood, so going Back never makes the progress look smaller.
 */
export function progressLine(audit: Audit, toolkit: Toolkit): string {
  const count = toolkit.sections.length;
  if (audit.status === "submitted") return "Submitted";
  if (audit.status === "unallocated") return "With the QA team to reallocate";
  if (audit.status === "withdrawn") return "No longer needed";
  if (audit.status === "allocated") return "Not started";
  const done = toolkit.sections.filter((s) => audit.sections[s.id] && validateSection(toolkit, s.id, audit.sections[s.id]!).length === 0).length;
  if (done === count) return `All ${count} sections done: ready to submit`;
  return `${done} of ${count} sections done`;
}
