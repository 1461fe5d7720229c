// A moderated case: two blind audits, compared once both are in. Where the overall grades differ, or a section's
// grades differ by two steps or more, the QA team agrees the grade; feedback waits for it and uses it.
import type { Audit } from "./audit";
import { findScale, type Toolkit } from "./toolkit";
import { addWorkingDays } from "./working-days";
import { overallRank } from "./moderation-figures";

export type ModerationStatus = "awaiting_audits" | "awaiting_agreement" | "agreed" | "single_audit";

export interface Moderation {
  month: string;
  caseRef: string;
  serviceArea: string;
  status: ModerationStatus;
  firstAuditorEmail: string;
  secondAuditorEmail: string;
  /** The grade the feedback uses: both auditors' when they agree, the QA team's when they did not, or the single audit's. */
  agreedGrade: string | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  /** The audit versions last compared: a correction to either makes a new comparison. */
  compared: { first: number; second: number } | null;
  /** The second audit's due date when the QA team was last asked about it missing the deadline; null until then. */
  deadlineAskedFor: string | null;
}

export function newModeration(first: Audit, second: Audit): Moderation {
  return {
    month: first.month,
    caseRef: first.caseRef,
    serviceArea: first.serviceArea,
    status: "awaiting_audits",
    firstAuditorEmail: first.auditorEmail,
    secondAuditorEmail: second.auditorEmail,
    agreedGrade: null,
    reason: null,
    decidedBy: null,
    decidedAt: null,
    compared: null,
    deadlineAskedFor: null,
  };
}

/** True when the QA team may decide without the second audit: the first is in, the second is not, and the deadline passed. */
export function secondMissingAtDeadline(m: Moderation, first: Audit, second: Audit, today: string, deadlineDays: number): boolean {
  return (
    m.status === "awaiting_audits" &&
    first.status === "submitted" &&
    second.status !== "submitted" &&
    second.status !== "withdrawn" &&
    addWorkingDays(second.dueOn, deadlineDays) < today
  );
}

/** Where an answer sits on its scale's ordered, counted options: 0 is the first in the toolkit file. Null if not counted. */
export function stepOf(toolkit: Toolkit, scaleId: string, value: string): number | null {
  const counted = findScale(toolkit, scaleId).options.filter((o) => o.score !== null);
  const i = counted.findIndex((o) => o.value === value);
  return i < 0 ? null : i;
}

export interface SectionComparison {
  sectionId: string;
  number: string;
  title: string;
  /** The mean step of the section's counted answers; null when nothing in it was counted. */
  first: number | null;
  second: number | null;
  difference: number | null;
}

export interface Comparison {
  firstGrade: string;
  secondGrade: string;
  overallSteps: number;
  sections: SectionComparison[];
  needsAgreement: boolean;
}

/** A section "differs by two steps" when the means of its counted answers are two or more steps apart. */
export const SECTION_STEPS_FOR_AGREEMENT = 2;

export function compareAudits(first: Audit, second: Audit, toolkit: Toolkit): Comparison {
  const firstGrade = first.final?.overallGrade ?? "";
  const secondGrade = second.final?.overallGrade ?? "";
  const overall = (v: string) => overallRank(toolkit, v) ?? 0;
  const sections = toolkit.sections.map((s) => {
    const mean = (a: Audit) => {
      const steps = s.questions.map((q) => stepOf(toolkit, q.scale, a.sections[s.id]?.answers[q.id]?.value ?? "")).filter((x): x is number => x !== null);
      return steps.length === 0 ? null : steps.reduce((sum, x) => sum + x, 0) / steps.length;
    };
    const [a, b] = [mean(first), mean(second)];
    return { sectionId: s.id, number: String(s.number), title: s.title, first: a, second: b, difference: a === null || b === null ? null : Math.abs(a - b) };
  });
  const overallSteps = Math.abs(overall(firstGrade) - overall(secondGrade));
  const needsAgreement = firstGrade !== secondGrade || sections.some((s) => s.difference !== null && s.difference >= SECTION_STEPS_FOR_AGREEMENT - 1e-9);
  return { firstGrade, secondGrade, overallSteps, sections, needsAgreement };
}
