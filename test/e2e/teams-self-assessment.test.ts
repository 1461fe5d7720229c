// The optional self-assessment stage in Teams, end to end over real HTTP: with CAF_SELF_ASSESSMENT=on, allocating
// the month asks each case's lead professional (once, however often it runs) to grade a few questions of their own
// file; the auditor sees nothing of it while auditing, and reads it beside their own grades once they submit; a
// self-assessment sent after the audit is refused; only the lead professional may send it; the report compares them.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { requestSelfAssessments } from "../../src/app/stages/self-assessment";
import { runReport } from "../../src/cli/report-command";
import type { CliContext } from "../../src/cli/run-cli";
import type { AllocationPlan } from "../../src/domain/allocation-plan";
import { finalInputs, loadExamples, SECTIONS, sectionAnswers } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import type { TeamsUser } from "../support/teams-activities";
import { act, cardText, errorBeside, heading, sentTo, sleep, type Card, installedUsers, pushedCards, until } from "../support/teams-cards";

const MONTH = "2026-12";
const COMMENT = "ZEBRA I would have asked the school to the first TAF.";
let h: Harness;
let plan: AllocationPlan;
const userOf = installedUsers(() => h);

const cardsTo = (user: TeamsUser) => pushedCards(h, user);
const everythingSeenBy = (user: TeamsUser) => sentTo(h, user).map((s) => JSON.stringify(s.activity)).join("\n");
const lpOf = async (caseRef: string) => (await h.core.cases.all()).find((c) => c.caseRef === caseRef)!.leadProfessionalEmail!;
const selfCard = (user: TeamsUser, caseRef: string) => until(() => cardsTo(user).find((c) => heading(c) === `Self-assessment: case ${caseRef}`), `the self-assessment card for ${caseRef}`);
const answers = (grade: string) => ({
  "self.assessment.multi-agency-involvement": grade,
  "self.assessment.voice-of-child": grade,
  "self.assessment.smart-plan": grade,
  "self.taf.smart-plan-progress": grade,
  "self.monitoring.improved-outcomes": grade,
});

async function auditAndSubmit(user: TeamsUser, caseRef: string, grade: string): Promise<Card> {
  const ref = { month: MONTH, caseRef };
  await act(h, user, "startAudit", ref);
  for (const s of SECTIONS) await act(h, user, "saveSection", { ...ref, sectionId: s.id, ...sectionAnswers(s.id, "requires-improvement") });
  return (await act(h, user, "submitAudit", { ...ref, ...finalInputs(grade) })).card;
}

beforeAll(async () => {
  h = await startHarness({ CAF_SAMPLE_SIZE: "3", CAF_SELF_ASSESSMENT: "on", CAF_RELAY_INTERVAL_MS: "100" });
  await loadExamples(h);
  for (const p of await h.core.people.all()) await userOf(p.email);
  const r = await allocateMonth(h.core, { month: MONTH, seed: 3, actor: "test", dryRun: false });
  if (!r.ok) throw new Error(r.problem.message);
  plan = r.value.plan;
  expect(await requestSelfAssessments(h.core, MONTH)).toBe(plan.assignments.length);
}, 60_000);
afterAll(() => h?.close());

describe("self-assessment in Teams", () => {
  it("asks each lead professional once; the auditor sees it only after submitting, beside their own grades", async () => {
    // A re-run of the month asks nobody again.
    expect(await requestSelfAssessments(h.core, MONTH)).toBe(0);
    const a = plan.assignments[0]!;
    const lp = await userOf(await lpOf(a.caseRef));
    const auditor = await userOf(a.auditorEmail);
    const card = await selfCard(lp, a.caseRef);
    expect(JSON.stringify(card)).toContain('"id":"self.assessment.voice-of-child"');
    await sleep(300);
    expect(cardsTo(lp).filter((c) => heading(c) === `Self-assessment: case ${a.caseRef}`)).toHaveLength(1);

    // Someone else (the auditor, the QA team) pressing Send is refused; nothing is stored.
    for (const email of [a.auditorEmail, "kit.morris@example.gov.uk"]) {
      const other = await act(h, await userOf(email), "submitSelfAssessment", { month: MONTH, caseRef: a.caseRef, ...answers("good"), "self.overall": "good" });
      expect(cardText(other.card)).toContain(`The self-assessment of case ${a.caseRef} is only for the lead professional it was sent to.`);
    }
    const half = await act(h, lp, "submitSelfAssessment", { month: MONTH, caseRef: a.caseRef, ...answers("good"), "self.assessment.voice-of-child": "", "self.overall": "" });
    expect(half.inPlace).toBe(true);
    expect(errorBeside(half.card, "self.assessment.voice-of-child")).toBe("Choose a grade for question 3i.");
    expect(errorBeside(half.card, "self.overall")).toBe("Choose your overall grade.");
    expect((await h.core.selfAssessments.get(MONTH, a.caseRef))!.selfAssessment.status).toBe("requested");

    const sent = await act(h, lp, "submitSelfAssessment", { month: MONTH, caseRef: a.caseRef, ...answers("good"), "self.overall": "good", "self.comment": COMMENT });
    expect(cardText(sent.card)).toContain("Thank you. The auditor sees your answers once their own audit is submitted.");

    // While auditing, the auditor is shown nothing of it (before this, only the refusal of their own press above).
    const ref = { month: MONTH, caseRef: a.caseRef };
    const before = sentTo(h, auditor).length;
    await act(h, auditor, "startAudit", ref);
    for (const s of SECTIONS) await act(h, auditor, "saveSection", { ...ref, sectionId: s.id, ...sectionAnswers(s.id, "requires-improvement") });
    expect(sentTo(h, auditor).slice(before).map((x) => JSON.stringify(x.activity)).join("\n")).not.toMatch(/self-assessment|ZEBRA|Good overall/i);
    expect(everythingSeenBy(auditor)).not.toContain("ZEBRA");
    const submitted = (await act(h, auditor, "submitAudit", { ...ref, ...finalInputs("requires-improvement") })).card;
    expect(heading(submitted)).toBe("Audit submitted");
    expect(cardText(submitted)).toContain("The lead professional's self-assessment, sent before your audit: Good overall (you: Requires Improvement). Of 5 questions, 0 have the same grade as yours.");
    expect(cardText(submitted)).toContain(COMMENT);
  });

  it("refuses a self-assessment sent after the audit is in, and the report compares the ones that were sent", async () => {
    const b = plan.assignments[1]!;
    const lp = await userOf(await lpOf(b.caseRef));
    await selfCard(lp, b.caseRef);
    await auditAndSubmit(await userOf(b.auditorEmail), b.caseRef, "good");
    const late = await act(h, lp, "submitSelfAssessment", { month: MONTH, caseRef: b.caseRef, ...answers("good"), "self.overall": "good" });
    expect(cardText(late.card)).toContain("The audit of this case was submitted before your self-assessment, so it is no longer needed.");
    expect((await h.core.selfAssessments.get(MONTH, b.caseRef))!.selfAssessment.status).toBe("requested");

    const out = join(mkdtempSync(join(tmpdir(), "caf-self-report-")), "report.xlsx");
    const ctx = { core: h.core, out: () => undefined, log: pino({ level: "silent" }) } as unknown as CliContext;
    expect(await runReport(ctx, { from: MONTH, to: MONTH, out })).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const rows = (wb.getWorksheet("Self-assessment")!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1).map((c) => (c === null || c === undefined ? "" : String(c))));
    const row = (caseRef: string) => rows.find((r) => r[1] === caseRef)!;
    expect(rows[0]).toEqual(["month", "case_ref", "service_area", "status", "self_grade", "audit_grade", "audit_less_self_steps", "questions_compared", "same_grade"]);
    expect(row(plan.assignments[0]!.caseRef).slice(3)).toEqual(["compared", "Good", "Requires Improvement", "-1", "5", "0"]);
    // Never sent: no grades at all (the workbook keeps no empty cells after the status).
    expect(row(b.caseRef).slice(3)).toEqual(["not sent"]);
    expect(JSON.stringify(rows)).not.toContain("ZEBRA");
  });
});
