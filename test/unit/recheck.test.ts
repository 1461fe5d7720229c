// Verified close-out, as pure rules: when a below-good audit's re-check is due, who gets it, what the auditor must
// say, and what Yes, Partly and No do to the feedback, round after round; and the digest's counts.
// Times are fixed instants; December to March are GMT. Christmas and New Year bank holidays are not working days.
import { describe, expect, it } from "vitest";
import type { CaseFile } from "../../src/domain/case-file";
import { confirmActions, feedbackFor, release, type Feedback, type FeedbackRules } from "../../src/domain/feedback";
import type { Person } from "../../src/domain/person";
import { answerRecheck, belowGoodQuestions, latestRecheck, readyForRecheck, recheckAuditor, recheckCounts, recheckProblems, scheduleRecheck, sendRecheck, type RecheckInput } from "../../src/domain/recheck";
import { defaultToolkitDir, loadToolkits } from "../../src/toolkits/load-toolkits";
import { submittedAudit } from "../support/submitted-audits";

const TOOLKIT = loadToolkits(defaultToolkitDir()).get("tier2-caf")!;
const RULES: FeedbackRules = { reviewReminderDays: 2, correctiveReminderDays: 5, recheckDelayDays: 20 };
const AUDITOR = "asha.patel@example.gov.uk";
const LP = "farah.khan@example.gov.uk";
const MANAGER = "dev.shah@example.gov.uk";
const at = (iso: string) => new Date(iso);
const AUDIT = submittedAudit(TOOLKIT, { caseRef: "CAF-1006", serviceArea: "North", month: "2026-12", grade: "requires-improvement", belowGood: ["multi-agency-involvement", "risk"] });

function confirmed(): Feedback {
  const f = release(feedbackFor(AUDIT, TOOLKIT, { lp: LP, manager: MANAGER }, RULES, at("2026-12-20T10:00:00Z")), "qa@example.gov.uk", at("2026-12-21T10:00:00Z"), RULES);
  const done = confirmActions(f, { a1: { done: true, note: "TAF review held with the school", newDate: "" } }, MANAGER, at("2027-01-15T11:00:00Z"));
  if (Array.isArray(done)) throw new Error(JSON.stringify(done));
  return done;
}
const person = (email: string, roles: Person["roles"], awayUntil: string | null = null): Person => ({ email, name: email, roles, serviceArea: null, managerEmail: null, monthlyCapacity: 2, awayUntil });
const caseFile = (involvedEmails: string[] = []): CaseFile => ({ caseRef: "CAF-1006", serviceArea: "North", status: "open", openedOn: null, closedOn: null, leadProfessionalEmail: LP, lpManagerEmail: MANAGER, stepDown: false, ageBand: null, primaryNeed: null, lastAuditedOn: null, missingFromRegisterSince: null, involvedEmails });
const answer = (over: Partial<RecheckInput> = {}): RecheckInput => ({
  outcome: "yes",
  evidence: "The February TAF minutes show the school and health visitor at the table.",
  grades: { "multi-agency-involvement": "good", risk: "good" },
  action: { action: "", byWhom: "", byWhen: "" },
  ...over,
});
const sent = () => sendRecheck(scheduleRecheck(confirmed(), belowGoodQuestions(AUDIT, TOOLKIT), at("2027-01-15T11:00:00Z"), 20), AUDITOR, at("2027-02-15T09:00:00Z"));

describe("when a re-check is due", () => {
  it("is ready once every action on a below-good audit is done and confirmed, and not for a good one", () => {
    expect(readyForRecheck(confirmed())).toBe(true);
    const good = release(feedbackFor(submittedAudit(TOOLKIT, { caseRef: "CAF-2", serviceArea: "North", month: "2026-12", grade: "good" }), TOOLKIT, { lp: LP, manager: MANAGER }, RULES, at("2026-12-20T10:00:00Z")), "qa@example.gov.uk", at("2026-12-21T10:00:00Z"), RULES);
    expect(readyForRecheck(good)).toBe(false);
  });

  it("goes at 09:00 on the working day after 20 working days, asking only the questions graded below good", () => {
    // Friday 15 January 2027 + 20 working days is Friday 12 February; the next working day is Monday 15 February.
    const f = scheduleRecheck(confirmed(), belowGoodQuestions(AUDIT, TOOLKIT), at("2027-01-15T11:00:00Z"), 20);
    expect(latestRecheck(f)).toMatchObject({ round: 1, status: "scheduled", dueOn: "2027-02-15", questionIds: ["multi-agency-involvement", "risk"], auditorEmail: null });
    expect(f).toMatchObject({ status: "closed", nextReminderAt: "2027-02-15T09:00:00.000Z" });
    expect(readyForRecheck(f)).toBe(false);
  });
});

describe("who re-checks", () => {
  const load = new Map([["ben.okafor@example.gov.uk", 2], ["cara.jones@example.gov.uk", 1]]);
  const people = [person(AUDITOR, ["auditor"]), person("ben.okafor@example.gov.uk", ["auditor"]), person("cara.jones@example.gov.uk", ["auditor"]), person("kit@example.gov.uk", ["qa"])];
  it("is the original auditor when they can", () => {
    expect(recheckAuditor(confirmed(), caseFile(), people, load, "2027-02-15")).toBe(AUDITOR);
  });
  it("is the least-loaded other auditor when the original is away or now involved in the case", () => {
    const away = people.map((p) => (p.email === AUDITOR ? { ...p, awayUntil: "2027-02-19" } : p));
    expect(recheckAuditor(confirmed(), caseFile(), away, load, "2027-02-15")).toBe("cara.jones@example.gov.uk");
    expect(recheckAuditor(confirmed(), caseFile([AUDITOR, "cara.jones@example.gov.uk"]), people, load, "2027-02-15")).toBe("ben.okafor@example.gov.uk");
  });
  it("is nobody when every auditor is away or involved, and the round waits, retried the next working day", () => {
    expect(recheckAuditor(confirmed(), caseFile(), [person(AUDITOR, ["auditor"], "2027-03-01")], load, "2027-02-15")).toBeNull();
    const f = sendRecheck(scheduleRecheck(confirmed(), ["risk"], at("2027-01-15T11:00:00Z"), 20), null, at("2027-02-19T09:00:00Z"));
    expect(latestRecheck(f)!.status).toBe("unassigned");
    expect(f.nextReminderAt).toBe("2027-02-22T09:00:00.000Z");
  });
});

describe("the auditor's answer", () => {
  it("needs each question graded, an outcome, evidence, and for Partly or No what must happen now", () => {
    const r = latestRecheck(sent())!;
    expect(recheckProblems(r, TOOLKIT, answer())).toEqual([]);
    expect(recheckProblems(r, TOOLKIT, answer({ outcome: "maybe", evidence: "ok", grades: { risk: "good" } })).map((p) => p.field)).toEqual(["recheck.multi-agency-involvement", "recheck.outcome", "recheck.evidence"]);
    const partly = recheckProblems(r, TOOLKIT, answer({ outcome: "partly", action: { action: "Invite the school", byWhom: "Lead professional", byWhen: "2027-02-30" } }));
    expect(partly).toEqual([{ field: "recheck.action", message: "Say what must happen now for the child, who does it and by when (a date)." }]);
  });

  it("Yes closes the audit as verified, with the new grades kept", () => {
    const f = answerRecheck(sent(), answer(), AUDITOR, at("2027-02-16T10:00:00Z"), RULES);
    expect(f).toMatchObject({ status: "closed", nextReminderAt: null });
    expect(f.closedReason).toContain("verified");
    expect(latestRecheck(f)).toMatchObject({ status: "verified", answer: { outcome: "yes", grades: { "multi-agency-involvement": "good", risk: "good" }, by: AUDITOR } });
    expect(readyForRecheck(f)).toBe(false);
  });

  it("Partly reopens the feedback with the new action, to confirm by the end of next month, and a second round follows it", () => {
    const f = answerRecheck(sent(), answer({ outcome: "partly", action: { action: "Invite the school to the TAF", byWhom: "Lead professional", byWhen: "2027-03-12" } }), AUDITOR, at("2027-02-16T10:00:00Z"), RULES);
    expect(f).toMatchObject({ status: "released", closedReason: null, correctiveDueOn: "2027-03-31", nextReminderAt: "2027-02-23T09:00:00.000Z" });
    expect(f.actions.at(-1)).toMatchObject({ id: "r1a1", action: "Invite the school to the TAF", rag: "red", confirmation: null });
    expect(readyForRecheck(f)).toBe(false);
    const again = confirmActions(f, { r1a1: { done: true, note: "School at the March TAF", newDate: "" } }, MANAGER, at("2027-03-10T10:00:00Z"));
    if (Array.isArray(again)) throw new Error(JSON.stringify(again));
    expect(again.status).toBe("closed");
    expect(readyForRecheck(again)).toBe(true);
    expect(latestRecheck(scheduleRecheck(again, ["risk"], at("2027-03-10T10:00:00Z"), 20))).toMatchObject({ round: 2, status: "scheduled" });
  });
});

describe("the digest's re-check counts", () => {
  it("counts rounds answered in the period by outcome, and every round still waiting", () => {
    const verified = answerRecheck(sent(), answer(), AUDITOR, at("2027-02-16T10:00:00Z"), RULES);
    const reopened = answerRecheck(sent(), answer({ outcome: "no", action: { action: "Invite the school", byWhom: "LP", byWhen: "2027-03-12" } }), AUDITOR, at("2027-03-01T10:00:00Z"), RULES);
    const waiting = sent();
    const feb = (m: string) => m === "2027-02";
    expect(recheckCounts([verified, reopened, waiting, confirmed()], feb)).toEqual({ verified: 1, reopened: 0, awaiting: 1 });
    expect(recheckCounts([verified, reopened, waiting], (m) => m >= "2027-02" && m <= "2027-03")).toEqual({ verified: 1, reopened: 1, awaiting: 1 });
  });
});
