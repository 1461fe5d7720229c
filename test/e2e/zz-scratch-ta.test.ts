import { it } from "vitest";
import { readFile } from "node:fs/promises";
import { importCases } from "../../src/app/import-cases";
import { importPeople } from "../../src/app/import-people";
import { allocateMonth } from "../../src/app/allocate-month";
import { startHarness } from "../support/bot-harness";
it("debug", async () => {
  const h = await startHarness({ CAF_SAMPLE_SIZE: "1", LOG_LEVEL: "silent" });
  const start = h.clock.now().getTime(); const t0 = Date.now();
  const ticker = setInterval(() => h.clock.set(new Date(start + (Date.now() - t0)).toISOString()), 20);
  await importPeople(h.core, await readFile("examples/people.csv"), "test");
  await importCases(h.core, await readFile("examples/cases.csv"), "test");
  const u = h.user("Ella Wright", "ella.wright@example.gov.uk"); await h.install(u);
  h.connector.failNext(2, { status: 500 });
  await allocateMonth(h.core, { month: "2026-12", seed: 1, actor: "t", dryRun: false });
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const rows = [];
    for await (const e of h.tables.table("Allocations").listEntities()) if (String(e.rowKey).startsWith("outbox-")) rows.push({ state: e.state, next: e.nextAttemptAt, attempts: e.attempts, err: e.lastError, recipient: e.recipientEmail });
    console.log(h.clock.now().toISOString(), JSON.stringify(rows), h.connector.requests.map(r=>r.status).join(","));
  }
  clearInterval(ticker); await h.close();
}, 20000);
