// Who audits which sampled case: no conflicts of interest, within capacity, a maximum allocation, load spread.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import type { CaseFile } from "../../src/domain/case-file";
import { allocateCases, type AuditorSlot } from "../../src/domain/allocation";
import { shuffled } from "../../src/domain/random";
import { createSeededRandom } from "../../src/app/allocation/seeded-random";
import { aCase } from "../support/builders";

// ---- builders ---------------------------------------------------------------


function anAuditor(email: string, capacity = 1): AuditorSlot {
  return { email, capacity };
}

/** A case that every auditor in `conflicted` is involved in (as an involved professional). */
function aCaseConflictedWith(caseRef: string, conflicted: string[], overrides: Partial<CaseFile> = {}): CaseFile {
  return aCase({ caseRef, involvedEmails: conflicted, ...overrides });
}

const allocate = (cases: readonly CaseFile[], auditors: readonly AuditorSlot[], seed = 42) =>
  allocateCases(cases, auditors, createSeededRandom(seed));

const auditorOf = (result: ReturnType<typeof allocate>, caseRef: string) =>
  result.assignments.find((a) => a.caseRef === caseRef)?.auditorEmail;

const loads = (result: ReturnType<typeof allocate>) => {
  const counts = new Map<string, number>();
  for (const a of result.assignments) counts.set(a.auditorEmail, (counts.get(a.auditorEmail) ?? 0) + 1);
  return counts;
};

const X = "x@council.gov.uk";
const Y = "y@council.gov.uk";
const Z = "z@council.gov.uk";

// ---- conflicts of interest ---------------------------------------------------

describe("conflicts of interest", () => {
  it("never gives a case to its lead professional", () => {
    const c = aCase({ caseRef: "C1", leadProfessionalEmail: X });

    const result = allocate([c], [anAuditor(X), anAuditor(Y)]);

    expect(auditorOf(result, "C1")).toBe(Y);
  });

  it("never gives a case to the lead professional's manager", () => {
    const c = aCase({ caseRef: "C1", lpManagerEmail: X });

    const result = allocate([c], [anAuditor(X), anAuditor(Y)]);

    expect(auditorOf(result, "C1")).toBe(Y);
  });

  it("never gives a case to anyone recorded as involved", () => {
    const c = aCase({ caseRef: "C1", involvedEmails: [Y, X] });

    const result = allocate([c], [anAuditor(X), anAuditor(Y), anAuditor(Z)]);

    expect(auditorOf(result, "C1")).toBe(Z);
  });

  it("matches conflicted emails case-insensitively", () => {
    const c = aCase({ caseRef: "C1", leadProfessionalEmail: "X@Council.GOV.uk", involvedEmails: ["y@COUNCIL.gov.uk"] });

    for (let seed = 0; seed < 20; seed++) {
      const result = allocate([c], [anAuditor("x@council.gov.uk"), anAuditor("Y@Council.gov.uk"), anAuditor("Z@council.gov.uk")], seed);

      expect(auditorOf(result, "C1")?.toLowerCase()).toBe(Z);
    }
  });

  it("leaves a case unallocated as every_auditor_involved when every auditor is conflicted", () => {
    const c = aCase({ caseRef: "C1", serviceArea: "South", leadProfessionalEmail: X, lpManagerEmail: Y, involvedEmails: [Z] });

    const result = allocate([c], [anAuditor(X, 2), anAuditor(Y, 2), anAuditor(Z, 2)]);

    expect(result.assignments).toEqual([]);
    expect(result.unallocated).toEqual([{ caseRef: "C1", serviceArea: "South", reason: "every_auditor_involved" }]);
  });
});

// ---- capacity -------------------------------------------------------------

describe("capacity", () => {
  it("never gives an auditor more cases than their capacity", () => {
    const cases = ["C1", "C2", "C3", "C4", "C5"].map((caseRef) => aCase({ caseRef }));

    const result = allocate(cases, [anAuditor(X, 1), anAuditor(Y, 2)]);

    expect(loads(result)).toEqual(new Map([[X, 1], [Y, 2]]));
    expect(result.unallocated).toHaveLength(2);
    expect(result.unallocated.every((u) => u.reason === "no_auditor_capacity")).toBe(true);
  });

  it("leaves a case unallocated as no_auditor_capacity when the auditors free to take it are full", () => {
    const first = aCaseConflictedWith("C1", [Y]);
    const second = aCaseConflictedWith("C2", [Y]);

    const result = allocate([first, second], [anAuditor(X, 1), anAuditor(Y, 5)]);

    expect(result.assignments).toHaveLength(1);
    expect(result.assignments[0]?.auditorEmail).toBe(X);
    expect(result.unallocated).toEqual([
      expect.objectContaining({ reason: "no_auditor_capacity" }),
    ]);
  });

  it("an auditor with no capacity this month takes nothing, and the case is reported as lacking capacity, not as conflicted", () => {
    const c = aCaseConflictedWith("C1", [Y], { serviceArea: "East" });

    const result = allocate([c], [anAuditor(X, 0), anAuditor(Y, 1)]);

    expect(result.assignments).toEqual([]);
    expect(result.unallocated).toEqual([{ caseRef: "C1", serviceArea: "East", reason: "no_auditor_capacity" }]);
  });

  it("with no auditors at all, nothing is allocated and every case is reported", () => {
    const result = allocate([aCase({ caseRef: "C1" }), aCase({ caseRef: "C2" })], []);

    expect(result.assignments).toEqual([]);
    expect(result.unallocated.map((u) => u.caseRef)).toEqual(["C1", "C2"]);
  });
});

// ---- a full allocation whenever one exists ----------------------------------------

describe("finds a full allocation whenever one exists", () => {
  it("gives B to X and A to Y when A could go to X or Y but B only to X", () => {
    const a = aCaseConflictedWith("A", [Z]);
    const b = aCaseConflictedWith("B", [Y, Z]);
    const auditors = [anAuditor(X, 1), anAuditor(Y, 1), anAuditor(Z, 0)];

    for (let seed = 0; seed < 50; seed++) {
      const result = allocate([a, b], auditors, seed);

      expect(result.unallocated).toEqual([]);
      expect(auditorOf(result, "A")).toBe(Y);
      expect(auditorOf(result, "B")).toBe(X);
    }
  });

  it("re-routes an earlier choice when equally constrained cases would leave one stranded greedily", () => {
    // A: X or Y, B: Y or Z, C: X or Z. A greedy A->X, B->Z strands C; a full allocation always exists.
    const a = aCaseConflictedWith("A", [Z]);
    const b = aCaseConflictedWith("B", [X]);
    const c = aCaseConflictedWith("C", [Y]);
    const auditors = [anAuditor(X, 1), anAuditor(Y, 1), anAuditor(Z, 1)];

    for (let seed = 0; seed < 100; seed++) {
      const result = allocate([a, b, c], auditors, seed);

      expect(result.unallocated).toEqual([]);
      expect(new Set(result.assignments.map((x) => x.auditorEmail))).toEqual(new Set([X, Y, Z]));
    }
  });

  it("moves a case along a longer chain of auditors to make room", () => {
    // D can only go to X; X's earlier case can move to Y, whose case can move to Z.
    const cases = [
      aCaseConflictedWith("A", [Z]), // X or Y
      aCaseConflictedWith("B", [X]), // Y or Z
      aCaseConflictedWith("D", [Y, Z]), // X only
    ];
    const auditors = [anAuditor(X, 1), anAuditor(Y, 1), anAuditor(Z, 1)];

    for (let seed = 0; seed < 50; seed++) {
      const result = allocate(cases, auditors, seed);

      expect(result.unallocated).toEqual([]);
      expect(auditorOf(result, "D")).toBe(X);
    }
  });
});

// ---- load spread ------------------------------------------------------------------

describe("load spread", () => {
  it("with 8 cases and 8 auditors of capacity 2 and no conflicts, everybody gets exactly one", () => {
    const cases = Array.from({ length: 8 }, (_, i) => aCase({ caseRef: `C${i}` }));
    const auditors = Array.from({ length: 8 }, (_, i) => anAuditor(`auditor${i}@council.gov.uk`, 2));

    for (let seed = 0; seed < 50; seed++) {
      const result = allocate(cases, auditors, seed);

      expect(result.assignments).toHaveLength(8);
      expect([...loads(result).values()]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    }
  });

  it("the seed decides who gets the single case, so nobody is always first in line", () => {
    const auditors = [anAuditor(X), anAuditor(Y), anAuditor(Z)];
    const chosen = new Set(
      Array.from({ length: 30 }, (_, seed) => auditorOf(allocate([aCase({ caseRef: "C1" })], auditors, seed), "C1")),
    );

    expect(chosen.size).toBeGreaterThan(1);
  });
});

// ---- reproducibility ------------------------------------------------------------

describe("reproducible allocation", () => {
  const cases = [
    aCase({ caseRef: "A", serviceArea: "East", leadProfessionalEmail: X }),
    aCase({ caseRef: "B", serviceArea: "North" }),
    aCase({ caseRef: "C", serviceArea: "North", involvedEmails: [Y] }),
    aCase({ caseRef: "D", serviceArea: "South" }),
  ];
  const auditors = [anAuditor(X, 2), anAuditor(Y, 1), anAuditor(Z, 1)];

  it("the same cases, auditors and seed give the same allocation", () => {
    expect(allocate(cases, auditors, 9)).toEqual(allocate(cases, auditors, 9));
  });

  it("the same seed gives the same allocation whatever the order of cases and auditors", () => {
    expect(allocate([...cases].reverse(), [...auditors].reverse(), 9)).toEqual(allocate(cases, auditors, 9));
  });

  it("lists assignments and unallocated cases by service area, then case ref", () => {
    const result = allocate(cases, auditors, 9);

    expect(result.assignments.map((a) => a.caseRef)).toEqual(["A", "B", "C", "D"]);
  });
});

// ---- properties ------------------------------------------------------------------

const POOL = ["a@council.gov.uk", "b@council.gov.uk", "c@council.gov.uk", "d@council.gov.uk", "e@council.gov.uk"];

/** An email from the pool, sometimes with its case changed, so matching must ignore case. */
const arbEmail = fc
  .tuple(fc.constantFrom(...POOL), fc.boolean())
  .map(([email, upper]) => (upper ? email.toUpperCase() : email));

const arbCases = (maxLength: number) =>
  fc
    .array(
      fc.record({
        serviceArea: fc.constantFrom("East", "North", "South"),
        lp: fc.option(arbEmail, { nil: null }),
        manager: fc.option(arbEmail, { nil: null }),
        involved: fc.array(arbEmail, { maxLength: 3 }),
      }),
      { maxLength },
    )
    .map((rows) =>
      rows.map((r, i) =>
        aCase({
          caseRef: `P-${String(i).padStart(2, "0")}`,
          serviceArea: r.serviceArea,
          leadProfessionalEmail: r.lp,
          lpManagerEmail: r.manager,
          involvedEmails: r.involved,
        }),
      ),
    );

const arbAuditors = (maxLength: number) =>
  fc
    .uniqueArray(
      fc.record({ index: fc.integer({ min: 0, max: POOL.length - 1 }), upper: fc.boolean(), capacity: fc.integer({ min: 0, max: 2 }) }),
      { maxLength, selector: (r) => r.index },
    )
    .map((rows) => rows.map((r) => anAuditor(r.upper ? POOL[r.index]!.toUpperCase() : POOL[r.index]!, r.capacity)));

const conflicted = (c: CaseFile) =>
  new Set([c.leadProfessionalEmail, c.lpManagerEmail, ...c.involvedEmails].filter((e): e is string => !!e).map((e) => e.toLowerCase()));

/** The largest number of cases that can be allocated, by trying every choice. */
function bruteForceMaximum(cases: readonly CaseFile[], auditors: readonly AuditorSlot[]): number {
  const left = auditors.map((a) => a.capacity);
  const go = (i: number): number => {
    const c = cases[i];
    if (!c) return 0;
    let best = go(i + 1); // leave case i unallocated
    const blocked = conflicted(c);
    auditors.forEach((a, j) => {
      if (left[j]! > 0 && !blocked.has(a.email.toLowerCase())) {
        left[j]!--;
        best = Math.max(best, 1 + go(i + 1));
        left[j]!++;
      }
    });
    return best;
  };
  return go(0);
}

const PROPERTY = { seed: 20250301, numRuns: 200 };

describe("allocation properties", () => {
  it("never allocates a case to a conflicted auditor", () => {
    fc.assert(
      fc.property(arbCases(10), arbAuditors(5), fc.integer(), (cases, auditors, seed) => {
        const result = allocate(cases, auditors, seed);

        for (const a of result.assignments) {
          const c = cases.find((x) => x.caseRef === a.caseRef)!;
          expect(conflicted(c).has(a.auditorEmail.toLowerCase())).toBe(false);
        }
      }),
      PROPERTY,
    );
  });

  it("never exceeds an auditor's capacity, and only allocates to listed auditors", () => {
    fc.assert(
      fc.property(arbCases(10), arbAuditors(5), fc.integer(), (cases, auditors, seed) => {
        const result = allocate(cases, auditors, seed);

        const capacity = new Map(auditors.map((a) => [a.email.toLowerCase(), a.capacity]));
        for (const [email, load] of loads(result)) {
          expect(capacity.has(email.toLowerCase())).toBe(true);
          expect(load).toBeLessThanOrEqual(capacity.get(email.toLowerCase())!);
        }
      }),
      PROPERTY,
    );
  });

  it("reports every case exactly once: either assigned or unallocated, with the right reason", () => {
    fc.assert(
      fc.property(arbCases(10), arbAuditors(5), fc.integer(), (cases, auditors, seed) => {
        const result = allocate(cases, auditors, seed);

        const reported = [...result.assignments.map((a) => a.caseRef), ...result.unallocated.map((u) => u.caseRef)];
        expect([...reported].sort()).toEqual(cases.map((c) => c.caseRef).sort());
        for (const u of result.unallocated) {
          const c = cases.find((x) => x.caseRef === u.caseRef)!;
          expect(u.serviceArea).toBe(c.serviceArea);
          const everyoneInvolved = auditors.every((a) => conflicted(c).has(a.email.toLowerCase()));
          expect(u.reason).toBe(everyoneInvolved ? "every_auditor_involved" : "no_auditor_capacity");
        }
        for (const a of result.assignments) {
          expect(a.serviceArea).toBe(cases.find((x) => x.caseRef === a.caseRef)!.serviceArea);
        }
      }),
      PROPERTY,
    );
  });

  it("the same seed gives the same allocation whatever the order of cases and auditors", () => {
    fc.assert(
      fc.property(arbCases(10), arbAuditors(5), fc.integer(), fc.integer(), (cases, auditors, seed, shuffleSeed) => {
        const shuffle = createSeededRandom(shuffleSeed);
        const reorderedCases = shuffled(cases, shuffle);
        const reorderedAuditors = shuffled(auditors, shuffle);

        expect(allocate(reorderedCases, reorderedAuditors, seed)).toEqual(allocate(cases, auditors, seed));
      }),
      PROPERTY,
    );
  });

  it("allocates as many cases as a brute-force maximum matching", () => {
    fc.assert(
      fc.property(arbCases(6), arbAuditors(4), fc.integer(), (cases, auditors, seed) => {
        const result = allocate(cases, auditors, seed);

        expect(result.assignments).toHaveLength(bruteForceMaximum(cases, auditors));
      }),
      PROPERTY,
    );
  });

  it("with no conflicts, nobody gets a second case while an auditor with capacity has none", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), arbAuditors(5), fc.integer(), (count, auditors, seed) => {
        const cases = Array.from({ length: count }, (_, i) =>
          aCase({ caseRef: `N-${i}`, leadProfessionalEmail: null, lpManagerEmail: null, involvedEmails: [] }),
        );

        const result = allocate(cases, auditors, seed);

        const load = loads(result);
        const someoneIdle = auditors.some((a) => a.capacity > 0 && !load.has(a.email.toLowerCase()));
        if (someoneIdle) expect(Math.max(0, ...load.values())).toBeLessThanOrEqual(1);
      }),
      PROPERTY,
    );
  });
});
