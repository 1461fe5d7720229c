// What `caf-audit jobs` says the escalation ladder and the feedback reminders hold: counts, the oldest waiting, the
// next step and what it will do, with the ladder's own decision (ladderStep) naming the step.
import { describe, expect, it } from "vitest";
import { applyLadderStep, DEFAULT_LADDER, ladderStep, resolve } from "../../src/domain/escalation";
import { ladderHolding, remindersHolding } from "../../src/domain/timer-holdings";
import { acknowledgedEscalation, feedbackRow, raisedEscalation, SEEN_TEXT } from "../support/timer-rows";

describe("ladderHolding", () => {
  it("counts open escalations, names the oldest unacknowledged and the soonest step, and leaves resolved ones out", () => {
    const older = raisedEscalation("CAF-1004", "2026-12-01T10:00:00Z");
    const newer = raisedEscalation("CAF-1008", "2026-12-02T09:15:00Z");
    const acked = acknowledgedEscalation("CAF-1012", "2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z");
    const done = resolve(acknowledgedEscalation("CAF-1016", "2026-11-30T10:00:00Z", "2026-11-30T10:30:00Z"), "lena.fisher@example.gov.uk", new Date("2026-11-30T12:00:00Z"), "Referred to MASH and the school was told.");
    if ("code" in done) throw new Error(done.code);
    const h = ladderHolding([newer, acked, older, done]);
    expect(h).toMatchObject({ count: 3, waiting: 2, oldest: { caseRef: "CAF-1004", since: "2026-12-01T10:00:00.000Z" } });
    // CAF-1004's check (2 working hours after 10:00 on 1 December) is the soonest: the FSM is reminded.
    expect(h.next).toEqual({ caseRef: "CAF-1004", at: older.nextCheckAt, step: "remind the Family Support Manager" });
  });

  it("after the reminder, the next step is the Service Leader, then the Service Leader again; acknowledged ones ask for the outcome", () => {
    const e = raisedEscalation("CAF-1004", "2026-12-01T10:00:00Z");
    const reminded = applyLadderStep(e, ladderStep(e, new Date(e.nextCheckAt!)), new Date(e.nextCheckAt!), DEFAULT_LADDER, []);
    expect(ladderHolding([reminded]).next?.step).toBe("send to the Service Leader");
    const escalated = applyLadderStep(reminded, ladderStep(reminded, new Date(reminded.nextCheckAt!)), new Date(reminded.nextCheckAt!), DEFAULT_LADDER, ["morgan.reid@example.gov.uk"]);
    expect(ladderHolding([escalated]).next?.step).toBe("send to the Service Leader again");
    const acked = acknowledgedEscalation("CAF-1012", "2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z");
    expect(ladderHolding([acked])).toMatchObject({ count: 1, waiting: 0, oldest: null, next: { step: "ask for the outcome" } });
  });

  it("holds nothing when there is nothing open, and carries no text of what was seen", () => {
    expect(ladderHolding([])).toEqual({ count: 0, waiting: 0, oldest: null, next: null });
    expect(JSON.stringify(ladderHolding([raisedEscalation("CAF-1004", "2026-12-01T10:00:00Z")]))).not.toContain(SEEN_TEXT.slice(0, 20));
  });
});

describe("remindersHolding", () => {
  it("counts pending reminders, the oldest awaiting review, and the soonest reminder with whom it goes to", () => {
    const unreviewed = feedbackRow("CAF-1004", { submittedAt: "2026-11-27T10:00:00.000Z", nextReminderAt: "2026-12-03T09:00:00.000Z" });
    const released = feedbackRow("CAF-1008", { status: "released", releasedAt: "2026-11-20T10:00:00.000Z", submittedAt: "2026-11-19T10:00:00.000Z", nextReminderAt: "2026-12-02T09:00:00.000Z" });
    const quiet = feedbackRow("CAF-1012", { status: "closed", nextReminderAt: null });
    const h = remindersHolding([unreviewed, released, quiet]);
    expect(h).toEqual({
      count: 2,
      waiting: 1,
      oldest: { caseRef: "CAF-1004", since: "2026-11-27T10:00:00.000Z" },
      next: { caseRef: "CAF-1008", at: "2026-12-02T09:00:00.000Z", step: "remind the manager to confirm corrective action" },
    });
    expect(remindersHolding([unreviewed]).next?.step).toBe("remind the QA team to review");
  });
});
