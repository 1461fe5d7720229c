// An allocation stored by `caf-audit allocate` in another process reaches auditors through the running bot's relay.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import { startHarness, type Harness } from "../support/bot-harness";
import { runCli } from "../support/run-cli";

describe("allocation from another process", () => {
  let h: Harness;
  beforeAll(async () => {
    // The relay's clock must be real time here: the other process stamps its messages with the real time.
    h = await startHarness({}, new Date().toISOString());
    await importPeople(h.core, await readFile("examples/people.csv"), "test");
    await importCases(h.core, await readFile("examples/cases.csv"), "test");
  });
  afterAll(async () => h?.close());

  it("delivers the cards of a month allocated by the CLI while the bot runs, within seconds and once each", async () => {
    const users = [
      ["Asha Patel", "asha.patel@example.gov.uk"],
      ["Ben Okafor", "ben.okafor@example.gov.uk"],
      ["Carys Jones", "carys.jones@example.gov.uk"],
      ["Dev Sharma", "dev.sharma@example.gov.uk"],
      ["Ella Wright", "ella.wright@example.gov.uk"],
    ].map(([name, email]) => h.user(name!, email!));
    for (const u of users) await h.install(u);
    h.clock.set(new Date().toISOString());

    const month = new Date().toISOString().slice(0, 7);
    const env = { AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: h.prefix };
    const r = await runCli(["allocate", "--month", month, "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const allocations = (JSON.parse(r.stdout) as { allocations: { case_ref: string }[] }).allocations;
    expect(allocations).toHaveLength(8);

    h.clock.set(new Date().toISOString());
    const cards = await h.connector.waitForActivities((a) => JSON.stringify(a.activity).includes("Start audit"), { count: 8, timeoutMs: 10_000 });
    const refs = cards.map((c) => JSON.stringify(c.activity).match(/"caseRef":"([^"]+)"/)![1]).sort();
    expect(refs).toEqual(allocations.map((a) => a.case_ref).sort());
  });
});
