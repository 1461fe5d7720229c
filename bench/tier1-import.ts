// Tier 1 quality control at a council's scale: 10,000 events (assessments, TAF reviews, closures) recorded from one
// CSV, each stored with its card to the case's checker; then the same file again, which adds nothing.
import { importTier1Events } from "../src/app/allocation/import-tier1-events";
import { importCases } from "../src/app/allocation/import-cases";
import { importPeople } from "../src/app/allocation/import-people";
import { loadConfig } from "../src/config";
import { createTables } from "../src/storage/tables";
import { createCore } from "../src/wiring";

type Figure = (name: string, value: number, target: string) => void;
const KINDS = ["assessment", "taf_review", "closure"] as const;

export function tier1EventsCsv(caseCount: number, eventCount: number, now: Date): string {
  const rows = ["case_ref,event,event_date,event_id"];
  for (let i = 0; i < eventCount; i++) {
    // Spread over the last 40 days, so the checks fall in two or three month partitions as a real month's do.
    const day = new Date(now.getTime() - (1 + (i % 40)) * 86_400_000).toISOString().slice(0, 10);
    rows.push(`CAF-${String(i % caseCount).padStart(6, "0")},${KINDS[i % 3]},${day},EV-${i}`);
  }
  return rows.join("\n") + "\n";
}

/**
 * On tables of its own (their register imported first, not timed), so its 20,000 rows never sit in the tables the
 * other figures read: Azurite scans a whole table for a query, where Azure does not.
 */
export async function benchTier1Import(connectionString: string, register: { casesCsv: string; peopleCsv: string }, caseCount: number, figure: Figure): Promise<void> {
  const tables = createTables({ connectionString, tablePrefix: "benchtier1" });
  await tables.ensure();
  const core = createCore(tables, loadConfig({ CAF_TABLE_PREFIX: "benchtier1" }));
  await importPeople(core, Buffer.from(register.peopleCsv), "bench");
  await importCases(core, Buffer.from(register.casesCsv), "bench");
  const csv = Buffer.from(tier1EventsCsv(caseCount, 10_000, core.clock.now()));
  const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
  let t = process.hrtime.bigint();
  const first = await importTier1Events(core, csv, "bench");
  figure("Tier 1: import 10,000 events, each check + card stored", ms(t), "< 5000 ms");
  if (!first.ok || first.value.added !== 10_000) throw new Error(`bench Tier 1 import did not store 10,000 checks: ${JSON.stringify(first.ok ? { ...first.value, rejected: first.value.rejected.slice(0, 3) } : first.problem)}`);
  t = process.hrtime.bigint();
  const again = await importTier1Events(core, csv, "bench");
  figure("Tier 1: the same 10,000 events again (all already recorded)", ms(t), "-");
  if (!again.ok || again.value.added !== 0) throw new Error("bench Tier 1 re-import added checks");
}
