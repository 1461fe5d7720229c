// `caf-audit import-cases` and `import-people`: read the file, run the import, report counts and each rejected row.
import { readFile } from "node:fs/promises";
import { importCases } from "../app/import-cases";
import { importPeople } from "../app/import-people";
import type { CliContext } from "./run-cli";

export async function runImport(ctx: CliContext, kind: "cases" | "people", file: string, allowMassClosure = false): Promise<number> {
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
  if (r.rejected.length > 0) {
    ctx.out(`${r.rejected.length} row${r.rejected.length === 1 ? " was" : "s were"} rejected; fix ${r.rejected.length === 1 ? "it" : "them"} and import the file again:`);
    for (const p of r.rejected) ctx.out(`  line ${p.line}${p.ref ? ` (${p.ref})` : ""}: ${p.reason}`);
    ctx.log.warn({ code: "import_rows_rejected", kind, rejected: r.rejected.map((p) => ({ line: p.line, code: p.code })) }, "rows rejected");
    return 2;
  }
  return 0;
}
