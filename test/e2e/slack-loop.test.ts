// Unsafe practice and feedback in Slack, end to end over real HTTP: an auditor reports with /audit unsafe, the Family
// Support Manager's DM card is acknowledged and its MASH outcome recorded from Slack (the card updated in place each
// time), and after a submitted audit the lead professional replies to their feedback through its modal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { loadExamples, sectionAnswers, SECTIONS } from "../support/audit-inputs";
import { blocksText, dmOf, eventually, startSlackHarness, type PostedMessage, type SlackHarness } from "../support/slack-harness";
import { buttonsIn, type OpenView, type SlackTestUser } from "../support/slack-requests";

const MONTH = "2026-12";
const FSM = "lena.fisher@example.gov.uk";
const SEEN = "The lead professional left a child of four alone at home during a visit and did not record it.";
let h: SlackHarness;
const people = new Map<string, SlackTestUser>();

beforeAll(async () => {
  h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack", CAF_FEEDBACK_RELEASE: "automatic" });
  await loadExamples(h);
  for (const p of await h.core.people.all()) people.set(p.email, h.member(p.name, p.email));
  const r = await allocateMonth(h.core, { month: MONTH, seed: 20261201, actor: "test", dryRun: false });
  if (!r.ok) throw new Error(r.problem.message);
});
afterAll(async () => h?.close());

const newView = (count: number): Promise<OpenView> => eventually(() => h.openedViews()[count], 10_000, "a modal to open");
const messageIn = (user: SlackTestUser, match: (m: PostedMessage) => boolean, what: string) => eventually(() => h.messagesIn(dmOf(user)).find(match), 15_000, what);
const latest = (m: PostedMessage) => h.messagesIn(m.channel).filter((x) => x.ts === m.ts).at(-1)!;

describe("unsafe practice from Slack", () => {
  it("reaches the FSM as a DM, is acknowledged and its MASH outcome recorded from Slack, the card updated in place", async () => {
    const plan = (await h.core.allocations.getPlan(MONTH))!.plan;
    const { auditorEmail, caseRef } = plan.assignments[0]!;
    const auditor = people.get(auditorEmail)!;
    const fsm = people.get(FSM)!;

    const opened = h.openedViews().length;
    await h.command(auditor, "unsafe");
    const form = await newView(opened);
    expect(blocksText(form.view.blocks)).toContain("Family Support Manager");
    const res = await h.submitView(auditor, form, { "unsafe.caseRef": caseRef, "unsafe.seen": SEEN, "unsafe.when": "current", "unsafe.urgency": "immediate" });
    expect(res.status).toBe(200);
    expect(res.body.response_action).toBe("update");
    expect(blocksText(res.body.view.blocks)).toContain("Lena Fisher");

    const card = await messageIn(fsm, (m) => m.text.startsWith(`Unsafe practice raised on case ${caseRef}`), "escalation DM to the FSM");
    expect(blocksText(card.blocks)).toContain(SEEN);
    // The notification line never carries what was seen.
    expect(card.text).not.toContain("alone");
    const [escalation] = await h.core.escalations.listMonth(MONTH);
    expect(escalation!.caseRef).toBe(caseRef);

    await h.click(fsm, card, "acknowledgeEscalation");
    await eventually(() => latest(card).how === "update" && blocksText(latest(card).blocks).includes("Acknowledged by Lena Fisher"), 10_000, "card shows the acknowledgement");
    expect((await h.core.escalations.get(escalation!.id))!.escalation.acknowledgedAt).toBeTruthy();

    const before = h.openedViews().length;
    await h.click(fsm, latest(card), "open:recordMash");
    const mash = await newView(before);
    const done = await h.submitView(fsm, mash, { mashOutcome: "Discussed with MASH: a strategy discussion is booked for today." });
    expect(done.body.response_action).toBe("clear");
    await eventually(async () => (await h.core.escalations.get(escalation!.id))!.escalation.mashOutcome, 10_000, "MASH recorded");
    await eventually(() => blocksText(latest(card).blocks).includes("MASH"), 10_000, "card shows MASH");

    // Exactly one card for the FSM: every change went in place.
    expect(h.messagesIn(dmOf(fsm)).filter((m) => m.how === "post" && m.text.startsWith(`Unsafe practice raised on case ${caseRef}`))).toHaveLength(1);
  });
});

describe("feedback from Slack", () => {
  it("the lead professional opens their feedback as a modal and replies; the reply is stored and the card updated", async () => {
    const plan = (await h.core.allocations.getPlan(MONTH))!.plan;
    const { auditorEmail, caseRef } = plan.assignments[1]!;
    const auditor = people.get(auditorEmail)!;
    const theCase = (await h.core.cases.all()).find((c) => c.caseRef === caseRef)!;
    const lp = people.get(theCase.leadProfessionalEmail!)!;

    // The auditor completes the audit through the modals.
    const allocation = await messageIn(auditor, (m) => m.text.includes(`case ${caseRef},`), "allocation DM");
    let count = h.openedViews().length;
    await h.click(auditor, allocation, "startAudit");
    let view = await newView(count);
    for (const section of SECTIONS) view = { id: view.id, view: (await h.submitView(auditor, view, sectionAnswers(section.id))).body.view };
    const submitted = await h.submitView(auditor, view, {
      grade: "requires-improvement",
      justification: "The assessment is sound but the TAF plan is not reviewed often enough and the child's voice fades later on.",
      "actions.0.action": "Hold a TAF review and record the child's views in it",
      "actions.0.byWhom": "Lead professional",
      "actions.0.byWhen": "2027-01-29",
    });
    expect(submitted.body.response_action).toBe("clear");

    const feedback = await messageIn(lp, (m) => m.text.startsWith(`Audit feedback for case ${caseRef}`), "feedback DM to the LP");
    const openForm = buttonsIn(feedback.blocks).find((b) => b.action_id.startsWith("open-form:"));
    expect(openForm?.action_id).toBe("open-form:feedback");
    count = h.openedViews().length;
    await h.click(lp, feedback, "open-form:feedback");
    const modal = await newView(count);
    const ids = modal.view.blocks.filter((b: { type: string }) => b.type === "input").map((b: { block_id: string }) => b.block_id);
    expect(ids).toContain("lpComment");
    const actionId = ids.find((id: string) => id.endsWith(".response"))!.split(".")[1];
    const reply = await h.submitView(lp, modal, {
      [`action.${actionId}.response`]: "accept",
      [`action.${actionId}.date`]: "2027-01-20",
      lpComment: "Thank you. I will hold the review with the family before the end of January.",
    });
    expect(reply.status).toBe(200);
    expect(["update", "clear"]).toContain(reply.body.response_action);
    const stored = (await h.core.feedback.get(MONTH, caseRef))!.feedback;
    expect(stored.lpComment?.text).toContain("hold the review");
    await eventually(() => latest(feedback).how === "update", 10_000, "feedback card updated in place");
  });
});
