// Tier 1 quality control rules: who checks, what counts as the same event, which answers a card accepts, and the
// digest's completion and pass rate with the small-number floor.
import { describe, expect, it } from "vitest";
import type { CaseFile } from "../../src/domain/case-file";
import { answerTier1, reminderAfter, checkerFor, eventDateProblem, eventKey, failedFields, mayAnswer, newTier1Check, tier1DigestLine, tier1Figures, tier1Problems, type Tier1Check, type Tier1Event } from "../../src/domain/tier1";
import { checklistSchema } from "../../src/domain/tier1-checklist";
import { defaultToolkitDir, loadChecklist } from "../../src/toolkits/load-toolkits";

const checklist = loadChecklist(defaultToolkitDir());
const NOW = new Date("2026-11-20T10:00:00Z");
const aCase = (over: Partial<CaseFile> = {}): CaseFile => ({
  caseRef: "CAF-1001", serviceArea: "Early Help North", status: "open", openedOn: null, closedOn: null,
  leadProfessionalEmail: "lp@example.gov.uk", lpManagerEmail: "manager@example.gov.uk", involvedEmails: [], stepDown: false,
  ageBand: null, primaryNeed: null, lastAuditedOn: null, missingFromRegisterSince: null, ...over,
});
const anEvent = (over: Partial<Tier1Event> = {}): Tier1Event => ({ caseRef: "CAF-1001", kind: "taf_review", eventOn: "2026-11-02", eventId: null, ...over });
const allYes = (c: Tier1Check) => Object.fromEntries(c.checkIds.map((id) => [id, "yes"]));

describe("the Tier 1 checklist file", () => {
  it("has mandatory-field checks for each of assessment, TAF review and closure", () => {
    expect(checklist.events.map((e) => e.kind).sort()).toEqual(["assessment", "closure", "taf_review"]);
    expect(checklist.events.every((e) => e.checks.length >= 5)).toBe(true);
  });

  it("is refused when an event kind is missing", () => {
    const broken = { ...checklist, events: checklist.events.filter((e) => e.kind !== "closure") };
    expect(checklistSchema.safeParse(broken).success).toBe(false);
  });
});

describe("who checks", () => {
  it("is the lead professional's manager", () => {
    expect(checkerFor(aCase())).toEqual({ email: "manager@example.gov.uk", reason: "manager" });
  });

  it("is the QA team's pool when no manager is recorded, or the LP is their own manager: never the LP", () => {
    expect(checkerFor(aCase({ lpManagerEmail: null })).email).toBeNull();
    expect(checkerFor(aCase({ lpManagerEmail: "LP@example.gov.uk" }))).toEqual({ email: null, reason: "manager_is_lp" });
  });

  it("lets only the addressed person answer: the manager, or in the pool a QA member who is not the LP", () => {
    const toManager = newTier1Check(anEvent(), aCase(), checklist, NOW);
    expect(mayAnswer(toManager, { email: "Manager@example.gov.uk", isQa: false })).toBe(true);
    expect(mayAnswer(toManager, { email: "qa@example.gov.uk", isQa: true })).toBe(false);
    const pooled = newTier1Check(anEvent(), aCase({ lpManagerEmail: null }), checklist, NOW);
    expect(mayAnswer(pooled, { email: "qa@example.gov.uk", isQa: true })).toBe(true);
    expect(mayAnswer(pooled, { email: "manager@example.gov.uk", isQa: false })).toBe(false);
    expect(mayAnswer(pooled, { email: "lp@example.gov.uk", isQa: true })).toBe(false);
  });
});

describe("the same event", () => {
  it("is the same event id, or without one the same case, kind and date", () => {
    expect(eventKey(anEvent({ eventId: "E-7" }))).toBe(eventKey(anEvent({ eventId: "E-7", eventOn: "2026-11-03" })));
    expect(eventKey(anEvent())).toBe(eventKey(anEvent()));
    expect(eventKey(anEvent())).not.toBe(eventKey(anEvent({ kind: "closure" })));
  });

  it("must have happened, and within the last 12 months", () => {
    expect(eventDateProblem("2026-11-21", "2026-11-20")).toContain("in the future");
    expect(eventDateProblem("2025-10-31", "2026-11-20")).toContain("more than 12 months ago");
    expect(eventDateProblem("2025-11-01", "2026-11-20")).toBeNull();
  });
});

describe("answering a check", () => {
  const check = newTier1Check(anEvent(), aCase(), checklist, NOW);

  it("needs every check answered, and not applicable only where the checklist allows it", () => {
    const problems = tier1Problems(check, checklist, { answers: { ...allYes(check), "meeting-date": "not_applicable", progress: "" }, comment: "" });
    expect(problems.map((p) => p.field).sort()).toEqual(["tier1.meeting-date", "tier1.progress"]);
    expect(problems.find((p) => p.field === "tier1.meeting-date")!.message).toBe("Choose yes or no for TAF meeting date: it is mandatory.");
    expect(tier1Problems(check, checklist, { answers: { ...allYes(check), "voice-of-parents": "not_applicable" }, comment: "" })).toEqual([]);
  });

  it("is reminded at 09:00 London after the working days set (none with 0), and no more once answered", () => {
    // Friday 20 November 2026: five working days on is Friday 27 November.
    expect(reminderAfter(NOW, 5)).toBe("2026-11-27T09:00:00.000Z");
    expect(reminderAfter(NOW, 0)).toBeNull();
    const reminded = newTier1Check(anEvent(), aCase(), checklist, NOW, reminderAfter(NOW, 5));
    expect(reminded.nextReminderAt).toBe("2026-11-27T09:00:00.000Z");
    expect(answerTier1(reminded, { answers: allYes(reminded), comment: "" }, "manager@example.gov.uk", NOW).nextReminderAt).toBeNull();
  });

  it("passes when every field is recorded, and fails naming only the fields answered no", () => {
    expect(answerTier1(check, { answers: allYes(check), comment: "" }, "manager@example.gov.uk", NOW).status).toBe("passed");
    const failed = answerTier1(check, { answers: { ...allYes(check), progress: "no", "voice-of-child": "no" }, comment: " Chased twice. " }, "manager@example.gov.uk", NOW);
    expect(failed.status).toBe("failed");
    expect(failedFields(failed, checklist)).toEqual(["Progress since the last TAF", "Voice of the child"]);
    expect(failed.answer!.comment).toBe("Chased twice.");
  });
});

describe("the digest line", () => {
  let n = 0;
  const answered = (area: string, pass: boolean) => {
    const c = newTier1Check(anEvent({ eventId: `E-${++n}` }), aCase({ serviceArea: area }), checklist, NOW);
    return answerTier1(c, { answers: { ...allYes(c), progress: pass ? "yes" : "no" }, comment: "" }, "m@example.gov.uk", NOW);
  };

  it("gives completion and pass rate per service area, hiding the pass rate below the floor", () => {
    const waiting = newTier1Check(anEvent(), aCase(), checklist, NOW);
    const checks = [answered("North", true), answered("North", true), answered("North", false), waiting, answered("South", false)].map((c, i) => (i === 3 ? { ...c, serviceArea: "North" } : c));
    const figures = tier1Figures(checks, 3);
    expect(figures).toEqual([{ area: "North", events: 4, checked: 3, passed: 2 }, { area: "South", events: 1, checked: 1, passed: null }]);
    expect(tier1DigestLine(figures, 3)).toBe("Tier 1 quality control: North: 3 of 4 checked (75%), 67% passed; South: 1 of 1 checked (100%), pass rate hidden (fewer than 3 checked).");
    expect(tier1DigestLine([], 3)).toBe("");
  });
});
