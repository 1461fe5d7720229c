// Moderation in Slack, end to end over real signed HTTP: two auditors grade one moderated case differently through
// the modals; neither sees the other's answers, nor that a second audit exists; the QA team gets both side by side
// in a DM, agrees the grade through the card's modal, and the lead professional's feedback uses the agreed grade.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import type { AllocationPlan } from "../../src/domain/allocation-plan";
import { finalInputs, loadExamples, SECTIONS, sectionAnswers } from "../support/audit-inputs";
import { blocksText, dmOf, eventually, startSlackHarness, type PostedMessage, type SlackHarness } from "../support/slack-harness";
import type { OpenView, SlackTestUser } from "../support/slack-requests";

const MONTH = "2026-12";
const QA_EMAIL = "kit.morris@example.gov.uk";
let h: SlackHarness;
let plan: AllocationPlan;
const people = new Map<string, SlackTestUser>();

beforeAll(async () => {
  h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack", CAF_FEEDBACK_RELEASE: "automatic", CAF_SAMPLE_SIZE: "5", CAF_MODERATION_SHARE: "0.6" });
  await loadExamples(h);
  for (const p of await h.core.people.all()) people.set(p.email, h.member(p.name, p.email));
  const r = await allocateMonth(h.core, { month: MONTH, seed: 1, actor: "test", dryRun: false });
  if (!r.ok) throw new Error(r.problem.message);
  plan = r.value.plan;
});
afterAll(async () => h?.close());

const newView = (count: number): Promise<OpenView> => eventually(() => h.openedViews()[count], 10_000, "a modal to open");
const messageIn = (user: SlackTestUser, match: (m: PostedMessage) => boolean, what: string) => eventually(() => h.messagesIn(dmOf(user)).find(match), 15_000, what);
/** The modals each person was shown while auditing, as text. */
const modalsSeen = new Map<SlackTestUser, string[]>();
/** Every message and modal a person has been shown, as text: what they could have read. */
const everythingSeenBy = (user: SlackTestUser) => [...h.messagesIn(dmOf(user)).map((m) => JSON.stringify(m.blocks) + m.text), ...(modalsSeen.get(user) ?? [])].join("\n");

/** The auditor completes the whole toolkit through the modals, every comment carrying `marker`. */
async function audit(user: SlackTestUser, caseRef: string, grade: string, marker: string): Promise<void> {
  const allocation = await messageIn(user, (m) => m.text.includes(`case ${caseRef},`), "allocation DM");
  const count = h.openedViews().length;
  await h.click(user, allocation, "startAudit");
  let view = await newView(count);
  const seen = modalsSeen.get(user) ?? [];
  modalsSeen.set(user, seen);
  let n = 0;
  for (const section of SECTIONS) {
    seen.push(JSON.stringify(view.view));
    view = { ...view, view: (await h.submitView(user, view, sectionAnswers(section.id, grade === "good" ? "good" : "requires-improvement", () => `${marker}-${++n}`))).body.view };
  }
  seen.push(JSON.stringify(view.view));
  const submitted = await h.submitView(user, view, { ...finalInputs(grade), justification: `${marker} justification: ${finalInputs(grade).justification}` });
  expect(submitted.body.response_action).toBe("clear");
}

describe("moderation in Slack", () => {
  it("keeps both auditors blind, lets only the QA team agree the grade, and the lead professional gets the agreed grade", async () => {
    const second = plan.seconds![0]!;
    const caseRef = second.caseRef;
    const firstEmail = plan.assignments.find((a) => a.caseRef === caseRef)!.auditorEmail;
    const [first, secondAuditor, kit] = [people.get(firstEmail)!, people.get(second.auditorEmail)!, people.get(QA_EMAIL)!];
    const lpEmail = (await h.core.cases.all()).find((c) => c.caseRef === caseRef)!.leadProfessionalEmail!;

    await audit(first, caseRef, "good", "FIRSTMARK");
    expect(await h.core.feedback.get(MONTH, caseRef)).toBeUndefined();
    await audit(secondAuditor, caseRef, "requires-improvement", "SECONDMARK");

    const card = await messageIn(kit, (m) => blocksText(m.blocks).includes(`Moderation: ${caseRef} needs an agreed grade`), "the moderation DM to QA");
    expect(blocksText(card.blocks)).toContain("FIRSTMARK");
    expect(blocksText(card.blocks)).toContain("SECONDMARK");
    expect(await h.core.feedback.get(MONTH, caseRef)).toBeUndefined();
    // Up to the decision, neither auditor has seen a word of the other's audit, or that there is another.
    for (const [user, other, otherEmail] of [[first, "SECONDMARK", second.auditorEmail], [secondAuditor, "FIRSTMARK", firstEmail]] as const) {
      const seen = everythingSeenBy(user);
      expect(seen).not.toContain(other);
      expect(seen).not.toContain(otherEmail);
      expect(seen).not.toMatch(/moderat|second audit/i);
    }

    // The QA team's button pressed from anyone else's chat opens nothing: the card is not in their DM.
    await h.click(first, { ...card, channel: dmOf(first) }, "open-form:moderation");
    await messageIn(first, (m) => blocksText(m.blocks).includes("That button no longer works"), "the stale-card answer");

    const count = h.openedViews().length;
    await h.click(kit, card, "open-form:moderation");
    const modal = await newView(count);
    // The QA team's modal submitted by an auditor of the case (a forged submission) is refused, and nothing changes.
    const forged = await h.submitView(first, modal, { agreedGrade: "good", agreeReason: "I think my grade is the right one here." });
    expect(JSON.stringify(forged.body)).toContain("Only the QA team can do that");
    expect(await h.core.feedback.get(MONTH, caseRef)).toBeUndefined();
    expect((await h.core.allocations.getModeration(MONTH, caseRef))!.moderation.status).toBe("awaiting_agreement");
    const noReason = await h.submitView(kit, modal, { agreedGrade: "requires-improvement", agreeReason: "" });
    expect(noReason.body.response_action).toBe("errors");
    expect(await h.core.feedback.get(MONTH, caseRef)).toBeUndefined();
    const agreed = await h.submitView(kit, modal, { agreedGrade: "requires-improvement", agreeReason: "The child's voice is missing from the plan, as the second audit found." });
    expect(["clear", "update"]).toContain(agreed.body.response_action);
    expect((await h.core.feedback.get(MONTH, caseRef))!.feedback).toMatchObject({ grade: "requires-improvement", belowGood: true });
    await eventually(() => h.messagesIn(dmOf(kit)).filter((m) => m.ts === card.ts).some((m) => blocksText(m.blocks).includes("Agreed as Requires Improvement by Kit Morris")), 10_000, "the QA card updated in place");

    const feedback = await messageIn(people.get(lpEmail)!, (m) => m.text.startsWith(`Audit feedback for case ${caseRef}`), "feedback DM to the LP");
    expect(blocksText(feedback.blocks)).toContain("Requires Improvement");
    for (const user of [first, secondAuditor]) {
      const told = await messageIn(user, (m) => blocksText(m.blocks).includes(`Moderation of ${caseRef}: Requires Improvement`), "the outcome");
      expect(blocksText(told.blocks)).toContain("The child's voice is missing from the plan");
    }
  });
});
