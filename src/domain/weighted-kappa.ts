// Cohen's weighted kappa on a k x k agreement table, with the large-sample standard error of Fleiss, Cohen & Everitt
// (1969) and its 95 % confidence interval: the figures SAS PROC FREQ (AGREE), R's vcd::Kappa and psych::cohen.kappa print.
// No npm package was found that computes weighted kappa with this interval, so it is written here; pure arithmetic.

/** The normal distribution's 97.5 % point: a two-sided 95 % interval is kappa ± Z95 · ASE. */
export const Z95 = 1.959963984540054;

/** Expected agreement this close to 1 leaves kappa's denominator at nothing: kappa is undefined, not NaN. */
const UNDEFINED_WITHIN = 1e-12;

export interface KappaEstimate {
  /** Weighted observed agreement p_o(w) and chance-expected agreement p_e(w), 0..1. */
  observed: number;
  expected: number;
  /** null when undefined: an empty table, or expected agreement 1 (both raters used one and the same category). */
  kappa: number | null;
  /** Asymptotic standard error (not the one under H0: kappa = 0). 0 at perfect agreement, where the large-sample formula degenerates. */
  ase: number | null;
  /** kappa ± Z95 · ase, clipped to [-1, 1]. */
  low: number | null;
  high: number | null;
}

/** Linear (Cicchetti-Allison, "equal spacing") weights: w_ij = 1 - |i - j| / (k - 1). SAS's default for weighted kappa. */
export function linearWeights(categories: number): number[][] {
  if (!Number.isInteger(categories) || categories < 2) throw new RangeError(`linear weights need at least 2 categories, not ${categories}`);
  return square(categories, (i, j) => 1 - Math.abs(i - j) / (categories - 1));
}

/** Identity weights: weighted kappa with these is Cohen's simple (unweighted) kappa. */
export function identityWeights(categories: number): number[][] {
  return square(categories, (i, j) => (i === j ? 1 : 0));
}

/** Counts of (first rater's category, second rater's category) as a k x k table: rows the first rater. */
export function agreementTable(ratings: readonly (readonly [number, number])[], categories: number): number[][] {
  const table = square(categories, () => 0);
  for (const [a, b] of ratings) {
    if (!isCategory(a, categories) || !isCategory(b, categories)) throw new RangeError(`rating (${a}, ${b}) is outside 0..${categories - 1}`);
    table[a]![b]! += 1;
  }
  return table;
}

/**
 * Weighted kappa with Fleiss, Cohen & Everitt's (1969) asymptotic variance:
 *   var = [ sum_ij p_ij (w_ij - (wbar_i. + wbar_.j)(1 - kappa))^2 - (kappa - p_e (1 - kappa))^2 ] / (n (1 - p_e)^2)
 * where wbar_i. = sum_j p_.j w_ij and wbar_.j = sum_i p_i. w_ij. Symmetric weights make every figure the same whichever
 * rater is the row.
 */
export function weightedKappa(table: readonly (readonly number[])[], weights: readonly (readonly number[])[]): KappaEstimate {
  const k = table.length;
  if (k === 0 || table.some((row) => row.length !== k) || weights.length !== k || weights.some((row) => row.length !== k)) {
    throw new RangeError("weighted kappa needs a square table and a weight matrix of the same size");
  }
  const n = table.reduce((sum, row) => sum + row.reduce((s, x) => s + x, 0), 0);
  const none: KappaEstimate = { observed: 0, expected: 0, kappa: null, ase: null, low: null, high: null };
  if (n === 0) return none;

  const p = table.map((row) => row.map((x) => x / n));
  const rows = p.map((row) => row.reduce((s, x) => s + x, 0));
  const cols = Array.from({ length: k }, (_, j) => p.reduce((s, row) => s + row[j]!, 0));
  const w = (i: number, j: number) => weights[i]![j]!;

  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      observed += w(i, j) * p[i]![j]!;
      expected += w(i, j) * rows[i]! * cols[j]!;
    }
  }
  if (1 - expected < UNDEFINED_WITHIN) return { ...none, observed, expected };

  const kappa = (observed - expected) / (1 - expected);
  const rowMeans = Array.from({ length: k }, (_, i) => cols.reduce((s, c, j) => s + c * w(i, j), 0));
  const colMeans = Array.from({ length: k }, (_, j) => rows.reduce((s, r, i) => s + r * w(i, j), 0));
  let spread = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) spread += p[i]![j]! * (w(i, j) - (rowMeans[i]! + colMeans[j]!) * (1 - kappa)) ** 2;
  }
  // The bracket is a variance times n (1 - p_e)^2, so never below 0; rounding can push a perfect table a hair under.
  const variance = Math.max(0, spread - (kappa - expected * (1 - kappa)) ** 2) / (n * (1 - expected) ** 2);
  const ase = Math.sqrt(variance);
  return { observed, expected, kappa, ase, low: Math.max(-1, kappa - Z95 * ase), high: Math.min(1, kappa + Z95 * ase) };
}

function square(k: number, cell: (i: number, j: number) => number): number[][] {
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => cell(i, j)));
}

function isCategory(x: number, categories: number): boolean {
  return Number.isInteger(x) && x >= 0 && x < categories;
}
