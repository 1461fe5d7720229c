// Closing the loop after an audit, as pure rules: the feedback a submitted audit starts, QA release, the lead
// professional's reply (idempotent, own actions), RAG progress with history, the manager's confirmations below
// good, closing, and which confirmations are overdue. Times are fixed instants; December and January are GMT.
import { describe, expect, it } from "vitest";
import type { Audit } from "../../src/domain/audit";
import {
  applyLpReply,
  close,
  confirmActions,
  feedbackFor,
  overdueActions,
  release,
  replyProblems,
  updateRag,
  type Feedback,
  type FeedbackRules,
  type LpReply,
  type Problem,
} from "../../src/domain/feedback";
import type { Toolkit } from "../../src/domain/toolkit";
import { defaultToolkitDir, loadToolkits } from "../../src/toolkits/load-toolkits";

const TOOLKIT: Toolkit = loadToolkits(defaultToolkitDir()).get("tier2-caf")!;
const RULES: FeedbackRules = { reviewReminderDays: 2, correctiveReminderDays: 5, recheckDelayDays: 20 };
const LP = "farah.khan@example.gov.uk";
const MANAGER = "asha.patel@example.gov.uk";
const AUDITOR = "ben.okafor@example.gov.uk";
const QA = "kit.morris@example.gov.uk";
/** Tuesday 1 December 2026, 09:30 in London. */
const SUBMITTED = new Date("2026-12-01T09:30:00Z");
const at = (iso: string) => new Date(iso);

function submittedAudit(grade = "requires-improvement", overrides: Partial<Audit> = {}): Audit {
  return {
    caseRef: "CAF-1006",
    serviceArea: "Early Help North",
    auditorEmail: AUDITOR,
    month: "2026-12",
    dueOn: "2026-12-31",
    toolkitId: "tier2-caf",
    allocatedAt: "2026-12-01T08:00:00.000Z",
    status: "submitted",
    sectionIndex: TOOLKIT.sections.length,
    sections: {},
    final: {
      overallGrade: grade,
      justification: "The plan is not reviewed often enough and the child's voice fades after the assessment.",
      actions: [
        { action: "Hold a TAF review and record the child's views", byWhom: "Lead professional", byWhen: "2027-01-15" },
        { action: "", byWhom: "", byWhen: "" },
        { action: "Update the plan with SMART outcomes", byWhom: "Lead professional", byWhen: "2027-01-22" },
        { action: "Half-filled row", byWhom: "", byWhen: "2027-01-22" },
      ],
    },
    submittedAt: SUBMITTED.toISOString(),
    version: 1,
    corrections: [],
    declines: [],
    pass: "first",
    moderated: false,
    ...overrides,
  };
}

const waiting = (grade = "requires-improvement", overrides: Partial<Audit> = {}) => feedbackFor(submittedAudit(grade, overrides), TOOLKIT, { lp: LP, manager: MANAGER }, RULES, SUBMITTED);
const released = (grade = "requires-improvement") => release(waiting(grade), QA, at("2026-12-02T10:00:00Z"), RULES);

function reply(overrides: Partial<LpReply> = {}): LpReply {
  return {
    replyId: "r1",
    comment: "  I agree the plan slipped; I will meet the family next week.  ",
    responses: {
      a1: { accept: true, date: "2027-01-12", proposal: "", reason: "" },
      a2: { accept: false, date: "", proposal: " Review the plan at the next TAF instead ", reason: " The family asked for fewer meetings " },
    },
    ownActions: [
      { action: " Visit the school to hear the child's views ", byWhom: " Lead professional ", byWhen: "2027-01-08" },
      { action: "", byWhom: "", byWhen: "" },
    ],
    ...overrides,
  };
}

const isProblems = (x: Feedback | Problem[]): x is Problem[] => Array.isArray(x);
function ok(x: Feedback | Problem[]): Feedback {
  if (isProblems(x)) throw new Error(`expected feedback, got problems: ${JSON.stringify(x)}`);
  return x;
}

describe("feedbackFor: the feedback a submitted audit starts", () => {
  it("carries the case, grade, people and the complete action rows only, waiting for QA review", () => {
    const f = waiting();
    expect(f).toMatchObject({
      month: "2026-12",
      caseRef: "CAF-1006",
      serviceArea: "Early Help North",
      auditVersion: 1,
      auditorEmail: AUDITOR,
      leadProfessionalEmail: LP,
      managerEmail: MANAGER,
      grade: "requires-improvement",
      belowGood: true,
      status: "awaiting_review",
      submittedAt: SUBMITTED.toISOString(),
      releasedAt: null,
      releasedBy: null,
      lpComment: null,
      managerComment: null,
      closedReason: null,
      closedBy: null,
      replyIds: [],
    });
    // The blank row and the half-filled row are not actions; the rest are numbered in order.
    expect(f.actions).toEqual([
      { id: "a1", action: "Hold a TAF review and record the child's views", byWhom: "Lead professional", byWhen: "2027-01-15", source: "audit", rag: "red", ragHistory: [], response: null, confirmation: null },
      { id: "a2", action: "Update the plan with SMART outcomes", byWhom: "Lead professional", byWhen: "2027-01-22", source: "audit", rag: "red", ragHistory: [], response: null, confirmation: null },
    ]);
  });

  it("below good, sets the corrective-action date to the last working day of the month after the audit", () => {
    expect(waiting("requires-improvement").correctiveDueOn).toBe("2027-01-29"); // Friday
    expect(waiting("inadequate").correctiveDueOn).toBe("2027-01-29");
    // A month ending on a weekend: October 2027 ends on Sunday the 31st, so Friday the 29th.
    expect(waiting("inadequate", { month: "2027-09" }).correctiveDueOn).toBe("2027-10-29");
    // November's audit: December's last working day is Friday 31 December 2027 (the 27th and 28th are bank holidays).
    expect(waiting("inadequate", { month: "2027-11" }).correctiveDueOn).toBe("2027-12-31");
  });

  it("at good or above, has no corrective-action date", () => {
    for (const grade of ["good", "outstanding"]) {
      const f = waiting(grade);
      expect(f.belowGood, grade).toBe(false);
      expect(f.correctiveDueOn, grade).toBeNull();
    }
  });

  it("reminds the QA team after the configured working days of waiting for review, at 09:00 London", () => {
    // Tuesday 1 December + 2 working days = Thursday 3 December.
    expect(waiting().nextReminderAt).toBe("2026-12-03T09:00:00.000Z");
    // Submitted on Thursday 24 December: Christmas Day and the Boxing Day substitute (Monday 28th) are skipped.
    const xmas = feedbackFor(submittedAudit(), TOOLKIT, { lp: LP, manager: MANAGER }, RULES, at("2026-12-24T11:00:00Z"));
    expect(xmas.nextReminderAt).toBe("2026-12-30T09:00:00.000Z");
  });

  it("keeps no LP or manager when the case register has none", () => {
    const f = feedbackFor(submittedAudit(), TOOLKIT, { lp: null, manager: null }, RULES, SUBMITTED);
    expect(f.leadProfessionalEmail).toBeNull();
    expect(f.managerEmail).toBeNull();
  });
});

describe("release", () => {
  it("sends the feedback with who and when, and below good schedules the first corrective reminder", () => {
    const f = released();
    expect(f.status).toBe("released");
    expect(f.releasedAt).toBe("2026-12-02T10:00:00.000Z");
    expect(f.releasedBy).toBe(QA);
    // Wednesday 2 December + 5 working days = Wednesday 9 December, 09:00.
    expect(f.nextReminderAt).toBe("2026-12-09T09:00:00.000Z");
  });

  it("at good, leaves nothing to chase", () => {
    expect(released("good").nextReminderAt).toBeNull();
  });
});

describe("the lead professional's reply", () => {
  it("accepts a complete reply", () => {
    expect(replyProblems(released(), reply())).toEqual([]);
  });

  it("needs a real date for an accepted action", () => {
    for (const date of ["", "2027-02-30", "15/01/2027"]) {
      const problems = replyProblems(released(), reply({ responses: { a1: { accept: true, date, proposal: "", reason: "" } } }));
      expect(problems, date).toEqual([{ field: "action.a1.date", message: "Give the date you will complete action 1 by." }]);
    }
  });

  it("needs both the change and the reason for a proposed change", () => {
    const f = released();
    const noReason = replyProblems(f, reply({ responses: { a2: { accept: false, date: "", proposal: "Review at the next TAF", reason: "  " } } }));
    expect(noReason).toEqual([{ field: "action.a2.proposal", message: "Say what change you propose to action 2, and why." }]);
    const noProposal = replyProblems(f, reply({ responses: { a2: { accept: false, date: "", proposal: "", reason: "The family asked for fewer meetings" } } }));
    expect(noProposal).toHaveLength(1);
  });

  it("needs an own action complete (action, who, a real date), but ignores a blank row", () => {
    const f = released();
    const blank = { action: "", byWhom: "", byWhen: "" };
    expect(replyProblems(f, reply({ ownActions: [blank, blank] }))).toEqual([]);
    const half = replyProblems(f, reply({ ownActions: [blank, { action: "Call the school nurse", byWhom: "", byWhen: "2027-01-08" }] }));
    expect(half).toEqual([{ field: "own.1.action", message: "Complete your own action 2: the action, who, and a date." }]);
    const badDate = replyProblems(f, reply({ ownActions: [{ action: "Call the school nurse", byWhom: "LP", byWhen: "next week" }, blank] }));
    expect(badDate.map((p) => p.field)).toEqual(["own.0.action"]);
  });

  it("stores the answers, the comment and the own actions with who and when", () => {
    const now = at("2026-12-03T14:00:00Z");
    const f = applyLpReply(released(), reply(), now, LP);
    const when = now.toISOString();
    expect(f.actions.find((a) => a.id === "a1")!.response).toEqual({ accepted: true, date: "2027-01-12", at: when, by: LP });
    expect(f.actions.find((a) => a.id === "a2")!.response).toEqual({
      accepted: false,
      proposal: "Review the plan at the next TAF instead",
      reason: "The family asked for fewer meetings",
      at: when,
      by: LP,
    });
    expect(f.lpComment).toEqual({ text: "I agree the plan slipped; I will meet the family next week.", at: when, by: LP });
    // The blank row is not an action; the filled one is added, as the LP's own, not yet started.
    expect(f.actions).toHaveLength(3);
    expect(f.actions[2]).toEqual({
      id: "l3",
      action: "Visit the school to hear the child's views",
      byWhom: "Lead professional",
      byWhen: "2027-01-08",
      source: "lead_professional",
      rag: "red",
      ragHistory: [],
      response: null,
      confirmation: null,
    });
    expect(f.replyIds).toEqual(["r1"]);
  });

  it("names the case's lead professional as the sender when no one else is given", () => {
    const f = applyLpReply(released(), reply(), at("2026-12-03T14:00:00Z"));
    expect(f.lpComment?.by).toBe(LP);
  });

  it("stores one reply however often the same reply arrives", () => {
    const once = applyLpReply(released(), reply(), at("2026-12-03T14:00:00Z"), LP);
    const twice = applyLpReply(once, reply(), at("2026-12-03T14:00:05Z"), LP);
    expect(twice).toBe(once);
    expect(twice.replyIds).toEqual(["r1"]);
    expect(twice.actions).toHaveLength(3);
  });

  it("a later, different reply adds its own actions after the others and keeps the earlier comment when it has none", () => {
    const first = applyLpReply(released(), reply(), at("2026-12-03T14:00:00Z"), LP);
    const second = applyLpReply(
      first,
      reply({ replyId: "r2", comment: "  ", responses: {}, ownActions: [{ action: "Refer to the family hub", byWhom: "LP", byWhen: "2027-01-20" }] }),
      at("2026-12-04T10:00:00Z"),
      LP,
    );
    expect(second.actions.map((a) => a.id)).toEqual(["a1", "a2", "l3", "l4"]);
    expect(second.lpComment).toEqual(first.lpComment);
    expect(second.replyIds).toEqual(["r1", "r2"]);
    // Answers given earlier are not lost by a reply that does not mention them.
    expect(second.actions[0]!.response).toEqual(first.actions[0]!.response);
  });
});

describe("RAG progress", () => {
  it("records each change with who and when, and ignores a change to the same colour", () => {
    let f = released();
    f = updateRag(f, { a1: "amber" }, LP, at("2026-12-10T10:00:00Z"));
    f = updateRag(f, { a1: "amber", a2: "red" }, MANAGER, at("2026-12-11T10:00:00Z"));
    f = updateRag(f, { a1: "green" }, MANAGER, at("2026-12-14T10:00:00Z"));
    expect(f.actions[0]!.rag).toBe("green");
    expect(f.actions[0]!.ragHistory).toEqual([
      { at: "2026-12-10T10:00:00.000Z", by: LP, rag: "amber" },
      { at: "2026-12-14T10:00:00.000Z", by: MANAGER, rag: "green" },
    ]);
    expect(f.actions[1]!.ragHistory).toEqual([]);
    expect(f.status).toBe("released");
  });

  it("closes a good audit when every action is green, saying so and who made it green", () => {
    const f = updateRag(released("good"), { a1: "green", a2: "green" }, MANAGER, at("2026-12-14T10:00:00Z"));
    expect(f).toMatchObject({ status: "closed", closedReason: "Every action is done (Green).", closedBy: MANAGER, nextReminderAt: null });
  });

  it("keeps an audit below good open while its actions are green but not yet confirmed by the manager", () => {
    const f = updateRag(released(), { a1: "green", a2: "green" }, LP, at("2026-12-14T10:00:00Z"));
    expect(f.status).toBe("released");
    const confirmed = ok(confirmActions(f, { a1: { done: true, note: "Review held", newDate: "" }, a2: { done: true, note: "Plan updated", newDate: "" } }, MANAGER, at("2026-12-15T10:00:00Z")));
    expect(confirmed).toMatchObject({ status: "closed", closedBy: MANAGER });
  });

  it("does not close while one action is not green, nor feedback QA has not released", () => {
    expect(updateRag(released(), { a1: "green" }, LP, at("2026-12-14T10:00:00Z")).status).toBe("released");
    expect(updateRag(waiting(), { a1: "green", a2: "green" }, LP, at("2026-12-14T10:00:00Z")).status).toBe("awaiting_review");
  });

  it("counts the lead professional's own actions too", () => {
    const f = applyLpReply(released("good"), reply(), at("2026-12-03T14:00:00Z"), LP);
    expect(updateRag(f, { a1: "green", a2: "green" }, MANAGER, at("2026-12-14T10:00:00Z")).status).toBe("released");
    expect(updateRag(f, { a1: "green", a2: "green", l3: "green" }, MANAGER, at("2026-12-14T10:00:00Z")).status).toBe("closed");
  });
});

describe("the manager's corrective-action confirmations", () => {
  it("done with a note turns the action green, with who and when", () => {
    const f = ok(confirmActions(released(), { a1: { done: true, note: "TAF review held on 5 Jan; child's views recorded.", newDate: "" } }, MANAGER, at("2027-01-06T11:00:00Z")));
    expect(f.actions[0]).toMatchObject({
      rag: "green",
      confirmation: { done: true, note: "TAF review held on 5 Jan; child's views recorded.", at: "2027-01-06T11:00:00.000Z", by: MANAGER },
      ragHistory: [{ at: "2027-01-06T11:00:00.000Z", by: MANAGER, rag: "green" }],
    });
    expect(f.actions[1]!.confirmation).toBeNull();
    expect(f.status).toBe("released");
  });

  it("done needs a short note", () => {
    const problems = confirmActions(released(), { a1: { done: true, note: " ", newDate: "" } }, MANAGER, at("2027-01-06T11:00:00Z"));
    expect(problems).toEqual([{ field: "action.a1.note", message: "Add a short note on how action 1 was done." }]);
  });

  it("not done needs a reason and a real new date, and changes nothing until both are given", () => {
    const f = released();
    for (const [note, newDate] of [
      ["", "2027-02-12"],
      ["The family moved house", ""],
      ["The family moved house", "2027-02-30"],
    ] as const) {
      const problems = confirmActions(f, { a2: { done: false, note, newDate } }, MANAGER, at("2027-01-06T11:00:00Z"));
      expect(problems, `${note}|${newDate}`).toEqual([{ field: "action.a2.note", message: "For action 2, say why it is not done and give a new date." }]);
    }
    // One bad confirmation stops the whole card: the good one is not stored half-way.
    const mixed = confirmActions(f, { a1: { done: true, note: "Held the review", newDate: "" }, a2: { done: false, note: "", newDate: "" } }, MANAGER, at("2027-01-06T11:00:00Z"));
    expect(isProblems(mixed)).toBe(true);
  });

  it("not done keeps a red action red and turns a started one amber, with the reason and new date", () => {
    const started = updateRag(released(), { a2: "green" }, LP, at("2027-01-04T10:00:00Z"));
    const f = ok(
      confirmActions(
        started,
        { a1: { done: false, note: "Waiting for the school", newDate: "2027-02-12" }, a2: { done: false, note: "Plan needs a second look", newDate: "2027-02-19" } },
        MANAGER,
        at("2027-01-06T11:00:00Z"),
      ),
    );
    expect(f.actions[0]).toMatchObject({ rag: "red", confirmation: { done: false, reason: "Waiting for the school", newDate: "2027-02-12", by: MANAGER }, ragHistory: [] });
    expect(f.actions[1]).toMatchObject({ rag: "amber", confirmation: { done: false, reason: "Plan needs a second look", newDate: "2027-02-19" } });
    expect(f.actions[1]!.ragHistory.map((h) => h.rag)).toEqual(["green", "amber"]);
  });

  it("closes the audit when the last action is confirmed done", () => {
    const now = at("2027-01-06T11:00:00Z");
    const f = ok(confirmActions(released(), { a1: { done: true, note: "Review held", newDate: "" }, a2: { done: true, note: "Plan updated", newDate: "" } }, MANAGER, now));
    expect(f).toMatchObject({ status: "closed", closedBy: MANAGER, nextReminderAt: null });
    expect(f.actions.every((a) => a.rag === "green")).toBe(true);
  });
});

describe("closing by the QA team", () => {
  it("needs a reason of at least 10 characters", () => {
    for (const reason of ["", "   ", "Done now."]) {
      expect(close(released(), reason, QA), JSON.stringify(reason)).toEqual([
        { field: "closeReason", message: "Say why this audit can be closed (at least 10 characters)." },
      ]);
    }
  });

  it("closes with the reason and who, and stops the reminders", () => {
    const f = ok(close(released(), "  The case was closed to early help on 4 January.  ", QA));
    expect(f).toMatchObject({ status: "closed", closedReason: "The case was closed to early help on 4 January.", closedBy: QA, nextReminderAt: null });
  });
});

describe("overdue corrective-action confirmations", () => {
  it("are none up to and on the due date, and every unconfirmed action the day after", () => {
    const f = released();
    expect(f.correctiveDueOn).toBe("2027-01-29");
    expect(overdueActions(f, "2027-01-04")).toEqual([]);
    expect(overdueActions(f, "2027-01-29")).toEqual([]);
    expect(overdueActions(f, "2027-01-30").map((a) => a.id)).toEqual(["a1", "a2"]);
    expect(overdueActions(f, "2027-03-01").map((a) => a.id)).toEqual(["a1", "a2"]);
  });

  it("leave out actions confirmed done and those not done whose new date has not passed", () => {
    const f = ok(
      confirmActions(
        released(),
        { a1: { done: true, note: "Review held", newDate: "" }, a2: { done: false, note: "Waiting for the school", newDate: "2027-02-12" } },
        MANAGER,
        at("2027-01-20T11:00:00Z"),
      ),
    );
    expect(overdueActions(f, "2027-02-01")).toEqual([]);
    expect(overdueActions(f, "2027-02-12")).toEqual([]);
    expect(overdueActions(f, "2027-02-13").map((a) => a.id)).toEqual(["a2"]);
  });

  it("include the lead professional's own actions the manager has not confirmed", () => {
    const f = applyLpReply(released(), reply(), at("2026-12-03T14:00:00Z"), LP);
    expect(overdueActions(f, "2027-02-01").map((a) => a.id)).toEqual(["a1", "a2", "l3"]);
  });

  it("are never counted at good, before release, or once closed", () => {
    expect(overdueActions(released("good"), "2027-03-01")).toEqual([]);
    expect(overdueActions(waiting(), "2027-03-01")).toEqual([]);
    expect(overdueActions(ok(close(released(), "Closed by QA after a case review.", QA)), "2027-03-01")).toEqual([]);
  });
});
