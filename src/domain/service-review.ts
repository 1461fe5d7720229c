// The six-monthly service review (seed 003: "a six-monthly review summary"), per service area: audits and grades
// against the previous six months, the questions most often graded below good, the actions set and how they went,
// unsafe practice raised and how fast it was acknowledged, and the average against the evaluation threshold.
// Pure: built from the digest's own figures of each area, so the two never disagree. An area with fewer audits than
// the anonymity floor in a period shows only "fewer than N": no grades, themes, actions or escalations for it; and
// where the span's total would give it away, the next smallest area shows only "not shown" (suppression.ts).
import { computeDigest } from "./digest";
import type { DigestFigures, DigestInput, Hideable } from "./digest-figures";
import type { Feedback } from "./feedback";
import { hiddenText, NOT_SHOWN, suppressCounts } from "./suppression";
import { londonDate } from "./working-days";

export const REVIEW_THEMES = 3;

export interface ReviewPeriod {
  fromMonth: string;
  toMonth: string;
  audits: Hideable;
  /** In scale order; empty when hidden. */
  grades: { label: string; count: number }[];
  averageScore: number | null;
  belowThreshold: boolean;
  /** The questions most often graded below good, most first (at most REVIEW_THEMES). */
  themes: { question: string; count: number }[];
  /** `verified`: re-checks answered in the period that found the change happened for the child. */
  actions: { set: number; doneOnTime: number; doneLate: number; overdue: number; verified: number } | null;
  unsafePractice: { raised: number; acknowledged: number; medianMinutesToAcknowledge: number | null } | null;
}

export interface AreaReview {
  serviceArea: string;
  period: ReviewPeriod;
  previous: ReviewPeriod;
}

export interface ServiceReview {
  fromMonth: string;
  toMonth: string;
  anonymityFloor: number;
  scoreThreshold: number;
  areas: AreaReview[];
}

/** `period` and `previous` are the digest inputs of the two six-month spans (the same shape the digest reads). */
export function serviceReview(period: DigestInput, previous: DigestInput): ServiceReview {
  const areas = [...new Set([...period.audits, ...previous.audits].map((a) => a.serviceArea))].sort((a, b) => a.localeCompare(b));
  const now = periodOfAreas(period, areas);
  const before = periodOfAreas(previous, areas);
  return {
    fromMonth: period.fromMonth,
    toMonth: period.toMonth,
    anonymityFloor: period.anonymityFloor,
    scoreThreshold: period.scoreThreshold,
    areas: areas.map((serviceArea, i) => ({ serviceArea, period: now[i]!, previous: before[i]! })),
  };
}

/**
 * Every area's figures for one span, suppressed together: the span's total is published (the digests of its months
 * add up to it), so an area under the floor is protected by hiding the next smallest too, and every area of the span
 * shows "not shown" (even one with none) when nothing else would protect it.
 */
function periodOfAreas(input: DigestInput, areas: readonly string[]): ReviewPeriod[] {
  const figures = areas.map((serviceArea) => areaFigures(input, serviceArea));
  const floor = input.anonymityFloor;
  const suppressed = suppressCounts(figures.map((f, i) => ({ key: areas[i]!, count: f.figures.completed })), floor);
  const base = { fromMonth: input.fromMonth, toMonth: input.toMonth };
  return figures.map((f, i) => {
    const visibility = suppressed.rows[i]!.visibility;
    const count = f.figures.completed;
    if (suppressed.withheld || (visibility !== "shown" && count > 0)) {
      const text = suppressed.withheld ? NOT_SHOWN : hiddenText(visibility === "shown" ? "complementary" : visibility, floor);
      return { ...base, audits: { value: null, text }, grades: [], averageScore: null, belowThreshold: false, themes: [], actions: null, unsafePractice: null };
    }
    if (count === 0) return { ...base, audits: { value: null, text: "0" }, grades: [], averageScore: null, belowThreshold: false, themes: [], actions: null, unsafePractice: null };
    return shownPeriod(f, input, base);
  });
}

function areaFigures(input: DigestInput, serviceArea: string): { serviceArea: string; feedback: Feedback[]; figures: DigestFigures } {
  const mine = <T extends { serviceArea: string }>(rows: readonly T[]) => rows.filter((r) => r.serviceArea === serviceArea);
  const feedback = mine(input.feedback);
  const audits = mine(input.audits);
  // The review groups by the audit's area: so does the area's own digest, whatever the register now says of its
  // cases, so its one row (and its average) covers every audit counted here, never a part of them.
  const cases = new Map(audits.flatMap((a) => {
    const facts = input.cases.get(a.caseRef);
    return facts ? [[a.caseRef, { ...facts, serviceArea }] as const] : [];
  }));
  return { serviceArea, feedback, figures: computeDigest({ ...input, audits, cases, feedback, recentFeedback: mine(input.recentFeedback), escalations: mine(input.escalations) }) };
}

function shownPeriod(area: ReturnType<typeof areaFigures>, input: DigestInput, base: Pick<ReviewPeriod, "fromMonth" | "toMonth">): ReviewPeriod {
  const f = area.figures;
  const row = f.byServiceArea.find((r) => r.group === area.serviceArea);
  return {
    ...base,
    audits: { value: f.completed, text: String(f.completed) },
    grades: f.grades,
    averageScore: row?.averageScore ?? null,
    belowThreshold: row?.belowThreshold ?? false,
    themes: f.themes.belowGood.slice(0, REVIEW_THEMES),
    actions: { set: f.actions.agreed, ...timeliness(area.feedback, input), overdue: f.actions.overdue, verified: f.rechecks.verified },
    unsafePractice: { raised: f.escalations.raised, acknowledged: f.escalations.acknowledged, medianMinutesToAcknowledge: f.escalations.medianMinutesToAcknowledge },
  };
}

/** Done by the date agreed (the manager's confirmation on or before "by when"), or done after it. */
function timeliness(feedback: readonly Feedback[], input: DigestInput): { doneOnTime: number; doneLate: number } {
  const inPeriod = feedback.filter((f) => f.month >= input.fromMonth && f.month <= input.toMonth);
  let doneOnTime = 0;
  let doneLate = 0;
  for (const a of inPeriod.flatMap((f) => f.actions)) {
    if (a.confirmation?.done !== true) continue;
    if (londonDate(new Date(a.confirmation.at)) <= a.byWhen) doneOnTime++;
    else doneLate++;
  }
  return { doneOnTime, doneLate };
}
