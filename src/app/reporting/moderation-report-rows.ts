// The report's Moderation sheet: one row per moderated case of the period, for the QA team's analysis. Pure and
// anonymised like the other sheets: no auditor is named, and neither audit's grade shows while the comparison is
// still waiting for an audit, so the sheet never breaks the blindness the chats keep.
import type { Audit } from "../../domain/audit";
import type { Moderation } from "../../domain/moderation";
import { overallRank } from "../../domain/moderation-figures";
import { findScale, type Toolkit } from "../../domain/toolkit";
import { londonDate } from "../../domain/working-days";
import { reportKey, type Cell, type RowSet } from "./report-rows";

export const MODERATION_COLUMNS = ["month", "case_ref", "service_area", "toolkit", "status", "first_grade", "second_grade", "steps_apart", "agreed_grade", "decided_on"] as const;

export interface ModerationReportInput {
  moderations: readonly Moderation[];
  /** Both passes of the period's audits; a case's rows are found by month and case reference. */
  firsts: readonly Audit[];
  seconds: readonly Audit[];
  toolkits: ReadonlyMap<string, Toolkit>;
  includeText: boolean;
  /** Blanks names and emails out of the QA team's reason when includeText is set (report-rows' redactor). */
  clean: (text: string) => string;
}

const STATUS: Record<Moderation["status"], string> = {
  awaiting_audits: "waiting for both audits",
  awaiting_agreement: "waiting for an agreed grade",
  agreed: "agreed",
  single_audit: "single audit used",
};

export function moderationRows(input: ModerationReportInput): RowSet {
  const firstOf = new Map(input.firsts.map((a) => [reportKey(a.month, a.caseRef), a]));
  const secondOf = new Map(input.seconds.map((a) => [reportKey(a.month, a.caseRef), a]));
  const rows = [...input.moderations]
    .sort((a, b) => a.month.localeCompare(b.month) || a.caseRef.localeCompare(b.caseRef))
    .map((m): Cell[] => {
      const first = firstOf.get(reportKey(m.month, m.caseRef));
      const second = secondOf.get(reportKey(m.month, m.caseRef));
      const toolkit = first ? input.toolkits.get(first.toolkitId) : undefined;
      const open = m.status === "awaiting_audits";
      const grade = (a: Audit | undefined): Cell => (open || !toolkit || a?.status !== "submitted" || !a.final ? null : labelOf(toolkit, a.final.overallGrade));
      const ranks = [first, second].map((a) => (toolkit && a?.status === "submitted" && a.final ? overallRank(toolkit, a.final.overallGrade) : null));
      return [
        m.month,
        m.caseRef,
        m.serviceArea,
        first?.toolkitId ?? null,
        STATUS[m.status],
        grade(first),
        grade(second),
        open || ranks[0] === null || ranks[1] === null ? null : Math.abs(ranks[0]! - ranks[1]!),
        m.agreedGrade && toolkit ? labelOf(toolkit, m.agreedGrade) : null,
        m.decidedAt ? londonDate(new Date(m.decidedAt)) : null,
        ...(input.includeText ? [m.reason && m.decidedBy !== "moderation" ? input.clean(m.reason) : null] : []),
      ];
    });
  return { name: "Moderation", columns: [...MODERATION_COLUMNS, ...(input.includeText ? ["agreed_reason"] : [])], rows };
}

function labelOf(toolkit: Toolkit, value: string): string {
  return findScale(toolkit, toolkit.overall.scale).options.find((o) => o.value === value)?.label ?? value;
}
