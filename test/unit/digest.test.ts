// The digest's figures from a small hand-built month, checked against numbers worked out by hand; an empty month; a
// month with one service; a service under the anonymity floor hidden and never flagged; the score threshold; and
// properties: a hidden row exposes nothing, and the grade counts add up to the audits completed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SectionAnswers } from "../../src/domain/answers";
import type { Audit, AuditStatus } from "../../src/domain/audit";
import { AREAS_WITHHELD, digestView } from "../../src/app/reporting/make-digest";
import type { DigestCardData } from "../../src/app/cards/views";
import { expandTemplate } from "../../src/cards/render-card";
import { toSlackMessage } from "../../src/channels/slack/block-kit";
import { MAX_BLOCKS_IN_MESSAGE } from "../../src/channels/slack/limits";
import { computeDigest, gradeTable, MAX_NAMED_GROUPS, OTHER_GROUPS, questionLabel } from "../../src/domain/digest";
import type { CaseFacts, DigestInput } from "../../src/domain/digest-figures";
import type { Escalation } from "../../src/domain/escalation";
import type { Feedback, FeedbackAction } from "../../src/domain/feedback";
import { defaultToolkitDir, loadToolkits } from "../../src/toolkits/load-toolkits";

const TOOLKITS = loadToolkits(defaultToolkitDir());
const CAF = TOOLKITS.get("tier2-caf")!;
const GRADES = ["outstanding", "good", "requires-improvement", "inadequate"] as const;
type Grade = (typeof GRADES)[number];

// ---- builders -------------------------------------------------------------------------------------------------

/** An allocated March audit on the CAF toolkit; override what the test is about. */
function anAudit(overrides: Partial<Audit> = {}): Audit {
  return {
    caseRef: "CAF-1",
    serviceArea: "North",
    auditorEmail: "auditor@example.gov.uk",
    month: "2026-03",
    dueOn: "2026-03-31",
    toolkitId: "tier2-caf",
    allocatedAt: "2026-03-02T09:00:00.000Z",
    status: "allocated",
    sectionIndex: 0,
    sections: {},
    final: null,
    submittedAt: null,
    version: 0,
    corrections: [],
    declines: [],
    pass: "first",
    moderated: false,
    ...overrides,
  };
}

/** A submitted audit with an overall grade and answers given as { sectionId: { questionId: value } }. */
function aSubmitted(caseRef: string, grade: Grade, answers: Record<string, Record<string, string>> = {}, overrides: Partial<Audit> = {}): Audit {
  const sections: Record<string, SectionAnswers> = {};
  for (const [sectionId, values] of Object.entries(answers)) {
    sections[sectionId] = {
      overview: "An overview of the section for the test.",
      answers: Object.fromEntries(Object.entries(values).map(([q, value]) => [q, { value, comment: "Evidence found on the file." }])),
    };
  }
  return anAudit({
    caseRef,
    status: "submitted",
    sectionIndex: CAF.sections.length,
    sections,
    final: { overallGrade: grade, justification: "A justification long enough for the toolkit.", actions: [] },
    submittedAt: "2026-03-20T10:00:00.000Z",
    version: 1,
    ...overrides,
  });
}

function anAction(id: string, overrides: Partial<FeedbackAction> = {}): FeedbackAction {
  return { id, action: "Do something", byWhom: "Lead professional", byWhen: "2026-04-30", source: "audit", rag: "red", ragHistory: [], response: null, confirmation: null, ...overrides };
}

function aFeedback(overrides: Partial<Feedback> = {}): Feedback {
  return {
    month: "2026-03",
    caseRef: "CAF-1",
    serviceArea: "North",
    auditVersion: 1,
    auditorEmail: "auditor@example.gov.uk",
    leadProfessionalEmail: "lp@example.gov.uk",
    managerEmail: "manager@example.gov.uk",
    grade: "good",
    belowGood: false,
    status: "released",
    submittedAt: "2026-03-20T10:00:00.000Z",
    releasedAt: "2026-03-21T10:00:00.000Z",
    releasedBy: "qa@example.gov.uk",
    actions: [],
    lpComment: null,
    managerComment: null,
    correctiveDueOn: null,
    nextReminderAt: null,
    closedReason: null,
    closedBy: null,
    replyIds: [],
    ...overrides,
  };
}

function anEscalation(id: string, raisedAt: string, acknowledgedAt: string | null, overrides: Partial<Escalation> = {}): Escalation {
  return {
    id,
    month: raisedAt.slice(0, 7),
    caseRef: "CAF-1",
    serviceArea: "North",
    auditMonth: "2026-03",
    leadProfessionalEmail: null,
    lpManagerEmail: null,
    raisedBy: "auditor@example.gov.uk",
    raisedAt,
    seen: "Something the digest must never show.",
    when: "current",
    urgency: "today",
    status: acknowledgedAt ? "acknowledged" : "raised",
    level: 0,
    recipients: ["fsm@example.gov.uk"],
    nextCheckAt: null,
    acknowledgedBy: acknowledgedAt ? "fsm@example.gov.uk" : null,
    acknowledgedAt,
    mashOutcome: null,
    resolvedOutcome: null,
    history: [],
    ...overrides,
  };
}

const facts = (caseRef: string, serviceArea: string, ageBand: string | null, stepDown: boolean, primaryNeed: string | null): CaseFacts => ({ caseRef, serviceArea, ageBand, stepDown, primaryNeed });
const casesOf = (list: CaseFacts[]) => new Map(list.map((c) => [c.caseRef, c]));

function input(overrides: Partial<DigestInput> = {}): DigestInput {
  return {
    fromMonth: "2026-03",
    toMonth: "2026-03",
    today: "2026-04-02",
    audits: [],
    secondAudits: [],
    recentFeedback: [],
    feedback: [],
    escalations: [],
    toolkits: TOOLKITS,
    cases: new Map(),
    target: 6,
    openCases: 0,
    auditedLast12Months: 0,
    coveragePercent: 100,
    anonymityFloor: 3,
    scoreThreshold: 2.5,
    ...overrides,
  };
}

// ---- the hand-built March ----------------------------------------------------------------------------------------

const MARCH_AUDITS: Audit[] = [
  // The step-down section is marked not applicable: its Outstanding must count nowhere.
  aSubmitted("CAF-1", "good", {
    consent: { "consents-obtained": "outstanding" },
    "step-down": { "unmet-needs": "outstanding" },
    assessment: { "multi-agency-involvement": "requires-improvement", "voice-of-child": "inadequate" },
  }),
  aSubmitted("CAF-2", "outstanding", {
    consent: { "consents-obtained": "good" },
    assessment: { "multi-agency-involvement": "requires-improvement", "reason-evident": "outstanding" },
    taf: { "regular-meetings": "not-applicable" },
  }),
  aSubmitted("CAF-3", "requires-improvement", {
    consent: { "consents-obtained": "inadequate" },
    assessment: { "multi-agency-involvement": "inadequate", "voice-of-child": "requires-improvement" },
  }),
  aSubmitted("CAF-4", "inadequate", { consent: { "consents-obtained": "requires-improvement" }, assessment: { "reason-evident": "outstanding" } }, { serviceArea: "South" }),
  anAudit({ caseRef: "CAF-5", serviceArea: "South", status: "in_progress" }), // due 31 March, not submitted: overdue on 2 April
  anAudit({ caseRef: "CAF-6", serviceArea: "South", status: "unallocated", auditorEmail: "", dueOn: "2026-04-15" }), // not yet due
  aSubmitted("CAF-7", "inadequate", {}, { month: "2026-02", dueOn: "2026-02-27" }), // February: outside the period
];
MARCH_AUDITS[0]!.sections["step-down"]!.notApplicable = true;

const MARCH_CASES = casesOf([
  facts("CAF-1", "North", "5-10", true, "Parenting"),
  facts("CAF-2", "North", "11-15", false, "Domestic abuse"),
  facts("CAF-3", "North", "5-10", false, null),
  facts("CAF-4", "South", null, false, "Parenting"),
]);

const MARCH_FEEDBACK: Feedback[] = [
  aFeedback({
    belowGood: true,
    correctiveDueOn: "2026-03-31",
    actions: [
      anAction("a1", { rag: "green", confirmation: { done: true, note: "Done", at: "2026-03-25T10:00:00Z", by: "m" } }),
      anAction("a2"), // unconfirmed past the corrective date: overdue
      anAction("a3", { rag: "amber", confirmation: { done: false, reason: "Later", newDate: "2026-04-10", at: "2026-03-25T10:00:00Z", by: "m" } }), // new date still ahead
    ],
  }),
  aFeedback({ caseRef: "CAF-2", actions: [anAction("a1", { rag: "green" }), anAction("a2")] }), // good: nothing can be overdue
  aFeedback({ month: "2026-02", caseRef: "CAF-7", actions: [anAction("a1"), anAction("a2")] }), // outside the period
];

const MARCH_ESCALATIONS: Escalation[] = [
  anEscalation("e1", "2026-03-02T10:00:00.000Z", "2026-03-02T10:30:00.000Z"), // 30 minutes
  anEscalation("e2", "2026-03-03T09:00:00.000Z", "2026-03-03T10:15:00.000Z"), // 75 minutes
  anEscalation("e3", "2026-03-04T09:00:00.000Z", null), // not acknowledged
  anEscalation("e4", "2026-03-05T09:00:00.000Z", "2026-03-05T09:10:40.000Z"), // 10 2/3 minutes
  anEscalation("e5", "2026-03-06T09:00:00.000Z", "2026-03-06T09:45:00.000Z"), // 45 minutes
  anEscalation("e6", "2026-02-20T09:00:00.000Z", "2026-02-20T09:01:00.000Z"), // February: outside the period
];

const march = () =>
  computeDigest(input({ audits: MARCH_AUDITS, feedback: MARCH_FEEDBACK, escalations: MARCH_ESCALATIONS, cases: MARCH_CASES, openCases: 200, auditedLast12Months: 50 }));

describe("computeDigest on a hand-built March", () => {
  it("counts allocation, completion and overdue within the period only", () => {
    const d = march();
    // Six March rows (the unallocated one too), four submitted; CAF-5 is past its 31 March due date.
    expect({ allocated: d.allocated, completed: d.completed, overdue: d.overdue, target: d.target }).toEqual({ allocated: 6, completed: 4, overdue: 1, target: 6 });
    expect(d.completionRate).toBeCloseTo(4 / 6, 10); // 0.667
    expect(d.coverage).toEqual({ audited: 50, open: 200, percent: 25, targetPercent: 100 }); // 50 / 200 * 100
  });

  it("counts overall grades in scale order and section answers without Not applicable", () => {
    const d = march();
    expect(d.grades).toEqual([
      { label: "Outstanding", count: 1 }, // CAF-2
      { label: "Good", count: 1 }, // CAF-1
      { label: "Requires Improvement", count: 1 }, // CAF-3
      { label: "Inadequate", count: 1 }, // CAF-4 (CAF-7 is February)
    ]);
    const zero = [0, 0, 0, 0];
    const counts = Object.fromEntries(d.sectionGrades.map((s) => [s.section, s.counts.map((c) => c.count)]));
    expect(d.sectionGrades[0]!.counts.map((c) => c.label)).toEqual(["Outstanding", "Good", "Requires Improvement", "Inadequate"]);
    expect(counts).toEqual({
      Consent: [1, 1, 1, 1], // 1a: O (CAF-1), G (CAF-2), I (CAF-3), RI (CAF-4)
      "Step-down from Children's Social Care": zero, // CAF-1 marked it not applicable
      "Child and Family Assessment": [2, 0, 3, 2], // O: 3a x2; RI: 3b x2 + 3i; I: 3i + 3b
      "Team Around the Family": zero, // 4a Not applicable is left out
      "Monitoring and management oversight": zero,
    });
  });

  it("counts escalations and the median time to acknowledge, never their contents", () => {
    const d = march();
    // Acknowledged: 10.67, 30, 45, 75 minutes: an even count, so (30 + 45) / 2 = 37.5, rounded to 38.
    expect(d.escalations).toEqual({ raised: 5, acknowledged: 4, medianMinutesToAcknowledge: 38 });
    expect(JSON.stringify(d)).not.toContain("never show");
  });

  it("counts actions agreed, done and overdue", () => {
    // March: 3 + 2 agreed; a1 and CAF-2's a1 are green; only the first row's a2 is unconfirmed past 31 March.
    expect(march().actions).toEqual({ agreed: 5, done: 2, overdue: 1 });
  });

  it("finds the themes: most often below good, and most often Outstanding, ties in question order", () => {
    expect(march().themes).toEqual({
      belowGood: [
        { question: "3b Evidence of multi-agency involvement", count: 3 }, // CAF-1, 2, 3
        { question: "1a Have the relevant consents been obtained?", count: 2 }, // CAF-3, 4: ties with 3i, comes first
        { question: "3i The voice of the child is clearly evidenced and has been taken into account", count: 2 }, // CAF-1, 3
      ],
      strengths: [
        { question: "3a Reason for the CAF assessment evident", count: 2 }, // CAF-2, 4
        { question: "1a Have the relevant consents been obtained?", count: 1 }, // CAF-1 (its 2a is in a section marked not applicable)
      ],
    });
  });

  it("breaks grades down by group, hiding groups under the floor, and leaves off a breakdown whose small group its total would give away", () => {
    const d = march();
    // North 3 beside South 1 and a total of 4 gave South away as 1; hiding North too still leaves South 1 (North is at
    // least 3, or it would read "fewer than 3"). Nothing protects South, so the breakdown has no rows. Step-down likewise.
    expect(d.byServiceArea).toEqual([]);
    expect(d.byStepDown).toEqual([]);
    // The card says why there is no row per area, rather than showing an empty table.
    expect((digestView(d, null, SETTINGS).data as DigestCardData).areas).toEqual([{ area: "All service areas", audits: "4", average: "", flag: AREAS_WITHHELD }]);
    // Three small groups of 4 audits in all: each could be 1 or 2, so they stay, each as "fewer than 3".
    const hidden = (group: string) => ({ group, audits: { value: null, text: "fewer than 3" }, grades: {}, averageScore: null });
    expect(d.byAgeBand).toEqual([hidden("11-15"), hidden("5-10"), hidden("Not recorded")]);
    expect(d.byPrimaryNeed).toEqual([hidden("Domestic abuse"), hidden("Not recorded"), hidden("Parenting")]);
  });

  it("hides the next smallest group as 'not shown', never flagged, when the total would give a small one away", () => {
    // North 4, South 3, East 2 of 9: East would be 9 - 7. South goes too: 5 hidden, East 1 or 2, South 3 or 4.
    const d = boardMonth();
    expect(d.byServiceArea).toEqual([
      { group: "East", audits: { value: null, text: "fewer than 3" }, grades: {}, averageScore: null, belowThreshold: false },
      { group: "North", audits: { value: 4, text: "4" }, grades: { Outstanding: 1, Good: 2, "Requires Improvement": 1 }, averageScore: 3, belowThreshold: false },
      // South (Good, Requires Improvement, Inadequate) averages 2, under the 2.5 threshold, but a hidden row is never flagged.
      { group: "South", audits: { value: null, text: "not shown" }, grades: {}, averageScore: null, belowThreshold: false },
    ]);
  });

  it("uses a lower floor when the council sets one", () => {
    const d = computeDigest(input({ audits: MARCH_AUDITS, cases: MARCH_CASES, anonymityFloor: 1 }));
    expect(d.byServiceArea.find((r) => r.group === "South")).toEqual({
      group: "South",
      audits: { value: 1, text: "1" },
      grades: { Inadequate: 1 },
      averageScore: 1,
      belowThreshold: true,
    });
  });
});

describe("computeDigest edge cases", () => {
  it("gives zeros and nulls for an empty month without failing", () => {
    const d = computeDigest(input({ fromMonth: "2026-05", toMonth: "2026-05", audits: MARCH_AUDITS, feedback: MARCH_FEEDBACK, escalations: MARCH_ESCALATIONS }));
    expect(d).toEqual({
      fromMonth: "2026-05",
      toMonth: "2026-05",
      allocated: 0,
      completed: 0,
      overdue: 0,
      completionRate: null,
      target: 6,
      coverage: { audited: 0, open: 0, percent: null, targetPercent: 100 },
      grades: [],
      sectionGrades: [],
      escalations: { raised: 0, acknowledged: 0, medianMinutesToAcknowledge: null },
      actions: { agreed: 0, done: 0, overdue: 0 },
      rechecks: { verified: 0, reopened: 0, awaiting: 0 },
      areasBelowThreshold: [],
      staleCases: { asked: 0, closed: 0, stillOpen: 0, notAnswered: 0 },
      tier1: [],
      themes: { belowGood: [], strengths: [] },
      moderation: { pairs: 0, tooFew: true, exact: null, withinOne: null, kappa: null, kappaLow: null, kappaHigh: null },
      byServiceArea: [],
      byAgeBand: [],
      byStepDown: [],
      byPrimaryNeed: [],
    });
  });

  it("shows a month with one service as one row", () => {
    const audits = [aSubmitted("N-1", "good"), aSubmitted("N-2", "good"), aSubmitted("N-3", "requires-improvement")];
    const d = computeDigest(input({ audits, cases: casesOf(audits.map((a) => facts(a.caseRef, "North", "0-4", false, null))) }));
    // (3 + 3 + 2) / 3 = 2.67
    expect(d.byServiceArea).toEqual([{ group: "North", audits: { value: 3, text: "3" }, grades: { Good: 2, "Requires Improvement": 1 }, averageScore: 2.67, belowThreshold: false }]);
    expect(d.byAgeBand.map((r) => r.group)).toEqual(["0-4"]);
  });

  it("flags a visible service area whose average is below the threshold, and only that one", () => {
    const audits = [
      ...["E-1", "E-2", "E-3"].map((ref) => aSubmitted(ref, "requires-improvement", {}, { serviceArea: "East" })), // 2.00
      ...["W-1", "W-2", "W-3"].map((ref) => aSubmitted(ref, "good", {}, { serviceArea: "West" })), // 3.00
    ];
    // No case facts: the audit's own service area is used.
    const d = computeDigest(input({ audits, scoreThreshold: 2.5 }));
    expect(d.byServiceArea.map((r) => [r.group, r.averageScore, r.belowThreshold])).toEqual([
      ["East", 2, true],
      ["West", 3, false],
    ]);
    expect(computeDigest(input({ audits, scoreThreshold: 2 })).byServiceArea.every((r) => !r.belowThreshold)).toBe(true); // 2.00 is not below 2
  });

  it("labels a question by its number and the first 80 characters of its text", () => {
    const question = CAF.sections.flatMap((s) => s.questions).find((q) => q.number === "3l")!;
    expect(questionLabel(question)).toBe("3l Is CAF the right threshold for the case (that is, level 2 of the Continuum of Ne");
  });
});

// ---- the card's grade tables --------------------------------------------------------------------------------------

// Nine audits, floor 3. Overall: Outstanding 1, Good 4, Requires Improvement 3, Inadequate 1.
const BOARD_AUDITS: Audit[] = [
  aSubmitted("B-1", "outstanding"),
  aSubmitted("B-2", "good"),
  aSubmitted("B-3", "good"),
  aSubmitted("B-4", "requires-improvement"),
  aSubmitted("B-5", "good", {}, { serviceArea: "South" }),
  aSubmitted("B-6", "requires-improvement", {}, { serviceArea: "South" }),
  aSubmitted("B-7", "inadequate", {}, { serviceArea: "South" }),
  aSubmitted("B-8", "good", {}, { serviceArea: "East" }),
  aSubmitted("B-9", "requires-improvement", {}, { serviceArea: "East" }),
];
const BOARD_CASES = casesOf([
  facts("B-1", "North", "0-4", true, "Parenting"),
  facts("B-2", "North", "0-4", true, "Parenting"),
  facts("B-3", "North", "5-10", false, "Parenting"),
  facts("B-4", "North", "5-10", false, "Parenting"),
  facts("B-5", "South", "5-10", false, "Neglect"),
  facts("B-6", "South", "5-10", false, "Neglect"),
  facts("B-7", "South", "11-15", false, "Neglect"),
  facts("B-8", "East", "11-15", true, "Neglect"),
  facts("B-9", "East", null, false, null),
]);
const SETTINGS = { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 20 };
const boardMonth = (anonymityFloor = 3) => computeDigest(input({ audits: BOARD_AUDITS, cases: BOARD_CASES, anonymityFloor }));
/** A breakdown's grade table as [group, audits, Outstanding, Good, Requires Improvement, Inadequate] rows. */
const table = (breakdown: "byServiceArea" | "byAgeBand" | "byStepDown" | "byPrimaryNeed", floor = 3) => {
  const d = boardMonth(floor);
  return gradeTable(d[breakdown], d.grades, d.completed, floor).map((r) => [r.group, r.audits.text, ...Object.values(r.grades)]);
};

describe("the digest's moderation line", () => {
  const pair = (caseRef: string, first: Grade, second: Grade, month = "2026-03"): [Audit, Audit] => [
    aSubmitted(caseRef, first, {}, { month, auditorEmail: "first@example.gov.uk", moderated: true }),
    aSubmitted(caseRef, second, {}, { month, auditorEmail: "second@example.gov.uk", pass: "second" }),
  ];
  const PAIRS: [string, Grade, Grade][] = [
    ["CAF-1", "good", "good"],
    ["CAF-2", "good", "good"],
    ["CAF-3", "outstanding", "good"],
    ["CAF-4", "requires-improvement", "inadequate"],
    ["CAF-5", "good", "requires-improvement"],
  ];
  const digestOf = (pairs: [Audit, Audit][], extra: Partial<DigestInput> = {}) =>
    computeDigest(input({ audits: pairs.map((p) => p[0]), secondAudits: pairs.map((p) => p[1]), ...extra }));

  it("counts the pairs of the period with both audits in: 2 of 5 exact, 5 of 5 within one step", () => {
    const d = digestOf([...PAIRS.map(([ref, a, b]) => pair(ref, a, b)), pair("CAF-9", "good", "inadequate", "2026-02")]);
    expect(d.moderation).toMatchObject({ pairs: 5, tooFew: false, exact: 0.4, withinOne: 1 });
    expect(d.moderation.kappa).not.toBeNull();
    // The second audits are compared, never counted as audits of their own.
    expect(d.completed).toBe(5);
    expect(d.grades.find((g) => g.label === "Good")!.count).toBe(3);
  });

  it("leaves out a case whose second audit is not in yet", () => {
    const pairs = PAIRS.map(([ref, a, b]) => pair(ref, a, b));
    pairs[4]![1] = { ...pairs[4]![1], status: "in_progress", final: null };
    expect(digestOf(pairs).moderation).toMatchObject({ pairs: 4, tooFew: true, exact: null, kappa: null });
  });

  it("reads as counts and overall figures on the card, never an auditor, and is left off when nothing was moderated", () => {
    const line = (d: ReturnType<typeof digestOf>) => (digestView(d, null, { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 100 }).data as DigestCardData).moderation;
    const full = line(digestOf(PAIRS.map(([ref, a, b]) => pair(ref, a, b))));
    expect(full).toMatch(/^Moderation: 5 cases graded twice, blind\. The overall grades agreed exactly in 40% and within one step in 100%; weighted kappa -?\d\.\d\d \(95% CI -?\d\.\d\d to -?\d\.\d\d\)\.$/);
    expect(full).not.toMatch(/example\.gov\.uk|first|second/i);
    expect(line(digestOf(PAIRS.slice(0, 2).map(([ref, a, b]) => pair(ref, a, b))))).toBe("Moderation: 2 cases graded twice, blind; too few for agreement figures (5 needed).");
    const none = digestOf([]);
    expect(line(none)).toBe("");
    const card = JSON.stringify(expandTemplate("digest", digestView(none, null, { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 100 }).data as DigestCardData));
    expect(card).not.toContain("Moderation");
  });
});

describe("the digest card's grade tables", () => {
  // Columns: group, audits, then Outstanding, Good, Requires Improvement, Inadequate.
  it("by service area: East (2) is under the floor, and Other would hold only its 2, so South (the smaller named) joins it", () => {
    // North 4: B-1 O, B-2 G, B-3 G, B-4 RI. Other = South (G, RI, I) + East (G, RI) = 5: 0 O, 2 G, 2 RI, 1 I.
    expect(table("byServiceArea")).toEqual([
      ["North", "4", 1, 2, 1, 0],
      [OTHER_GROUPS, "5", 0, 2, 2, 1],
    ]);
  });

  it("by age band: three groups under the floor make an Other of 5", () => {
    // 5-10: B-3 G, B-4 RI, B-5 G, B-6 RI. Other: 0-4 (O, G), 11-15 (I, G), Not recorded (RI) = 1 O, 2 G, 1 RI, 1 I.
    expect(table("byAgeBand")).toEqual([
      ["5-10", "4", 0, 2, 2, 0],
      [OTHER_GROUPS, "5", 1, 2, 1, 1],
    ]);
  });

  it("by step-down: both groups at or over the floor, largest first, and no Other", () => {
    // Step-down: B-1 O, B-2 G, B-8 G. Not step-down: B-3 G, B-4 RI, B-5 G, B-6 RI, B-7 I, B-9 RI.
    expect(table("byStepDown")).toEqual([
      ["Not step-down", "6", 0, 2, 3, 1],
      ["Step-down", "3", 1, 2, 0, 0],
    ]);
  });

  it("by primary need: Not recorded (1) is under the floor, so the first of the two smallest (Neglect, by name) is not shown either", () => {
    // Before, Parenting 4 and Neglect 4 of 9 gave Not recorded away as 1. Parenting: B-1 O, B-2 G, B-3 G, B-4 RI.
    // Other = Neglect (B-5 G, B-6 RI, B-7 I, B-8 G) + Not recorded (B-9 RI) = 5: 0 O, 2 G, 2 RI, 1 I.
    expect(table("byPrimaryNeed")).toEqual([
      ["Parenting", "4", 1, 2, 1, 0],
      [OTHER_GROUPS, "5", 0, 2, 2, 1],
    ]);
  });

  it("names every group when the floor is 1, largest first", () => {
    expect(table("byServiceArea", 1)).toEqual([
      ["North", "4", 1, 2, 1, 0],
      ["South", "3", 0, 1, 1, 1],
      ["East", "2", 0, 1, 1, 0],
    ]);
  });

  it("hides Other as 'fewer than N' when fewer than N audits were completed in all", () => {
    const audits = [aSubmitted("S-1", "good"), aSubmitted("S-2", "inadequate")];
    const d = computeDigest(input({ audits }));
    expect(gradeTable(d.byServiceArea, d.grades, d.completed, 3)).toEqual([{ group: OTHER_GROUPS, audits: { value: null, text: "fewer than 3" }, grades: {} }]);
  });

  it(`names at most ${MAX_NAMED_GROUPS} groups and counts the rest in Other`, () => {
    const audits = Array.from({ length: 12 }, (_, i) => aSubmitted(`M-${i}`, i < 3 ? "good" : "requires-improvement", {}, { serviceArea: `Area ${String(i).padStart(2, "0")}` }));
    const d = computeDigest(input({ audits, anonymityFloor: 1 }));
    const rows = gradeTable(d.byServiceArea, d.grades, d.completed, 1);
    // All tie at 1, so name order: Area 00..07 named, Area 08..11 (all Requires Improvement) in Other.
    expect(rows.map((r) => r.group)).toEqual([...Array.from({ length: 8 }, (_, i) => `Area 0${i}`), OTHER_GROUPS]);
    expect(rows[8]).toEqual({ group: OTHER_GROUPS, audits: { value: 4, text: "4" }, grades: { Outstanding: 0, Good: 0, "Requires Improvement": 4, Inadequate: 0 } });
  });

  it("puts the four tables on the card under 'Grades by ...', a column per grade, as text", () => {
    const data = digestView(boardMonth(), null, SETTINGS).data as DigestCardData;
    expect(data.breakdowns.map((b) => b.heading)).toEqual(["Grades by service area", "Grades by age band", "Grades by step-down", "Grades by primary need"]);
    expect(data.breakdowns[0]!.columns.map((c) => c.title)).toEqual(["Service area", "Audits", "Outstanding", "Good", "Requires Improvement", "Inadequate"]);
    expect(data.breakdowns[0]!.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ["North", "4", "1", "2", "1", "0"],
      [OTHER_GROUPS, "5", "0", "2", "2", "1"],
    ]);
    // A hidden Other: its audits in words and blank grade cells.
    const few = computeDigest(input({ audits: [aSubmitted("S-1", "good")] }));
    const fewData = digestView(few, null, SETTINGS).data as DigestCardData;
    expect(fewData.breakdowns[3]!.rows.map((r) => r.cells.map((c) => c.text))).toEqual([[OTHER_GROUPS, "fewer than 3", "", "", "", ""]]);
  });

  it("shows no table and no heading in an empty month", () => {
    const d = computeDigest(input({ fromMonth: "2026-05", toMonth: "2026-05", audits: BOARD_AUDITS, cases: BOARD_CASES }));
    expect(d.byServiceArea).toEqual([]);
    expect(gradeTable(d.byServiceArea, d.grades, d.completed, 3)).toEqual([]);
    const data = digestView(d, null, SETTINGS).data as DigestCardData;
    expect(data.breakdowns).toEqual([]);
    expect(JSON.stringify(expandTemplate("digest", data))).not.toContain("Grades by");
  });

  it("keeps the fullest card within Slack's 50 blocks", () => {
    // Twenty service areas, seven age bands, twelve long needs, every group named (floor 1), and three themes each way.
    const audits = Array.from({ length: 60 }, (_, i) =>
      aSubmitted(`F-${i}`, GRADES[i % 4]!, {}, { serviceArea: `Service area number ${i % 20} with a long name` }),
    );
    const cases = casesOf(audits.map((a, i) => facts(a.caseRef, a.serviceArea, `Band ${i % 7}`, i % 2 === 0, `Need ${i % 12} `.repeat(10))));
    const d = computeDigest(input({ audits, cases, anonymityFloor: 1 }));
    const data = digestView(d, null, SETTINGS).data as DigestCardData;
    const full = { ...data, belowGood: [1, 2, 3].map((n) => ({ text: `Question ${n}` })), strengths: [1, 2, 3].map((n) => ({ text: `Question ${n}` })) };
    expect(full.breakdowns.every((b) => b.rows.length <= MAX_NAMED_GROUPS + 1)).toBe(true);
    expect(full.breakdowns[3]!.rows[0]!.cells[0]!.text.length).toBeLessThanOrEqual(60);
    const message = toSlackMessage(expandTemplate("digest", full), { template: "digest" });
    expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS_IN_MESSAGE);
  });
});

describe("computeDigest properties", () => {
  const audit = fc.record({
    status: fc.constantFrom<AuditStatus>("allocated", "in_progress", "submitted", "unallocated"),
    grade: fc.constantFrom(...GRADES),
    area: fc.constantFrom("North", "South", "East"),
    ageBand: fc.constantFrom("0-4", "5-10", null),
    stepDown: fc.boolean(),
    need: fc.constantFrom("Parenting", null),
    month: fc.constantFrom("2026-02", "2026-03", "2026-04"),
  });

  it("never exposes grades or a score in a hidden row, and the grade counts add up to the audits completed", () => {
    fc.assert(
      fc.property(fc.array(audit, { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), fc.double({ min: 1, max: 4, noNaN: true }), (rows, floor, threshold) => {
        const audits = rows.map((r, i) =>
          r.status === "submitted"
            ? aSubmitted(`P-${i}`, r.grade, {}, { month: r.month, serviceArea: r.area })
            : anAudit({ caseRef: `P-${i}`, status: r.status, month: r.month, serviceArea: r.area }),
        );
        const cases = casesOf(rows.map((r, i) => facts(`P-${i}`, r.area, r.ageBand, r.stepDown, r.need)));
        const d = computeDigest(input({ audits, cases, anonymityFloor: floor, scoreThreshold: threshold }));

        expect(d.grades.reduce((sum, g) => sum + g.count, 0)).toBe(d.completed);
        for (const group of [d.byServiceArea, d.byAgeBand, d.byStepDown, d.byPrimaryNeed]) {
          for (const row of group) {
            if (row.audits.value === null) {
              expect(row.grades).toEqual({});
              expect(row.averageScore).toBeNull();
              expect([`fewer than ${floor}`, "not shown"]).toContain(row.audits.text);
            } else {
              expect(row.audits.value).toBeGreaterThanOrEqual(floor);
              expect(Object.values(row.grades).reduce((sum, n) => sum + n, 0)).toBe(row.audits.value);
            }
          }
          // The visible rows never count more audits than were completed.
          expect(group.reduce((sum, r) => sum + (r.audits.value ?? 0), 0)).toBeLessThanOrEqual(d.completed);
        }
        for (const row of d.byServiceArea) if (row.audits.value === null) expect(row.belowThreshold).toBe(false);
        // The card's tables: every completed audit in exactly one row, and no row shows counts for fewer than the floor.
        for (const group of [d.byServiceArea, d.byAgeBand, d.byStepDown, d.byPrimaryNeed]) {
          const rows = gradeTable(group, d.grades, d.completed, floor);
          if (d.completed >= floor) expect(rows.reduce((sum, r) => sum + (r.audits.value ?? 0), 0)).toBe(d.completed);
          for (const row of rows) {
            if (row.audits.value === null) expect(row.grades).toEqual({});
            else expect(row.audits.value).toBeGreaterThanOrEqual(floor);
          }
        }
      }),
    );
  });
});
