// The figures of the monthly, quarterly and year-to-date digest for the CAF Champions Group: allocation and
// completion, coverage, grades (overall and per section), escalations, agreed actions, themes, and breakdowns by
// service area, age band, step-down and primary need. Counts and aggregates only: no names, no free text, and a
// group with fewer audits than the anonymity floor is shown as "fewer than N" with its grades and score withheld, with
// complementary suppression (suppression.ts) so that no such group can be worked out from the total.
// Pure: everything, including "today", is passed in.
//
// Choices the contract leaves open, made here:
// - The grade and section lists follow the toolkits used by the period's audits (in the order of `toolkits`), every
//   option listed even at 0; labels shared by two toolkits are counted together. No audits: empty lists.
// - Answers and options with no score (Not applicable) and sections marked not applicable are never counted.
// - A strength is an answer scoring above the lowest scored option that is not below good: Outstanding on the CAF
//   scale, "Exceeds good" on the 2016 scale.
// - A submitted audit whose case is missing from `cases` keeps its own service area and is "Not recorded" otherwise.
// - Rates and percentages are not rounded (the renderer does that); average scores are rounded to 2 decimals.
// - The card's grade tables (gradeTable) name only groups with at least the floor's audits, largest first and at most
//   MAX_NAMED_GROUPS; everything else is one "Other groups" row, which takes the smallest named groups too while it
//   would hold fewer than the floor, so no fewer than N audits' grades can be worked out by subtraction.
import { averageScore, gradeScore, isBelowGood } from "./answers";
import type { Audit } from "./audit";
import { agreementFigures, type AgreementFigures } from "./moderation-figures";
import { pairAudits } from "./moderation-pairs";
import type { CaseFacts, ComputeDigest, DigestFigures, DigestInput, GroupRow, Hideable } from "./digest-figures";
import { overdueActions } from "./feedback";
import { hiddenText, suppressCounts } from "./suppression";
import { recheckCounts } from "./recheck";
import { staleCounts } from "./stale-case";
import { tier1Figures } from "./tier1";
import { findScale, type Question, type Scale, type Section, type Toolkit } from "./toolkit";

export const NOT_RECORDED = "Not recorded";
/** The last row of a grade table: the groups under the anonymity floor, and any beyond the largest few. */
export const OTHER_GROUPS = "Other groups";
/** At most this many groups are named in a grade table, so the card stays short (and within Slack's limits). */
export const MAX_NAMED_GROUPS = 8;
const THEME_COUNT = 3;
const QUESTION_TEXT_MAX = 80;

type LabelCount = { label: string; count: number };

export const computeDigest: ComputeDigest = (input) => {
  const inPeriod = (month: string) => month >= input.fromMonth && month <= input.toMonth;
  const audits = input.audits.filter((a) => inPeriod(a.month));
  const submitted = audits.filter((a) => a.status === "submitted");
  const used = [...input.toolkits.values()].filter((t) => audits.some((a) => a.toolkitId === t.id));

  const allocated = audits.length;
  const completed = submitted.length;
  return {
    fromMonth: input.fromMonth,
    toMonth: input.toMonth,
    allocated,
    completed,
    overdue: audits.filter((a) => a.status !== "submitted" && a.dueOn < input.today).length,
    completionRate: allocated === 0 ? null : completed / allocated,
    target: input.target,
    coverage: {
      audited: input.auditedLast12Months,
      open: input.openCases,
      percent: input.openCases === 0 ? null : (input.auditedLast12Months / input.openCases) * 100,
      targetPercent: input.coveragePercent,
    },
    grades: overallGrades(submitted, used, input.toolkits),
    sectionGrades: sectionGrades(submitted, used, input.toolkits),
    escalations: escalationFigures(input, inPeriod),
    actions: actionFigures(input, inPeriod),
    rechecks: recheckCounts(input.recentFeedback, inPeriod),
    staleCases: staleCounts(input.staleChecks ?? [], inPeriod),
    tier1: tier1Figures(input.tier1Checks ?? [], input.anonymityFloor),
    themes: themes(submitted, used, input.toolkits),
    moderation: moderationFigures(input, inPeriod),
    ...groupings(submitted, input),
  };
};

function moderationFigures(input: DigestInput, inPeriod: (month: string) => boolean): AgreementFigures {
  const { pairs, categories } = pairAudits(input.audits.filter((a) => inPeriod(a.month)), input.secondAudits.filter((a) => inPeriod(a.month)), input.toolkits);
  return agreementFigures(pairs, categories ?? 2);
}

/** The toolkit an audit was made with; a missing one is a data error the digest must not hide. */
function toolkitOf(audit: Audit, toolkits: ReadonlyMap<string, Toolkit>): Toolkit {
  const toolkit = toolkits.get(audit.toolkitId);
  if (!toolkit) throw new Error(`audit of ${audit.caseRef} (${audit.month}) uses unknown toolkit ${audit.toolkitId}`);
  return toolkit;
}

/** The scored options of some scales, by label in first-seen order, each at 0: the skeleton of a count list. */
function emptyCounts(scales: Scale[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const option of scales.flatMap((s) => s.options)) if (option.score !== null && !counts.has(option.label)) counts.set(option.label, 0);
  return counts;
}

const asList = (counts: Map<string, number>): LabelCount[] => [...counts].map(([label, count]) => ({ label, count }));

function overallLabel(audit: Audit, toolkit: Toolkit): string | null {
  const value = audit.final?.overallGrade;
  return findScale(toolkit, toolkit.overall.scale).options.find((o) => o.value === value)?.label ?? null;
}

function overallGrades(submitted: Audit[], used: Toolkit[], toolkits: ReadonlyMap<string, Toolkit>): LabelCount[] {
  const counts = emptyCounts(used.map((t) => findScale(t, t.overall.scale)));
  for (const audit of submitted) {
    const label = overallLabel(audit, toolkitOf(audit, toolkits));
    if (label !== null) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return asList(counts);
}

/** Each counted answer of a submitted audit: the question, its section and the option chosen. */
function* answersOf(audit: Audit, toolkit: Toolkit): Generator<{ section: Section; question: Question; value: string }> {
  for (const section of toolkit.sections) {
    const answers = audit.sections[section.id];
    if (!answers || answers.notApplicable === true) continue;
    for (const question of section.questions) {
      const value = answers.answers[question.id]?.value.trim() ?? "";
      if (gradeScore(toolkit, question.scale, value) !== null) yield { section, question, value };
    }
  }
}

function sectionGrades(submitted: Audit[], used: Toolkit[], toolkits: ReadonlyMap<string, Toolkit>): DigestFigures["sectionGrades"] {
  const bySection = new Map<string, Map<string, number>>();
  for (const toolkit of used) {
    for (const section of toolkit.sections) {
      const scales = section.questions.map((q) => findScale(toolkit, q.scale));
      const counts = bySection.get(section.title) ?? new Map<string, number>();
      for (const [label] of emptyCounts(scales)) if (!counts.has(label)) counts.set(label, 0);
      bySection.set(section.title, counts);
    }
  }
  for (const audit of submitted) {
    const toolkit = toolkitOf(audit, toolkits);
    for (const { section, question, value } of answersOf(audit, toolkit)) {
      const label = findScale(toolkit, question.scale).options.find((o) => o.value === value)!.label;
      const counts = bySection.get(section.title)!;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  }
  return [...bySection].map(([section, counts]) => ({ section, counts: asList(counts) }));
}

/** Median of whole or fractional minutes, rounded to the nearest minute; an even count takes the middle two's mean. */
export function medianMinutes(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(median);
}

function escalationFigures(input: DigestInput, inPeriod: (month: string) => boolean): DigestFigures["escalations"] {
  const raised = input.escalations.filter((e) => inPeriod(e.month));
  const minutes = raised
    .filter((e) => e.acknowledgedAt !== null)
    .map((e) => (Date.parse(e.acknowledgedAt!) - Date.parse(e.raisedAt)) / 60_000);
  return { raised: raised.length, acknowledged: minutes.length, medianMinutesToAcknowledge: medianMinutes(minutes) };
}

function actionFigures(input: DigestInput, inPeriod: (month: string) => boolean): DigestFigures["actions"] {
  const rows = input.feedback.filter((f) => inPeriod(f.month));
  const all = rows.flatMap((f) => f.actions);
  return {
    agreed: all.length,
    done: all.filter((a) => a.rag === "green").length,
    overdue: rows.reduce((sum, f) => sum + overdueActions(f, input.today).length, 0),
  };
}

/** "3b Evidence of multi-agency involvement": the question's number and the first 80 characters of its text. */
export function questionLabel(question: Question): string {
  return `${question.number} ${question.text.slice(0, QUESTION_TEXT_MAX).trimEnd()}`;
}

/** Above good: a score higher than the lowest scored option that is not below good. */
function isStrength(scale: Scale, value: string): boolean {
  const goodScores = scale.options.filter((o) => !o.belowGood && o.score !== null).map((o) => o.score!);
  const score = scale.options.find((o) => o.value === value)?.score ?? null;
  return goodScores.length > 0 && score !== null && score > Math.min(...goodScores);
}

function themes(submitted: Audit[], used: Toolkit[], toolkits: ReadonlyMap<string, Toolkit>): DigestFigures["themes"] {
  // Keyed by toolkit, section and question (question ids repeat between sections); Map order is question order.
  const key = (t: Toolkit, s: Section, q: Question) => `${t.id}/${s.id}/${q.id}`;
  const tally = new Map<string, { question: string; below: number; strong: number }>();
  for (const t of used) for (const s of t.sections) for (const q of s.questions) tally.set(key(t, s, q), { question: questionLabel(q), below: 0, strong: 0 });
  for (const audit of submitted) {
    const toolkit = toolkitOf(audit, toolkits);
    for (const { section, question, value } of answersOf(audit, toolkit)) {
      const row = tally.get(key(toolkit, section, question))!;
      if (isBelowGood(toolkit, question.scale, value)) row.below += 1;
      if (isStrength(findScale(toolkit, question.scale), value)) row.strong += 1;
    }
  }
  const rows = [...tally.values()];
  // Array.prototype.sort is stable, so equal counts stay in question order.
  const top = (count: (r: (typeof rows)[number]) => number) =>
    rows
      .filter((r) => count(r) > 0)
      .sort((a, b) => count(b) - count(a))
      .slice(0, THEME_COUNT)
      .map((r) => ({ question: r.question, count: count(r) }));
  return { belowGood: top((r) => r.below), strengths: top((r) => r.strong) };
}

function groupings(submitted: Audit[], input: DigestInput): Pick<DigestFigures, "byServiceArea" | "byAgeBand" | "byStepDown" | "byPrimaryNeed" | "areasBelowThreshold"> {
  const factsOf = (a: Audit): CaseFacts | undefined => input.cases.get(a.caseRef);
  const rows = (nameOf: (a: Audit, facts: CaseFacts | undefined) => string) => groupRows(submitted, (a) => nameOf(a, factsOf(a)), input);
  const areaOf = (a: Audit) => factsOf(a)?.serviceArea ?? a.serviceArea;
  return {
    areasBelowThreshold: areasBelowThreshold(submitted, areaOf, input),
    byServiceArea: rows((a, f) => f?.serviceArea ?? a.serviceArea).map((row) => ({
      ...row,
      belowThreshold: row.averageScore !== null && row.averageScore < input.scoreThreshold,
    })),
    byAgeBand: rows((_, f) => f?.ageBand ?? NOT_RECORDED),
    byStepDown: rows((_, f) => (f === undefined ? NOT_RECORDED : f.stepDown ? "Step-down" : "Not step-down")),
    byPrimaryNeed: rows((_, f) => f?.primaryNeed ?? NOT_RECORDED),
  };
}

/**
 * One row per group, sorted by name. A group under the anonymity floor shows only "fewer than N"; where it could still
 * be worked out from the total, the next smallest groups show "not shown" (suppression.ts); and where nothing protects
 * it, the breakdown has no rows at all.
 */
function groupRows(submitted: Audit[], nameOf: (a: Audit) => string, input: DigestInput): GroupRow[] {
  const groups = new Map<string, Audit[]>();
  for (const audit of submitted) groups.set(nameOf(audit), [...(groups.get(nameOf(audit)) ?? []), audit]);
  const floor = input.anonymityFloor;
  const sorted = [...groups].sort(([a], [b]) => a.localeCompare(b, "en-GB"));
  const suppressed = suppressCounts(sorted.map(([group, members]) => ({ key: group, count: members.length })), floor);
  if (suppressed.withheld) return [];
  return sorted.map(([group, members], i): GroupRow => {
    const visibility = suppressed.rows[i]!.visibility;
    if (visibility !== "shown") return { group, audits: { value: null, text: hiddenText(visibility, floor) }, grades: {}, averageScore: null };
    const grades: Record<string, number> = {};
    const scores = members.map((a) => {
      const toolkit = toolkitOf(a, input.toolkits);
      const label = overallLabel(a, toolkit);
      if (label !== null) grades[label] = (grades[label] ?? 0) + 1;
      return gradeScore(toolkit, toolkit.overall.scale, a.final?.overallGrade ?? "");
    });
    const mean = averageScore(scores);
    return {
      group,
      audits: { value: members.length, text: String(members.length) },
      grades,
      averageScore: mean === null ? null : Math.round(mean * 100) / 100,
    };
  });
}

/**
 * Every area with at least the floor's audits whose average is below the threshold, whether or not the card shows it:
 * an area hidden only to protect a smaller one must still reach the Service Leader, who is told privately.
 */
function areasBelowThreshold(submitted: Audit[], areaOf: (a: Audit) => string, input: DigestInput): string[] {
  const byArea = new Map<string, Audit[]>();
  for (const a of submitted) byArea.set(areaOf(a), [...(byArea.get(areaOf(a)) ?? []), a]);
  return [...byArea]
    .filter(([, members]) => members.length >= input.anonymityFloor)
    .filter(([, members]) => {
      const mean = averageScore(members.map((a) => gradeScore(toolkitOf(a, input.toolkits), toolkitOf(a, input.toolkits).overall.scale, a.final?.overallGrade ?? "")));
      return mean !== null && Math.round(mean * 100) / 100 < input.scoreThreshold;
    })
    .map(([area]) => area)
    .sort((a, b) => a.localeCompare(b, "en-GB"));
}

/** A row of a grade table on the card: a group or "Other groups", its audits, and its count per overall grade. */
export interface GradeTableRow {
  group: string;
  audits: Hideable;
  /** Overall grade label -> count, every label of `grades` listed; empty when the row is hidden. */
  grades: Record<string, number>;
}

/**
 * One breakdown as the digest card shows it. Named rows: the groups with at least `floor` audits, largest first (ties
 * by name), at most `maxNamed`. Then one "Other groups" row for every audit not in a named row: the groups under the
 * floor, those beyond the largest `maxNamed`, and, while Other would hold between 1 and floor - 1 audits, the smallest
 * named groups too (else the overall grades minus the named rows would give a small group's grades away). Other's
 * counts are the overall grades less the named rows'; it is hidden ("fewer than N") only when fewer than `floor` audits
 * were completed in all. No row when nothing was completed.
 */
export function gradeTable(rows: readonly GroupRow[], grades: readonly LabelCount[], completed: number, floor: number, maxNamed = MAX_NAMED_GROUPS): GradeTableRow[] {
  const countOf = (row: GroupRow) => row.audits.value ?? 0;
  const named = rows
    .filter((r) => r.audits.value !== null && r.audits.value >= floor)
    .sort((a, b) => countOf(b) - countOf(a) || a.group.localeCompare(b.group, "en-GB"))
    .slice(0, Math.max(0, maxNamed));
  const others = () => completed - named.reduce((sum, r) => sum + countOf(r), 0);
  while (named.length > 0 && others() > 0 && others() < floor) named.pop();
  const full = (row: Record<string, number>) => Object.fromEntries(grades.map((g) => [g.label, row[g.label] ?? 0]));
  const table: GradeTableRow[] = named.map((r) => ({ group: r.group, audits: r.audits, grades: full(r.grades) }));
  const rest = others();
  if (rest <= 0) return table;
  if (rest < floor) return [...table, { group: OTHER_GROUPS, audits: { value: null, text: `fewer than ${floor}` }, grades: {} }];
  const restGrades = Object.fromEntries(grades.map((g) => [g.label, g.count - named.reduce((sum, r) => sum + (r.grades[g.label] ?? 0), 0)]));
  return [...table, { group: OTHER_GROUPS, audits: { value: rest, text: String(rest) }, grades: restGrades }];
}
