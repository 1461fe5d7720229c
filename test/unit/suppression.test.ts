// Complementary suppression of one table: with the total published, no group under the floor, and no set of hidden
// groups, can be worked out, whether by subtracting shown rows from the total or by what the hidden rows' words say.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hiddenText, suppressCounts, suppressTable, type Suppressed, type TableRow } from "../../src/domain/suppression";
import { exactLeaks, subtractionLeaks, type PublishedRow } from "../support/small-number-reader";

const table = (counts: Record<string, number>) => Object.entries(counts).map(([key, count]) => ({ key, count }));
const seen = (s: Suppressed) => Object.fromEntries(s.rows.map((r) => [r.key, r.visibility === "shown" ? r.count : hiddenText(r.visibility, 3)]));
const published = (s: Suppressed, floor: number): PublishedRow[] =>
  s.rows.map((r) => (r.visibility === "shown" ? { shown: r.count, text: String(r.count) } : { shown: null, text: hiddenText(r.visibility, floor) }));

describe("suppressCounts", () => {
  it("hides the next smallest group when the total would give away the one small group (North 5, South 1, East 4)", () => {
    // Before: North 5 and East 4 shown beside a total of 10 gave South as 1.
    const s = suppressCounts(table({ East: 4, North: 5, South: 1 }), 3);
    expect(seen(s)).toEqual({ East: "not shown", North: 5, South: "fewer than 3" });
    expect(s.withheld).toBe(false);
  });

  it("hides two small groups that add up to fewer than the floor together with the next smallest", () => {
    const s = suppressCounts(table({ A: 1, B: 1, C: 6, D: 9 }), 3);
    expect(seen(s)).toEqual({ A: "fewer than 3", B: "fewer than 3", C: "not shown", D: 9 });
  });

  it("leaves two small groups that already add up to the floor (and are not both at an end of their range) as they are", () => {
    // A + B = 3 with each 1 or 2: (1, 2) or (2, 1), so neither can be told.
    expect(seen(suppressCounts(table({ A: 1, B: 2, C: 6 }), 3))).toEqual({ A: "fewer than 3", B: "fewer than 3", C: 6 });
  });

  it("passes over a group that would leave the hidden rows the smallest their words allow (1 beside exactly 3)", () => {
    // South 1 with East 3 hidden: 4 hidden, East at least 3, South at least 1, so South is 1. North (5) protects it.
    const s = suppressCounts(table({ East: 3, North: 5, South: 1, West: 8 }), 3);
    expect(seen(s)).toEqual({ East: 3, North: "not shown", South: "fewer than 3", West: 8 });
  });

  it("withholds the table when every group that could protect the small ones holds exactly the floor (1, 1, 3, 3)", () => {
    // Hide both 3s and the hidden 8 are still 1 + 1 + 3 + 3: each the least its words allow.
    expect(suppressCounts(table({ A: 1, B: 1, C: 3, D: 3 }), 3).withheld).toBe(true);
  });

  it("withholds the table when nothing can protect it (North 3, South 1)", () => {
    const s = suppressCounts(table({ North: 3, South: 1 }), 3);
    expect(s.withheld).toBe(true);
    expect(s.rows.every((r) => r.visibility !== "shown")).toBe(true);
  });

  it("shows everything when no group is under the floor, and groups of none as 0", () => {
    expect(seen(suppressCounts(table({ A: 3, B: 0, C: 4 }), 3))).toEqual({ A: 3, B: 0, C: 4 });
  });

  it("never lets a reader work out a small group or set of groups, from any table", () => {
    const counts = fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(counts, fc.integer({ min: 3, max: 5 }), (values, floor) => {
        const rows = values.map((count, i) => ({ key: `G${i}`, count }));
        const total = values.reduce((a, b) => a + b, 0);
        const s = suppressCounts(rows, floor);
        // A withheld table publishes no rows, only its total: nothing to work out.
        if (s.withheld) return;
        const shown = published(s, floor);
        expect(subtractionLeaks(total, shown, floor)).toEqual([]);
        expect(exactLeaks(total, shown, floor)).toEqual([]);
        // Shown rows are the true counts, and at least the floor (or 0).
        for (const r of s.rows) if (r.visibility === "shown") expect(r.count === 0 || r.count >= floor).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("suppressTable", () => {
  it("publishes a hidden row's words and none of its cells, and nothing at all for a table nothing protects", () => {
    const rows: TableRow[] = [
      { key: "East", count: 1, cells: { Good: 1 } },
      { key: "North", count: 4, cells: { Good: 3, Inadequate: 1 } },
      { key: "South", count: 5, cells: { Good: 5 } },
    ];
    expect(suppressTable(rows, 3)).toEqual([
      { key: "East", count: null, text: "fewer than 3", cells: {} },
      { key: "North", count: null, text: "not shown", cells: {} },
      { key: "South", count: 5, text: "5", cells: { Good: 5 } },
    ]);
    expect(suppressTable(rows.slice(0, 1), 3)).toBeNull();
  });
});
