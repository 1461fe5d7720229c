// Recording Tier 1 events through the use case, on real (Azurite) storage: every event gets its card, bad rows are
// refused with their line, a second import adds nothing, and the encodings councils export are read.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { importCases } from "../../../src/app/allocation/import-cases";
import { importPeople } from "../../../src/app/allocation/import-people";
import { importTier1Events } from "../../../src/app/allocation/import-tier1-events";
import { registerTier1Events } from "../../../src/app/allocation/register-tier1-events";
import { freshCore } from "../../support/tables";

async function loaded() {
  const ctx = await freshCore();
  await importPeople(ctx.core, await readFile("examples/people.csv"), "test");
  await importCases(ctx.core, await readFile("examples/cases.csv"), "test");
  return ctx;
}
const pending = async (ctx: Awaited<ReturnType<typeof loaded>>) => (await ctx.core.outbox.undelivered()).filter((m) => m.view.template === "tier1-check");

describe("importing Tier 1 events", () => {
  it("stores a check per event with its card to the LP's manager, and a second import adds nothing", async () => {
    const ctx = await loaded();
    const csv = "case_ref,event,event_date,event_id\nCAF-1001,assessment,02/11/2026,\nCAF-1002,TAF review,2026-11-03,\nCAF-1003,closure,04/11/2026,E-9\n";
    const first = await importTier1Events(ctx.core, Buffer.from(csv), "test");
    expect(first).toMatchObject({ ok: true, value: { added: 3, alreadyRecorded: 0, rejected: [] } });
    const cards = await pending(ctx);
    expect(cards.map((m) => m.recipientEmail).sort()).toEqual(["asha.patel@example.gov.uk", "ben.okafor@example.gov.uk", "ella.wright@example.gov.uk"]);
    expect((await ctx.core.tier1.get("2026-11-03", "CAF-1002|taf_review|2026-11-03"))!.check).toMatchObject({ status: "waiting", checkerEmail: "ben.okafor@example.gov.uk", serviceArea: "Early Help South" });

    const again = await importTier1Events(ctx.core, Buffer.from(csv), "test");
    expect(again).toMatchObject({ ok: true, value: { added: 0, alreadyRecorded: 3 } });
    expect(await pending(ctx)).toHaveLength(3);
  });

  it("refuses bad rows with their line numbers and keeps the good ones", async () => {
    const ctx = await loaded();
    const csv = [
      "case_ref,event,event_date",
      "CAF-1001,assessment,02/11/2026",
      "CAF-9999,assessment,02/11/2026",
      "CAF-1002,visit,02/11/2026",
      "CAF-1003,closure,31/02/2026",
      "CAF-1004,closure,2027-01-05",
      "CAF-1001,assessment,2026-11-02",
      ",closure,02/11/2026",
    ].join("\r\n");
    const r = await importTier1Events(ctx.core, Buffer.from(csv), "test");
    if (!r.ok) throw new Error(r.problem.message);
    expect(r.value.added).toBe(1);
    expect(r.value.rejected.map((p) => [p.line, p.reason])).toEqual([
      [3, "case_ref CAF-9999 is not in the case register: import the register first"],
      [4, 'event "visit" is not one of assessment, taf_review, closure'],
      [5, 'event_date "31/02/2026" is not a real date (use dd/mm/yyyy or yyyy-mm-dd)'],
      [6, "event_date 2027-01-05 is in the future"],
      [7, "the same event (event_id, or case_ref, event and event_date) already appears on line 2"],
      [8, "case_ref is missing"],
    ]);
  });

  it("sends a check with no separate manager to every QA member who is not the LP, and reads Windows-1252 and UTF-16", async () => {
    const ctx = await loaded();
    await importCases(ctx.core, Buffer.from("case_ref,service_area,status,lead_professional_email,lp_manager_email\nCAF-2001,Family Hubs,open,jo@example.gov.uk,\nCAF-2002,Family Hubs,open,jo@example.gov.uk,jo@example.gov.uk\n" + (await readFile("examples/cases.csv", "utf8")).split("\n").slice(1).join("\n")), "test");
    const latin = Buffer.from("case_ref,event,event_date\nCAF-2001,closure,02/11/2026\n", "latin1");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("case_ref,event,event_date\r\nCAF-2002,taf review,03/11/2026\r\n", "utf16le")]);
    for (const file of [latin, utf16]) expect(await importTier1Events(ctx.core, file, "test")).toMatchObject({ ok: true, value: { added: 1, toQaPool: 1 } });
    const cards = await pending(ctx);
    expect(cards.map((m) => m.recipientEmail)).toEqual(["kit.morris@example.gov.uk", "kit.morris@example.gov.uk"]);
    expect(JSON.stringify(cards[0]!.view)).toMatch(/this check is with the QA team/);

    // The QA team's only member is the case's own lead professional: nobody may check it, so the row is refused.
    await importCases(ctx.core, Buffer.from("case_ref,service_area,status,lead_professional_email,lp_manager_email\nCAF-2003,Family Hubs,open,kit.morris@example.gov.uk,\nCAF-2001,Family Hubs,open,jo@example.gov.uk,\nCAF-2002,Family Hubs,open,jo@example.gov.uk,jo@example.gov.uk\n" + (await readFile("examples/cases.csv", "utf8")).split("\n").slice(1).join("\n")), "test");
    const nobody = await importTier1Events(ctx.core, Buffer.from("case_ref,event,event_date\nCAF-2003,closure,02/11/2026\n"), "test");
    expect(nobody).toMatchObject({ ok: true, value: { added: 0, rejected: [{ line: 2, ref: "CAF-2003" }] } });
    expect(nobody.ok && nobody.value.rejected[0]!.reason).toContain("nobody can check it");
  });
});

describe("the register as a second trigger", () => {
  it("records its assessment, TAF review and closure dates of the last 12 months as events, once", async () => {
    const ctx = await loaded();
    const register = [
      "case_ref,service_area,status,closed_on,lead_professional_email,lp_manager_email,caf_assessment_on,last_taf_review_on",
      "CAF-5001,Family Hubs,closed,10/11/2026,jo@example.gov.uk,ella.wright@example.gov.uk,01/06/2026,",
      "CAF-5002,Family Hubs,open,,jo@example.gov.uk,ella.wright@example.gov.uk,01/06/2024,12/11/2026",
      "CAF-5003,Family Hubs,open,,jo@example.gov.uk,ella.wright@example.gov.uk,not a date,",
    ].join("\n");
    await importCases(ctx.core, Buffer.from(register), "test", { allowMassClosure: true });
    const first = await registerTier1Events(ctx.core, Buffer.from(register), "test");
    if (!first.ok) throw new Error(first.problem.message);
    // 2024 is history, not an event to check now: passed over, not refused.
    expect(first.value).toMatchObject({ added: 3, alreadyRecorded: 0 });
    expect(first.value.rejected.map((p) => [p.line, p.reason])).toEqual([[4, 'caf_assessment_on "not a date" is not a real date (use dd/mm/yyyy or yyyy-mm-dd)']]);
    expect((await ctx.core.tier1.listBetween("2026-06", "2026-11")).map((c) => `${c.caseRef} ${c.kind}`).sort()).toEqual(["CAF-5001 assessment", "CAF-5001 closure", "CAF-5002 taf_review"]);
    expect(await registerTier1Events(ctx.core, Buffer.from(register), "test")).toMatchObject({ ok: true, value: { added: 0, alreadyRecorded: 3 } });
  });
});
