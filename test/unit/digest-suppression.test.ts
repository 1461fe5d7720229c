// Small numbers, airtight: a reader holding everything the digest card, `digest --json` and the six-monthly review
// publish tries every subtraction between published cells and rows (the total less any set of shown rows, a row less
// its grade cells, a grade's total less any set of shown cells, the card's Other groups less the groups it holds) and
// what each hidden row's words allow, and finds no group, or set of groups, of 1 to floor - 1 audits.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { digestView } from "../../src/app/reporting/make-digest";
import type { DigestCardData } from "../../src/app/cards/views";
import { computeDigest, OTHER_GROUPS } from "../../src/domain/digest";
import type { CaseFacts, DigestFigures, DigestInput, GroupRow } from "../../src/domain/digest-figures";
import { serviceReview, type ReviewPeriod } from "../../src/domain/service-review";
import type { Audit } from "../../src/domain/audit";
import { defaultToolkitDir, loadToolkits } from "../../src/toolkits/load-toolkits";
import { exactLeaks, subtractionLeaks, type PublishedRow } from "../support/small-number-reader";
import { submittedAudit } from "../support/submitted-audits";

const toolkits = loadToolkits(defaultToolkitDir());
const tier2 = toolkits.get("tier2-caf")!;
const GRADES = ["outstanding", "good", "requires-improvement", "inadequate"] as const;
// One submitted audit per grade, built once through the domain; each generated audit is a copy with its own case.
const TEMPLATES = new Map(GRADES.map((g) => [g, submittedAudit(tier2, { caseRef: "T", serviceArea: "T", month: "2026-03", grade: g })]));
const BREAKDOWNS = ["byServiceArea", "byAgeBand", "byStepDown", "byPrimaryNeed"] as const;

const anAuditRow = fc.record({
  grade: fc.constantFrom(...GRADES),
  area: fc.constantFrom("East", "North", "South", "West", "Central"),
  ageBand: fc.constantFrom("0-4", "5-10", "11-15", "16+", null),
  stepDown: fc.boolean(),
  need: fc.constantFrom("Parenting", "Neglect", "Domestic abuse", null),
  half: fc.constantFrom("now", "before"),
});
type AuditRow = typeof anAuditRow extends fc.Arbitrary<infer T> ? T : never;

function digestInput(rows: readonly AuditRow[], fromMonth: string, floor: number): DigestInput {
  const audits: Audit[] = rows.map((r, i) => ({ ...TEMPLATES.get(r.grade)!, caseRef: `P-${i}`, serviceArea: r.area, month: fromMonth }));
  const cases = new Map<string, CaseFacts>(rows.map((r, i) => [`P-${i}`, { caseRef: `P-${i}`, serviceArea: r.area, ageBand: r.ageBand, stepDown: r.stepDown, primaryNeed: r.need }]));
  return { fromMonth, toMonth: fromMonth, today: "2026-12-01", audits, secondAudits: [], feedback: [], recentFeedback: [], escalations: [], toolkits, cases, target: 0, openCases: 0, auditedLast12Months: 0, coveragePercent: 20, anonymityFloor: floor, scoreThreshold: 2.5 };
}

const published = (r: { audits: { value: number | null; text: string } }): PublishedRow => ({ shown: r.audits.value, text: r.audits.text });
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const subsets = <T>(xs: readonly T[]): T[][] => xs.reduce<T[][]>((all, x) => [...all, ...all.map((s) => [...s, x])], [[]]);
const underFloor = (n: number, floor: number) => n > 0 && n < floor;

/** What a rule-aware reader takes from the words: every row "not shown" only where a table could not be protected. */
const readerKnowsRule = (rows: readonly PublishedRow[]) => rows.some((r) => r.shown !== null || r.text !== "not shown");

/** The reader's attacks on one published breakdown of `--json`, beside the published total and overall grades. */
function jsonLeaks(d: DigestFigures, rows: readonly GroupRow[], floor: number): string[] {
  const leaks: string[] = [];
  const table = rows.map(published);
  for (const n of subtractionLeaks(d.completed, table, floor)) leaks.push(`total less shown rows leaves ${n}`);
  for (const l of exactLeaks(d.completed, table, floor, readerKnowsRule(table))) leaks.push(`hidden rows ${l.rows.join("+")} must be ${l.value}`);
  const shown = rows.filter((r) => r.audits.value !== null);
  for (const row of rows) {
    if (row.audits.value === null) {
      // A hidden row publishes no grade cell and no score: nothing to subtract from.
      if (Object.keys(row.grades).length > 0 || row.averageScore !== null) leaks.push(`hidden ${row.group} shows grades or a score`);
    } else if (row.audits.value - sum(Object.values(row.grades)) !== 0) {
      leaks.push(`${row.group}'s audits less its grade cells leave ${row.audits.value - sum(Object.values(row.grades))}`);
    }
  }
  // A grade's total less any set of shown cells is the grade count of the rows left out: never a set under the floor.
  // (The empty set leaves the period's own grades, published as its total.)
  for (const set of subsets(shown).slice(1)) {
    const left = d.completed - sum(set.map((r) => r.audits.value!));
    for (const g of d.grades) {
      const cell = g.count - sum(set.map((r) => r.grades[g.label] ?? 0));
      if (cell > 0 && underFloor(left, floor)) leaks.push(`${g.label}: ${cell} of a set of ${left}`);
    }
  }
  return leaks;
}

/** The card's grade table for one breakdown, as cell text, attacked with the JSON rows beside it. */
function cardLeaks(d: DigestFigures, card: DigestCardData, at: number, floor: number): string[] {
  const leaks: string[] = [];
  const rows = d[BREAKDOWNS[at]!];
  const table = card.breakdowns[at]?.rows.map((r) => r.cells.map((c) => c.text)) ?? [];
  const other = table.find((cells) => cells[0] === OTHER_GROUPS);
  const named = table.filter((cells) => cells[0] !== OTHER_GROUPS);
  for (const cells of named) {
    const row = rows.find((r) => r.group === cells[0]);
    // A named row is a shown group, with the same figures as the JSON.
    if (!row || row.audits.value === null || cells[1] !== String(row.audits.value)) leaks.push(`card names ${cells[0]} as ${cells[1]}`);
  }
  if (other && other[1] !== undefined && /^\d+$/.test(other[1])) {
    // Other less any set of the shown groups it holds (all listed in the JSON, and on the card's area list).
    const inOther = rows.filter((r) => r.audits.value !== null && !named.some((c) => c[0] === r.group));
    const otherCount = Number(other[1]);
    for (const set of subsets(inOther)) {
      const left = otherCount - sum(set.map((r) => r.audits.value!));
      if (underFloor(left, floor)) leaks.push(`Other less ${set.map((r) => r.group).join(", ")} leaves ${left}`);
    }
    if (otherCount + sum(named.map((c) => Number(c[1]))) !== d.completed) leaks.push("the card's rows do not add up to the total");
  } else if (other && d.completed >= floor) {
    leaks.push("Other is hidden though the total is at the floor");
  }
  return leaks;
}

/** The review's span: every area's words, beside the span's total (published by the digests of its months). */
function reviewLeaks(periods: readonly ReviewPeriod[], total: number, floor: number): string[] {
  const table = periods.map((p): PublishedRow => (p.audits.text === "0" ? { shown: 0, text: "0" } : published(p)));
  const leaks = subtractionLeaks(total, table, floor).map((n) => `review: total less shown areas leaves ${n}`);
  for (const l of exactLeaks(total, table, floor, readerKnowsRule(table))) leaks.push(`review: hidden areas ${l.rows.join("+")} must be ${l.value}`);
  for (const p of periods) if (p.audits.value === null && (p.grades.length > 0 || p.themes.length > 0 || p.actions || p.unsafePractice || p.averageScore !== null)) leaks.push("review: a hidden area shows figures");
  return leaks;
}

describe("small numbers in everything the digest and review publish", () => {
  it("leave nothing a reader can work out: no group, or set of groups, of 1 to floor - 1 audits", () => {
    fc.assert(
      fc.property(fc.array(anAuditRow, { maxLength: 40 }), fc.integer({ min: 3, max: 5 }), (rows, floor) => {
        const now = digestInput(rows.filter((r) => r.half === "now"), "2026-09", floor);
        const before = digestInput(rows.filter((r) => r.half === "before"), "2026-03", floor);
        const d = JSON.parse(JSON.stringify(computeDigest(now))) as DigestFigures; // exactly what `digest --json` prints
        const card = digestView(d, null, { anonymityFloor: floor, scoreThreshold: 2.5, coveragePercent: 20 }).data as DigestCardData;
        const leaks = BREAKDOWNS.flatMap((b, at) => [...jsonLeaks(d, d[b], floor), ...cardLeaks(d, card, at, floor)]);
        // The card's list of areas reads as the JSON does; withheld, it has one row of the total.
        const withheld = d.byServiceArea.length === 0 && d.completed > 0;
        expect(card.areas.map((a) => a.audits)).toEqual(withheld ? [String(d.completed)] : d.byServiceArea.map((r) => r.audits.text));
        const review = serviceReview(now, before);
        leaks.push(...reviewLeaks(review.areas.map((a) => a.period), now.audits.length, floor));
        leaks.push(...reviewLeaks(review.areas.map((a) => a.previous), before.audits.length, floor));
        expect(leaks).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the leak the issue names", () => {
  const floor = 3;
  const rows = (areas: AuditRow["area"][]) => areas.map((area) => ({ grade: "good" as const, area, ageBand: null, stepDown: false, need: null, half: "now" as const }));

  it("North 4, South 5 and East 1 of 10: East can no longer be had as 10 - 4 - 5, in the JSON, on the card or in the review", () => {
    const input = digestInput(rows([..."NNNNSSSSSE"].map((c) => ({ N: "North", S: "South", E: "East" })[c] as AuditRow["area"])), "2026-09", floor);
    const d = computeDigest(input);
    expect(d.byServiceArea.map((r) => [r.group, r.audits.text])).toEqual([
      ["East", "fewer than 3"],
      ["North", "not shown"],
      ["South", "5"],
    ]);
    const card = digestView(d, null, { anonymityFloor: floor, scoreThreshold: 2.5, coveragePercent: 20 }).data as DigestCardData;
    expect(card.breakdowns[0]!.rows.map((r) => r.cells[0]!.text + " " + r.cells[1]!.text)).toEqual(["South 5", `${OTHER_GROUPS} 5`]);
    const review = serviceReview(input, digestInput([], "2026-03", floor));
    expect(review.areas.map((a) => a.period.audits.text)).toEqual(["fewer than 3", "not shown", "5"]);
    expect(jsonLeaks(d, d.byServiceArea, floor)).toEqual([]);
  });

  it("the reader finds the old leak in the old output (so the attacks above can fail)", () => {
    // What the digest published before: North 3 and South 4 beside East "fewer than 3", total 8.
    const old: PublishedRow[] = [{ shown: null, text: "fewer than 3" }, { shown: 3, text: "3" }, { shown: 4, text: "4" }];
    expect(subtractionLeaks(8, old, floor)).toEqual([1]);
    // And hiding North alone is not enough when North is exactly 3 beside East's 1: East must be 1.
    expect(exactLeaks(4 + 1 + 3, [{ shown: null, text: "fewer than 3" }, { shown: null, text: "not shown" }, { shown: 4, text: "4" }], floor)).toEqual([{ rows: [0], value: 1 }]);
  });
});

describe("an area hidden only to protect a smaller one", () => {
  it("still reaches the Service Leader when its average is below the threshold, and a small area never does", () => {
    const rows = (area: AuditRow["area"], n: number, grade: (typeof GRADES)[number]): AuditRow[] => Array.from({ length: n }, () => ({ grade, area, ageBand: null, stepDown: false, need: null, half: "now" }));
    // South's 1 is protected by North's 5 (all inadequate) being "not shown"; East's 3 good stay on the card.
    const d = computeDigest(digestInput([...rows("North", 5, "inadequate"), ...rows("East", 3, "good"), ...rows("South", 1, "inadequate")], "2026-03", 3));
    expect(d.byServiceArea.map((r) => [r.group, r.audits.text, r.belowThreshold])).toEqual([["East", "3", false], ["North", "not shown", false], ["South", "fewer than 3", false]]);
    expect(d.areasBelowThreshold).toEqual(["North"]);
  });
});
