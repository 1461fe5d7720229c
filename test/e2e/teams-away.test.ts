// "away until DATE" and "back" in the 1:1 chat, end to end over real HTTP: the reply names the date, the date is
// stored (and logged), "back" clears it, and a date in the past or nonsense gets a sentence saying what to type.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPeople } from "../../src/app/allocation/import-people";
import { startHarness, type Harness } from "../support/bot-harness";
import type { TeamsUser } from "../support/teams-activities";
import { activityCard, cardText, heading, isTurnReply, sentTo, type Card } from "../support/teams-cards";

const ASHA = { name: "Asha Patel", email: "asha.patel@example.gov.uk" };

describe("away until DATE and back, in Teams", () => {
  let h: Harness;
  let asha: TeamsUser;

  /** Says something in the 1:1 chat and returns the one card the bot answered with in that turn. */
  async function sayAndRead(text: string): Promise<Card> {
    const before = new Set(h.connector.sent);
    const res = await h.say(asha, text);
    expect(res.status).toBeLessThan(300);
    const replies = sentTo(h, asha).filter((s) => !before.has(s) && isTurnReply(s));
    expect(replies, `one reply to "${text}"`).toHaveLength(1);
    return activityCard(replies[0]!.activity);
  }

  const awayUntil = async () => (await h.core.people.get(ASHA.email))?.awayUntil ?? null;

  beforeAll(async () => {
    // Tuesday 1 December 2026, 10:00.
    h = await startHarness({}, "2026-12-01T10:00:00Z");
    await importPeople(h.core, await readFile("examples/people.csv"), "test");
    asha = h.user(ASHA.name, ASHA.email);
    expect((await h.install(asha)).status).toBeLessThan(300);
  });
  afterAll(async () => h?.close());

  it('"away until 24/12/2026" replies with the date in words and stores it', async () => {
    const card = await sayAndRead("away until 24/12/2026");
    expect(heading(card)).toBe("Away until Thursday 24 December 2026");
    expect(cardText(card)).toMatch(/No reminders until then\..*QA team/s);
    expect(await awayUntil()).toBe("2026-12-24");
    const events = await h.core.events.listMonth("2026-12");
    expect(events.filter((e) => e.type === "away_set")).toEqual([expect.objectContaining({ actor: ASHA.email, subject: ASHA.email, data: { until: "2026-12-24" } })]);
  });

  it('"Away Until 31/12/2026" (any case, extra spaces) moves the date', async () => {
    const card = await sayAndRead("  Away   Until 31/12/2026 ");
    expect(heading(card)).toBe("Away until Thursday 31 December 2026");
    expect(await awayUntil()).toBe("2026-12-31");
  });

  it('"back" clears it and says reminders are on again', async () => {
    const card = await sayAndRead("back");
    expect(heading(card)).toBe("Welcome back");
    expect(cardText(card)).toContain("Your reminders are on again.");
    expect(await awayUntil()).toBeNull();
    // The trail shows when reminders were on again, not only when they were paused.
    const events = (await h.core.events.listMonth("2026-12")).filter((e) => e.subject === ASHA.email && e.type.startsWith("away_"));
    expect(events.map((e) => e.type).sort()).toEqual(["away_cleared", "away_set", "away_set"]); // same fake instant: order by type
  });

  it("a date in the past, a date that does not exist, nonsense or no date gets a sentence and changes nothing", async () => {
    for (const text of ["away until 30/11/2026", "away until 31/02/2027", "away until next week", "away"]) {
      const card = await sayAndRead(text);
      expect(heading(card), text).toBe("When are you back?");
      expect(cardText(card), text).toMatch(/^Type away until and the last day you are away, for example: away until 24\/12\/2026\. .*\.$/m);
      expect(await awayUntil(), text).toBeNull();
    }
  });

  it("today is accepted: away for the rest of the day", async () => {
    const card = await sayAndRead("away until 1/12/2026");
    expect(heading(card)).toBe("Away until Tuesday 1 December 2026");
    expect(await awayUntil()).toBe("2026-12-01");
    await sayAndRead("back");
    expect(await awayUntil()).toBeNull();
  });
});
