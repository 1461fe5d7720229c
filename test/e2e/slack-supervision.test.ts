// The quarterly supervision checklist in Slack, end to end over real signed HTTP: the manager types "my audits" in
// their DM, presses Checklist beside a case, fills the modal (problems shown beside the inputs) and saves it; a
// forged submission by the case's lead professional is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestSupervisions } from "../../src/app/stages/supervision";
import { loadExamples } from "../support/audit-inputs";
import { blocksText, dmOf, eventually, startSlackHarness, type PostedMessage, type SlackHarness } from "../support/slack-harness";
import type { OpenView, SlackTestUser } from "../support/slack-requests";

const QUARTER = "2026-10";
let h: SlackHarness;
const people = new Map<string, SlackTestUser>();

beforeAll(async () => {
  h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack", CAF_SUPERVISION: "on" });
  await loadExamples(h);
  for (const p of await h.core.people.all()) people.set(p.email, h.member(p.name, p.email));
  await requestSupervisions(h.core, QUARTER);
});
afterAll(async () => h?.close());

const messageIn = (user: SlackTestUser, match: (m: PostedMessage) => boolean, what: string) => eventually(() => h.messagesIn(dmOf(user)).find(match), 15_000, what);
const answers = (no: string[] = []) => Object.fromEntries(h.core.supervision.stage.items.map((i) => [`sup.${i.id}`, no.includes(i.id) ? "no" : "yes"]));

describe("supervision checklists in Slack", () => {
  it("the manager saves one from my audits through the modal; the lead professional's forged submission is refused", async () => {
    const asha = people.get("asha.patel@example.gov.uk")!;
    await h.dm(asha, "my audits");
    const list = await messageIn(asha, (m) => blocksText(m.blocks).includes("Supervision checklists, Q3 2026-27"), "the my audits list");
    const count = h.openedViews().length;
    await h.click(asha, list, "openSupervision");
    const modal = await eventually(async () => {
      const opened = h.openedViews()[count];
      if (opened) return opened;
      // Or as a DM with the form's own button, as other forms arrive.
      const dm = h.messagesIn(dmOf(asha)).find((m) => m.text.startsWith("Supervision checklist for case CAF-1001"));
      if (dm) await h.click(asha, dm, "open-form:supervision");
      return undefined;
    }, 10_000, "the checklist modal") as OpenView;
    expect(JSON.stringify(modal.view)).toContain("Supervision checklist");

    const forged = await h.submitView(people.get("farah.khan@example.gov.uk")!, modal, answers());
    expect(JSON.stringify(forged.body)).toContain("is only for the lead professional's manager");
    const half = await h.submitView(asha, modal, { ...answers(), [`sup.${h.core.supervision.stage.items[0]!.id}`]: "" });
    expect(half.body.response_action).toBe("errors");
    expect(JSON.stringify(half.body.errors)).toContain("Answer Yes or No to item 1.");
    expect((await h.core.supervisions.get(QUARTER, "CAF-1001"))!.supervision.status).toBe("due");
    const saved = await h.submitView(asha, modal, answers(["multi-agency"]));
    expect(["clear", "update"]).toContain(saved.body.response_action);
    expect((await h.core.supervisions.get(QUARTER, "CAF-1001"))!.supervision).toMatchObject({ status: "done", answers: { "multi-agency": "no", "smart-plan": "yes" } });
  });
});
