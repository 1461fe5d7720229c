// The findings of a period as three tables (audits, answers, actions) for the QA team's own analysis and the annual
// QA report. Pure. Anonymised by default: case references, grades and dates only, no people and no free text.
// With includeText the free text (justification, comments, action text, by whom) is added for the QA team's own use,
// with any email address and any known person's name in it blanked out. Names and emails of auditors, lead
// professionals and managers are never a column, whatever the options.
import type { Audit } from "../../domain/audit";
import type { CaseFile } from "../../domain/case-file";
import type { Feedback, FeedbackAction } from "../../domain/feedback";
import { findScale, type Toolkit } from "../../domain/toolkit";
import { londonDate } from "../../domain/working-days";

export type Cell = string | number | null;

export interface RowSet {
  /** The sheet name in a workbook, and the suffix (lower case) of a CSV file. */
  name: "Audits" | "Answers" | "Actions" | "Moderation" | "Self-assessment" | "Supervision";
  columns: string[];
  rows: Cell[][];
}

export interface ReportRows {
  audits: RowSet;
  answers: RowSet;
  actions: RowSet;
}

export interface ReportInput {
  /** Every audit stored in the period's month partitions. */
  audits: readonly Audit[];
  /** Feedback of the submitted audits, keyed by reportKey(month, caseRef). */
  feedback: ReadonlyMap<string, Feedback>;
  /** Case facts from the register, keyed by case reference; a case no longer there leaves its facts blank. */
  cases: ReadonlyMap<string, CaseFile>;
  toolkits: ReadonlyMap<string, Toolkit>;
  includeText: boolean;
  /** Names of people (from the directory) to blank out of free text when includeText is set. */
  namesToRedact?: readonly string[];
}

export const reportKey = (month: string, caseRef: string) => `${month}|${caseRef}`;

export const AUDIT_COLUMNS = [
  "month",
  "case_ref",
  "service_area",
  "age_band",
  "step_down",
  "primary_need",
  "toolkit",
  "status",
  "version",
  "submitted_on",
  "overall_grade",
  "overall_score",
  "below_good",
] as const;
export const ANSWER_COLUMNS = ["month", "case_ref", "service_area", "section_number", "section", "question_number", "question", "answer", "score", "below_good"] as const;
export const ACTION_COLUMNS = ["month", "case_ref", "action_id", "source", "rag", "by_when", "response", "confirmed"] as const;

export const REDACTED_EMAIL = "[email removed]";
export const REDACTED_NAME = "[name removed]";

const yesNo = (b: boolean | null | undefined): string | null => (b === null || b === undefined ? null : b ? "yes" : "no");

/**
 * Row rules:
 * - Audits: one row per audit stored in the period, whatever its status; grade, score and submission date only
 *   once it is submitted (a draft grade, or one of an audit reopened for correction, is not a finding).
 * - Answers: submitted audits only; one row per question of every section that applies to the case. A section
 *   the auditor marked not applicable (the step-down section of a case that is not a step-down) has no rows; a
 *   question answered "Not applicable" has its row with no score.
 * - Actions: submitted audits only; one row per action on the audit's feedback (the audit's agreed actions and the
 *   lead professional's own). Feedback not stored (yet) falls back to the audit's complete agreed action rows.
 */
export function reportRows(input: ReportInput): ReportRows {
  const clean = redactor(input.namesToRedact ?? []);
  const text = (s: string | null | undefined): Cell => (s === null || s === undefined || s.trim() === "" ? null : clean(s.trim()));
  const audits = [...input.audits].sort((a, b) => a.month.localeCompare(b.month) || a.caseRef.localeCompare(b.caseRef));

  const auditRows: Cell[][] = [];
  const answerRows: Cell[][] = [];
  const actionRows: Cell[][] = [];
  for (const audit of audits) {
    const toolkit = input.toolkits.get(audit.toolkitId);
    const caseFile = input.cases.get(audit.caseRef);
    const submitted = audit.status === "submitted" && audit.final !== null;

    let grade: Cell = null;
    let score: Cell = null;
    let belowGood: Cell = null;
    if (submitted) {
      const option = toolkit ? findScale(toolkit, toolkit.overall.scale).options.find((o) => o.value === audit.final!.overallGrade) : undefined;
      grade = option?.label ?? audit.final!.overallGrade;
      score = option?.score ?? null;
      belowGood = option ? yesNo(option.belowGood) : null;
    }
    auditRows.push([
      audit.month,
      audit.caseRef,
      audit.serviceArea,
      caseFile?.ageBand ?? null,
      caseFile ? yesNo(caseFile.stepDown) : null,
      caseFile?.primaryNeed ?? null,
      audit.toolkitId,
      audit.status,
      audit.version,
      submitted && audit.submittedAt ? londonDate(new Date(audit.submittedAt)) : null,
      grade,
      score,
      belowGood,
      ...(input.includeText ? [submitted ? text(audit.final!.justification) : null] : []),
    ]);
    if (!submitted) continue;

    if (toolkit) {
      for (const section of toolkit.sections) {
        const given = audit.sections[section.id];
        if (given?.notApplicable === true && section.appliesWhen === "step_down") continue;
        for (const question of section.questions) {
          const answer = given?.answers[question.id];
          const option = findScale(toolkit, question.scale).options.find((o) => o.value === answer?.value);
          answerRows.push([
            audit.month,
            audit.caseRef,
            audit.serviceArea,
            section.number,
            section.title,
            question.number,
            question.text,
            option?.label ?? (answer?.value || null),
            option?.score ?? null,
            option ? yesNo(option.belowGood) : null,
            ...(input.includeText ? [text(answer?.comment)] : []),
          ]);
        }
      }
    }

    const feedback = input.feedback.get(reportKey(audit.month, audit.caseRef));
    const actions: (Omit<FeedbackAction, "rag"> & { rag: FeedbackAction["rag"] | null })[] = feedback
      ? feedback.actions
      : audit
          .final!.actions.filter((a) => a.action.trim() && a.byWhom.trim() && a.byWhen.trim())
          .map((a, i) => ({ id: `a${i + 1}`, ...a, source: "audit" as const, rag: null, ragHistory: [], response: null, confirmation: null }));
    for (const a of actions) {
      actionRows.push([
        audit.month,
        audit.caseRef,
        a.id,
        a.source === "lead_professional" ? "lead professional" : "audit",
        a.rag,
        a.byWhen || null,
        a.response === null ? "none" : a.response.accepted ? "accepted" : "change proposed",
        a.confirmation === null ? "none" : a.confirmation.done ? "done" : "not done",
        ...(input.includeText ? [text(a.action), text(a.byWhom)] : []),
      ]);
    }
  }

  return {
    audits: { name: "Audits", columns: [...AUDIT_COLUMNS, ...(input.includeText ? ["justification"] : [])], rows: auditRows },
    answers: { name: "Answers", columns: [...ANSWER_COLUMNS, ...(input.includeText ? ["comment"] : [])], rows: answerRows },
    actions: { name: "Actions", columns: [...ACTION_COLUMNS, ...(input.includeText ? ["action", "by_whom"] : [])], rows: actionRows },
  };
}

const EMAIL = /[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]+/g;

/**
 * Blanks out email addresses, the given full names (any case) and each part of them on its own as written in the
 * directory ("Farah", "Khan"), all as whole words. A common word that is also someone's name may be lost from the
 * text: better that than a name in a report.
 */
export function redactor(names: readonly string[]): (text: string) => string {
  const escape = (n: string) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
  const words = (list: string[]) =>
    [...new Set(list.filter((n) => n.length >= 2))].sort((a, b) => b.length - a.length).map(escape);
  const whole = (alternatives: string[], flags: string) =>
    alternatives.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}])`, flags) : null;
  const full = names.map((n) => n.trim()).filter((n) => n !== "");
  const fullNames = whole(words(full), "giu");
  const parts = whole(words(full.flatMap((n) => n.split(/[\s-]+/)).filter((p) => p.length >= 3)), "gu");
  return (text) => {
    let out = text.replace(EMAIL, REDACTED_EMAIL);
    if (fullNames) out = out.replace(fullNames, REDACTED_NAME);
    if (parts) out = out.replace(parts, REDACTED_NAME);
    return out;
  };
}
