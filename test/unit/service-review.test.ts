// The six-monthly service review's figures per area, against hand-counted values. Floor 3: an area with fewer
// audits than that in a period shows "fewer than 3" and nothing else for that period; the next smallest area shows
// "not shown" where the period's total would otherwise give the small one away.
import { describe, expect, it } from "vitest";
import type { DigestInput } from "../../src/domain/digest-figures";
import { serviceReview } from "../../src/domain/service-review";
import { loadToolkits, defaultToolkitDir } from "../../src/toolkits/load-toolkits";
import { feedbackRow, acknowledgedEscalation, raisedEscalation } from "../support/timer-rows";
import { submittedAudit } from "../support/submitted-audits";

const toolkits = loadToolkits(defaultToolkitDir());
const tier2 = toolkits.get("tier2-caf")!;

function input(fromMonth: string, toMonth: string, over: Partial<DigestInput>): DigestInput {
  return { fromMonth, toMonth, today: "2027-01-10", audits: [], secondAudits: [], feedback: [], recentFeedback: [], escalations: [], toolkits, cases: new Map(), target: 0, openCases: 0, auditedLast12Months: 0, coveragePercent: 20, anonymityFloor: 3, scoreThreshold: 2.8, ...over };
}

describe("serviceReview", () => {
  const north = (caseRef: string, grade: string, belowGood: string[] = [], month = "2026-11") => submittedAudit(tier2, { caseRef, serviceArea: "North", month, grade, belowGood });
  const period = input("2026-07", "2026-12", {
    audits: [
      north("CAF-1", "good", ["multi-agency-involvement"]),
      north("CAF-2", "good"),
      north("CAF-3", "requires-improvement", ["multi-agency-involvement", "smart-plan-progress"]),
      submittedAudit(tier2, { caseRef: "CAF-4", serviceArea: "South", month: "2026-11", grade: "inadequate" }),
      submittedAudit(tier2, { caseRef: "CAF-5", serviceArea: "South", month: "2026-12", grade: "inadequate" }),
      ...["CAF-6", "CAF-7", "CAF-8"].map((caseRef) => submittedAudit(tier2, { caseRef, serviceArea: "East", month: "2026-10", grade: "good" })),
    ],
    feedback: [
      feedbackRow("CAF-3", {
        month: "2026-11",
        serviceArea: "North",
        actions: [
          { id: "a1", action: "Hold a TAF review", byWhom: "LP", byWhen: "2026-12-15", source: "audit", rag: "green", ragHistory: [], response: null, confirmation: { done: true, note: "Held", at: "2026-12-14T10:00:00.000Z", by: "m" } },
          { id: "a2", action: "Update the plan", byWhom: "LP", byWhen: "2026-12-01", source: "audit", rag: "green", ragHistory: [], response: null, confirmation: { done: true, note: "Done", at: "2026-12-09T10:00:00.000Z", by: "m" } },
        ],
      }),
    ],
    escalations: [{ ...acknowledgedEscalation("CAF-3", "2026-11-30T10:00:00Z", "2026-11-30T10:40:00Z"), serviceArea: "North" }, { ...raisedEscalation("CAF-4", "2026-11-30T10:00:00Z"), serviceArea: "South" }],
  });
  const previous = input("2026-01", "2026-06", { audits: [north("CAF-9", "good", [], "2026-03")] });
  const review = serviceReview(period, previous);

  it("lists every area of either period, by name", () => {
    expect(review.areas.map((a) => a.serviceArea)).toEqual(["East", "North", "South"]);
  });

  it("North: 3 audits, 2 good and 1 requires improvement, average (3+3+2)/3 = 2.67, below the 2.8 threshold", () => {
    const p = review.areas[1]!.period;
    expect(p.audits).toEqual({ value: 3, text: "3" });
    expect(p.grades).toEqual([
      { label: "Outstanding", count: 0 },
      { label: "Good", count: 2 },
      { label: "Requires Improvement", count: 1 },
      { label: "Inadequate", count: 0 },
    ]);
    expect(p.averageScore).toBe(2.67);
    expect(p.belowThreshold).toBe(true);
  });

  it("North's themes: 3b graded below good twice, then the SMART plan question once", () => {
    const themes = review.areas[1]!.period.themes;
    expect(themes.map((t) => t.count)).toEqual([2, 1]);
    expect(themes[0]!.question).toMatch(/^3b /);
  });

  it("North's actions: 2 set, 1 confirmed by its date, 1 after it; unsafe practice: 1 raised, acknowledged in 40 minutes", () => {
    const p = review.areas[1]!.period;
    expect(p.actions).toEqual({ set: 2, doneOnTime: 1, doneLate: 1, overdue: 0, verified: 0 });
    expect(p.unsafePractice).toEqual({ raised: 1, acknowledged: 1, medianMinutesToAcknowledge: 40 });
  });

  it("South's 2 show only 'fewer than 3', and East (3, first of the smallest by name) only 'not shown', as 8 - 3 - 3 would be South's", () => {
    const hidden = { grades: [], averageScore: null, belowThreshold: false, themes: [], actions: null, unsafePractice: null };
    expect(review.areas[2]!.period).toMatchObject({ audits: { value: null, text: "fewer than 3" }, ...hidden });
    expect(review.areas[0]!.period).toMatchObject({ audits: { value: null, text: "not shown" }, ...hidden });
  });

  it("the six months before held 1 audit in all (North's): every area shows only 'not shown' for them, even those with none", () => {
    // "0" beside South and East would leave North's "not shown" as the 1 of the period's total.
    for (const a of review.areas) expect(a.previous).toMatchObject({ audits: { value: null, text: "not shown" }, grades: [], themes: [], actions: null, unsafePractice: null });
  });

  it("shows an area with no audits in a span as 0 when nothing needs hiding", () => {
    const quiet = serviceReview(period, input("2026-01", "2026-06", {}));
    expect(quiet.areas.map((a) => a.previous.audits.text)).toEqual(["0", "0", "0"]);
  });
});

describe("serviceReview by the audit's area", () => {
  it("averages all of an area's audits even when the register now puts one of its cases in another area", () => {
    const audits = ["CAF-1", "CAF-2", "CAF-3", "CAF-4"].map((caseRef) => submittedAudit(tier2, { caseRef, serviceArea: "North", month: "2026-11", grade: "good" }));
    const cases = new Map(audits.map((a, i) => [a.caseRef, { caseRef: a.caseRef, serviceArea: i === 0 ? "South" : "North", ageBand: null, stepDown: false, primaryNeed: null }]));
    const north = serviceReview(input("2026-07", "2026-12", { audits, cases }), input("2026-01", "2026-06", {})).areas[0]!;
    expect(north.period).toMatchObject({ audits: { value: 4, text: "4" }, averageScore: 3 });
  });
});
