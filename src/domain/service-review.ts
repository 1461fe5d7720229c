// The six-monthly service review (seed 003: "a six-monthly review summary"), per service area: audits and grades
// against the previous six months, the questions most often graded below good, the actions set and how they went,
// unsafe practice raised and how fast it was acknowledged, and the average against the evaluation threshold.
// Pure: built from the digest's own figures of each area, so the two never disagree. An area with fewer audits than
// the anonymity floor in a period shows only "fewer than N": no grades, themes, actions or escalations for it.
import { computeDigest } from "./digest";
import type { DigestInput, Hideable } from "./digest-figures";
import type { Feedback } from "./feedback";
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
  const areas = new Set([...period.audits, ...previous.audits].map((a) => a.serviceArea));
  return {
    fromMonth: period.fromMonth,
    toMonth: period.toMonth,
    anonymityFloor: period.anonymityFloor,
    scoreThreshold: period.scoreThreshold,
    areas: [...areas].sort((a, b) => a.localeCompare(b)).map((serviceArea) => ({ serviceArea, period: areaPeriod(period, serviceArea), previous: areaPeriod(previous, serviceArea) })),
  };
}

function areaPeriod(input: DigestInput, serviceArea: string): ReviewPeriod {
  const mine = <T extends { serviceArea: string }>(rows: readonly T[]) => rows.filter((r) => r.serviceArea === serviceArea);
  const feedback = mine(input.feedback);
  const f = computeDigest({ ...input, audits: mine(input.audits), feedback, recentFeedback: mine(input.recentFeedback), escalations: mine(input.escalations) });
  const row = f.byServiceArea.find((r) => r.group === serviceArea);
  const floor = input.anonymityFloor;
  const base = { fromMonth: input.fromMonth, toMonth: input.toMonth };
  if (f.completed < floor) {
    return { ...base, audits: { value: null, text: f.completed === 0 ? "0" : `fewer than ${floor}` }, grades: [], averageScore: null, belowThreshold: false, themes: [], actions: null, unsafePractice: null };
  }
  return {
    ...base,
    audits: { value: f.completed, text: String(f.completed) },
    grades: f.grades,
    averageScore: row?.averageScore ?? null,
    belowThreshold: row?.belowThreshold ?? false,
    themes: f.themes.belowGood.slice(0, REVIEW_THEMES),
    actions: { set: f.actions.agreed, ...timeliness(feedback, input), overdue: f.actions.overdue, verified: f.rechecks.verified },
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
