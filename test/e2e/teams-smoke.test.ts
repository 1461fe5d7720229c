import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { startHarness, type Harness } from "../support/bot-harness";

describe("Teams smoke", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await importPeople(h.core, await readFile("examples/people.csv"), "test");
    await importCases(h.core, await readFile("examples/cases.csv"), "test");
  });
  afterAll(async () => h?.close());

  it("delivers the allocation card after install and opens section 1", async () => {
    const asha = h.user("Asha Patel", "asha.patel@example.gov.uk");
    const installed = await h.install(asha);
    expect(installed.status).toBe(200);
    const r = await allocateMonth(h.core, { month: "2026-12", seed: 1, actor: "test", dryRun: false });
    expect(r.ok).toBe(true);
    const cards = await h.connector.waitForActivities((a) => JSON.stringify(a.activity).includes("Start audit"), { count: 1, timeoutMs: 5000 });
    const card = cards[0]!.activity.attachments![0]!.content as any;
    const start = JSON.stringify(card).match(/"caseRef":"(CAF-\d+)"/)![1];
    const opened = await h.press(asha, "startAudit", { month: "2026-12", caseRef: start });
    expect(opened.status).toBe(200);
    // Action.Execute: the invoke response replaces the allocation card with section 1.
    expect(JSON.stringify(opened.body.value)).toContain("Section 1 of 5");
  });
});
