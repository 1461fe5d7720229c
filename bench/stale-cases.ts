// The monthly stale-case run on the 10,000-case register the bench imported: the cases opened on 1 January and
// 1 February 2026 (two in nine) have had no recorded activity for 12 months by 2 February 2027, so each gets a check
// and its card, stored together. Then the same month again, as a restarted scheduler would run it: every check is found, nothing is sent.
import { askStaleCases } from "../src/app/stages/ask-stale-cases";
import { loadConfig } from "../src/config";
import type { Tables } from "../src/storage/tables";
import { createCore } from "../src/wiring";

type Figure = (name: string, value: number, target: string) => void;

export async function benchStaleCases(tables: Tables, env: Record<string, string>, figure: Figure): Promise<void> {
  const core = createCore(tables, loadConfig(env), { now: () => new Date("2027-02-02T09:00:00Z") });
  const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
  let t = process.hrtime.bigint();
  const first = await askStaleCases(core, "2027-02", "bench");
  figure(`monthly stale-case run, 10,000 cases (${first.asked} asked: check + card stored)`, ms(t), "< 30000 ms");
  t = process.hrtime.bigint();
  const again = await askStaleCases(core, "2027-02", "bench");
  if (again.asked + again.noLeadProfessional !== 0) throw new Error("the re-run of the stale-case month asked again");
  figure("  the same month re-run (every check read back, nothing sent)", ms(t), "-");
}
