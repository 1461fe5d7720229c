// Slack's door, end to end over real HTTP: signed requests to Bolt on /slack/events, answers through the loopback
// Slack Web API. A bad or stale signature is refused; a stranger is told whom to ask; a person is found by email.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadExamples } from "../support/audit-inputs";
import { blocksText, dmOf, eventually, startSlackHarness, type SlackHarness } from "../support/slack-harness";
import { eventBody, directMessageEvent, FORM, slashCommandBody } from "../support/slack-requests";
import { SLACK_SUBCOMMANDS } from "../../src/channels/slack/registrations";

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack" });
  await loadExamples(h);
});
afterAll(async () => h?.close());

describe("Slack requests", () => {
  it("refuses a request signed with the wrong secret with 401, and stores nothing", async () => {
    const asha = h.member("Asha Patel", "asha.patel@example.gov.uk");
    const before = h.slack.calls.length;
    const res = await h.raw(slashCommandBody(asha, "my"), FORM, { secret: "not-the-signing-secret-at-all" });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.slack.calls.length).toBe(before);
    expect(await h.core.directory.findByChannelUser("slack", asha.id)).toBeUndefined();
  });

  it("refuses a request more than 5 minutes old with 401", async () => {
    const asha = h.member("Asha Patel", "asha.patel@example.gov.uk");
    const res = await h.raw(eventBody(asha, directMessageEvent(asha, "help")), "application/json", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
  });

  it("answers /audit help in the person's DM, not in the channel it was typed in", async () => {
    const ben = h.member("Ben Okafor", "ben.okafor@example.gov.uk");
    const res = await h.command(ben, "help");
    expect(res.status).toBe(200);
    const messages = await eventually(() => (h.messagesIn(dmOf(ben)).length >= 2 ? h.messagesIn(dmOf(ben)) : undefined), 10_000, "welcome and help");
    expect(blocksText(messages[0]!.blocks)).toContain("Welcome, Ben Okafor");
    expect(blocksText(messages[1]!.blocks)).toContain("my audits");
    expect(h.messagesIn("C0GENERAL")).toEqual([]);
    const linked = await h.core.directory.identity("ben.okafor@example.gov.uk", "slack");
    expect(linked?.userKey).toBe(ben.id);
    expect(linked?.address.teamId).toBe("T0COUNCIL");
  });

  it("tells a stranger whom to ask, and stores nothing about them", async () => {
    const stranger = h.member("Sam Stranger", "sam@elsewhere.example.org");
    await h.dm(stranger, "my audits");
    const [reply] = await eventually(() => h.messagesIn(dmOf(stranger)).length > 0 && h.messagesIn(dmOf(stranger)), 10_000, "stranger reply");
    expect(blocksText(reply!.blocks)).toContain("I don't know you yet");
    expect(blocksText(reply!.blocks)).toContain("kit.morris@example.gov.uk");
    expect(await h.core.directory.findByChannelUser("slack", stranger.id)).toBeUndefined();
  });

  it("handles a retried event once", async () => {
    const carys = h.member("Carys Jones", "carys.jones@example.gov.uk");
    await h.dm(carys, "help", { eventId: "EvRETRY0001" });
    await eventually(() => h.messagesIn(dmOf(carys)).length >= 2, 10_000, "first handling");
    const again = await h.dm(carys, "help", { eventId: "EvRETRY0001", retryNum: 1 });
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.messagesIn(dmOf(carys))).toHaveLength(2);
  });

  it("answers every /audit sub-command the manifest lists, 'away until' pausing reminders and 'back' turning them on", async () => {
    const dev = h.member("Dev Sharma", "dev.sharma@example.gov.uk");
    // Linked first, so each command below gets exactly one answer (no welcome before it).
    await h.dm(dev, "help");
    await eventually(() => h.messagesIn(dmOf(dev)).length >= 2, 10_000, "welcome and help");
    const replies: string[] = [];
    for (const sub of SLACK_SUBCOMMANDS) {
      const before = h.messagesIn(dmOf(dev)).length;
      const opened = h.openedViews().length;
      await h.command(dev, sub === "away" ? "away until 24/12/2026" : sub);
      // A form (unsafe) opens as a modal; everything else is a DM.
      const answer = await eventually(() => (h.openedViews().length > opened ? blocksText(h.openedViews().at(-1)!.view.blocks) : h.messagesIn(dmOf(dev)).slice(before).map((m) => blocksText(m.blocks)).join("\n")) || undefined, 10_000, `answer to /audit ${sub}`);
      replies.push(answer);
      if (sub !== "help") expect(answer, `/audit ${sub}`).not.toContain("What I can do");
      if (sub === "away") expect((await h.core.people.get("dev.sharma@example.gov.uk"))?.awayUntil).toBe("2026-12-24");
      if (sub === "back") expect((await h.core.people.get("dev.sharma@example.gov.uk"))?.awayUntil).toBeUndefined();
    }
    expect(replies.join("\n")).toContain("Away until Thursday 24 December 2026");
  });
});
