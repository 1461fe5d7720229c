// Manager quality supervision (seed 000: practitioner self-assessment, then line-manager quality supervision, then
// audit). An optional stage: once a quarter, the lead professional's manager completes a short checklist for each
// open case they manage. Pure: the checklist file's rules, the record, its checks, and which quarter a month is in.
import { z } from "zod";
import { isOpen, type CaseFile } from "./case-file";
import { documentHeader } from "./toolkit";

export const supervisionStageSchema = z.object({
  ...documentHeader,
  intro: z.string().min(1),
  items: z.array(z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/), text: z.string().min(1).max(300) })).min(1).max(15)
    .refine((items) => new Set(items.map((i) => i.id)).size === items.length, "each item needs its own id"),
  commentPrompt: z.string().min(1),
});
export type SupervisionStage = z.infer<typeof supervisionStageSchema>;

/** The first month of the financial quarter `month` is in (April, July, October, January): the quarter's key. */
export function quarterOf(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const first = m - ((m - 1) % 3);
  return `${y}-${String(first).padStart(2, "0")}`;
}

/** "Q3 2026-27": the financial quarter a council reports in. */
export function quarterLabel(quarter: string): string {
  const [y, m] = quarter.split("-").map(Number) as [number, number];
  const fy = m >= 4 ? y : y - 1;
  return `Q${m >= 4 ? (m - 1) / 3 : 4} ${fy}-${String((fy + 1) % 100).padStart(2, "0")}`;
}

export type SupervisionAnswer = "yes" | "no";

export interface Supervision {
  quarter: string;
  caseRef: string;
  serviceArea: string;
  managerEmail: string;
  stageId: string;
  status: "due" | "done";
  dueSince: string;
  /** item id -> yes / no, once done. */
  answers: Record<string, SupervisionAnswer> | null;
  comment: string;
  doneAt: string | null;
}

/** One checklist per open case with a manager (never one the lead professional would do on their own case). */
export function supervisionsDue(cases: readonly CaseFile[], quarter: string, stage: SupervisionStage, now: Date): Supervision[] {
  return cases
    .filter((c) => isOpen(c) && c.lpManagerEmail && c.lpManagerEmail !== c.leadProfessionalEmail)
    .map((c) => ({ quarter, caseRef: c.caseRef, serviceArea: c.serviceArea, managerEmail: c.lpManagerEmail!.toLowerCase(), stageId: stage.id, status: "due", dueSince: now.toISOString(), answers: null, comment: "", doneAt: null }));
}

export function supervisionProblems(stage: SupervisionStage, input: { answers: Record<string, string>; comment: string }): { field: string; message: string }[] {
  const problems = stage.items.flatMap((item, i) => (input.answers[item.id] === "yes" || input.answers[item.id] === "no" ? [] : [{ field: `sup.${item.id}`, message: `Answer Yes or No to item ${i + 1}.` }]));
  if (input.comment.length > 3000) problems.push({ field: "sup.comment", message: "Keep the notes under 3,000 characters." });
  return problems;
}

export function completeSupervision(s: Supervision, input: { answers: Record<string, string>; comment: string }, now: Date): Supervision {
  return { ...s, status: "done", answers: input.answers as Record<string, SupervisionAnswer>, comment: input.comment.trim(), doneAt: now.toISOString() };
}
