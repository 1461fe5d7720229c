// Stale cases, as pure rules: which open cases go to their lead professional, when they are asked again, what an
// answer must say, and the digest's counts. December is GMT, so London dates equal UTC ones here.
import { describe, expect, it } from "vitest";
import { answerStale, lastActivityOn, staleChecksDue, staleCounts, staleProblems, type StaleCheck, type StaleRules } from "../../src/domain/stale-case";
import { ConfigError, loadConfig } from "../../src/config";
import { staleRulesOf } from "../../src/wiring";
import { aCase } from "../support/builders";

const RULES: StaleRules = { ageMonths: 12, reaskMonths: 12, closureReasons: ["Needs met", "Family moved away"] };
const NOW = new Date("2026-12-03T09:00:00Z");
const due = (cases: Parameters<typeof staleChecksDue>[0], earlier: StaleCheck[] = [], now = NOW, month = "2026-12", rules = RULES) => staleChecksDue(cases, earlier, now, month, rules).map((c) => c.caseRef);

describe("which open cases are stale", () => {
  it("asks about a case opened over 12 months ago with nothing recorded since, and not one opened 11 months ago", () => {
    const old = aCase({ caseRef: "OLD", openedOn: "2025-11-20" });
    const young = aCase({ caseRef: "YOUNG", openedOn: "2026-01-10" });
    expect(due([old, young])).toEqual(["OLD"]);
  });

  it("treats a recent audit or a register row changed within the age as activity", () => {
    const audited = aCase({ caseRef: "AUDITED", openedOn: "2023-01-01", lastAuditedOn: "2026-06-01" });
    const changed = aCase({ caseRef: "CHANGED", openedOn: "2023-01-01", registerChangedOn: "2026-02-01" });
    const quiet = aCase({ caseRef: "QUIET", openedOn: "2023-01-01", lastAuditedOn: "2025-01-01", registerChangedOn: "2025-06-01" });
    expect(due([audited, changed, quiet])).toEqual(["QUIET"]);
    expect(lastActivityOn(quiet)).toBe("2025-06-01");
  });

  it("leaves out closed cases, cases gone from the register and cases with no opening date", () => {
    const closed = aCase({ openedOn: "2020-01-01", status: "closed" });
    const gone = aCase({ openedOn: "2020-01-01", missingFromRegisterSince: "2026-10-01" });
    const undated = aCase({ openedOn: null });
    expect(due([closed, gone, undated])).toEqual([]);
  });

  it("follows the age setting", () => {
    const c = aCase({ caseRef: "SIX", openedOn: "2026-05-01" });
    expect(due([c], [], NOW, "2026-12", { ...RULES, ageMonths: 6 })).toEqual(["SIX"]);
  });

  it("records a case with no lead professional, so the QA team sees it, with nobody to ask", () => {
    const [check] = staleChecksDue([aCase({ caseRef: "NOLP", openedOn: "2020-01-01", leadProfessionalEmail: null })], [], NOW, "2026-12", RULES);
    expect(check).toMatchObject({ caseRef: "NOLP", leadProfessionalEmail: null, answer: null });
  });
});

describe("asking again", () => {
  const c = aCase({ caseRef: "C1", openedOn: "2020-01-01" });
  const [asked] = staleChecksDue([c], [], NOW, "2026-12", RULES) as [StaleCheck];

  it("never asks twice in a month", () => {
    expect(due([c], [asked])).toEqual([]);
  });

  it("asks after a Yes, still open only once the re-ask period has passed since the answer", () => {
    const yes = answerStale(asked, { outcome: "still_open", closedOn: "", reason: "" }, "lp@council.gov.uk", new Date("2026-12-10T10:00:00Z"));
    expect(due([c], [yes], new Date("2027-11-02T09:00:00Z"), "2027-11")).toEqual([]);
    expect(due([c], [yes], new Date("2027-12-13T09:00:00Z"), "2027-12")).toEqual(["C1"]);
    expect(due([c], [yes], new Date("2027-06-14T09:00:00Z"), "2027-06", { ...RULES, reaskMonths: 6 })).toEqual(["C1"]);
  });

  it("sends no reminder: an unanswered card holds the case back for the re-ask period too", () => {
    expect(due([c], [asked], new Date("2027-01-05T09:00:00Z"), "2027-01")).toEqual([]);
  });

  it("does not ask again about a case its LP said has closed, until its register row changes", () => {
    const closed = answerStale(asked, { outcome: "closed", closedOn: "2026-03-01", reason: "Needs met" }, "lp@council.gov.uk", new Date("2026-12-10T10:00:00Z"));
    expect(due([c], [closed], new Date("2028-01-05T09:00:00Z"), "2028-01")).toEqual([]);
    const rowChangedOnce = { ...c, registerChangedOn: "2026-12-20" };
    expect(due([rowChangedOnce], [closed], new Date("2028-01-05T09:00:00Z"), "2028-01")).toEqual(["C1"]);
  });
});

describe("what an answer must say", () => {
  const [check] = staleChecksDue([aCase({ openedOn: "2024-05-01" })], [], NOW, "2026-12", RULES) as [StaleCheck];
  const problems = (outcome: string, closedOn = "", reason = "") => staleProblems(check, { outcome, closedOn, reason }, "2026-12-03", RULES).map((p) => p.message);

  it("takes Yes, still open alone", () => {
    expect(problems("still_open")).toEqual([]);
  });

  it("needs a choice", () => {
    expect(problems("")).toEqual(["Choose Yes, still open or It has closed."]);
  });

  it("refuses a closure date in the future or before the case opened, and a reason not on the list", () => {
    expect(problems("closed", "2026-12-04", "Needs met")).toEqual(["The closure date is in the future: give the date it closed, today at the latest."]);
    expect(problems("closed", "2024-04-30", "Needs met")).toEqual(["The closure date is before the case opened (2024-05-01): check the date."]);
    expect(problems("closed", "2026-02-30", "Bored")).toEqual(["Give the date the case closed.", "Choose why the case closed."]);
    expect(problems("closed", "2026-12-03", "Needs met")).toEqual([]);
  });
});

describe("the digest's counts", () => {
  it("counts cards sent in the period by how they stand, leaving out cases with no LP", () => {
    const checks = staleChecksDue([aCase({ caseRef: "A", openedOn: "2020-01-01" }), aCase({ caseRef: "B", openedOn: "2020-01-01" }), aCase({ caseRef: "C", openedOn: "2020-01-01" }), aCase({ caseRef: "D", openedOn: "2020-01-01", leadProfessionalEmail: null })], [], NOW, "2026-12", RULES);
    const at = new Date("2026-12-05T10:00:00Z");
    const [a, b, ...rest] = checks;
    const answered = [answerStale(a!, { outcome: "closed", closedOn: "2026-01-01", reason: "Needs met" }, "x", at), answerStale(b!, { outcome: "still_open", closedOn: "", reason: "" }, "x", at), ...rest];
    expect(staleCounts(answered, (m) => m === "2026-12")).toEqual({ asked: 3, closed: 1, stillOpen: 1, notAnswered: 1 });
    expect(staleCounts(answered, (m) => m === "2026-11")).toEqual({ asked: 0, closed: 0, stillOpen: 0, notAnswered: 0 });
  });
});

describe("what a council sets without a code change", () => {
  it("defaults to 12 months, asked again after the same, with the usual closure reasons", () => {
    expect(staleRulesOf(loadConfig({}))).toMatchObject({ ageMonths: 12, reaskMonths: 12, closureReasons: expect.arrayContaining(["Needs met", "Other"]) });
  });

  it("takes its own age, re-ask period and closure reasons (semicolons, spaces trimmed)", () => {
    const rules = staleRulesOf(loadConfig({ CAF_STALE_AGE_MONTHS: "18", CAF_STALE_REASK_MONTHS: "6", CAF_STALE_CLOSURE_REASONS: "Needs met ; Stepped up to CSC;Family moved away" }));
    expect(rules).toEqual({ ageMonths: 18, reaskMonths: 6, closureReasons: ["Needs met", "Stepped up to CSC", "Family moved away"] });
    expect(staleRulesOf(loadConfig({ CAF_STALE_AGE_MONTHS: "18" })).reaskMonths).toBe(18);
  });

  it("refuses a list with no reason in one sentence naming the setting", () => {
    expect(() => loadConfig({ CAF_STALE_CLOSURE_REASONS: " ; ;" })).toThrow(ConfigError);
    expect(() => loadConfig({ CAF_STALE_CLOSURE_REASONS: " ; ;" })).toThrow(/CAF_STALE_CLOSURE_REASONS must be closure reasons separated by semicolons/);
  });
});
