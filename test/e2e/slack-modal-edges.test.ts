// The edges of a Slack modal: unsafe practice raised from inside a section modal (the concern goes on top and to the
// DM, the section stays beneath with what was typed), and a submit while storage is slow (answered before Slack's
// 3 s, with what was typed kept; pressing again carries on).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { loadExamples, sectionAnswers, SECTIONS } from "../support/audit-inputs";
import { blocksText, dmOf, eventually, startSlackHarness, type SlackHarness } from "../support/slack-harness";
import { buttonsIn, type OpenView, type SlackTestUser } from "../support/slack-requests";
import { portOf, startStorageProxy, type StorageProxy } from "../support/storage-proxy";

const MONTH = "2026-12";
const SEEN = "The family's safety plan was not shared with the school although the child disclosed harm there.";
let h: SlackHarness;
let proxy: StorageProxy;
const people = new Map<string, SlackTestUser>();

beforeAll(async () => {
  proxy = await startStorageProxy({ port: portOf(inject("tablesConnectionString")) });
  h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack" }, undefined, { connectionString: proxy.connectionString });
  await loadExamples(h);
  for (const p of await h.core.people.all()) people.set(p.email, h.member(p.name, p.email));
  const r = await allocateMonth(h.core, { month: MONTH, seed: 20261201, actor: "test", dryRun: false });
  if (!r.ok) throw new Error(r.problem.message);
});
afterAll(async () => {
  await h?.close();
  await proxy?.close();
});

async function openSection(index: number): Promise<{ user: SlackTestUser; caseRef: string; view: OpenView }> {
  const plan = (await h.core.allocations.getPlan(MONTH))!.plan;
  const { auditorEmail, caseRef } = plan.assignments[index]!;
  const user = people.get(auditorEmail)!;
  const message = await eventually(() => h.messagesIn(dmOf(user)).find((m) => m.text.includes(`case ${caseRef},`)), 15_000, "allocation DM");
  const count = h.openedViews().length;
  await h.click(user, message, "startAudit");
  const view = await eventually(() => h.openedViews()[count], 10_000, "section modal");
  return { user, caseRef, view };
}

describe("a Slack modal", () => {
  it("raises unsafe practice from inside a section: the concern goes on top and to the DM, the section stays with its answers", async () => {
    const { user, caseRef, view } = await openSection(0);
    expect(buttonsIn(view.view.blocks).map((b) => b.action_id)).toContain("raiseUnsafe");
    const pushes = h.slack.callsOf("views.push").length;
    const updates = h.slack.callsOf("views.update").length;
    const typed = { ...sectionAnswers(SECTIONS[0]!.id), "unsafe.seen": SEEN, "unsafe.when": "current", "unsafe.urgency": "immediate" };
    await h.clickInView(user, view, "raiseUnsafe", typed);
    const pushed = (await h.slack.waitFor("views.push", pushes + 1))[pushes]!;
    expect(blocksText(pushed.args.view.blocks)).toContain("Lena Fisher");
    await eventually(() => h.messagesIn(dmOf(user)).find((m) => blocksText(m.blocks).includes("Lena Fisher")), 10_000, "a record of the concern in the DM");
    expect(h.slack.callsOf("views.update").length).toBe(updates);
    const [escalation] = await h.core.escalations.listMonth(MONTH);
    expect(escalation).toMatchObject({ caseRef, seen: SEEN });
    // The section modal is still open beneath: submitting it moves on as usual.
    const res = await h.submitView(user, view, sectionAnswers(SECTIONS[0]!.id));
    expect(res.body.response_action).toBe("update");
    expect(blocksText(res.body.view.blocks)).toContain(`Section 2 of ${SECTIONS.length}`);
  });

  it("answers a submit within Slack's 3 s while storage is stuck, keeps what was typed, and carries on when pressed again", async () => {
    const { user, caseRef, view } = await openSection(1);
    proxy.hold();
    const started = Date.now();
    const slow = await h.submitView(user, view, sectionAnswers(SECTIONS[0]!.id));
    const took = Date.now() - started;
    expect(took).toBeLessThan(3_000);
    expect(slow.body.response_action).toBe("errors");
    expect(JSON.stringify(slow.body.errors)).toContain("taking longer than usual");
    proxy.restore();
    const again = await h.submitView(user, view, sectionAnswers(SECTIONS[0]!.id));
    expect(again.body.response_action).toBe("update");
    expect(blocksText(again.body.view.blocks)).toContain(`Section 2 of ${SECTIONS.length}`);
    expect((await h.core.allocations.get(MONTH, caseRef))!.audit.sectionIndex).toBe(1);
  }, 20_000);

  it("opens a kept card only from the person's own DM: a press naming someone else's message opens nothing", async () => {
    const plan = (await h.core.allocations.getPlan(MONTH))!.plan;
    const victim = plan.assignments[2]!;
    const other = plan.assignments.find((a) => a.auditorEmail !== victim.auditorEmail)!;
    const theirs = await eventually(() => h.messagesIn(dmOf(people.get(victim.auditorEmail)!)).find((m) => m.text.includes(`case ${victim.caseRef},`)), 15_000, "their allocation DM");
    const intruder = people.get(other.auditorEmail)!;
    const opened = h.openedViews().length;
    await h.click(intruder, theirs, "open:declareInvolved");
    await eventually(() => h.messagesIn(dmOf(intruder)).find((m) => blocksText(m.blocks).includes("out of date")), 10_000, "out of date notice");
    expect(h.openedViews().length).toBe(opened);
  });
});
