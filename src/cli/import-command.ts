// `caf-audit import-cases` and `import-people`: read the file, run the import, report counts and each rejected row.
import { importCases } from "../app/allocation/import-cases";
import { importPeople } from "../app/allocation/import-people";
import { registerTier1Events } from "../app/allocation/register-tier1-events";
import { readImportFile, rejectedLine, reportRejected } from "./import-file";
import type { CliContext } from "./run-cli";

export async function runImport(ctx: CliContext, kind: "cases" | "people", file: string, allowMassClosure = false, tier1 = false): Promise<number> {
  const bytes = await readImportFile(file);
  if (!bytes) return 1;
  const result = kind === "cases" ? await importCases(ctx.core, bytes, ctx.actor, { allowMassClosure }) : await importPeople(ctx.core, bytes, ctx.actor);
  if (!result.ok) {
    process.stderr.write(result.problem.message + "\n");
    ctx.log.warn({ code: result.problem.code, kind }, "import refused");
    return 1;
  }
  const r = result.value;
  const what = kind === "cases" ? "case register" : "people directory";
  const closed = "markedNoLongerOpen" in r ? `, ${r.markedNoLongerOpen} marked no longer open` : "";
  ctx.out(`Imported the ${what}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged${closed}.`);
  let exit = 0;
  if (r.rejected.length > 0) {
    reportRejected(ctx, kind, r.rejected);
    exit = 2;
  }
  return kind === "cases" && tier1 ? Math.max(exit, await reportTier1(ctx, bytes)) : exit;
}

/** `--tier1`: the register's event dates as Tier 1 events, after the register itself is stored. */
async function reportTier1(ctx: CliContext, bytes: Uint8Array): Promise<number> {
  const result = await registerTier1Events(ctx.core, bytes, ctx.actor);
  if (!result.ok) return 1;
  const r = result.value;
  ctx.out(`Tier 1 events from the register: ${r.added} added (a quality control card sent for each), ${r.alreadyRecorded} already recorded.`);
  for (const p of r.rejected) ctx.out(rejectedLine(p));
  return r.rejected.length > 0 ? 2 : 0;
}
