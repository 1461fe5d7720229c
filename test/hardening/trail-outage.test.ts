// Storage goes away between a decision and its copy to the audit trail's log, in a real Teams turn: the person is
// answered as usual (their decision is stored), and the event reaches the Events table once storage is back, through
// the bot's own catch-up, exactly once. A TCP proxy (test/support/storage-proxy.ts) cuts at the first write to Events.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { importPeople } from "../../src/app/allocation/import-people";
import { createTables, listWhere } from "../../src/storage/tables";
import { startHarness, type Harness } from "../support/bot-harness";
import { portOf, startStorageProxy, type StorageProxy } from "../support/storage-proxy";
import type { TeamsUser } from "../support/teams-activities";
import { activityCard, heading, isTurnReply, sentTo, until } from "../support/teams-cards";

const ASHA = { name: "Asha Patel", email: "asha.patel@example.gov.uk" };
const isEventsWrite = (r: { method: string; path: string }) => r.method === "POST" && /Events(\(\))?$/.test(r.path.split("?")[0]!);

describe("the audit trail when storage fails between a decision and its log", () => {
  let h: Harness;
  let proxy: StorageProxy;
  let asha: TeamsUser;
  const lines: string[] = [];

  beforeAll(async () => {
    proxy = await startStorageProxy({ port: portOf(inject("tablesConnectionString")) });
    h = await startHarness({ CAF_LADDER_INTERVAL_MS: "100" }, "2026-12-01T10:00:00Z", { connectionString: proxy.connectionString, logTo: { write: (line) => void lines.push(line) } });
    await importPeople(h.core, await readFile("examples/people.csv"), "test");
    asha = h.user(ASHA.name, ASHA.email);
    expect((await h.install(asha)).status).toBeLessThan(300);
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
  });

  it('"away until" cut at its copy to Events: the usual answer, the date stored, and the event logged once after storage returns', async () => {
    const cut = proxy.cutAt(isEventsWrite);
    const before = new Set(h.connector.sent);
    expect((await h.say(asha, "away until 24/12/2026")).status).toBeLessThan(300);
    expect((await cut).forwarded).toBe(false);
    const replies = sentTo(h, asha).filter((s) => !before.has(s) && isTurnReply(s));
    expect(replies.map((r) => heading(activityCard(r.activity)))).toEqual(["Away until Thursday 24 December 2026"]);

    // Read past the proxy: the decision and its event are both stored, beside each other.
    const direct = createTables({ connectionString: inject("tablesConnectionString"), tablePrefix: h.prefix });
    const person = await direct.table("People").getEntity<{ awayUntil: string }>("people", ASHA.email);
    expect(person.awayUntil).toBe("2026-12-24");
    const waiting = () => listWhere(direct.table("People"), direct.endpoint, "RowKey ge 'trail-' and RowKey lt 'trail.'");
    expect((await waiting()).map((r) => r.type)).toEqual(["away_set"]);

    proxy.restore();
    // The bot's catch-up runs with the reminders (every 100 ms here) and leaves rows younger than a few seconds alone.
    const logged = await until(() => lines.find((l) => l.includes('"trail_caught_up"')), "the catch-up's log line");
    expect(JSON.parse(logged)).toMatchObject({ code: "trail_caught_up", events: 1 });
    const events = (await h.core.events.listMonth("2026-12")).filter((e) => e.type === "away_set");
    expect(events).toEqual([expect.objectContaining({ actor: ASHA.email, subject: ASHA.email, data: { until: "2026-12-24" } })]);
    expect(await waiting()).toEqual([]);
    // The log line carries a count, never who or what.
    expect(logged).not.toContain(ASHA.email);
  });
});
