// `caf-audit import-cases` and `import-people`: read the file, run the import, report counts and each rejected row.
import { readFile } from "node:fs/promises";
import { importCases } from "../app/allocation/import-cases";
import { importPeople } from "../app/allocation/import-people";
import { registerTier1Events } from "../app/allocation/register-tier1-events";
import type { CliContext } from "./run-cli";

export async function runImport(ctx: CliContext, kind: "cases" | "people", file: string, allowMassClosure = false, tier1 = false): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    process.stderr.write(`Cannot read ${file}: check the path and that the file exists.\n`);
    return 1;
  }
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
    ctx.out(`${r.rejected.length} row${r.rejected.length === 1 ? " was" : "s were"} rejected; fix ${r.rejected.length === 1 ? "it" : "them"} and import the file again:`);
    for (const p of r.rejected) ctx.out(`  line ${p.line}${p.ref ? ` (${p.ref})` : ""}: ${p.reason}`);
    ctx.log.warn({ code: "import_rows_rejected", kind, rejected: r.rejected.map((p) => ({ line: p.line, code: p.code })) }, "rows rejected");
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
  for (const p of r.rejected) ctx.out(`  line ${p.line}${p.ref ? ` (${p.ref})` : ""}: ${p.reason}`);
  return r.rejected.length > 0 ? 2 : 0;
}
