// Stale cases in Slack, end to end over real signed HTTP: the month's run sends the lead professional a "Still open?"
// DM; its button opens a modal; a closure date in the future is shown beside the date; a submission from anyone else
// is refused; "It has closed" and "Yes, still open" are stored as answers, and the DM then says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askStaleCases } from "../../src/app/stages/ask-stale-cases";
import { loadExamples } from "../support/audit-inputs";
import { aCase } from "../support/builders";
import { blocksText, dmOf, eventually, startSlackHarness, type PostedMessage, type SlackHarness } from "../support/slack-harness";
import type { OpenView, SlackTestUser } from "../support/slack-requests";

const MONTH = "2026-12";
const FARAH = "farah.khan@example.gov.uk";
const GEORGE = "george.lee@example.gov.uk";
let h: SlackHarness;
const people = new Map<string, SlackTestUser>();

beforeAll(async () => {
  h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack", CAF_RELAY_INTERVAL_MS: "100" }, "2026-12-02T09:00:30Z");
  await loadExamples(h);
  for (const p of await h.core.people.all()) people.set(p.email, h.member(p.name, p.email));
  await h.core.cases.saveMany(
    [
      aCase({ caseRef: "CAF-9001", serviceArea: "Early Help North", openedOn: "2024-03-04", leadProfessionalEmail: FARAH }),
      aCase({ caseRef: "CAF-9002", serviceArea: "Early Help South", openedOn: "2023-10-01", leadProfessionalEmail: GEORGE }),
    ],
    new Map(),
  );
  await askStaleCases(h.core, MONTH, "test");
});
afterAll(async () => h?.close());

const dmTo = (email: string, caseRef: string) =>
  eventually(() => h.messagesIn(dmOf(people.get(email)!)).find((m: PostedMessage) => m.text.startsWith(`Is case ${caseRef} still open?`)), 15_000, `the ${caseRef} DM`);
async function openForm(email: string, caseRef: string): Promise<OpenView> {
  const dm = await dmTo(email, caseRef);
  const count = h.openedViews().length;
  await h.click(people.get(email)!, dm, "open-form:stale-case");
  return eventually(() => h.openedViews()[count], 10_000, "the modal");
}
const checkOf = async (caseRef: string) => (await h.core.staleChecks.get(MONTH, caseRef))!.check;

describe("stale cases in Slack", () => {
  it("It has closed through the modal: a future date is refused beside it, another person is refused, then the answer is kept", async () => {
    const dm = await dmTo(FARAH, "CAF-9001");
    expect(dm.text).toBe("Is case CAF-9001 still open? Waiting for your answer");
    const modal = await openForm(FARAH, "CAF-9001");
    const shown = JSON.stringify(modal.view);
    expect(shown).toContain("Still open?");
    expect(shown).toContain("Yes, still open");
    expect(shown).toContain("Needs met");

    const forged = await h.submitView(people.get(GEORGE)!, modal, { "stale.outcome": "still_open" });
    expect(JSON.stringify(forged.body)).toContain("is only for the lead professional it was sent to");
    expect((await checkOf("CAF-9001")).answer).toBeNull();

    const future = await h.submitView(people.get(FARAH)!, modal, { "stale.outcome": "closed", "stale.closedOn": "2027-01-15", "stale.reason": "Needs met" });
    expect(future.body.response_action).toBe("errors");
    expect(future.body.errors).toEqual({ "stale.closedOn": "The closure date is in the future: give the date it closed, today at the latest." });
    expect((await checkOf("CAF-9001")).answer).toBeNull();

    const closed = await h.submitView(people.get(FARAH)!, modal, { "stale.outcome": "closed", "stale.closedOn": "2025-07-18", "stale.reason": "Moved out of the area" });
    expect(["clear", "update"]).toContain(closed.body.response_action);
    expect((await checkOf("CAF-9001")).answer).toMatchObject({ outcome: "closed", closedOn: "2025-07-18", reason: "Moved out of the area", by: FARAH });
    await eventually(() => h.messagesIn(dmOf(people.get(FARAH)!)).find((m) => blocksText(m.blocks).includes("Answered: closed on Friday 18 July 2025 (Moved out of the area)")), 10_000, "the DM updated with the answer");
  });

  it("Yes, still open through the modal is kept as the answer", async () => {
    const modal = await openForm(GEORGE, "CAF-9002");
    const yes = await h.submitView(people.get(GEORGE)!, modal, { "stale.outcome": "still_open" });
    expect(["clear", "update"]).toContain(yes.body.response_action);
    expect((await checkOf("CAF-9002")).answer).toMatchObject({ outcome: "still_open", by: GEORGE });
  });
});
