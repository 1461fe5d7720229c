// The monthly digest in Teams: posted to the team channel the bot was added to, counts only, small groups hidden,
// and read from the period's partitions, never a whole table.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import { digestFigures } from "../../src/app/reporting/make-digest";
import { postDigest } from "../../src/app/reporting/post-digest";
import type { ChatDeps } from "../../src/app/chat-deps";
import { startHarness, type Harness } from "../support/bot-harness";
import { BOT_ID, installUpdate, postToBot } from "../support/teams-activities";

const settings = { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 20 };
const CHANNEL = "19:champions-channel@thread.tacv2";

describe("the monthly digest", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, "2026-12-08T10:00:00Z");
    await importPeople(h.core, await readFile("examples/people.csv"), "test");
    await importCases(h.core, await readFile("examples/cases.csv"), "test");
    const r = await allocateMonth(h.core, { month: "2026-11", seed: 3, actor: "test", dryRun: false });
    expect(r.ok).toBe(true);
  });
  afterAll(async () => h?.close());

  it("is posted to the team channel the bot was added to, with counts and no names", async () => {
    const nia = h.user("Nia Hughes", "nia.hughes@example.gov.uk");
    const added = installUpdate({ from: nia, serviceUrl: h.connector.url, conversationId: CHANNEL });
    const inTeam = { ...added, conversation: { ...added.conversation, conversationType: "channel" as "personal" }, channelData: { ...added.channelData, team: { id: "19:team" } }, membersAdded: [{ id: BOT_ID }] };
    expect((await postToBot(`${h.bot.url}/api/messages`, inTeam)).status).toBeLessThan(300);

    await postDigest(h.core, settings, "month", "2026-11", "2026-11");
    const [post] = await h.connector.waitForActivities((a) => a.conversationId === CHANNEL && JSON.stringify(a.activity).includes("CAF audits: November 2026"), { count: 1, timeoutMs: 5000 });
    const text = JSON.stringify(post!.activity);
    expect(text).toContain("8 of a target of 8");
    expect(text).toContain("No audits were completed in this period."); // the chart itself is pinned by the golden card
    const people = (await readFile("examples/people.csv", "utf8")).split("\n").slice(1).map((l) => l.split(",")[1]).filter(Boolean);
    for (const name of people) expect(text, name).not.toContain(name!);

    // Posting the same digest again stores nothing new: the channel sees it once.
    await postDigest(h.core, settings, "month", "2026-11", "2026-11");
    await new Promise((r) => setTimeout(r, 400));
    expect(h.connector.sent.filter((a) => a.conversationId === CHANNEL && JSON.stringify(a.activity).includes("CAF audits: November 2026"))).toHaveLength(1);
  });

  it("is not redirected when someone who is not a champion or QA adds the bot to their own team", async () => {
    const farah = h.user("Farah Khan", "farah.khan@example.gov.uk");
    const added = installUpdate({ from: farah, serviceUrl: h.connector.url, conversationId: "19:another-team@thread.tacv2" });
    const inTeam = { ...added, conversation: { ...added.conversation, conversationType: "channel" as "personal" }, channelData: { ...added.channelData, team: { id: "19:other" } }, membersAdded: [{ id: BOT_ID }] };
    expect((await postToBot(`${h.bot.url}/api/messages`, inTeam)).status).toBeLessThan(300);
    expect((await h.core.directory.groupChannel("champions", "teams"))?.userKey).toBe(CHANNEL);
    const [told] = await h.connector.waitForActivities((a) => a.conversationId === "19:another-team@thread.tacv2", { count: 1, timeoutMs: 5000 });
    expect(JSON.stringify(told!.activity)).toContain("CAF Champions Group");
  });

  it("reads only the partitions of its period and the coverage window, never the whole register", async () => {
    const calls: string[] = [];
    const counting = <T extends object>(name: string, target: T): T =>
      new Proxy(target, {
        get(obj, key) {
          const value = Reflect.get(obj, key);
          return typeof value === "function" ? (...args: unknown[]) => (calls.push(`${name}.${String(key)}(${args.filter((a) => typeof a === "string").join(",")})`), value.apply(obj, args)) : value;
        },
      });
    const deps: ChatDeps = { ...h.core, allocations: counting("allocations", h.core.allocations), cases: counting("cases", h.core.cases), escalations: counting("escalations", h.core.escalations), feedback: counting("feedback", h.core.feedback) };
    await digestFigures(deps, "2026-11", "2026-11", settings);
    expect(calls.filter((c) => c.startsWith("cases.all"))).toEqual([]);
    const months = calls.filter((c) => c.startsWith("allocations.listMonth")).map((c) => c.slice(-8, -1)).sort();
    // The month itself and the eleven before it (the 12-month coverage window): twelve partitions, each read once.
    expect(months).toHaveLength(12);
    expect(new Set(months).size).toBe(12);
    expect(months[0]).toBe("2025-12");
    expect(calls.filter((c) => c.startsWith("escalations.listMonth"))).toEqual(["escalations.listMonth(2026-11)"]);
    // The feedback of the coverage window too, in one range query: re-checks are answered months after their audit.
    expect(calls.filter((c) => c.startsWith("feedback."))).toEqual(["feedback.listBetween(2025-12,2026-11)"]);
    // One point read per audited case of the period, for the breakdowns.
    expect(calls.filter((c) => c.startsWith("cases.get"))).toHaveLength(8);
  });
});
