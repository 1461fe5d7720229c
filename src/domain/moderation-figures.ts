// Moderation: two auditors grade the same case file blind, and these figures say how far their overall grades agree,
// overall, per auditor, and whether an auditor grades systematically higher or lower than their partners. Pure.
import { addMonths } from "./months";
import { findScale, type Toolkit } from "./toolkit";
import { agreementTable, linearWeights, weightedKappa } from "./weighted-kappa";

/** Fewer moderated pairs than this and the figures are not shown: too few to say anything. */
export const DEFAULT_PAIR_FLOOR = 5;

export interface GradeBy {
  auditorEmail: string;
  /** Rank on the toolkit's ordered overall scale: 0 = its first option (e.g. Outstanding), k - 1 = its last (e.g. Inadequate). */
  rank: number;
}

/** One moderated case: the two auditors' overall grades. Which auditor is first does not change any figure. */
export interface GradePair {
  /** "yyyy-mm": the month of the moderation. */
  month: string;
  caseRef: string;
  first: GradeBy;
  second: GradeBy;
}

export interface AgreementFigures {
  pairs: number;
  /** True when pairs < floor: every figure below is then null. */
  tooFew: boolean;
  /** Share of pairs graded the same, 0..1. */
  exact: number | null;
  /** Share of pairs graded the same or one step apart, 0..1. */
  withinOne: number | null;
  /**
   * Cohen's kappa with linear weights on the ordinal overall grade, and its 95 % confidence interval (Fleiss, Cohen &
   * Everitt's large-sample standard error, clipped to [-1, 1]). Also null when kappa is undefined: both auditors put
   * every case in the same grade, so chance alone explains all the agreement there is.
   */
  kappa: number | null;
  kappaLow: number | null;
  kappaHigh: number | null;
}

/** Agreement over the pairs given; `categories` is the number of options on the overall scale (3 or 4). */
export function agreementFigures(pairs: readonly GradePair[], categories: number, floor = DEFAULT_PAIR_FLOOR): AgreementFigures {
  const count = pairs.length;
  if (count < floor || count === 0) return { pairs: count, tooFew: true, exact: null, withinOne: null, kappa: null, kappaLow: null, kappaHigh: null };
  const steps = pairs.map((p) => Math.abs(p.first.rank - p.second.rank));
  const estimate = weightedKappa(agreementTable(pairs.map((p) => [p.first.rank, p.second.rank] as const), categories), linearWeights(categories));
  return {
    pairs: count,
    tooFew: false,
    exact: steps.filter((s) => s === 0).length / count,
    withinOne: steps.filter((s) => s <= 1).length / count,
    kappa: estimate.kappa,
    kappaLow: estimate.low,
    kappaHigh: estimate.high,
  };
}

/** Per auditor, the figures over the pairs they are in (first or second), sorted by email. Emails compare lower-cased. */
export function agreementByAuditor(pairs: readonly GradePair[], categories: number, floor = DEFAULT_PAIR_FLOOR): { auditorEmail: string; figures: AgreementFigures }[] {
  const byAuditor = new Map<string, GradePair[]>();
  for (const pair of pairs) {
    // A Set, so a pair with the same auditor on both sides (a data slip) counts once for them, not twice.
    for (const email of new Set([key(pair.first), key(pair.second)])) append(byAuditor, email, pair);
  }
  return [...byAuditor.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([auditorEmail, own]) => ({ auditorEmail, figures: agreementFigures(own, categories, floor) }));
}

export interface Drift {
  auditorEmail: string;
  pairs: number;
  /** Mean of (this auditor's rank - partner's rank), in scale steps. Negative: they grade better than their partners. */
  meanSignedDifference: number;
  /** A lower rank is a better grade, so a negative mean is "more-generous" and a positive one "harsher". */
  direction: "more-generous" | "harsher";
}

export interface DriftRule {
  /** An auditor in fewer pairs than this is not reported, whatever their mean (default 5). */
  minPairs?: number;
  /** |mean signed difference| at or above this is drift (default 0.5 steps). */
  threshold?: number;
}

/**
 * Auditors whose grades run systematically higher or lower than their partners' over the pairs given (the caller
 * passes a rolling six months: see periodsFor). A pair with the same auditor on both sides says nothing about them
 * against a partner and is left out. Sorted by email.
 */
export function gradingDrift(pairs: readonly GradePair[], { minPairs = 5, threshold = 0.5 }: DriftRule = {}): Drift[] {
  const differences = new Map<string, number[]>();
  for (const pair of pairs) {
    if (key(pair.first) === key(pair.second)) continue;
    append(differences, key(pair.first), pair.first.rank - pair.second.rank);
    append(differences, key(pair.second), pair.second.rank - pair.first.rank);
  }
  return [...differences.entries()]
    .map(([auditorEmail, ds]) => ({ auditorEmail, pairs: ds.length, meanSignedDifference: ds.reduce((s, d) => s + d, 0) / ds.length }))
    .filter((d) => d.pairs >= minPairs && Math.abs(d.meanSignedDifference) >= threshold)
    .sort((a, b) => (a.auditorEmail < b.auditorEmail ? -1 : 1))
    .map((d) => ({ ...d, direction: d.meanSignedDifference < 0 ? "more-generous" : "harsher" }));
}

/** Inclusive months "yyyy-mm". */
export interface MonthRange {
  from: string;
  to: string;
}

export interface ModerationPeriods {
  month: MonthRange;
  /** The calendar quarter (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec) to date: from its first month to `month`. */
  quarter: MonthRange;
  /** The UK local-government financial year to date: from April to `month`. */
  yearToDate: MonthRange;
  /** The six months to `month`: the window gradingDrift is read over. */
  lastSixMonths: MonthRange;
}

/**
 * The periods a moderation report for `month` shows. Calendar quarters are the same three-month blocks as the
 * financial year's quarters (Apr-Jun is Q1 there), so the choice changes only a quarter's name, never its months; they
 * match the quarterly digest (post-digest.ts). Every period ends at `month`, so the quarter sits inside the year to date
 * and a report reads the same whenever it is made.
 */
export function periodsFor(month: string): ModerationPeriods {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new RangeError(`"${month}" is not a month "yyyy-mm"`);
  const year = Number(match[1]);
  const m = Number(match[2]);
  const quarterStart = m - ((m - 1) % 3);
  const fiscalYear = m >= 4 ? year : year - 1;
  return {
    month: { from: month, to: month },
    quarter: { from: monthOf(year, quarterStart), to: month },
    yearToDate: { from: monthOf(fiscalYear, 4), to: month },
    lastSixMonths: { from: addMonths(month, -5), to: month },
  };
}

/** The pairs moderated in a range of months. "yyyy-mm" strings order as the months do. */
export function pairsIn(pairs: readonly GradePair[], range: MonthRange): GradePair[] {
  return pairs.filter((p) => p.month >= range.from && p.month <= range.to);
}

/** A grade's rank on a toolkit's overall scale (its position in the toolkit file), or null for a value not on it. */
export function overallRank(toolkit: Toolkit, value: string): number | null {
  const rank = findScale(toolkit, toolkit.overall.scale).options.findIndex((o) => o.value === value);
  return rank < 0 ? null : rank;
}

/** How many grades the toolkit's overall scale has: the `categories` of the figures above. */
export function overallCategories(toolkit: Toolkit): number {
  return findScale(toolkit, toolkit.overall.scale).options.length;
}

function append<T>(groups: Map<string, T[]>, group: string, item: T): void {
  const items = groups.get(group);
  if (items) items.push(item);
  else groups.set(group, [item]);
}

function key(grade: GradeBy): string {
  return grade.auditorEmail.toLowerCase();
}

function monthOf(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, "0")}`;
}
