// The evidence pack's figures against hand-counted values. Floor 3: any group (the period, a month, the actions, the
// escalations, the moderated cases) with 1 or 2 members shows only "fewer than 3" and is not broken down.
import { describe, expect, it } from "vitest";
import type { DigestInput } from "../../src/domain/digest-figures";
import { evidencePack } from "../../src/domain/evidence-pack";
import type { FeedbackAction } from "../../src/domain/feedback";
import { loadToolkits, defaultToolkitDir } from "../../src/toolkits/load-toolkits";
import { acknowledgedEscalation, feedbackRow, raisedEscalation } from "../support/timer-rows";
import { submittedAudit } from "../support/submitted-audits";

const toolkits = loadToolkits(defaultToolkitDir());
const tier2 = toolkits.get("tier2-caf")!;

function input(over: Partial<DigestInput>): DigestInput {
  return { fromMonth: "2026-04", toMonth: "2026-06", today: "2026-07-10", audits: [], secondAudits: [], feedback: [], recentFeedback: [], escalations: [], toolkits, cases: new Map(), target: 0, openCases: 40, auditedLast12Months: 0, coveragePercent: 20, anonymityFloor: 3, scoreThreshold: 2.5, ...over };
}
const audit = (caseRef: string, month: string, grade: string, belowGood: string[] = []) => submittedAudit(tier2, { caseRef, serviceArea: "North", month, grade, belowGood });
const action = (id: string, over: Partial<FeedbackAction>): FeedbackAction => ({ id, action: "Hold a TAF review", byWhom: "LP", byWhen: "2026-05-28", source: "audit", rag: "red", ragHistory: [], response: null, confirmation: null, ...over });
const done = { done: true as const, note: "Held", at: "2026-05-20T10:00:00.000Z", by: "m" };

describe("evidencePack", () => {
  const year = input({
    audits: [
      audit("CAF-1", "2026-04", "good"),
      audit("CAF-2", "2026-04", "good", ["multi-agency-involvement"]),
      audit("CAF-3", "2026-04", "requires-improvement", ["multi-agency-involvement"]),
      audit("CAF-4", "2026-05", "inadequate"),
      audit("CAF-5", "2026-05", "good"),
    ],
    auditedLast12Months: 9,
    feedback: [
      feedbackRow("CAF-3", { month: "2026-04", status: "released", belowGood: true, correctiveDueOn: "2026-05-29", actions: [action("a1", { rag: "green", confirmation: done }), action("a2", { rag: "green" })] }),
      feedbackRow("CAF-4", { month: "2026-05", status: "released", belowGood: true, correctiveDueOn: "2026-06-30", actions: [action("a1", {})] }),
    ],
    escalations: [
      acknowledgedEscalation("CAF-3", "2026-04-20T10:00:00Z", "2026-04-20T10:40:00Z"),
      acknowledgedEscalation("CAF-4", "2026-05-20T10:00:00Z", "2026-05-20T11:30:00Z"),
      raisedEscalation("CAF-5", "2026-05-21T10:00:00Z"),
    ],
  });
  const pack = evidencePack(year);

  it("coverage: 9 of 40 open cases audited in the last 12 months is 22.5%, against the 20% target", () => {
    expect(pack.coverage).toEqual({ audited: { value: 9, text: "9" }, open: 40, percent: 22.5, targetPercent: 20 });
  });

  it("the period's 5 audits: 3 good, 1 requires improvement, 1 inadequate; 3b below good twice", () => {
    expect(pack.completed).toEqual({ value: 5, text: "5" });
    expect(pack.grades.map((g) => [g.label, g.count])).toEqual([["Outstanding", 0], ["Good", 3], ["Requires Improvement", 1], ["Inadequate", 1]]);
    expect(pack.themes.belowGood[0]).toMatchObject({ count: 2 });
    expect(pack.themes.belowGood[0]!.question).toMatch(/^3b /);
  });

  it("by month: May's 2 show only 'fewer than 3', and April's 3 are not shown, or the period's 5 would give May away; June's 0 shows 0", () => {
    expect(pack.months.map((m) => [m.month, m.completed.text])).toEqual([["2026-04", "not shown"], ["2026-05", "fewer than 3"], ["2026-06", "0"]]);
    expect(pack.months[0]!.grades).toEqual([]);
    expect(pack.months[1]!.grades).toEqual([]);
  });

  it("by month: April (the smallest that protects May) is not shown, and a June of 4 is broken down", () => {
    const withJune = evidencePack({ ...year, audits: [...year.audits, ...["CAF-10", "CAF-11", "CAF-12", "CAF-13"].map((ref) => audit(ref, "2026-06", "good"))] });
    expect(withJune.months.map((m) => [m.month, m.completed.text])).toEqual([["2026-04", "not shown"], ["2026-05", "fewer than 3"], ["2026-06", "4"]]);
    expect(withJune.months[2]!.grades.filter((g) => g.count > 0).map((g) => [g.label, g.count])).toEqual([["Good", 4]]);
  });

  it("learning loop: 3 actions agreed, 2 done, 1 confirmed by the manager; 2 overdue (past their corrective date unconfirmed); none verified yet", () => {
    expect(pack.learningLoop).toEqual({ agreed: { value: 3, text: "3" }, done: 2, confirmedByManager: 1, overdue: 2, verifiedChange: 0 });
  });

  it("verified change counts the re-checks answered Yes in the period, not those reopened or answered after it", () => {
    const answered = (outcome: "yes" | "no", at: string) => ({ round: 1, status: outcome === "yes" ? ("verified" as const) : ("reopened" as const), dueOn: at.slice(0, 10), questionIds: [], auditorEmail: "a", sentAt: at, answer: { outcome, evidence: "", grades: {}, action: null, at, by: "a" } });
    const recentFeedback = [
      { ...feedbackRow("CAF-7", { month: "2026-01" }), rechecks: [answered("no", "2026-04-10T10:00:00.000Z"), { ...answered("yes", "2026-05-20T10:00:00.000Z"), round: 2 }] },
      { ...feedbackRow("CAF-8", { month: "2026-02" }), rechecks: [answered("yes", "2026-07-02T10:00:00.000Z")] },
    ];
    expect(evidencePack({ ...year, recentFeedback }).learningLoop.verifiedChange).toBe(1);
  });

  it("escalations: 3 raised, one answered in 40 minutes, one in 90, one not yet; median 65 minutes", () => {
    expect(pack.escalations.raised).toEqual({ value: 3, text: "3" });
    expect(pack.escalations.medianMinutesToAcknowledge).toBe(65);
    expect(pack.escalations.responseTimes.map((b) => [b.label, b.count])).toEqual([["Within 1 hour", 1], ["1 to 2 hours", 1], ["Over 2 hours", 0], ["Not acknowledged", 1]]);
  });

  it("no moderation in the period: no moderation figures", () => {
    expect(pack.moderation).toBeNull();
  });

  it("a period of 2 audits shows 'fewer than 3' for them, and no grades, themes, actions or escalations", () => {
    const small = evidencePack({ ...year, audits: year.audits.slice(3), auditedLast12Months: 2, feedback: year.feedback.slice(1), escalations: year.escalations.slice(1) });
    expect(small.hasAudits).toBe(true);
    expect(small.completed.text).toBe("fewer than 3");
    expect(small.coverage).toMatchObject({ audited: { value: null, text: "fewer than 3" }, percent: null });
    expect(small.grades).toEqual([]);
    expect(small.themes).toEqual({ belowGood: [], strengths: [] });
    expect(small.learningLoop).toEqual({ agreed: { value: null, text: "fewer than 3" }, done: null, confirmedByManager: null, overdue: null, verifiedChange: null });
    expect(small.escalations).toEqual({ raised: { value: null, text: "fewer than 3" }, acknowledged: null, medianMinutesToAcknowledge: null, responseTimes: [] });
  });

  it("a period with no audits says so: nothing allocated or completed, every month 0", () => {
    const empty = evidencePack(input({}));
    expect(empty.hasAudits).toBe(false);
    expect(empty.completed).toEqual({ value: 0, text: "0" });
    expect(empty.months.map((m) => m.completed.text)).toEqual(["0", "0", "0"]);
    expect(empty.grades).toEqual([]);
  });
});

describe("evidencePack: moderation", () => {
  const firsts = ["good", "good", "requires-improvement", "requires-improvement", "good"].map((g, i) => ({ ...audit(`CAF-${i}`, "2026-04", g), moderated: true }));
  const seconds = ["good", "requires-improvement", "requires-improvement", "inadequate", "good"].map((g, i) => ({ ...submittedAudit(tier2, { caseRef: `CAF-${i}`, serviceArea: "North", month: "2026-04", grade: g, auditorEmail: "omar.haddad@example.gov.uk" }), pass: "second" as const, moderated: true }));

  it("5 cases graded twice: 3 the same (60%), all within one step (100%)", () => {
    const m = evidencePack(input({ audits: firsts, secondAudits: seconds })).moderation!;
    expect(m).toMatchObject({ cases: { value: 5, text: "5" }, tooFew: false, exact: 0.6, withinOne: 1 });
  });

  it("2 cases graded twice: only 'fewer than 3', no agreement figures", () => {
    expect(evidencePack(input({ audits: firsts, secondAudits: seconds.slice(0, 2) })).moderation).toEqual({ cases: { value: null, text: "fewer than 3" }, tooFew: true, exact: null, withinOne: null, kappa: null, kappaLow: null, kappaHigh: null });
  });
});
