// A reader trying to work out small groups from a published table: the total, the shown rows, and what each hidden
// row's words say about it ("fewer than 3" is 1 or 2; "not shown" is a group big enough to be shown). Used by the
// suppression property tests; it knows nothing of how src/domain/suppression.ts decides.

export interface PublishedRow {
  /** The count as published, or null when the row shows words instead. */
  shown: number | null;
  /** The words of a hidden row: "fewer than N" or "not shown". */
  text: string;
}

/**
 * Differences between the total and every non-empty subset of shown rows: each is the count of the rows left out of
 * it. (The total itself is published as it is: a period's own total is not a group worked out from others.)
 */
export function subtractionLeaks(total: number, rows: readonly PublishedRow[], floor: number): number[] {
  const shown = rows.flatMap((r) => (r.shown === null ? [] : [r.shown]));
  const leaks: number[] = [];
  for (let mask = 1; mask < 1 << shown.length; mask++) {
    const left = total - shown.reduce((sum, n, i) => (mask & (1 << i) ? sum + n : sum), 0);
    if (left > 0 && left < floor) leaks.push(left);
  }
  return leaks;
}

/** The range a hidden row's words allow, within the hidden total. */
function bounds(text: string, floor: number, hiddenTotal: number): [number, number] {
  if (text === `fewer than ${floor}`) return [1, floor - 1];
  if (text === "not shown") return [0, hiddenTotal];
  throw new Error(`a hidden row reads "${text}"`);
}

/**
 * Every set of hidden rows whose count is the same in every table consistent with what was published, and between
 * 1 and floor - 1: found by trying every possible count of every hidden row (so keep tables small). A "not shown" row
 * is taken to hold at least `floor` when `notShownAtLeastFloor` (a reader who knows the rule), else at least 0.
 */
export function exactLeaks(total: number, rows: readonly PublishedRow[], floor: number, notShownAtLeastFloor = true): { rows: number[]; value: number }[] {
  const hiddenAt = rows.flatMap((r, i) => (r.shown === null ? [i] : []));
  // A table with no rows at all (withheld) publishes only its total: nothing to work out.
  if (rows.length === 0) return [];
  const hiddenTotal = total - rows.reduce((sum, r) => sum + (r.shown ?? 0), 0);
  const ranges = hiddenAt.map((i) => {
    const [lo, hi] = bounds(rows[i]!.text, floor, hiddenTotal);
    return [rows[i]!.text === "not shown" && notShownAtLeastFloor ? floor : lo, hi] as const;
  });
  const subsets = 1 << hiddenAt.length;
  const min = new Array<number>(subsets).fill(Infinity);
  const max = new Array<number>(subsets).fill(-Infinity);
  const values: number[] = [];
  let solutions = 0;
  const visit = (at: number, left: number) => {
    if (at === hiddenAt.length) {
      if (left !== 0) return;
      solutions++;
      const sums = new Array<number>(subsets).fill(0);
      for (let mask = 1; mask < subsets; mask++) {
        const low = 31 - Math.clz32(mask & -mask);
        sums[mask] = sums[mask & (mask - 1)]! + values[low]!;
        min[mask] = Math.min(min[mask]!, sums[mask]!);
        max[mask] = Math.max(max[mask]!, sums[mask]!);
      }
      return;
    }
    const [lo, hi] = ranges[at]!;
    for (let v = lo; v <= Math.min(hi, left); v++) {
      values[at] = v;
      visit(at + 1, left - v);
    }
  };
  visit(0, hiddenTotal);
  if (solutions === 0) throw new Error("no table fits what was published: the reader's model is wrong");
  const leaks: { rows: number[]; value: number }[] = [];
  for (let mask = 1; mask < subsets; mask++) {
    // Every row hidden: their sum is the published total itself, not something worked out.
    if (mask === subsets - 1 && hiddenTotal === total) continue;
    if (min[mask] === max[mask] && min[mask]! > 0 && min[mask]! < floor) leaks.push({ rows: hiddenAt.filter((_, j) => mask & (1 << j)), value: min[mask]! });
  }
  return leaks;
}
