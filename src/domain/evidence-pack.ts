// The self-evaluation evidence pack's figures (normally the financial year to date): coverage against the target,
// grades overall and by month, themes, the learning loop from agreed action to verified change, unsafe-practice
// escalations and how fast they were answered, and moderation when there was any. Made to be shared outside the QA
// team, so counts only, and the small-number floor applies to every group a count is about: the period's audits,
// each month's audits, the audited cases, the agreed actions, the escalations and the moderated cases. A group under
// the floor shows only "fewer than N", and nothing is broken down from it. Pure: built from the digest's own figures.
import { computeDigest, medianMinutes } from "./digest";
import type { DigestFigures, DigestInput, Hideable } from "./digest-figures";
import { overdueActions } from "./feedback";
import { addMonths } from "./months";
import { hiddenText, suppressCounts } from "./suppression";
import type { AgreementFigures } from "./moderation-figures";

type LabelCount = { label: string; count: number };

export interface MonthFigures {
  month: string;
  completed: Hideable;
  /** In scale order; empty when the month is under the floor. */
  grades: LabelCount[];
}

export interface LearningLoop {
  agreed: Hideable;
  /** Null (with the rest) when `agreed` is hidden. */
  done: number | null;
  confirmedByManager: number | null;
  overdue: number | null;
  /** Re-checks answered in the period that found the agreed change had happened for the child (src/domain/recheck.ts). */
  verifiedChange: number | null;
}

export interface EscalationFigures {
  raised: Hideable;
  acknowledged: number | null;
  medianMinutesToAcknowledge: number | null;
  /** How long each concern waited for its first acknowledgement; empty when `raised` is hidden. */
  responseTimes: LabelCount[];
}

/** The period's agreement figures, with the count of moderated cases hidden under the anonymity floor. */
export type ModerationFigures = Omit<AgreementFigures, "pairs"> & { cases: Hideable };

export interface EvidencePack {
  fromMonth: string;
  toMonth: string;
  anonymityFloor: number;
  /** False when nothing was allocated or completed in the period: the pack then says so and shows nothing else. */
  hasAudits: boolean;
  allocated: number;
  completed: Hideable;
  coverage: { audited: Hideable; open: number; percent: number | null; targetPercent: number };
  grades: LabelCount[];
  months: MonthFigures[];
  themes: { belowGood: { question: string; count: number }[]; strengths: { question: string; count: number }[] };
  learningLoop: LearningLoop;
  escalations: EscalationFigures;
  /** Null when no case was moderated in the period. */
  moderation: ModerationFigures | null;
}

/** The bands of time to the first acknowledgement; two hours is when the ladder moves a concern up a level. */
export const RESPONSE_BANDS = ["Within 1 hour", "1 to 2 hours", "Over 2 hours", "Not acknowledged"] as const;

export function hideable(count: number, floor: number): Hideable {
  if (count > 0 && count < floor) return { value: null, text: `fewer than ${floor}` };
  return { value: count, text: String(count) };
}

const shown = (h: Hideable) => h.value !== null && h.value > 0;

export function evidencePack(input: DigestInput): EvidencePack {
  const floor = input.anonymityFloor;
  const f = computeDigest(input);
  const completed = hideable(f.completed, floor);
  const audited = hideable(f.coverage.audited, floor);
  return {
    fromMonth: input.fromMonth,
    toMonth: input.toMonth,
    anonymityFloor: floor,
    hasAudits: f.allocated > 0 || f.completed > 0,
    allocated: f.allocated,
    completed,
    coverage: { audited, open: f.coverage.open, percent: audited.value === null ? null : f.coverage.percent, targetPercent: f.coverage.targetPercent },
    grades: shown(completed) ? f.grades : [],
    months: suppressedMonths(monthsOf(input.fromMonth, input.toMonth).map((month) => monthFigures(input, month)), floor),
    themes: shown(completed) ? f.themes : { belowGood: [], strengths: [] },
    learningLoop: learningLoop(input, f),
    escalations: escalations(input),
    moderation: moderation(f, floor),
  };
}

function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The digest's own filter by month, so a month's grades always add up to the period's. Not yet suppressed. */
function monthFigures(input: DigestInput, month: string): { month: string; count: number; grades: LabelCount[] } {
  const f = computeDigest({ ...input, fromMonth: month, toMonth: month, audits: input.audits.filter((a) => a.month === month), secondAudits: [], feedback: [], escalations: [] });
  return { month, count: f.completed, grades: f.grades };
}

/**
 * The months as the trend may show them beside the period's total: a month under the floor, and the next smallest
 * while it could be worked out by subtraction (src/domain/suppression.ts). Nothing can protect it: no month shown.
 */
function suppressedMonths(months: { month: string; count: number; grades: LabelCount[] }[], floor: number): MonthFigures[] {
  const s = suppressCounts(months.map((m) => ({ key: m.month, count: m.count })), floor);
  return months.map((m, i) => {
    const v = s.withheld ? "complementary" : s.rows[i]!.visibility;
    if (v === "shown") return { month: m.month, completed: { value: m.count, text: String(m.count) }, grades: m.count > 0 ? m.grades : [] };
    return { month: m.month, completed: { value: null, text: hiddenText(v, floor) }, grades: [] };
  });
}

function learningLoop(input: DigestInput, f: DigestFigures): LearningLoop {
  const agreed = hideable(f.actions.agreed, input.anonymityFloor);
  if (agreed.value === null) return { agreed, done: null, confirmedByManager: null, overdue: null, verifiedChange: null };
  const feedback = input.feedback.filter((x) => x.month >= input.fromMonth && x.month <= input.toMonth);
  const confirmed = feedback.flatMap((x) => x.actions).filter((a) => a.confirmation?.done === true).length;
  return { agreed, done: f.actions.done, confirmedByManager: confirmed, overdue: feedback.reduce((sum, x) => sum + overdueActions(x, input.today).length, 0), verifiedChange: f.rechecks.verified };
}

function escalations(input: DigestInput): EscalationFigures {
  const raised = input.escalations.filter((e) => e.month >= input.fromMonth && e.month <= input.toMonth);
  const count = hideable(raised.length, input.anonymityFloor);
  if (count.value === null) return { raised: count, acknowledged: null, medianMinutesToAcknowledge: null, responseTimes: [] };
  const minutes = raised.filter((e) => e.acknowledgedAt !== null).map((e) => (Date.parse(e.acknowledgedAt!) - Date.parse(e.raisedAt)) / 60_000);
  const bands = new Map<string, number>(RESPONSE_BANDS.map((b) => [b, 0]));
  const bump = (band: (typeof RESPONSE_BANDS)[number]) => bands.set(band, bands.get(band)! + 1);
  for (const m of minutes) bump(m <= 60 ? "Within 1 hour" : m <= 120 ? "1 to 2 hours" : "Over 2 hours");
  for (let i = minutes.length; i < raised.length; i++) bump("Not acknowledged");
  return {
    raised: count,
    acknowledged: minutes.length,
    medianMinutesToAcknowledge: medianMinutes(minutes),
    responseTimes: raised.length === 0 ? [] : [...bands].map(([label, n]) => ({ label, count: n })),
  };
}

function moderation(f: DigestFigures, floor: number): ModerationFigures | null {
  const m = f.moderation;
  if (m.pairs === 0) return null;
  const cases = hideable(m.pairs, floor);
  if (cases.value === null) return { cases, tooFew: true, exact: null, withinOne: null, kappa: null, kappaLow: null, kappaHigh: null };
  return { cases, tooFew: m.tooFew, exact: m.exact, withinOne: m.withinOne, kappa: m.kappa, kappaLow: m.kappaLow, kappaHigh: m.kappaHigh };
}
