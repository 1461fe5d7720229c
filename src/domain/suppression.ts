// Small-number suppression of a published one-way table (groups and their counts, beside a published total): which
// rows to hide so that nobody can work out a group's count, or the count of any set of hidden groups, as a number
// from 1 to floor - 1. Used by the digest (card and JSON), its grade tables and the six-monthly review; the evidence
// pack calls `suppressCounts` too. Pure.
//
// Rules chosen here:
// - The total of the table is always assumed published (the digest prints it; two quarterly digests add up to a
//   six-monthly review's), so it is never what gets hidden: when no set of rows can protect the small ones, the table
//   is withheld instead (`withheld`): the digest lists none of its groups, and the review, which must list its
//   areas, shows every one of them (even one with none) as "not shown".
// - Primary suppression: a group with 1 to floor - 1 audits is hidden and labelled "fewer than N" (the reader learns
//   it is 1 to N - 1, and nothing else).
// - Complementary suppression: while the hidden rows could still be worked out, the smallest shown row (ties by key)
//   that makes them safe is hidden too, labelled "not shown". The reader knows such a row holds at least `floor`
//   (else it would say "fewer than N"), so the check counts that knowledge: with S the hidden total (total minus the
//   shown rows), k rows "fewer than N" and m rows "not shown", the hidden rows are safe when S is 0, or when
//   S >= floor and S is neither k + m * floor (every small row 1, every other exactly floor) nor, with m = 0,
//   k * (floor - 1) (every row the largest a small row can be). Any other S leaves every hidden row, and every set
//   of them, two or more values. So one row always suffices, unless every small row is 1 and every shown row holds
//   exactly the floor: then no set of rows is safe, and the table is withheld.
// - Grade cells follow their row: a shown row shows all its cells, a hidden row none. Column totals minus the shown
//   cells give only the hidden rows' grades together, and those rows together hold 0 or at least `floor` audits:
//   the same as a shown row of that size would publish.
// - Rows with no audits are shown as 0: nothing to protect, and hiding them would add nothing.
// - At floor 2, "fewer than 2" can only mean 1: the label itself says it. The rules still stop a single audit's grade
//   from being worked out.

export type Visibility = "shown" | "under-floor" | "complementary";

export interface CountRow<K = string> {
  key: K;
  count: number;
}

export interface Suppressed<K = string> {
  /** The input rows, in their order, each with whether it is shown. All hidden when `withheld`. */
  rows: (CountRow<K> & { visibility: Visibility })[];
  /** No suppression pattern protects the small rows: publish none of this table's rows (the total may stay). */
  withheld: boolean;
}

/** The words a hidden count is shown as. */
export const hiddenText = (visibility: Exclude<Visibility, "shown">, floor: number): string =>
  visibility === "under-floor" ? `fewer than ${floor}` : NOT_SHOWN;
/** A row hidden only so that a smaller one cannot be worked out from the total. */
export const NOT_SHOWN = "not shown";

/** Whether hidden rows (their true counts and labels) can be told apart by a reader who knows the total. */
export function hiddenRowsSafe(hidden: readonly { count: number; visibility: Exclude<Visibility, "shown"> }[], floor: number): boolean {
  const total = hidden.reduce((sum, r) => sum + r.count, 0);
  if (total === 0) return true;
  if (total < floor) return false;
  const small = hidden.filter((r) => r.visibility === "under-floor").length;
  const others = hidden.length - small;
  const least = small + others * floor;
  const most = others === 0 ? small * (floor - 1) : Infinity;
  return total !== least && total !== most;
}

/** Decide which rows of a table to show. `floor` is the anonymity floor (a group needs at least this many to show). */
export function suppressCounts<K>(rows: readonly CountRow<K>[], floor: number, keyOrder: (a: K, b: K) => number = defaultOrder): Suppressed<K> {
  const visibility = rows.map((r): Visibility => (r.count > 0 && r.count < floor ? "under-floor" : "shown"));
  const hidden = () => rows.flatMap((r, i) => (visibility[i] === "shown" ? [] : [{ count: r.count, visibility: visibility[i] as Exclude<Visibility, "shown"> }]));
  // Candidates for complementary suppression: shown rows with audits, smallest first.
  const candidates = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r, i }) => visibility[i] === "shown" && r.count > 0)
    .sort((a, b) => a.r.count - b.r.count || keyOrder(a.r.key, b.r.key));
  while (!hiddenRowsSafe(hidden(), floor)) {
    if (candidates.length === 0) return { rows: rows.map((r) => ({ ...r, visibility: r.count > 0 && r.count < floor ? "under-floor" : "complementary" })), withheld: true };
    // The smallest row that makes the hidden rows safe on its own; failing that, the smallest, and look again.
    const safeAt = candidates.findIndex((c) => hiddenRowsSafe([...hidden(), { count: c.r.count, visibility: "complementary" }], floor));
    const [next] = candidates.splice(Math.max(safeAt, 0), 1);
    visibility[next!.i] = "complementary";
  }
  return { rows: rows.map((r, i) => ({ ...r, visibility: visibility[i]! })), withheld: false };
}

function defaultOrder<K>(a: K, b: K): number {
  return String(a).localeCompare(String(b), "en-GB");
}

/** A row of a table with its cells (e.g. audits per overall grade), before suppression. */
export interface TableRow<K = string> extends CountRow<K> {
  cells: Readonly<Record<string, number>>;
}

/** A row as it may be published: a hidden row keeps only its words, and none of its cells. */
export interface PublishedTableRow<K = string> {
  key: K;
  count: number | null;
  text: string;
  cells: Record<string, number>;
}

/**
 * A whole table as it may be published beside its total, for any output that lists groups (the evidence pack's
 * tables, say): shown rows with their count and cells, hidden rows as "fewer than N" or "not shown" with no cells, and
 * null when the table must be withheld (publish its total only).
 */
export function suppressTable<K>(rows: readonly TableRow<K>[], floor: number, keyOrder?: (a: K, b: K) => number): PublishedTableRow<K>[] | null {
  const suppressed = suppressCounts(rows, floor, keyOrder);
  if (suppressed.withheld) return null;
  return rows.map((row, i) => {
    const visibility = suppressed.rows[i]!.visibility;
    if (visibility === "shown") return { key: row.key, count: row.count, text: String(row.count), cells: { ...row.cells } };
    return { key: row.key, count: null, text: hiddenText(visibility, floor), cells: {} };
  });
}
