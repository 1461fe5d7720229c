// The month's sample: size, eligibility, proportional spread across service areas, reproducibility.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import type { CaseFile } from "../../src/domain/case-file";
import { shuffled } from "../../src/domain/random";
import {
  drawSample,
  reauditCutoff,
  sampleTarget,
  SEED_SAMPLING_RULES,
  type SamplingRules,
} from "../../src/domain/sampling";
import { createSeededRandom } from "../../src/app/allocation/seeded-random";
import { aCase } from "../support/builders";

// ---- builders ---------------------------------------------------------------


/** `count` open cases in one area, with refs `${prefix}-001`… so they are stable across calls. */
function casesIn(serviceArea: string, count: number, overrides: Partial<CaseFile> = {}): CaseFile[] {
  return Array.from({ length: count }, (_, i) =>
    aCase({ caseRef: `${serviceArea}-${String(i + 1).padStart(3, "0")}`, serviceArea, ...overrides }),
  );
}

function someRules(overrides: Partial<SamplingRules> = {}): SamplingRules {
  return { ...SEED_SAMPLING_RULES, ...overrides };
}

const MONTH = "2025-03";

function draw(
  cases: readonly CaseFile[],
  opts: { rules?: Partial<SamplingRules>; recentlyAllocated?: Iterable<string>; seed?: number; month?: string } = {},
) {
  return drawSample(
    {
      month: opts.month ?? MONTH,
      cases,
      recentlyAllocated: new Set(opts.recentlyAllocated ?? []),
      rules: someRules(opts.rules),
    },
    createSeededRandom(opts.seed ?? 42),
  );
}

const refsOf = (cases: readonly CaseFile[]) => cases.map((c) => c.caseRef);
const countByArea = (cases: readonly CaseFile[]) => {
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(c.serviceArea, (counts.get(c.serviceArea) ?? 0) + 1);
  return counts;
};

// ---- sample size ------------------------------------------------------------

describe("sample size", () => {
  it("fixed mode defaults to 8 cases a month", () => {
    expect(SEED_SAMPLING_RULES.mode).toBe("fixed");
    expect(sampleTarget(500, SEED_SAMPLING_RULES)).toBe(8);
  });

  it("fixed mode gives monthlySize whatever the number of open cases", () => {
    const rules = someRules({ mode: "fixed", monthlySize: 6 });
    expect(sampleTarget(0, rules)).toBe(6);
    expect(sampleTarget(1000, rules)).toBe(6);
  });

  it("coverage mode gives ceil(open x 20% / 12 months)", () => {
    const rules = someRules({ mode: "coverage", coveragePercent: 20, coverageMonths: 12 });
    expect(sampleTarget(0, rules)).toBe(0);
    expect(sampleTarget(60, rules)).toBe(1); // exactly 1
    expect(sampleTarget(61, rules)).toBe(2); // 1.0166… rounds up
    expect(sampleTarget(100, rules)).toBe(2); // 1.666…
    expect(sampleTarget(600, rules)).toBe(10);
  });

  it("coverage mode draws its target from the number of open cases only", () => {
    const cases = [...casesIn("North", 61), ...casesIn("South", 30, { status: "closed" })];

    const sample = draw(cases, { rules: { mode: "coverage" } });

    expect(sample.openCount).toBe(61);
    expect(sample.target).toBe(2);
    expect(sample.cases).toHaveLength(2);
  });

  it("draws the full target when enough eligible cases exist", () => {
    const sample = draw(casesIn("North", 20));

    expect(sample.target).toBe(8);
    expect(sample.cases).toHaveLength(8);
  });

  it("never draws more than the eligible count", () => {
    const cases = [...casesIn("North", 3), ...casesIn("South", 10, { lastAuditedOn: "2025-01-10" })];

    const sample = draw(cases);

    expect(sample.target).toBe(8);
    expect(sample.eligibleCount).toBe(3);
    expect(refsOf(sample.cases).sort()).toEqual(["North-001", "North-002", "North-003"]);
  });

  it("draws nothing from an empty register", () => {
    const sample = draw([]);

    expect(sample.cases).toEqual([]);
    expect(sample.areas).toEqual([]);
  });
});

// ---- eligibility ------------------------------------------------------------

describe("eligibility", () => {
  it("the re-audit cutoff is the first day of the month `reauditAfterMonths` before the month", () => {
    expect(reauditCutoff("2025-03", 12)).toBe("2024-03-01");
    expect(reauditCutoff("2025-01", 1)).toBe("2024-12-01");
    expect(reauditCutoff("2025-01", 13)).toBe("2023-12-01");
  });

  it("draws only open cases: closed cases and cases missing from the register are never drawn", () => {
    const open = aCase({ caseRef: "OPEN" });
    const closed = aCase({ caseRef: "CLOSED", status: "closed", closedOn: "2025-01-02" });
    const missing = aCase({ caseRef: "MISSING", missingFromRegisterSince: "2025-02-01" });

    const sample = draw([open, closed, missing]);

    expect(sample.openCount).toBe(1);
    expect(sample.eligibleCount).toBe(1);
    expect(refsOf(sample.cases)).toEqual(["OPEN"]);
  });

  it("does not draw a case audited on the cutoff day or later, but draws one audited the day before", () => {
    // March 2025 with a 12-month window: the cutoff is 2024-03-01.
    const onCutoff = aCase({ caseRef: "ON-CUTOFF", lastAuditedOn: "2024-03-01" });
    const afterCutoff = aCase({ caseRef: "AFTER", lastAuditedOn: "2025-02-28" });
    const dayBefore = aCase({ caseRef: "DAY-BEFORE", lastAuditedOn: "2024-02-29" });
    const never = aCase({ caseRef: "NEVER", lastAuditedOn: null });

    const sample = draw([onCutoff, afterCutoff, dayBefore, never], { month: "2025-03" });

    expect(sample.openCount).toBe(4);
    expect(sample.eligibleCount).toBe(2);
    expect(refsOf(sample.cases).sort()).toEqual(["DAY-BEFORE", "NEVER"]);
  });

  it("honours a shorter re-audit window", () => {
    const audited = aCase({ caseRef: "AUDITED", lastAuditedOn: "2024-11-20" });

    expect(refsOf(draw([audited], { rules: { reauditAfterMonths: 3 } }).cases)).toEqual(["AUDITED"]); // cutoff 2024-12-01
    expect(draw([audited], { rules: { reauditAfterMonths: 4 } }).cases).toEqual([]); // cutoff 2024-11-01
  });

  it("does not draw a case allocated in the preceding months", () => {
    const cases = casesIn("North", 4);

    const sample = draw(cases, { recentlyAllocated: ["North-002", "North-004"] });

    expect(sample.eligibleCount).toBe(2);
    expect(refsOf(sample.cases).sort()).toEqual(["North-001", "North-003"]);
  });

  it("still counts ineligible open cases towards the target and the area weights", () => {
    const cases = [...casesIn("North", 60, { lastAuditedOn: "2025-01-01" }), ...casesIn("South", 60)];

    const sample = draw(cases, { rules: { mode: "coverage" } });

    expect(sample.openCount).toBe(120);
    expect(sample.target).toBe(2);
    expect(sample.areas.find((a) => a.serviceArea === "North")).toMatchObject({ open: 60, eligible: 0, quota: 0 });
  });
});

// ---- spread across service areas -------------------------------------------

describe("spread across service areas", () => {
  it("gives each area a share in proportion to its open cases", () => {
    const cases = [...casesIn("North", 30), ...casesIn("South", 10)];

    const sample = draw(cases);

    expect(sample.areas).toEqual([
      { serviceArea: "North", open: 30, eligible: 30, quota: 6 },
      { serviceArea: "South", open: 10, eligible: 10, quota: 2 },
    ]);
    expect(countByArea(sample.cases)).toEqual(new Map([["North", 6], ["South", 2]]));
  });

  it("hands the leftover places to the largest remainders", () => {
    // Exact shares of 8: East 4.0, North 2.4, South 1.6 -> 4, 2, 1 and the spare place goes to South.
    const cases = [...casesIn("East", 5), ...casesIn("North", 3), ...casesIn("South", 2)];

    const sample = draw(cases);

    expect(sample.areas.map((a) => [a.serviceArea, a.quota])).toEqual([["East", 4], ["North", 2], ["South", 2]]);
  });

  it("an area with too few eligible cases gives its unused share to the others, so the target is still reached", () => {
    // North's share is 4 but only 1 case is eligible; South takes the other 3.
    const cases = [
      ...casesIn("North", 1),
      ...casesIn("North-audited", 9, { serviceArea: "North", lastAuditedOn: "2025-01-05" }),
      ...casesIn("South", 10),
    ];

    const sample = draw(cases);

    expect(sample.areas).toEqual([
      { serviceArea: "North", open: 10, eligible: 1, quota: 1 },
      { serviceArea: "South", open: 10, eligible: 10, quota: 7 },
    ]);
    expect(sample.cases).toHaveLength(8);
  });

  it("an area whose open cases are all ineligible gets no quota", () => {
    const cases = [...casesIn("North", 5, { lastAuditedOn: "2025-02-01" }), ...casesIn("South", 12)];

    const sample = draw(cases);

    expect(countByArea(sample.cases)).toEqual(new Map([["South", 8]]));
  });
});

// ---- reproducibility --------------------------------------------------------

describe("reproducible draw", () => {
  const register = [...casesIn("East", 13), ...casesIn("North", 21), ...casesIn("South", 9)];

  it("the same inputs and seed give the same sample", () => {
    expect(refsOf(draw(register, { seed: 7 }).cases)).toEqual(refsOf(draw(register, { seed: 7 }).cases));
  });

  it("the same seed gives the same sample whatever the order the cases arrive in", () => {
    const reordered = [...register].reverse();

    expect(draw(reordered, { seed: 7 })).toEqual(draw(register, { seed: 7 }));
  });

  it("different seeds draw different samples", () => {
    const samples = new Set([1, 2, 3, 4, 5].map((seed) => refsOf(draw(register, { seed }).cases).join(",")));

    expect(samples.size).toBeGreaterThan(1);
  });

  it("never draws the same case twice", () => {
    const sample = draw(register, { rules: { monthlySize: 40 } });

    expect(new Set(refsOf(sample.cases)).size).toBe(40);
  });
});

// ---- properties -------------------------------------------------------------

const AREAS = ["East", "North", "South", "West"] as const;

/** A small random register: each case open/closed/missing, maybe audited, maybe recently allocated. */
const arbRegister = fc
  .array(
    fc.record({
      serviceArea: fc.constantFrom(...AREAS),
      status: fc.constantFrom("open", "open", "open", "closed") as fc.Arbitrary<"open" | "closed">,
      missing: fc.boolean().map((b) => (b ? "2025-01-01" : null)),
      lastAuditedOn: fc.option(fc.constantFrom("2023-06-30", "2024-02-29", "2024-03-01", "2024-12-15"), { nil: null }),
      recentlyAllocated: fc.boolean(),
    }),
    { maxLength: 40 },
  )
  .map((rows) => {
    const cases = rows.map((r, i) =>
      aCase({
        caseRef: `P-${String(i).padStart(3, "0")}`,
        serviceArea: r.serviceArea,
        status: r.status,
        missingFromRegisterSince: r.missing,
        lastAuditedOn: r.lastAuditedOn,
      }),
    );
    const recentlyAllocated = new Set(rows.flatMap((r, i) => (r.recentlyAllocated ? [`P-${String(i).padStart(3, "0")}`] : [])));
    return { cases, recentlyAllocated };
  });

const arbRules: fc.Arbitrary<SamplingRules> = fc.record({
  mode: fc.constantFrom("fixed", "coverage") as fc.Arbitrary<"fixed" | "coverage">,
  monthlySize: fc.integer({ min: 0, max: 15 }),
  coveragePercent: fc.integer({ min: 1, max: 100 }),
  coverageMonths: fc.integer({ min: 1, max: 12 }),
  reauditAfterMonths: fc.integer({ min: 1, max: 24 }),
});

const PROPERTY = { seed: 20250301, numRuns: 200 };

describe("sampling properties", () => {
  it("draws exactly min(target, eligible) distinct eligible cases: never more than the target or the eligible count", () => {
    fc.assert(
      fc.property(arbRegister, arbRules, fc.integer(), ({ cases, recentlyAllocated }, rules, seed) => {
        const sample = drawSample({ month: MONTH, cases, recentlyAllocated, rules }, createSeededRandom(seed));

        const cutoff = reauditCutoff(MONTH, rules.reauditAfterMonths);
        const isEligible = (c: CaseFile) =>
          c.status === "open" &&
          c.missingFromRegisterSince === null &&
          !recentlyAllocated.has(c.caseRef) &&
          (c.lastAuditedOn === null || c.lastAuditedOn < cutoff);
        const eligibleCount = cases.filter(isEligible).length;

        expect(sample.eligibleCount).toBe(eligibleCount);
        expect(sample.cases.length).toBeLessThanOrEqual(sample.target);
        expect(sample.cases.length).toBeLessThanOrEqual(eligibleCount);
        expect(sample.cases).toHaveLength(Math.min(sample.target, eligibleCount));
        expect(new Set(refsOf(sample.cases)).size).toBe(sample.cases.length);
        for (const c of sample.cases) expect(isEligible(c)).toBe(true);
        for (const area of sample.areas) {
          expect(area.quota).toBeLessThanOrEqual(area.eligible);
          expect(countByArea(sample.cases).get(area.serviceArea) ?? 0).toBe(area.quota);
        }
      }),
      PROPERTY,
    );
  });

  it("the same seed draws the same sample whatever the order of the cases", () => {
    fc.assert(
      fc.property(arbRegister, arbRules, fc.integer(), fc.integer(), ({ cases, recentlyAllocated }, rules, seed, shuffleSeed) => {
        const reordered = shuffled(cases, createSeededRandom(shuffleSeed));

        const a = drawSample({ month: MONTH, cases, recentlyAllocated, rules }, createSeededRandom(seed));
        const b = drawSample({ month: MONTH, cases: reordered, recentlyAllocated, rules }, createSeededRandom(seed));

        expect(b).toEqual(a);
      }),
      PROPERTY,
    );
  });

  it("when no area is capped, each quota differs from the area's exact share by less than 1", () => {
    const arbAreas = fc.array(
      fc.record({ open: fc.integer({ min: 1, max: 30 }), audited: fc.integer({ min: 0, max: 30 }) }),
      { minLength: 1, maxLength: AREAS.length },
    );
    fc.assert(
      fc.property(arbAreas, fc.integer({ min: 0, max: 20 }), fc.integer(), (areas, size, seed) => {
        const totalOpen = areas.reduce((sum, a) => sum + a.open, 0);
        const target = Math.min(size, totalOpen);
        // Keep enough eligible cases in every area to cover the rounded-up share, so nothing is capped.
        const cases = areas.flatMap((a, i) => {
          const name = AREAS[i]!;
          const mustStayEligible = Math.ceil((target * a.open) / totalOpen);
          const audited = Math.min(a.audited, a.open - mustStayEligible);
          return [
            ...casesIn(name, a.open - audited),
            ...casesIn(`${name}-audited`, audited, { serviceArea: name, lastAuditedOn: "2025-01-01" }),
          ];
        });

        const sample = draw(cases, { rules: { mode: "fixed", monthlySize: target }, seed });

        expect(sample.cases).toHaveLength(target);
        expect(sample.areas.reduce((sum, a) => sum + a.quota, 0)).toBe(target);
        for (const area of sample.areas) {
          const exact = (target * area.open) / totalOpen;
          expect(Math.abs(area.quota - exact)).toBeLessThan(1);
        }
      }),
      PROPERTY,
    );
  });
});
