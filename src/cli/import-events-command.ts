// `caf-audit import-events FILE.csv`: record Tier 1 events; report counts and each rejected row with its line.
import { importTier1Events } from "../app/allocation/import-tier1-events";
import { readImportFile, reportRejected } from "./import-file";
import type { CliContext } from "./run-cli";

export async function runImportEvents(ctx: CliContext, file: string): Promise<number> {
  const bytes = await readImportFile(file);
  if (!bytes) return 1;
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
    reportRejected(ctx, "tier1_events", r.rejected);
    return 2;
  }
  return 0;
}
