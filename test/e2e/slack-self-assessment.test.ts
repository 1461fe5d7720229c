// The optional self-assessment stage in Slack, end to end over real signed HTTP: the lead professional gets the
// card in a DM, opens it as a modal, is shown the problems beside the inputs, and sends it; a forged submission by
// the auditor is refused; the auditor, auditing through the modals, sees nothing of it until they submit, and then
// reads it beside their own grades.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { requestSelfAssessments } from "../../src/app/stages/self-assessment";
import type { AllocationPlan } from "../../src/domain/allocation-plan";
import { finalInputs, loadExamples, SECTIONS, sectionAnswers } from "../support/audit-inputs";
import { blocksText, dmOf, eventually, startSlackHarness, type PostedMessage, type SlackHarness } from "../support/slack-harness";
import type { OpenView, SlackTestUser } from "../support/slack-requests";

const MONTH = "2026-12";
const COMMENT = "ZEBRA I would have asked the school to the first TAF.";
let h: SlackHarness;
let plan: AllocationPlan;
const people = new Map<string, SlackTestUser>();

beforeAll(async () => {
  h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack", CAF_SAMPLE_SIZE: "2", CAF_SELF_ASSESSMENT: "on" });
  await loadExamples(h);
  for (const p of await h.core.people.all()) people.set(p.email, h.member(p.name, p.email));
  const r = await allocateMonth(h.core, { month: MONTH, seed: 5, actor: "test", dryRun: false });
  if (!r.ok) throw new Error(r.problem.message);
  plan = r.value.plan;
  await requestSelfAssessments(h.core, MONTH);
});
afterAll(async () => h?.close());

const newView = (count: number): Promise<OpenView> => eventually(() => h.openedViews()[count], 10_000, "a modal to open");
const messageIn = (user: SlackTestUser, match: (m: PostedMessage) => boolean, what: string) => eventually(() => h.messagesIn(dmOf(user)).find(match), 15_000, what);
const grades = (grade: string) => Object.fromEntries(h.core.selfAssessment.stage.questions.map((q) => [`self.${q.section}.${q.question}`, grade]));

describe("self-assessment in Slack", () => {
  it("the lead professional sends it through the modal; the auditor reads it only once their audit is submitted", async () => {
    const a = plan.assignments[0]!;
    const lpEmail = (await h.core.cases.all()).find((c) => c.caseRef === a.caseRef)!.leadProfessionalEmail!;
    const [lp, auditor] = [people.get(lpEmail)!, people.get(a.auditorEmail)!];
    const dm = await messageIn(lp, (m) => m.text === `Self-assessment of case ${a.caseRef}: Waiting for your answers`, "the self-assessment DM");
    const count = h.openedViews().length;
    await h.click(lp, dm, "open-form:self-assessment");
    const modal = await newView(count);
    expect(JSON.stringify(modal.view)).toContain("self.assessment.voice-of-child");

    const forged = await h.submitView(auditor, modal, { ...grades("good"), "self.overall": "good" });
    expect(JSON.stringify(forged.body)).toContain("is only for the lead professional it was sent to");
    const half = await h.submitView(lp, modal, { ...grades("good"), "self.overall": "" });
    expect(half.body.response_action).toBe("errors");
    expect(JSON.stringify(half.body.errors)).toContain("Choose your overall grade.");
    expect((await h.core.selfAssessments.get(MONTH, a.caseRef))!.selfAssessment.status).toBe("requested");
    const sent = await h.submitView(lp, modal, { ...grades("good"), "self.overall": "good", "self.comment": COMMENT });
    expect(["clear", "update"]).toContain(sent.body.response_action);
    expect((await h.core.selfAssessments.get(MONTH, a.caseRef))!.selfAssessment).toMatchObject({ status: "submitted", overallGrade: "good" });

    // The auditor audits through the modals, shown nothing of it, then submits.
    const allocation = await messageIn(auditor, (m) => m.text.includes(`case ${a.caseRef},`), "the allocation DM");
    const before = h.openedViews().length;
    await h.click(auditor, allocation, "startAudit");
    let view = await newView(before);
    const seen: string[] = [];
    for (const section of SECTIONS) {
      seen.push(JSON.stringify(view.view));
      view = { ...view, view: (await h.submitView(auditor, view, sectionAnswers(section.id, "requires-improvement"))).body.view };
    }
    seen.push(JSON.stringify(view.view));
    expect(seen.join("\n")).not.toMatch(/self-assessment|ZEBRA/i);
    const submitted = await h.submitView(auditor, view, finalInputs("requires-improvement"));
    expect(submitted.body.response_action).toBe("clear");
    const confirmation = await messageIn(auditor, (m) => blocksText(m.blocks).includes("The lead professional's self-assessment, sent before your audit"), "the confirmation with the self-assessment");
    expect(blocksText(confirmation.blocks)).toContain("Good overall (you: Requires Improvement)");
    expect(blocksText(confirmation.blocks)).toContain(COMMENT);
  });
});
