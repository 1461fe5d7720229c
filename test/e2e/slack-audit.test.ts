// An auditor's month in Slack, end to end over real HTTP: the allocation DM found by email on the first day, Start
// audit opening a modal, every toolkit section as one modal view (one with a validation error beside its input), the
// final view, submit, and the DM card updated in place. Delivery survives Slack's 429 with Retry-After and a 500. Azurite holds the data; Slack is the loopback Web API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { sectionAnswers, SECTIONS, loadExamples } from "../support/audit-inputs";
import { blocksText, dmOf, eventually, startSlackHarness, type PostedMessage, type SlackHarness } from "../support/slack-harness";
import { buttonsIn, type OpenView, type SlackTestUser } from "../support/slack-requests";

const MONTH = "2026-12";
let h: SlackHarness;
const people = new Map<string, SlackTestUser>();

const finalInputs = {
  grade: "requires-improvement",
  justification: "The assessment is sound but the TAF plan is not reviewed often enough and the child's voice fades later on.",
  "actions.0.action": "Hold a TAF review and record the child's views in it",
  "actions.0.byWhom": "Lead professional",
  "actions.0.byWhen": "2027-01-29",
};

beforeAll(async () => {
  h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack" });
  await loadExamples(h);
  for (const p of await h.core.people.all()) people.set(p.email, h.member(p.name, p.email));
  // Slack answers the first card with 429 (Retry-After) and the next with a 500: the relay waits and tries again.
  h.slack.failNext({ method: "chat.postMessage", status: 429, retryAfterSeconds: 1 });
  h.slack.failNext({ method: "chat.postMessage", status: 500 });
  const r = await allocateMonth(h.core, { month: MONTH, seed: 20261201, actor: "test", dryRun: false });
  if (!r.ok) throw new Error(r.problem.message);
});
afterAll(async () => h?.close());

async function allocationMessageOf(email: string, caseRef?: string): Promise<{ user: SlackTestUser; message: PostedMessage; caseRef: string }> {
  const user = people.get(email)!;
  const message = await eventually(() => h.messagesIn(dmOf(user)).find((m) => m.text.startsWith("New audit for December 2026") && (!caseRef || m.text.includes(`case ${caseRef},`))), 15_000, `allocation DM to ${email}`);
  const start = buttonsIn(message.blocks).find((b) => b.action_id === "startAudit")!;
  return { user, message, caseRef: JSON.parse(start.value).caseRef as string };
}

async function newView(count: number): Promise<OpenView> {
  return eventually(() => h.openedViews()[count], 10_000, "a modal to open");
}

describe("an auditor's month in Slack", () => {
  it("sends every auditor their allocation as a DM on the first day, found by email without their ever writing to the bot", async () => {
    const plan = (await h.core.allocations.getPlan(MONTH))!.plan;
    const allocated = [...plan.assignments, ...(plan.seconds ?? [])];
    const auditors = [...new Set(allocated.map((a) => a.auditorEmail))];
    // The two failed cards wait for their retry time (the harness clock stands still until moved).
    await h.slack.waitFor("chat.postMessage", allocated.length);
    h.clock.set("2026-12-01T09:45:00Z");
    expect(auditors.length).toBeGreaterThan(1);
    for (const email of auditors) {
      const { message, caseRef } = await allocationMessageOf(email);
      expect(allocated.some((a) => a.auditorEmail === email && a.caseRef === caseRef)).toBe(true);
      expect(message.text).toContain(caseRef);
      expect(buttonsIn(message.blocks).map((b) => b.action_id)).toEqual(["startAudit", "open:declareInvolved"]);
    }
    expect(h.slack.callsOf("users.lookupByEmail").length).toBeGreaterThanOrEqual(auditors.length);
    // Through the 429 and the 500: one card per allocated audit (a moderated case's second audit too), none lost, none doubled.
    const allocationCards = () => auditors.flatMap((e) => h.messagesIn(dmOf(people.get(e)!)).filter((m) => m.how === "post" && m.text.startsWith("New audit for December 2026")));
    const cards = await eventually(() => allocationCards().length >= allocated.length && allocationCards(), 15_000, "every allocation card");
    expect(cards.map((m) => m.text.match(/case (\S+),/)![1]).sort()).toEqual(allocated.map((a) => a.caseRef).sort());
    expect(h.slack.calls.filter((c) => c.method === "chat.postMessage" && c.result === undefined)).toHaveLength(2);
    // The identity learnt by email is kept: the next card needs no lookup.
    const first = (await h.core.directory.identity(auditors[0]!, "slack"))!;
    expect(first.address.dmChannel).toBe(dmOf(people.get(auditors[0]!)!));
  });

  it("completes the whole Tier 2 toolkit through modals, with one validation error shown beside its input", async () => {
    const plan = (await h.core.allocations.getPlan(MONTH))!.plan;
    const { auditorEmail: email, caseRef: planned } = plan.assignments[0]!;
    const { user, message, caseRef } = await allocationMessageOf(email, planned);
    const opened = h.openedViews().length;
    expect((await h.click(user, message, "startAudit")).status).toBe(200);
    let view = await newView(opened);
    expect(view.view.callback_id).toBe("caf-form");
    expect(blocksText(view.view.blocks)).toContain(`Section 1 of ${SECTIONS.length}`);
    // Only ids travel in the modal's metadata, never an answer...
    const meta = JSON.parse(view.view.private_metadata);
    expect(meta.d).toEqual({ verb: "saveSection", month: MONTH, caseRef, sectionId: SECTIONS[0]!.id });
    // ...and the template of the message it came from, so a submit can tell whether to refresh that message without a read.
    expect(meta.o).toEqual({ c: message.channel, t: message.ts, v: "allocation" });

    // Section 1 with its first answer left out: the error comes back on that input; the draft is kept, and it does not move on.
    const first = SECTIONS[0]!;
    const missing = `${first.questions[0]!.id}.answer`;
    const bad = await h.submitView(user, view, { ...sectionAnswers(first.id), [missing]: "" });
    expect(bad.status).toBe(200);
    expect(bad.body.response_action).toBe("errors");
    expect(Object.keys(bad.body.errors)).toEqual([missing]);
    expect((await h.core.allocations.get(MONTH, caseRef))!.audit.sectionIndex).toBe(0);

    for (const [i, section] of SECTIONS.entries()) {
      const res = await h.submitView(user, view, sectionAnswers(section.id));
      expect(res.status).toBe(200);
      expect(res.body.response_action, `section ${i + 1}`).toBe("update");
      view = { id: view.id, view: res.body.view };
      // Every section submit stores the draft before the next view is shown.
      const stored = (await h.core.allocations.get(MONTH, caseRef))!.audit;
      expect(stored.sections[section.id]).toBeDefined();
      if (i + 1 < SECTIONS.length) expect(blocksText(view.view.blocks)).toContain(`Section ${i + 2} of ${SECTIONS.length}`);
    }
    expect(blocksText(view.view.blocks)).toContain("Check your answers and grade the case");

    const done = await h.submitView(user, view, finalInputs);
    expect(done.body.response_action).toBe("clear");
    const stored = (await h.core.allocations.get(MONTH, caseRef))!.audit;
    expect(stored.status).toBe("submitted");
    // The allocation message becomes the submitted card, in place.
    const updated = await eventually(() => h.messagesIn(message.channel).find((m) => m.how === "update" && m.ts === message.ts && m.text.includes("submitted")), 10_000, "card updated in place");
    expect(blocksText(updated.blocks)).toContain(caseRef);
  });

  it("Save and finish later inside the modal keeps the draft, and Start audit resumes at the same section", async () => {
    const plan = (await h.core.allocations.getPlan(MONTH))!.plan;
    const { auditorEmail: email, caseRef: planned } = plan.assignments[1]!;
    const { user, message, caseRef } = await allocationMessageOf(email, planned);
    let opened = h.openedViews().length;
    await h.click(user, message, "startAudit");
    let view = await newView(opened);
    const res = await h.submitView(user, view, sectionAnswers(SECTIONS[0]!.id));
    view = { id: view.id, view: res.body.view };
    expect(blocksText(view.view.blocks)).toContain(`Section 2 of ${SECTIONS.length}`);
    const updates = h.slack.callsOf("views.update").length;
    await h.clickInView(user, view, "saveAndLeave", { overview: "Half way through my notes." });
    const update = (await h.slack.waitFor("views.update", updates + 1))[updates]!;
    expect(update.args.view_id).toBe(view.id);
    expect((await h.core.allocations.get(MONTH, caseRef))!.audit.status).not.toBe("submitted");

    opened = h.openedViews().length;
    await h.click(user, message, "startAudit");
    view = await newView(opened);
    expect(blocksText(view.view.blocks)).toContain(`Section 2 of ${SECTIONS.length}`);
  });

  it("a form button on a message whose card the bot no longer holds says so, and opens nothing", async () => {
    const user = people.get("kit.morris@example.gov.uk")!;
    const opened = h.openedViews().length;
    const stale: PostedMessage = { channel: dmOf(user), ts: "1.000001", text: "", how: "post", blocks: [{ type: "actions", elements: [{ type: "button", action_id: "open:declareInvolved", text: { type: "plain_text", text: "x" }, value: "{}" }] }] };
    await h.click(user, stale, "open:declareInvolved");
    const reply = await eventually(() => h.messagesIn(dmOf(user)).find((m) => blocksText(m.blocks).includes("out of date")), 10_000, "out of date notice");
    expect(reply).toBeDefined();
    expect(h.openedViews().length).toBe(opened);
  });

  it("'I was involved' opens its reason as a modal and passes the case on; the DM card says so in place", async () => {
    const plan = (await h.core.allocations.getPlan(MONTH))!.plan;
    const { auditorEmail: email, caseRef: planned } = plan.assignments[plan.assignments.length - 1]!;
    const { user, message, caseRef } = await allocationMessageOf(email, planned);
    const opened = h.openedViews().length;
    await h.click(user, message, "open:declareInvolved");
    const view = await newView(opened);
    const reasonId = view.view.blocks.find((b: { type: string }) => b.type === "input").block_id as string;
    const res = await h.submitView(user, view, { [reasonId]: "I supervised the lead professional on this case last year." });
    expect(res.body.response_action).toBe("clear");
    await eventually(() => h.messagesIn(message.channel).find((m) => m.how === "update" && m.ts === message.ts && blocksText(m.blocks).includes(caseRef)), 10_000, "card replaced");
    const audit = await h.core.allocations.get(MONTH, caseRef);
    expect(audit?.audit.auditorEmail).not.toBe(email);
  });
});
