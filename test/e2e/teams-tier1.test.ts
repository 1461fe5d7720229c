// Tier 1 quality control in Teams, end to end over real HTTP: events recorded from a CSV send the LP's manager one
// card of mandatory-field checks; strangers, the LP and the QA team are refused; a half-answered card comes back with
// the problem beside the input; a failed check tells the LP the case and the missing fields (never the comment); a
// passed one tells nobody; a case with no separate manager goes to the QA team's pool.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCases } from "../../src/app/allocation/import-cases";
import { digestFigures, digestView } from "../../src/app/reporting/make-digest";
import { importTier1Events } from "../../src/app/allocation/import-tier1-events";
import { loadExamples } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import type { TeamsUser } from "../support/teams-activities";
import { act, activityCard, cardText, errorBeside, heading, isTurnReply, sentTo, sleep, type Card } from "../support/teams-cards";

const COMMENT = "Chased the family support worker twice about the missing minutes.";
let h: Harness;
const users = new Map<string, TeamsUser>();

async function userOf(email: string): Promise<TeamsUser> {
  let u = users.get(email);
  if (!u) {
    const person = await h.core.people.get(email);
    u = h.user(person?.name ?? email, email);
    users.set(email, u);
    expect((await h.install(u)).status).toBeLessThan(300);
  }
  return u;
}
const cardsTo = (user: TeamsUser) => sentTo(h, user).filter((s) => !isTurnReply(s)).map((s) => activityCard(s.activity));
async function cardTo(user: TeamsUser, title: string): Promise<Card> {
  for (let i = 0; i < 200; i++, await sleep(50)) {
    const found = cardsTo(user).find((c) => heading(c) === title);
    if (found) return found;
  }
  throw new Error(`no card "${title}"`);
}
const answers = (ids: string[], value = "yes") => Object.fromEntries(ids.map((id) => [`tier1.${id}`, value]));
const TAF = ["meeting-date", "attendance", "progress", "voice-of-child", "voice-of-parents", "assessment-current"];
const CLOSURE = ["closure-reason", "final-plan", "outcomes", "views-at-closure", "lead-professional"];

beforeAll(async () => {
  h = await startHarness({ CAF_RELAY_INTERVAL_MS: "100", CAF_LADDER_INTERVAL_MS: "100" });
  await loadExamples(h);
  for (const email of ["asha.patel@example.gov.uk", "farah.khan@example.gov.uk", "isaac.brown@example.gov.uk", "ben.okafor@example.gov.uk", "kit.morris@example.gov.uk"]) await userOf(email);
  const csv = "case_ref,event,event_date\nCAF-1001,taf_review,02/11/2026\nCAF-1004,closure,03/11/2026\n";
  expect(await importTier1Events(h.core, Buffer.from(csv), "test")).toMatchObject({ ok: true, value: { added: 2 } });
}, 60_000);
afterAll(() => h?.close());

describe("Tier 1 quality control in Teams", () => {
  it("takes the manager's check, refuses everyone else, and tells the LP only which fields are missing", async () => {
    const asha = await userOf("asha.patel@example.gov.uk");
    const farah = await userOf("farah.khan@example.gov.uk");
    const card = await cardTo(asha, "Quality control: case CAF-1001");
    expect(cardText(card)).toContain("TAF review on Monday 2 November 2026");
    // One short card with every check of a TAF review.
    expect(TAF.every((id) => JSON.stringify(card).includes(`"id":"tier1.${id}"`))).toBe(true);
    const data = { eventOn: "2026-11-02", key: "CAF-1001|taf_review|2026-11-02" };

    for (const email of ["ben.okafor@example.gov.uk", "farah.khan@example.gov.uk", "kit.morris@example.gov.uk"]) {
      const refused = await act(h, await userOf(email), "submitTier1Check", { ...data, ...answers(TAF) });
      expect(cardText(refused.card)).toContain("This quality control check is only for the person it was sent to.");
    }
    expect((await h.core.tier1.get(data.eventOn, data.key))!.check.status).toBe("waiting");

    const half = await act(h, asha, "submitTier1Check", { ...data, ...answers(TAF), "tier1.progress": "", "tier1.meeting-date": "not_applicable" });
    expect(half.inPlace).toBe(true);
    expect(errorBeside(half.card, "tier1.progress")).toContain("Choose yes or no for Progress since the last TAF");
    expect(errorBeside(half.card, "tier1.meeting-date")).toContain("it is mandatory");

    const failed = await act(h, asha, "submitTier1Check", { ...data, ...answers(TAF), "tier1.progress": "no", "tier1.voice-of-child": "no", "tier1.comment": COMMENT });
    expect(failed.inPlace).toBe(true);
    expect(cardText(failed.card)).toContain("2 fields missing, the lead professional is told");
    expect(cardText(failed.card)).toContain("Progress since the last TAF: No");
    expect((await h.core.tier1.get(data.eventOn, data.key))!.check).toMatchObject({ status: "failed", answer: { comment: COMMENT } });

    const notice = await cardTo(farah, "Quality control of case CAF-1001: fields to complete");
    expect(cardText(notice)).toContain("Progress since the last TAF; Voice of the child");
    expect(JSON.stringify(notice)).not.toContain(COMMENT.slice(0, 20));

    const again = await act(h, asha, "submitTier1Check", { ...data, ...answers(TAF) });
    expect(cardText(again.card)).toContain("2 fields missing");
    expect((await h.core.tier1.get(data.eventOn, data.key))!.check.answer!.answers.progress).toBe("no");
  });

  it("tells nobody when every mandatory field is recorded", async () => {
    const asha = await userOf("asha.patel@example.gov.uk");
    const isaac = await userOf("isaac.brown@example.gov.uk");
    await cardTo(asha, "Quality control: case CAF-1004");
    const passed = await act(h, asha, "submitTier1Check", { eventOn: "2026-11-03", key: "CAF-1004|closure|2026-11-03", ...answers(CLOSURE) });
    expect(cardText(passed.card)).toContain("every mandatory field is recorded");
    await sleep(400);
    expect(cardsTo(isaac).filter((c) => heading(c).startsWith("Quality control"))).toEqual([]);
  });

  it("sends a case with no separate manager to the QA team, who may answer it", async () => {
    await importCases(h.core, Buffer.from("case_ref,service_area,status,lead_professional_email,lp_manager_email\nCAF-3001,Family Hubs,open,farah.khan@example.gov.uk,farah.khan@example.gov.uk\n"), "test", { allowMassClosure: true });
    expect(await importTier1Events(h.core, Buffer.from("case_ref,event,event_date,event_id\nCAF-3001,taf review,05/11/2026,TAF-77\n"), "test")).toMatchObject({ ok: true, value: { added: 1, toQaPool: 1 } });
    const kit = await userOf("kit.morris@example.gov.uk");
    const card = await cardTo(kit, "Quality control: case CAF-3001");
    expect(cardText(card)).toContain("recorded as their own manager");
    const farah = await userOf("farah.khan@example.gov.uk");
    expect(cardsTo(farah).find((c) => heading(c) === "Quality control: case CAF-3001")).toBeUndefined();
    const refused = await act(h, farah, "submitTier1Check", { eventOn: "2026-11-05", key: "id:TAF-77", ...answers(TAF) });
    expect(cardText(refused.card)).toContain("only for the person it was sent to");
    const done = await act(h, kit, "submitTier1Check", { eventOn: "2026-11-05", key: "id:TAF-77", ...answers(TAF) });
    expect(cardText(done.card)).toContain("every mandatory field is recorded");
  });

  it("sends a check still unanswered to its checker again after 5 working days, and not once it is answered", async () => {
    const ben = await userOf("ben.okafor@example.gov.uk");
    expect(await importTier1Events(h.core, Buffer.from("case_ref,event,event_date\nCAF-1002,closure,01/12/2026\n"), "test")).toMatchObject({ ok: true, value: { added: 1 } });
    const copies = () => cardsTo(ben).filter((c) => heading(c) === "Quality control: case CAF-1002").length;
    await cardTo(ben, "Quality control: case CAF-1002");
    expect((await h.core.tier1.get("2026-12-01", "CAF-1002|closure|2026-12-01"))!.check.nextReminderAt).toBe("2026-12-08T09:00:00.000Z");
    h.clock.set("2026-12-08T09:00:30.000Z");
    for (let i = 0; i < 200 && copies() < 2; i++) await sleep(50);
    expect(copies()).toBe(2);
    await act(h, ben, "submitTier1Check", { eventOn: "2026-12-01", key: "CAF-1002|closure|2026-12-01", ...answers(CLOSURE) });
    h.clock.set("2026-12-16T09:00:30.000Z");
    await sleep(500);
    expect(copies()).toBe(2);
  });

  it("counts completion and pass rate per service area in the digest, hiding a pass rate below the floor", async () => {
    const settings = { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 20 };
    const figures = await digestFigures(h.core, "2026-11", "2026-11", settings);
    expect(figures.tier1).toEqual([
      { area: "Early Help North", events: 1, checked: 1, passed: null },
      { area: "Family Hubs", events: 1, checked: 1, passed: null },
      { area: "School Nursing", events: 1, checked: 1, passed: null },
    ]);
    const view = digestView(figures, null, settings);
    const line = view.template === "digest" ? view.data.tier1 : "";
    expect(line).toContain("Early Help North: 1 of 1 checked (100%), pass rate hidden (fewer than 3 checked)");
    expect((await digestFigures(h.core, "2026-10", "2026-10", settings)).tier1).toEqual([]);
  });
});
