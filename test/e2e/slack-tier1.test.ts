// Tier 1 quality control in Slack, end to end over real signed HTTP: an imported event sends the LP's manager a DM
// with "Open the form"; the modal holds every check; a half-answered one comes back with the problem beside the
// input; a forged submission (the LP) is refused; a failed check tells the LP only the case and the missing fields.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importTier1Events } from "../../src/app/allocation/import-tier1-events";
import { loadExamples } from "../support/audit-inputs";
import { blocksText, dmOf, eventually, startSlackHarness, type PostedMessage, type SlackHarness } from "../support/slack-harness";
import type { SlackTestUser } from "../support/slack-requests";

const MANAGER = "ben.okafor@example.gov.uk";
const LP = "george.lee@example.gov.uk";
const COMMENT = "The minutes are on the family's paper file, not e-CAF.";
const ASSESSMENT = ["consent", "reason", "agencies", "each-child", "voice-of-child", "parents", "smart-plan", "step-down-transfer"];
let h: SlackHarness;
const people = new Map<string, SlackTestUser>();

beforeAll(async () => {
  h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack", CAF_RELAY_INTERVAL_MS: "100" });
  await loadExamples(h);
  for (const p of await h.core.people.all()) people.set(p.email, h.member(p.name, p.email));
  expect(await importTier1Events(h.core, Buffer.from("case_ref,event,event_date\nCAF-1002,assessment,2026-11-09\n"), "test")).toMatchObject({ ok: true, value: { added: 1 } });
});
afterAll(async () => h?.close());

const messageIn = (email: string, match: (m: PostedMessage) => boolean, what: string) => eventually(() => h.messagesIn(dmOf(people.get(email)!)).find(match), 15_000, what);

describe("Tier 1 quality control in Slack", () => {
  it("the manager answers in the modal; a failed check tells the LP only which fields are missing", async () => {
    const dm = await messageIn(MANAGER, (m) => m.text === "Quality control of case CAF-1002: Waiting for the check", "the quality control DM");
    const count = h.openedViews().length;
    await h.click(people.get(MANAGER)!, dm, "open-form:tier1-check");
    const modal = await eventually(() => h.openedViews()[count], 10_000, "the quality control modal");
    const shown = JSON.stringify(modal.view);
    expect(ASSESSMENT.every((id) => shown.includes(`tier1.${id}`))).toBe(true);

    const all = Object.fromEntries(ASSESSMENT.map((id) => [`tier1.${id}`, "yes"]));
    const forged = await h.submitView(people.get(LP)!, modal, all);
    expect(JSON.stringify(forged.body)).toContain("only for the person it was sent to");
    expect((await h.core.tier1.get("2026-11-09", "CAF-1002|assessment|2026-11-09"))!.check.status).toBe("waiting");

    const half = await h.submitView(people.get(MANAGER)!, modal, { ...all, "tier1.consent": "" });
    expect(half.body.response_action).toBe("errors");
    expect(JSON.stringify(half.body.errors)).toContain("Choose yes or no for Consent recorded");

    const failed = await h.submitView(people.get(MANAGER)!, modal, { ...all, "tier1.smart-plan": "no", "tier1.comment": COMMENT });
    expect(["clear", "update"]).toContain(failed.body.response_action);
    expect((await h.core.tier1.get("2026-11-09", "CAF-1002|assessment|2026-11-09"))!.check.status).toBe("failed");
    const notice = await messageIn(LP, (m) => blocksText(m.blocks).includes("Quality control of case CAF-1002: fields to complete"), "the LP's notice");
    expect(blocksText(notice.blocks)).toContain("this mandatory field not recorded on e-CAF: SMART plan");
    expect(JSON.stringify(notice)).not.toContain(COMMENT.slice(0, 20));
  });
});
