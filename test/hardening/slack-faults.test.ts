// Slack's Web API failing under the relay: a chat.postMessage that Slack takes and never answers is given up after
// WEB_API_TIMEOUT_MS and sent again with backoff; the card arrives once, and the other cards do not wait behind it
// (the relay's passes overlap, one per send slot).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { WEB_API_TIMEOUT_MS } from "../../src/channels/slack/slack-channel";
import { loadExamples } from "../support/audit-inputs";
import { dmOf, eventually, startSlackHarness, type SlackHarness } from "../support/slack-harness";

const MONTH = "2026-12";
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack" });
  await loadExamples(h);
});
afterAll(async () => h?.close());

describe("Slack that hangs", () => {
  it("gives up on a send Slack never answers, retries it, and every allocation card arrives once", async () => {
    const people = new Map((await h.core.people.all()).map((p) => [p.email, h.member(p.name, p.email)]));
    h.slack.hangNext("chat.postMessage");
    const r = await allocateMonth(h.core, { month: MONTH, seed: 20261201, actor: "test", dryRun: false });
    if (!r.ok) throw new Error(r.problem.message);
    const plan = r.value.plan;
    // Every card of the month (allocations and the QA team's plan) is tried; one of them hangs.
    const expected = plan.assignments.length + 1;
    await h.slack.waitFor("chat.postMessage", expected, 9_000);
    // The others are not held up by the stuck one: all but one have landed while it hangs.
    const answered = () => h.slack.callsOf("chat.postMessage").filter((c) => c.result?.ok);
    await eventually(() => answered().length === expected - 1, 9_000, "every other card");
    // After the client's timeout the relay records a retry; once its time comes, the card goes again.
    await new Promise((resolve) => setTimeout(resolve, WEB_API_TIMEOUT_MS + 500));
    h.clock.set("2026-12-01T09:45:00Z");
    await eventually(() => answered().length === expected, 10_000, "the stuck card sent again");
    const landed = answered().map((c) => `${String(c.args.channel)}|${String(c.args.text)}`);
    expect(new Set(landed).size).toBe(expected);
    for (const a of plan.assignments) expect(landed.filter((l) => l.startsWith(dmOf(people.get(a.auditorEmail)!)) && l.includes(`case ${a.caseRef},`)), a.caseRef).toHaveLength(1);
    // Recorded as sent once Slack has answered.
    await eventually(async () => (await h.core.outbox.undelivered()).length === 0, 5_000, "every card recorded as sent");
  }, 40_000);
});
