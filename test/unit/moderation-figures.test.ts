// Moderation agreement figures: weighted kappa and its 95 % interval checked against printed worked examples (each
// source cited where it is used), then hand-worked rules: the floor, exact and within-one shares, an undefined kappa,
// the per-auditor split, grading drift both ways, the periods of a report, and ranks on the two real toolkits' scales.
import { describe, expect, it } from "vitest";
import {
  agreementByAuditor,
  agreementFigures,
  gradingDrift,
  overallCategories,
  overallRank,
  pairsIn,
  periodsFor,
  type GradePair,
} from "../../src/domain/moderation-figures";
import { identityWeights, linearWeights, weightedKappa } from "../../src/domain/weighted-kappa";
import { defaultToolkitDir, loadToolkits } from "../../src/toolkits/load-toolkits";

// ---- builders -------------------------------------------------------------------------------------------------

const ANN = "ann@example.gov.uk";
const BEN = "ben@example.gov.uk";
const CAT = "cat@example.gov.uk";

/** A moderated case: `first` graded it `a`, `second` graded it `b` (ranks, 0 = the scale's best grade). */
function aPair(a: number, b: number, overrides: { first?: string; second?: string; month?: string; caseRef?: string } = {}): GradePair {
  return {
    month: overrides.month ?? "2026-05",
    caseRef: overrides.caseRef ?? `CAF-${a}${b}`,
    first: { auditorEmail: overrides.first ?? ANN, rank: a },
    second: { auditorEmail: overrides.second ?? BEN, rank: b },
  };
}

/** Every case of a published agreement table as a pair: rows are the first rater's grade, columns the second's. */
function pairsFromTable(table: number[][]): GradePair[] {
  return table.flatMap((row, i) => row.flatMap((count, j) => Array.from({ length: count }, (_, c) => aPair(i, j, { caseRef: `CAF-${i}-${j}-${c}` }))));
}

/** Equal to a figure printed to `decimals` places: within half a unit of its last place. */
function expectPrinted(actual: number | null, printed: number, decimals: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - printed)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

// ---- published worked examples ----------------------------------------------------------------------------------

describe("weighted kappa and its 95 % interval match published worked examples", () => {
  // A SAS PROC FREQ (AGREE) printout, copied into statsmodels' test suite as "comparison to printout of a SAS example":
  // repository statsmodels/statsmodels, statsmodels/stats/tests/test_inter_rater.py, table10 with classes
  // UnweightedCohens and TestWeightedCohens. Three ordered categories, so it also stands for the 2016 three-point scale.
  // The weighted printout uses weights [0, 1, 2] with linear weighting: 1 - |i - j| / 2, SAS's default weights.
  const SAS_TABLE10 = [
    [0, 4, 1],
    [0, 8, 0],
    [0, 1, 5],
  ];

  it("SAS, 3 x 3: weighted kappa 0.4701, ASE 0.1457, 95 % limits 0.1845 to 0.7558", () => {
    const estimate = weightedKappa(SAS_TABLE10, linearWeights(3));
    expectPrinted(estimate.kappa, 0.4701, 4);
    expectPrinted(estimate.ase, 0.1457, 4);
    expectPrinted(estimate.low, 0.1845, 4);
    expectPrinted(estimate.high, 0.7558, 4);

    const figures = agreementFigures(pairsFromTable(SAS_TABLE10), 3);
    expect(figures.pairs).toBe(19);
    expectPrinted(figures.kappa, 0.4701, 4);
    expectPrinted(figures.kappaLow, 0.1845, 4);
    expectPrinted(figures.kappaHigh, 0.7558, 4);
  });

  it("SAS, 3 x 3: with identity weights it is the simple kappa, 0.4842, ASE 0.1380, limits 0.2137 to 0.7547", () => {
    const estimate = weightedKappa(SAS_TABLE10, identityWeights(3));
    expectPrinted(estimate.kappa, 0.4842, 4);
    expectPrinted(estimate.ase, 0.138, 4);
    expectPrinted(estimate.low, 0.2137, 4);
    expectPrinted(estimate.high, 0.7547, 4);
  });

  // Agresti (1990), from Hout, Duncan & Sobel (1987): 91 couples rate "sex is fun for me and my partner" on four ordered
  // answers. The table (husband rows, wife columns) as printed at https://friendly.github.io/psy6136/R/output/sexfun-chisq.html;
  // kappa as printed by R's vcd::Kappa with CI = TRUE at https://friendly.github.io/vcdExtra/reference/print.Kappa.html
  // (vcd's default weights are "Equal-Spacing", 1 - |i - j| / (r - 1): linear). Four categories, like O / G / RI / I.
  const SEXUAL_FUN = [
    [7, 7, 2, 3],
    [2, 8, 3, 7],
    [1, 5, 4, 9],
    [2, 8, 9, 14],
  ];

  it("vcd, 4 x 4: weighted kappa 0.2374, ASE 0.07832, 95 % limits 0.08388 to 0.3909", () => {
    const estimate = weightedKappa(SEXUAL_FUN, linearWeights(4));
    expectPrinted(estimate.kappa, 0.2374, 4);
    expectPrinted(estimate.ase, 0.07832, 5);
    expectPrinted(estimate.low, 0.08388, 5);
    expectPrinted(estimate.high, 0.3909, 4);

    const figures = agreementFigures(pairsFromTable(SEXUAL_FUN), 4);
    expect(figures.pairs).toBe(91);
    expectPrinted(figures.kappa, 0.2374, 4);
    expectPrinted(figures.kappaLow, 0.08388, 5);
    expectPrinted(figures.kappaHigh, 0.3909, 4);
  });

  it("vcd, 4 x 4: unweighted kappa 0.1293, ASE 0.06860, limits -0.00512 to 0.2638", () => {
    const estimate = weightedKappa(SEXUAL_FUN, identityWeights(4));
    expectPrinted(estimate.kappa, 0.1293, 4);
    expectPrinted(estimate.ase, 0.0686, 5);
    expectPrinted(estimate.low, -0.00512, 5);
    expectPrinted(estimate.high, 0.2638, 4);
  });

  // Penn State STAT 509, Lesson 18.7 (https://online.stat.psu.edu/stat509/lesson/18/18.7): two radiologists classify 85
  // xeromammograms as normal, benign, suspected cancer or cancer; "The weighted kappa coefficient is 0.57 and the
  // asymptotic 95% confidence interval is (0.44, 0.70)" (SAS PROC FREQ). Counts from the lesson's SAS program,
  // https://online.stat.psu.edu/onlinecourses/sites/stat509/files/lesson18/19.3_agreement_Cohen.sas (rater1 rows).
  const RADIOLOGISTS = [
    [21, 12, 0, 0],
    [4, 17, 1, 0],
    [3, 9, 15, 2],
    [0, 0, 0, 1],
  ];

  it("Penn State STAT 509, 4 x 4: weighted kappa 0.57, asymptotic 95 % interval 0.44 to 0.70", () => {
    const figures = agreementFigures(pairsFromTable(RADIOLOGISTS), 4);
    expect(figures.pairs).toBe(85);
    expectPrinted(figures.kappa, 0.57, 2);
    expectPrinted(figures.kappaLow, 0.44, 2);
    expectPrinted(figures.kappaHigh, 0.7, 2);
  });

  it("which auditor is first changes no figure: the transposed table gives the same kappa and interval", () => {
    const transposed = SEXUAL_FUN.map((_, i) => SEXUAL_FUN.map((row) => row[i]!));
    const a = agreementFigures(pairsFromTable(SEXUAL_FUN), 4);
    const b = agreementFigures(pairsFromTable(transposed), 4);
    expect(b.kappa).toBeCloseTo(a.kappa!, 12);
    expect(b.kappaLow).toBeCloseTo(a.kappaLow!, 12);
    expect(b.kappaHigh).toBeCloseTo(a.kappaHigh!, 12);
  });
});

// ---- hand-computed rules ---------------------------------------------------------------------------------------

describe("agreement figures", () => {
  it("perfect agreement is kappa 1, exact and within one 100 %, and an interval of [1, 1] (the large-sample ASE is 0)", () => {
    const figures = agreementFigures([aPair(0, 0), aPair(1, 1), aPair(2, 2), aPair(3, 3), aPair(1, 1)], 4);
    expect(figures).toEqual({ pairs: 5, tooFew: false, exact: 1, withinOne: 1, kappa: 1, kappaLow: 1, kappaHigh: 1 });
  });

  it("exact counts the same grade, within one also counts one step apart", () => {
    // Steps apart: 0, 1, 2, 0, 1, 0. Exact 3 of 6 = 0.5; within one 5 of 6.
    const figures = agreementFigures([aPair(0, 0), aPair(1, 2), aPair(0, 2), aPair(3, 3), aPair(2, 1), aPair(1, 1)], 4);
    expect(figures.exact).toBe(0.5);
    expect(figures.withinOne).toBeCloseTo(5 / 6, 12);
  });

  it("on the three-point scale, a small table's weighted kappa is 4/7 (hand-computed)", () => {
    // Hand-computed, k = 3, linear weights 1, 0.5, 0. Pairs (0,0) (0,1) (1,1) (1,1) (2,1) (2,2), n = 6.
    // Rows 2/6 each; columns 1/6, 4/6, 1/6. p_o = 4/6 exact + 0.5 x 2/6 one apart = 5/6.
    // p_e = (1/3) x [(1/6 + 0.5 x 4/6) + (0.5 x 1/6 + 4/6 + 0.5 x 1/6) + (0.5 x 4/6 + 1/6)] = (1/3) x 11/6 = 11/18.
    // kappa = (5/6 - 11/18) / (1 - 11/18) = (4/18) / (7/18) = 4/7.
    const figures = agreementFigures([aPair(0, 0), aPair(0, 1), aPair(1, 1), aPair(1, 1), aPair(2, 1), aPair(2, 2)], 3);
    expect(figures.kappa).toBeCloseTo(4 / 7, 12);
    expect(figures.exact).toBeCloseTo(4 / 6, 12);
    expect(figures.withinOne).toBe(1);
  });

  it("below the floor of 5 pairs nothing is shown: 4 pairs are too few, 5 are enough", () => {
    const five = [aPair(0, 1), aPair(1, 1), aPair(2, 1), aPair(3, 3), aPair(2, 2)];
    expect(agreementFigures(five.slice(0, 4), 4)).toEqual({ pairs: 4, tooFew: true, exact: null, withinOne: null, kappa: null, kappaLow: null, kappaHigh: null });
    const enough = agreementFigures(five, 4);
    expect(enough.tooFew).toBe(false);
    expect(enough.exact).toBe(0.6);
    expect(enough.kappa).not.toBeNull();
  });

  it("no pairs at all is too few, even with a floor of 0", () => {
    expect(agreementFigures([], 4, 0)).toMatchObject({ pairs: 0, tooFew: true, kappa: null });
  });

  it("every case graded Good by both is an undefined kappa: null, not NaN, while the shares are still 100 %", () => {
    // Hand-computed: both marginals all on Good, so p_e = 1 and kappa = 0 / 0.
    const figures = agreementFigures(Array.from({ length: 6 }, () => aPair(1, 1)), 4);
    expect(figures).toEqual({ pairs: 6, tooFew: false, exact: 1, withinOne: 1, kappa: null, kappaLow: null, kappaHigh: null });
  });

  it("a rank off the scale is a programming error, not a figure", () => {
    expect(() => agreementFigures(Array.from({ length: 5 }, () => aPair(0, 4)), 4)).toThrow(RangeError);
  });
});

describe("agreement by auditor", () => {
  it("gives each auditor the figures over the pairs they are in, first or second, sorted by email", () => {
    const withBen = [aPair(0, 0), aPair(1, 1), aPair(1, 2), aPair(2, 2), aPair(3, 3)];
    const withCat = [0, 1, 2, 3, 1].map((r, i) => aPair(r, r === 3 ? 2 : r, { first: CAT, second: ANN, caseRef: `CAF-C${i}` }));
    const rows = agreementByAuditor([...withCat, ...withBen], 4);

    expect(rows.map((r) => r.auditorEmail)).toEqual([ANN, BEN, CAT]);
    expect(rows[0]!.figures).toEqual(agreementFigures([...withCat, ...withBen], 4));
    expect(rows[1]!.figures).toEqual(agreementFigures(withBen, 4));
    expect(rows[2]!.figures).toEqual(agreementFigures(withCat, 4));
    expect(rows[0]!.figures.pairs).toBe(10);
  });

  it("keeps the floor per auditor, and groups an email however it is capitalised", () => {
    const pairs = [aPair(0, 0), aPair(1, 1), aPair(2, 2), aPair(1, 1, { first: "Ann@Example.gov.uk", second: CAT }), aPair(0, 1, { second: CAT })];
    const rows = agreementByAuditor(pairs, 4);
    expect(rows.map((r) => [r.auditorEmail, r.figures.pairs, r.figures.tooFew])).toEqual([
      [ANN, 5, false],
      [BEN, 3, true],
      [CAT, 2, true],
    ]);
  });
});

describe("grading drift", () => {
  it("an auditor a step more generous than their partners is reported, and the partner as harsher", () => {
    // Ann's rank minus Ben's: -1 in each of 5 pairs (a lower rank is a better grade), so Ann -1, Ben +1.
    const pairs = [aPair(0, 1), aPair(1, 2), aPair(2, 3), aPair(0, 1), aPair(1, 2)];
    expect(gradingDrift(pairs)).toEqual([
      { auditorEmail: ANN, pairs: 5, meanSignedDifference: -1, direction: "more-generous" },
      { auditorEmail: BEN, pairs: 5, meanSignedDifference: 1, direction: "harsher" },
    ]);
  });

  it("an auditor harsher than several partners is reported from all their pairs", () => {
    // Cat's differences: +1, +1, 0 with Ann; +1, 0, +1 with Ben: mean 4/6. Ann's -2/3 over 3 pairs and Ben's are too few.
    const pairs = [
      aPair(2, 1, { first: CAT, second: ANN }),
      aPair(3, 2, { first: CAT, second: ANN }),
      aPair(1, 1, { first: CAT, second: ANN }),
      aPair(1, 2, { first: BEN, second: CAT }),
      aPair(2, 2, { first: BEN, second: CAT }),
      aPair(0, 1, { first: BEN, second: CAT }),
    ];
    expect(gradingDrift(pairs)).toEqual([{ auditorEmail: CAT, pairs: 6, meanSignedDifference: 4 / 6, direction: "harsher" }]);
  });

  it("is not reported below 5 pairs, however large the difference", () => {
    expect(gradingDrift([aPair(0, 3), aPair(0, 3), aPair(0, 3), aPair(0, 3)])).toEqual([]);
  });

  it("is not reported below half a step on average, and is at exactly half a step", () => {
    // Differences -1, -1, 0, 0, 0: mean -0.4. Adding another -1: -3 / 6 = -0.5.
    const under = [aPair(0, 1), aPair(1, 2), aPair(1, 1), aPair(2, 2), aPair(3, 3)];
    expect(gradingDrift(under)).toEqual([]);
    const atHalf = gradingDrift([...under, aPair(2, 3)]);
    expect(atHalf.map((d) => [d.auditorEmail, d.meanSignedDifference, d.direction])).toEqual([
      [ANN, -0.5, "more-generous"],
      [BEN, 0.5, "harsher"],
    ]);
  });

  it("takes its pair count and threshold from the rule given", () => {
    expect(gradingDrift([aPair(0, 1), aPair(0, 1)], { minPairs: 2, threshold: 1 }).map((d) => d.auditorEmail)).toEqual([ANN, BEN]);
  });

  it("leaves out a pair with the same auditor on both sides", () => {
    expect(gradingDrift(Array.from({ length: 5 }, () => aPair(0, 2, { second: ANN })))).toEqual([]);
  });
});

describe("periods of a moderation report", () => {
  it("May: the month, April to May of the quarter, the year from April, and six months from December", () => {
    expect(periodsFor("2026-05")).toEqual({
      month: { from: "2026-05", to: "2026-05" },
      quarter: { from: "2026-04", to: "2026-05" },
      yearToDate: { from: "2026-04", to: "2026-05" },
      lastSixMonths: { from: "2025-12", to: "2026-05" },
    });
  });

  it("February: the January quarter, and a financial year that began the April before", () => {
    expect(periodsFor("2026-02")).toMatchObject({ quarter: { from: "2026-01", to: "2026-02" }, yearToDate: { from: "2025-04", to: "2026-02" } });
  });

  it("March closes both the quarter and the financial year; April starts both", () => {
    expect(periodsFor("2026-03")).toMatchObject({ quarter: { from: "2026-01", to: "2026-03" }, yearToDate: { from: "2025-04", to: "2026-03" } });
    expect(periodsFor("2026-04")).toMatchObject({ quarter: { from: "2026-04", to: "2026-04" }, yearToDate: { from: "2026-04", to: "2026-04" } });
    expect(periodsFor("2026-12")).toMatchObject({ quarter: { from: "2026-10", to: "2026-12" }, lastSixMonths: { from: "2026-07", to: "2026-12" } });
  });

  it("refuses something that is not a month", () => {
    expect(() => periodsFor("2026-13")).toThrow(RangeError);
    expect(() => periodsFor("May 2026")).toThrow(RangeError);
  });

  it("pairsIn keeps the pairs moderated in the range, both ends included", () => {
    const months = ["2026-03", "2026-04", "2026-05", "2026-06"].map((month) => aPair(0, 0, { month, caseRef: month }));
    expect(pairsIn(months, periodsFor("2026-05").quarter).map((p) => p.month)).toEqual(["2026-04", "2026-05"]);
  });
});

describe("ranks on the toolkits' overall scales", () => {
  const toolkits = loadToolkits(defaultToolkitDir());

  it("the four-point scale runs Outstanding 0 to Inadequate 3", () => {
    const caf = toolkits.get("tier2-caf")!;
    expect(overallCategories(caf)).toBe(4);
    expect(["outstanding", "good", "requires-improvement", "inadequate"].map((v) => overallRank(caf, v))).toEqual([0, 1, 2, 3]);
  });

  it("the 2016 three-point scale runs Exceeds good 0 to Does not meet good 2; a value not on it has no rank", () => {
    const template = toolkits.get("case-file-audit-2016")!;
    expect(overallCategories(template)).toBe(3);
    expect(["exceeds-good", "meets-good", "does-not-meet-good"].map((v) => overallRank(template, v))).toEqual([0, 1, 2]);
    expect(overallRank(template, "outstanding")).toBeNull();
  });
});
