// The moderation figures for March's report over a financial year of 5,000 audits, 1,000 of them moderated pairs
// (2,000 audits; the rest single): overall and per auditor for the month, quarter and year to date, and drift over six
// months. Pure domain, no storage: the seeded year is built first and only the figures are timed.
import { createSeededRandom } from "../src/app/allocation/seeded-random";
import { addMonths } from "../src/domain/months";
import { agreementByAuditor, agreementFigures, gradingDrift, pairsIn, periodsFor, type GradePair } from "../src/domain/moderation-figures";

type Figure = (name: string, ms: number, target: string) => void;

const AUDITS = 5_000;
const PAIRS = 1_000;
const AUDITORS = 80;
const CATEGORIES = 4;
const FIRST = "2025-04";
const REPORT_MONTH = "2026-03";
const RUNS = 20;

interface Graded {
  month: string;
  caseRef: string;
  auditorEmail: string;
  rank: number;
}

/** A year of audits, seeded: every third auditor grades a step off the file's "true" grade half the time, so drift has something to find. */
export function moderationYear(seed = 7): { audits: Graded[]; pairs: GradePair[] } {
  const random = createSeededRandom(seed);
  const email = (i: number) => `auditor${i}@example.gov.uk`;
  const bias = (auditor: number) => (auditor % 3 === 0 ? (auditor % 2 === 0 ? -1 : 1) : 0);
  const grade = (truth: number, auditor: number) => {
    const off = random.nextInt(2) === 0 ? bias(auditor) : random.nextInt(3) - 1;
    return Math.min(CATEGORIES - 1, Math.max(0, truth + off));
  };
  const audits: Graded[] = [];
  for (let c = 0; audits.length < AUDITS; c++) {
    const month = addMonths(FIRST, c % 12);
    const caseRef = `CAF-${String(c).padStart(6, "0")}`;
    const truth = random.nextInt(CATEGORIES);
    const first = random.nextInt(AUDITORS);
    audits.push({ month, caseRef, auditorEmail: email(first), rank: grade(truth, first) });
    if (c < PAIRS) {
      const second = (first + 1 + random.nextInt(AUDITORS - 1)) % AUDITORS;
      audits.push({ month, caseRef, auditorEmail: email(second), rank: grade(truth, second) });
    }
  }
  // Pairing is the caller's join of two audits of one case in one month; not the figures being measured.
  const byCase = new Map<string, Graded[]>();
  for (const a of audits) {
    const key = `${a.month}/${a.caseRef}`;
    byCase.set(key, [...(byCase.get(key) ?? []), a]);
  }
  const pairs = [...byCase.values()]
    .filter((two) => two.length === 2)
    .map(([a, b]) => ({ month: a!.month, caseRef: a!.caseRef, first: { auditorEmail: a!.auditorEmail, rank: a!.rank }, second: { auditorEmail: b!.auditorEmail, rank: b!.rank } }));
  return { audits, pairs };
}

/** One report's figures: what a monthly moderation report computes. */
export function moderationReport(pairs: readonly GradePair[], month: string) {
  const periods = periodsFor(month);
  const figures = [periods.month, periods.quarter, periods.yearToDate].map((range) => {
    const within = pairsIn(pairs, range);
    return { range, overall: agreementFigures(within, CATEGORIES), byAuditor: agreementByAuditor(within, CATEGORIES) };
  });
  return { figures, drift: gradingDrift(pairsIn(pairs, periods.lastSixMonths)) };
}

export function benchModeration(figure: Figure): void {
  const { audits, pairs } = moderationYear();
  if (audits.length !== AUDITS || pairs.length !== PAIRS) throw new Error(`bench year has ${audits.length} audits and ${pairs.length} pairs`);
  const times: number[] = [];
  let drifting = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    drifting = moderationReport(pairs, REPORT_MONTH).drift.length;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  figure(`moderation: month, quarter, year to date + drift, 1,000 pairs (p50 of ${RUNS}; ${drifting} drifting)`, times[Math.floor(RUNS / 2)]!, "< 1000 ms");
}
