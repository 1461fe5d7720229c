// The evidence pack as titled tables: the same rows and words on the HTML page (under each chart) and in the
// workbook (one sheet each), so the two can never disagree. A hidden count reads "fewer than N".
import type { EvidencePack } from "../../domain/evidence-pack";
import { monthLabel } from "../cards/format";
import { kappaText, percentText } from "../audit/moderation-text";

export type Cell = string | number;

export interface EvidenceTable {
  /** Names the chart drawn from the same figures, and the workbook sheet. */
  id: "coverage" | "grades" | "months" | "themes" | "strengths" | "learning-loop" | "escalations" | "response-times" | "moderation";
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Why a table has no rows: nothing in the period, or a group under the floor that is not broken down. */
  empty?: string;
}


const count = (h: { value: number | null; text: string }): Cell => h.value ?? h.text;
const orBlank = (n: number | null): Cell => n ?? "";
/** Coverage to one decimal place, as a number the workbook can chart too. */
export const coveragePercent = (p: EvidencePack): number | null => (p.coverage.percent === null ? null : Math.round(p.coverage.percent * 10) / 10);

export function evidenceTables(p: EvidencePack): EvidenceTable[] {
  if (!p.hasAudits) return [];
  const few = (what: string) => `Fewer than ${p.anonymityFloor} ${what}, so not broken down.`;
  const auditsHidden = p.completed.value === null ? few("audits were completed") : "No audits were completed.";
  const gradeLabels = p.grades.length > 0 ? p.grades.map((g) => g.label) : [...new Set(p.months.flatMap((m) => m.grades.map((g) => g.label)))];
  const tables: EvidenceTable[] = [
    {
      id: "coverage",
      title: "Coverage of the sample",
      columns: ["Figure", "Value"],
      rows: [
        ["Audits allocated", p.allocated],
        ["Audits completed", count(p.completed)],
        ["Open cases", p.coverage.open],
        ["Cases audited in the last 12 months", count(p.coverage.audited)],
        ["Coverage (% of open cases)", orBlank(coveragePercent(p))],
        ["Target (% of open cases)", p.coverage.targetPercent],
      ],
    },
    { id: "grades", title: "Overall grades", columns: ["Grade", "Audits"], rows: p.grades.map((g) => [g.label, g.count]), empty: auditsHidden },
    {
      id: "months",
      title: "Audits and grades by month",
      columns: ["Month", "Audits completed", ...gradeLabels],
      rows: p.months.map((m) => [monthLabel(m.month), count(m.completed), ...gradeLabels.map((l) => (m.grades.length === 0 ? "" : (m.grades.find((g) => g.label === l)?.count ?? 0)))]),
    },
    { id: "themes", title: "Questions most often graded below good", columns: ["Question", "Audits"], rows: p.themes.belowGood.map((t) => [t.question, t.count]), empty: p.grades.length === 0 ? auditsHidden : "No question was graded below good." },
    { id: "strengths", title: "Questions most often graded above good", columns: ["Question", "Audits"], rows: p.themes.strengths.map((t) => [t.question, t.count]), empty: p.grades.length === 0 ? auditsHidden : "No question was graded above good." },
    {
      id: "learning-loop",
      title: "The learning loop: from agreed action to verified change",
      columns: ["Step", "Actions"],
      rows: [
        ["Agreed", count(p.learningLoop.agreed)],
        ["Done (green)", orBlank(p.learningLoop.done)],
        ["Confirmed by the manager", orBlank(p.learningLoop.confirmedByManager)],
        ["Overdue", orBlank(p.learningLoop.overdue)],
        ["Verified change at re-check", orBlank(p.learningLoop.verifiedChange)],
      ],
    },
    {
      id: "escalations",
      title: "Unsafe practice escalations",
      columns: ["Figure", "Value"],
      rows: [
        ["Concerns raised", count(p.escalations.raised)],
        ["Acknowledged", orBlank(p.escalations.acknowledged)],
        ["Median minutes to acknowledge", orBlank(p.escalations.medianMinutesToAcknowledge)],
      ],
    },
    { id: "response-times", title: "Time to acknowledge a concern", columns: ["Time to acknowledge", "Concerns"], rows: p.escalations.responseTimes.map((b) => [b.label, b.count]), empty: p.escalations.raised.value === null ? few("concerns were raised") : "No concerns were raised." },
  ];
  const m = p.moderation;
  if (m) {
    const agreement = m.tooFew ? [] : [["Overall grades the same", percentText(m.exact)], ["Within one step", percentText(m.withinOne)], ["Weighted kappa (95% interval)", kappaText({ ...m, pairs: 0 })]];
    tables.push({ id: "moderation", title: "Moderation: cases graded twice, blind", columns: ["Figure", "Value"], rows: [["Cases graded twice", count(m.cases)], ...agreement, ...(m.tooFew ? [["Agreement", "too few cases for agreement figures"]] : [])] });
  }
  return tables;
}
