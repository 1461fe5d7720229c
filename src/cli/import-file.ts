// What every import command does around its use case: read the file it was given, and list the rows it refused.
import { readFile } from "node:fs/promises";
import type { RowProblem } from "../app/allocation/csv-table";
import type { CliContext } from "./run-cli";

/** The file's bytes, or undefined after telling the person it cannot be read. */
export async function readImportFile(file: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(file);
  } catch {
    process.stderr.write(`Cannot read ${file}: check the path and that the file exists.\n`);
    return undefined;
  }
}

export const rejectedLine = (p: RowProblem): string => `  line ${p.line}${p.ref ? ` (${p.ref})` : ""}: ${p.reason}`;

/** Each refused row with its line, for the person to fix; the log has the lines and codes only, never the row. */
export function reportRejected(ctx: CliContext, kind: string, rejected: readonly RowProblem[]): void {
  ctx.out(`${rejected.length} row${rejected.length === 1 ? " was" : "s were"} rejected; fix ${rejected.length === 1 ? "it" : "them"} and import the file again:`);
  for (const p of rejected) ctx.out(rejectedLine(p));
  ctx.log.warn({ code: "import_rows_rejected", kind, rejected: rejected.map((p) => ({ line: p.line, code: p.code })) }, "rows rejected");
}
