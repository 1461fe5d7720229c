// The digest chart Slack receives must show the digest's own figures: each bar's count is the view's count, bar heights
// are in proportion, labels are escaped, and the PNG is a real 800 px wide picture with something drawn on it.
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import type { DigestCardData } from "../../src/app/cards/views";
import { digestChartPng, digestChartSvg } from "../../src/channels/slack/digest-chart";
import { SAMPLES } from "../support/card-samples";

const sample: DigestCardData = SAMPLES.digest;

/** Another toolkit's grade words, a label that needs escaping, zeros, and a month with nothing completed. */
const quietMonth: DigestCardData = {
  ...sample,
  title: "CAF audits: January 2027 <draft> & review",
  facts: [
    { title: "Allocated", value: "5 of a target of 8" },
    { title: "Completed", value: "0 (0%)" },
    { title: "Overdue", value: "0" },
    { title: "12-month coverage", value: "n/a of open cases audited (target 20%)" },
  ],
  counts: { allocated: 5, completed: 0, overdue: 0 },
  grades: [
    { label: "Meets the standard", count: 0, countText: "0" },
    { label: "Partly meets & improving <soon>", count: 0, countText: "0" },
    { label: "Does not meet", count: 0, countText: "0" },
  ],
  hasGrades: false,
};

const busyMonth: DigestCardData = {
  ...sample,
  facts: [
    { title: "Allocated", value: "12 of a target of 10" },
    { title: "Completed", value: "9 (75%)" },
    { title: "Overdue", value: "3" },
  ],
  counts: { allocated: 12, completed: 9, overdue: 3 },
  grades: [
    { label: "Outstanding", count: 0, countText: "0" },
    { label: "Good", count: 7, countText: "7" },
    { label: "Requires Improvement", count: 1, countText: "1" },
    { label: "Inadequate", count: 1, countText: "1" },
  ],
};

const decodeXml = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

interface DrawnBar {
  group: string;
  label: string;
  value: number;
  height: number;
}

function barsOf(svg: string): DrawnBar[] {
  return [...svg.matchAll(/<rect class="bar"([^>]*)\/>/g)].map((m) => {
    const attrs = Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    return { group: attrs["data-group"]!, label: decodeXml(attrs["data-label"]!), value: Number(attrs["data-value"]), height: Number(attrs.height) };
  });
}

/** The numbers the view carries: grade counts, and the number each completion fact starts with. */
function expectedBars(data: DigestCardData) {
  const fact = (title: string) => Number(/^\d+/.exec(data.facts.find((f) => f.title === title)!.value)![0]);
  return [
    ...data.grades.map((g) => ({ group: "grades", label: g.label, value: g.count })),
    ...["Allocated", "Completed", "Overdue"].map((title) => ({ group: "completion", label: title, value: fact(title) })),
  ];
}

describe("the Slack digest chart", () => {
  for (const [name, data] of [
    ["the sample digest", sample],
    ["a month with nothing completed", quietMonth],
    ["a busy month with a zero grade", busyMonth],
  ] as const) {
    it(`draws one bar per grade and per completion figure, with the view's counts, for ${name}`, () => {
      const drawn = barsOf(digestChartSvg(data));
      expect(drawn.map(({ group, label, value }) => ({ group, label, value }))).toEqual(expectedBars(data));
    });

    it(`makes bar heights proportional to the counts within each group, for ${name}`, () => {
      const drawn = barsOf(digestChartSvg(data));
      for (const group of ["grades", "completion"]) {
        const bars = drawn.filter((b) => b.group === group);
        const max = Math.max(...bars.map((b) => b.value));
        const tallest = Math.max(...bars.map((b) => b.height));
        for (const bar of bars) {
          if (max === 0) expect(bar.height).toBe(0);
          else expect(bar.height).toBeCloseTo((bar.value / max) * tallest, 1);
        }
        if (max > 0) expect(tallest).toBeGreaterThan(100);
      }
    });
  }

  it("labels each bar with its count as text", () => {
    const svg = digestChartSvg(busyMonth);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decodeXml(m[1]!));
    for (const value of ["0", "7", "1", "12", "9", "3"]) expect(texts).toContain(value);
    expect(texts).toContain(busyMonth.title);
  });

  it("escapes labels and the title, so the SVG stays well formed", () => {
    const svg = digestChartSvg(quietMonth);
    expect(svg).not.toMatch(/<draft>|<soon>|& /);
    expect(svg).toContain("&lt;draft&gt; &amp; review");
    expect(barsOf(svg).map((b) => b.label)).toContain("Partly meets & improving <soon>");
    expect(svg).toContain("No audits were completed in this period.");
  });

  it("renders a PNG 800 pixels wide with something drawn on a white background", () => {
    for (const data of [sample, quietMonth]) {
      const png = PNG.sync.read(digestChartPng(data));
      expect(png.width).toBe(800);
      expect(png.height).toBeGreaterThan(300);
      let dark = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 128 && png.data[i + 1]! < 128 && png.data[i + 2]! < 160) dark++;
      expect(dark).toBeGreaterThan(500);
      expect([png.data[0], png.data[1], png.data[2]]).toEqual([255, 255, 255]);
    }
  });
});
