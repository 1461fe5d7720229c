// `caf-audit import-events FILE.csv`: record Tier 1 events; report counts and each rejected row with its line.
import { readFile } from "node:fs/promises";
import { importTier1Events } from "../app/allocation/import-tier1-events";
import type { CliContext } from "./run-cli";

export async function runImportEvents(ctx: CliContext, file: string): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    process.stderr.write(`Cannot read ${file}: check the path and that the file exists.\n`);
    return 1;
  }
  const result = await importTier1Events(ctx.core, bytes, ctx.actor);
  if (!result.ok) {
    process.stderr.write(result.problem.message + "\n");
    ctx.log.warn({ code: result.problem.code, kind: "tier1_events" }, "import refused");
    return 1;
  }
  const r = result.value;
  const pool = r.toQaPool > 0 ? ` ${r.toQaPool} of the new checks went to the QA team: no separate manager is recorded for the lead professional.` : "";
  ctx.out(`Recorded the Tier 1 events: ${r.added} added (a quality control card sent for each), ${r.alreadyRecorded} already recorded.${pool}`);
  if (r.rejected.length > 0) {
    ctx.out(`${r.rejected.length} row${r.rejected.length === 1 ? " was" : "s were"} rejected; fix ${r.rejected.length === 1 ? "it" : "them"} and import the file again:`);
    for (const p of r.rejected) ctx.out(`  line ${p.line}${p.ref ? ` (${p.ref})` : ""}: ${p.reason}`);
    ctx.log.warn({ code: "import_rows_rejected", kind: "tier1_events", rejected: r.rejected.map((p) => ({ line: p.line, code: p.code })) }, "rows rejected");
    return 2;
  }
  return 0;
}
