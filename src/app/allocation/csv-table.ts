// Reads an exported CSV file into rows keyed by lower-case header, each with the line it came from.
// Council exports arrive from Excel and case systems: BOM, CRLF, Windows-1252 and UTF-16 all occur.
import { parse } from "csv-parse/sync";
import { fail, ok, type Result } from "../errors";

export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export interface CsvTable {
  columns: string[];
  rows: CsvRow[];
}

export function decodeCsv(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: Excel's "CSV" on Windows writes Windows-1252, which decodes every byte.
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

export function readCsv(bytes: Uint8Array, what: string, required: readonly string[]): Result<CsvTable> {
  // One line break is one line: csv-parse counts a CRLF inside quotes as two lines, which skews every later line number.
  const text = decodeCsv(bytes).replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  // A NUL character means a binary file (a spreadsheet saved as .xlsx, say), not a CSV.
  if (text.trim() === "" || text.includes("\u0000")) {
    return fail("csv_not_csv", `The ${what} file is empty or is not a CSV file. Export it again as CSV with a header row.`);
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let columns: string[] = [];
  try {
    records = parse(text, {
      columns: (header: string[]) => (columns = header.map((h) => h.trim().toLowerCase())),
      info: true,
      skip_empty_lines: true,
      // Excel writes rows of bare commas for cells it once touched: blank rows, not rows to refuse.
      skip_records_with_empty_values: true,
      trim: true,
      relax_column_count: true,
      // Generous: an overlong field is refused as a row problem later, so one bad line does not sink the file.
      max_record_size: 8_000_000,
    });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return fail("csv_malformed", `The ${what} file is not valid CSV${line ? ` (near line ${line})` : ""}. Check its quotes and export it again.`);
  }
  // A column named twice would be read from whichever comes last, silently: which lead professional or which roles
  // is then a guess, so the file is refused whole.
  const twice = [...new Set(columns.filter((c, i) => c !== "" && columns.indexOf(c) !== i))];
  if (twice.length > 0) {
    return fail("csv_duplicate_columns", `The ${what} file names the ${twice.join(", ")} column${twice.length > 1 ? "s" : ""} more than once; keep one of each and export it again.`);
  }
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    return fail("csv_missing_columns", `The ${what} file has no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""}; the first line must name the columns.`);
  }
  // info.lines is where a record ends; a quoted field with line breaks starts it that many lines earlier.
  const startLine = (r: (typeof records)[number]) => r.info.lines - Object.values(r.record).join("").split("\n").length + 1;
  return ok({ columns, rows: records.map((r) => ({ line: startLine(r), values: r.record })) });
}

export interface RowProblem {
  line: number;
  ref: string | null;
  code: "row_invalid" | "row_duplicate";
  reason: string;
}

/**
 * Parses every row, keeping the first of each key; a bad row or a repeated key becomes a RowProblem with its line.
 * Returns every problem at once, so one import run shows the person everything to fix.
 */
export function collectRows<T>(
  rows: readonly CsvRow[],
  parse: (row: CsvRow) => { ok: true; value: T } | { ok: false; problem: RowProblem },
  keyOf: (value: T) => string,
  keyColumn: string,
): { accepted: Map<string, { line: number; value: T }>; rejected: RowProblem[] } {
  const accepted = new Map<string, { line: number; value: T }>();
  const rejected: RowProblem[] = [];
  for (const row of rows) {
    const parsed = parse(row);
    if (!parsed.ok) {
      rejected.push(parsed.problem);
      continue;
    }
    const key = keyOf(parsed.value);
    const first = accepted.get(key);
    if (first) rejected.push({ line: row.line, ref: key, code: "row_duplicate", reason: `${keyColumn} already appears on line ${first.line}` });
    else accepted.set(key, { line: row.line, value: parsed.value });
  }
  return { accepted, rejected };
}
