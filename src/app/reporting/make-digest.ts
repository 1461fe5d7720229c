// Use case: the digest of a period for the CAF Champions Group. Reads only the partitions of the period (and the
// 12 months behind the coverage figure), computes the figures, and builds the card. Counts, never contents.
import pLimit from "p-limit";
import { computeDigest, gradeTable } from "../../domain/digest";
import type { CaseFacts, DigestFigures, DigestInput, GroupRow } from "../../domain/digest-figures";
import { addMonths, monthsBefore } from "../../domain/months";
import { londonDate } from "../../domain/working-days";
import { tier1DigestLine } from "../../domain/tier1";
import type { ChatDeps } from "../chat-deps";
import { monthLabel } from "../cards/format";
import { moderationLine } from "../audit/moderation-text";
import type { DigestCardData, View } from "../cards/views";

export interface DigestSettings {
  anonymityFloor: number;
  scoreThreshold: number;
  coveragePercent: number;
}

export function monthsOf(fromMonth: string, toMonth: string): string[] {
  const months: string[] = [];
  for (let m = fromMonth; m <= toMonth; m = addMonths(m, 1)) months.push(m);
  return months;
}

export async function digestFigures(deps: ChatDeps, fromMonth: string, toMonth: string, settings: DigestSettings): Promise<DigestFigures> {
  return computeDigest(await digestInput(deps, fromMonth, toMonth, settings));
}

/** What the digest of a period is computed from: read once, so the service review can split it by area. */
export async function digestInput(deps: ChatDeps, fromMonth: string, toMonth: string, settings: DigestSettings): Promise<DigestInput> {
  const months = monthsOf(fromMonth, toMonth);
  const [audits, secondAudits, escalations, recentFeedback, plans, staleChecks, tier1Checks] = await Promise.all([
    Promise.all(months.map((m) => deps.allocations.listMonth(m))).then((x) => x.flat()),
    Promise.all(months.map((m) => deps.allocations.listSeconds(m))).then((x) => x.flat()),
    Promise.all(months.map((m) => deps.escalations.listMonth(m))).then((x) => x.flat()),
    // The 12 months to the end of the period too: a re-check is answered months after its audit.
    deps.feedback.listBetween([fromMonth, ...monthsBefore(toMonth, 11)].sort()[0]!, toMonth),
    Promise.all(months.map((m) => deps.allocations.getPlan(m))),
    Promise.all(months.map((m) => deps.staleChecks.listMonth(m))).then((x) => x.flat()),
    deps.tier1.listBetween(fromMonth, toMonth),
  ]);
  const feedback = recentFeedback.filter((f) => f.month >= fromMonth && f.month <= toMonth);
  // Coverage looks back 12 months from the end of the period: those month partitions, nothing older.
  const window = [toMonth, ...monthsBefore(toMonth, 11)].filter((m) => !months.includes(m));
  const earlier = (await Promise.all(window.map((m) => deps.allocations.listMonth(m)))).flat();
  const audited = new Set([...audits, ...earlier].filter((a) => a.status === "submitted").map((a) => a.caseRef));
  // The register is not read whole: only the audited cases, one point read each.
  const limit = pLimit(16);
  const cases = new Map<string, CaseFacts>();
  await Promise.all(
    audits.map((a) =>
      limit(async () => {
        const c = await deps.cases.get(a.serviceArea, a.caseRef);
        if (c) cases.set(c.caseRef, { caseRef: c.caseRef, serviceArea: c.serviceArea, ageBand: c.ageBand, stepDown: c.stepDown, primaryNeed: c.primaryNeed });
      }),
    ),
  );
  const latestPlan = [...plans].reverse().find((p) => p !== undefined);
  return {
    fromMonth,
    toMonth,
    today: londonDate(deps.clock.now()),
    audits,
    secondAudits,
    feedback,
    recentFeedback,
    staleChecks,
    escalations,
    toolkits: deps.toolkits,
    cases,
    target: plans.reduce((sum, p) => sum + (p?.plan.target ?? 0), 0),
    openCases: latestPlan?.plan.openCount ?? 0,
    auditedLast12Months: audited.size,
    coveragePercent: settings.coveragePercent,
    anonymityFloor: settings.anonymityFloor,
    scoreThreshold: settings.scoreThreshold,
    tier1Checks,
  };
}

/** The card's breakdowns: what each is called, and the figures it is made from. */
const BREAKDOWNS: { heading: string; column: string; rows: (f: DigestFigures) => readonly GroupRow[] }[] = [
  { heading: "Grades by service area", column: "Service area", rows: (f) => f.byServiceArea },
  { heading: "Grades by age band", column: "Age band", rows: (f) => f.byAgeBand },
  { heading: "Grades by step-down", column: "Step-down", rows: (f) => f.byStepDown },
  { heading: "Grades by primary need", column: "Primary need", rows: (f) => f.byPrimaryNeed },
];
/** A group's name as the card shows it: category names from the register, cut so a table stays compact. */
const GROUP_NAME_MAX = 60;
const groupName = (name: string) => (name.length > GROUP_NAME_MAX ? `${name.slice(0, GROUP_NAME_MAX - 1).trimEnd()}…` : name);

export function digestBreakdowns(f: DigestFigures, anonymityFloor: number): DigestCardData["breakdowns"] {
  if (f.completed === 0) return [];
  return BREAKDOWNS.map((b) => ({
    heading: b.heading,
    columns: [{ title: b.column, width: 3 }, { title: "Audits", width: 2 }, ...f.grades.map((g) => ({ title: g.label, width: 2 }))],
    rows: gradeTable(b.rows(f), f.grades, f.completed, anonymityFloor).map((r) => ({
      cells: [groupName(r.group), r.audits.text, ...f.grades.map((g) => (r.audits.value === null ? "" : String(r.grades[g.label] ?? 0)))].map((text) => ({ text })),
    })),
  }));
}

const pct = (x: number | null) => (x === null ? "n/a" : `${Math.round(x)}%`);

export function digestView(f: DigestFigures, previous: DigestFigures | null, settings: DigestSettings): View {
  const period = f.fromMonth === f.toMonth ? monthLabel(f.fromMonth) : `${monthLabel(f.fromMonth)} to ${monthLabel(f.toMonth)}`;
  const belowGood = (x: DigestFigures) => x.grades.filter((g) => /requires improvement|inadequate|does not meet/i.test(g.label)).reduce((s, g) => s + g.count, 0);
  const change = previous
    ? `Since ${monthLabel(previous.toMonth)}: ${signed(f.completed - previous.completed)} audits completed; ${signed(belowGood(f) - belowGood(previous))} graded below good.`
    : "";
  return {
    template: "digest",
    data: {
      title: `CAF audits: ${period}`,
      facts: [
        { title: "Allocated", value: `${f.allocated} of a target of ${f.target}` },
        { title: "Completed", value: `${f.completed} (${pct(f.completionRate === null ? null : f.completionRate * 100)})` },
        { title: "Overdue", value: String(f.overdue) },
        { title: "12-month coverage", value: `${pct(f.coverage.percent)} of open cases audited (target ${f.coverage.targetPercent}%)` },
      ],
      grades: f.grades.map((g) => ({ label: g.label, count: g.count, countText: String(g.count) })),
      counts: { allocated: f.allocated, completed: f.completed, overdue: f.overdue },
      hasGrades: f.completed > 0,
      escalations: `Unsafe practice: ${f.escalations.raised} concern${f.escalations.raised === 1 ? "" : "s"} raised, ${f.escalations.acknowledged} acknowledged${f.escalations.medianMinutesToAcknowledge === null ? "" : `; median time to acknowledge ${f.escalations.medianMinutesToAcknowledge} minutes`}.`,
      moderation: moderationLine(f.moderation),
      actions: `Agreed actions: ${f.actions.agreed} agreed, ${f.actions.done} done, ${f.actions.overdue} overdue.`,
      rechecks: recheckLine(f.rechecks),
      staleCases: staleLine(f.staleCases),
      tier1: tier1DigestLine(f.tier1, settings.anonymityFloor),
      belowGood: f.themes.belowGood.map((t) => ({ text: `${t.question} (${t.count} audit${t.count === 1 ? "" : "s"})` })),
      strengths: f.themes.strengths.map((t) => ({ text: `${t.question} (${t.count} audit${t.count === 1 ? "" : "s"})` })),
      areas: digestAreas(f, settings),
      breakdowns: digestBreakdowns(f, settings.anonymityFloor),
      change,
      privacy: privacyLine(settings.anonymityFloor),
    },
  };
}

/** Every audit has a service area, so no rows beside completed audits means the areas were withheld: say so. */
export const AREAS_WITHHELD = "Not broken down by area: with so few audits, a small area could be worked out from the others.";

function digestAreas(f: DigestFigures, settings: DigestSettings): DigestCardData["areas"] {
  if (f.byServiceArea.length === 0 && f.completed > 0) return [{ area: "All service areas", audits: String(f.completed), average: "", flag: AREAS_WITHHELD }];
  return f.byServiceArea.map((r) => ({
    area: r.group,
    audits: r.audits.text,
    average: r.averageScore === null ? "" : r.averageScore.toFixed(2),
    flag: r.belowThreshold ? `Below the threshold of ${settings.scoreThreshold}: to investigate` : "",
  }));
}

/** What the card says about small numbers: the same words on every digest and in the sample card. */
export const privacyLine = (floor: number) =>
  `Counts and case references only. A group with fewer than ${floor} audits is not broken down (the grade tables count it in Other groups); where the total would give it away, the next smallest group is "not shown" too, so no case can be recognised.`;

const signed = (n: number) => (n > 0 ? `${n} more` : n < 0 ? `${-n} fewer` : "no change in");

/** Left off the card in a period when no stale case was put to its lead professional. */
function staleLine(s: DigestFigures["staleCases"]): string {
  if (s.asked === 0) return "";
  return `Stale cases: ${s.asked} asked if still open, ${s.closed} answered closed, ${s.stillOpen} still open, ${s.notAnswered} not answered.`;
}

/** Left off the card while no audit has reached its re-check, so a council that has just started sees no zeros. */
function recheckLine(r: DigestFigures["rechecks"]): string {
  if (r.verified + r.reopened + r.awaiting === 0) return "";
  return `Re-checks of corrective action: ${r.verified} verified (the change happened for the child), ${r.reopened} reopened, ${r.awaiting} waiting.`;
}
