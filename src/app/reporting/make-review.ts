// Use case: the six-monthly service review of a period (normally six months) against the same length before it.
// Reads the two periods as the digest does; the figures come from src/domain/service-review.ts.
import { addMonths } from "../../domain/months";
import { serviceReview, type ReviewPeriod, type ServiceReview } from "../../domain/service-review";
import type { ChatDeps } from "../chat-deps";
import { digestInput, monthsOf, type DigestSettings } from "./make-digest";

export async function makeServiceReview(deps: ChatDeps, fromMonth: string, toMonth: string, settings: DigestSettings): Promise<ServiceReview> {
  const length = monthsOf(fromMonth, toMonth).length;
  const [period, previous] = await Promise.all([
    digestInput(deps, fromMonth, toMonth, settings),
    digestInput(deps, addMonths(fromMonth, -length), addMonths(fromMonth, -1), settings),
  ]);
  return serviceReview(period, previous);
}

/** One area's period as the review's table cells read: the same words in the HTML page and the workbook. */
export function reviewCells(p: ReviewPeriod, threshold: number): Record<(typeof REVIEW_COLUMNS)[number], string> {
  const minutes = p.unsafePractice?.medianMinutesToAcknowledge;
  return {
    Audits: p.audits.text,
    Grades: p.grades.map((g) => `${g.label} ${g.count}`).join(", "),
    "Average score": p.averageScore === null ? "" : `${p.averageScore.toFixed(2)}${p.belowThreshold ? ` (below ${threshold})` : ""}`,
    "Most often below good": p.themes.map((t) => `${t.question} (${t.count})`).join("; "),
    Actions: p.actions ? `${p.actions.set} set, ${p.actions.doneOnTime} done on time, ${p.actions.doneLate} done late, ${p.actions.overdue} overdue, ${p.actions.verified} verified by re-check` : "",
    "Unsafe practice": p.unsafePractice ? `${p.unsafePractice.raised} raised, ${p.unsafePractice.acknowledged} acknowledged${minutes === null || minutes === undefined ? "" : `, median ${minutes} min to acknowledge`}` : "",
  };
}

export const REVIEW_COLUMNS = ["Audits", "Grades", "Average score", "Most often below good", "Actions", "Unsafe practice"] as const;
