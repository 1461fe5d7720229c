// `caf-audit report`: the findings of a period (audits, answers, actions) as an Excel workbook or three CSV files,
// for the QA team's own analysis and the annual QA report. Reads only the month partitions of the period.
import { existsSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join, parse as parsePath, resolve } from "node:path";
import ExcelJS from "exceljs";
import { moderationRows } from "../app/reporting/moderation-report-rows";
import { selfAssessmentRows } from "../app/reporting/self-assessment-report-rows";
import { supervisionRows } from "../app/reporting/supervision-report-rows";
import { quarterOf, type Supervision } from "../domain/supervision";
import type { SelfAssessment } from "../domain/self-assessment";
import { redactor, reportKey, reportRows, type Cell, type RowSet } from "../app/reporting/report-rows";
import type { Audit } from "../domain/audit";
import type { CaseFile } from "../domain/case-file";
import type { Feedback } from "../domain/feedback";
import type { Moderation } from "../domain/moderation";
import { addMonths } from "../domain/months";
import { isValidMonth } from "../domain/working-days";
import type { CliContext } from "./run-cli";

export const MAX_REPORT_MONTHS = 24;

export interface ReportOptions {
  from: string;
  to: string;
  format?: string;
  out: string;
  includeText?: boolean;
}

/** The period's months, oldest first, or the one sentence that says what is wrong with the options. */
export function reportPeriod(opts: { from: string; to: string }): { months: string[] } | { problem: string } {
  for (const [flag, value] of [["--from", opts.from], ["--to", opts.to]] as const) {
    if (!isValidMonth(value)) return { problem: `The ${flag} month "${value}" is not a month in the form YYYY-MM, for example 2026-01.` };
  }
  if (opts.from > opts.to) return { problem: `The period runs backwards: --from ${opts.from} is after --to ${opts.to}.` };
  const months: string[] = [];
  for (let m = opts.from; m <= opts.to; m = addMonths(m, 1)) months.push(m);
  if (months.length > MAX_REPORT_MONTHS) {
    return { problem: `The period ${opts.from} to ${opts.to} is ${months.length} months, more than the ${MAX_REPORT_MONTHS} a report covers, so split it into shorter periods.` };
  }
  return { months };
}

export async function runReport(ctx: CliContext, opts: ReportOptions): Promise<number> {
  const refuse = (sentence: string) => {
    process.stderr.write(sentence + "\n");
    return 1;
  };
  const period = reportPeriod(opts);
  if ("problem" in period) return refuse(period.problem);
  const format = (opts.format ?? "xlsx").toLowerCase();
  if (format !== "xlsx" && format !== "csv") return refuse(`The format "${opts.format}" is not one the report can write: use xlsx or csv.`);
  const out = resolve(opts.out);
  const folder = dirname(out);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return refuse(`The folder for --out, "${folder}", does not exist.`);
  if (existsSync(out) && statSync(out).isDirectory()) return refuse(`The --out path "${out}" is a folder: give a file name, for example report.${format}.`);

  const read = await readPeriod(ctx, period.months);
  const includeText = !!opts.includeText;
  const rows = reportRows({ ...read, toolkits: ctx.core.toolkits, includeText });
  const moderation = moderationRows({ ...read, firsts: read.audits, toolkits: ctx.core.toolkits, includeText, clean: redactor(read.namesToRedact) });
  const selfAssessed = selfAssessmentRows({ selfAssessments: read.selfAssessments, audits: read.audits, toolkits: ctx.core.toolkits, stage: ctx.core.selfAssessment.stage, includeText, clean: redactor(read.namesToRedact) });
  // The optional stage's sheet only where a council runs it: a report without it keeps its four sheets.
  const supervised = supervisionRows(read.supervisions, ctx.core.supervision.stage, includeText, redactor(read.namesToRedact));
  const sets = [rows.audits, rows.answers, rows.actions, moderation, ...[selfAssessed, supervised].filter((s) => s.rows.length > 0)];
  const written = format === "xlsx" ? await writeWorkbook(out, sets) : await writeCsvFiles(out, sets);

  ctx.log.info(
    { code: "report_written", from: opts.from, to: opts.to, format, includeText: !!opts.includeText, audits: rows.audits.rows.length, answers: rows.answers.rows.length, actions: rows.actions.rows.length, moderated: moderation.rows.length },
    "report written",
  );
  const what = opts.includeText
    ? "with free text, for the QA team's own use only"
    : "case references only: no names and no free text";
  ctx.out(`Report for ${opts.from} to ${opts.to} (${what}):`);
  for (const w of written) ctx.out(`  ${w.file}: ${describe(w.sets)}`);
  return 0;
}

function describe(sets: readonly RowSet[]): string {
  return sets.map((s) => `${s.name} ${s.rows.length} ${s.rows.length === 1 ? "row" : "rows"}`).join(", ");
}

interface PeriodRead {
  audits: Audit[];
  seconds: Audit[];
  moderations: Moderation[];
  selfAssessments: SelfAssessment[];
  supervisions: Supervision[];
  feedback: Map<string, Feedback>;
  cases: Map<string, CaseFile>;
  namesToRedact: string[];
}

/** Audits of each month of the period (both passes), their moderations, the feedback of the submitted ones, and the register facts of their cases. */
async function readPeriod(ctx: CliContext, months: readonly string[]): Promise<PeriodRead> {
  const audits: Audit[] = [];
  const seconds: Audit[] = [];
  const moderations: Moderation[] = [];
  const feedback = new Map<string, Feedback>();
  const cases = new Map<string, CaseFile>();
  for (const month of months) {
    const [inMonth, secondsInMonth, moderationsInMonth] = await Promise.all([ctx.core.allocations.listMonth(month), ctx.core.allocations.listSeconds(month), ctx.core.allocations.listModerations(month)]);
    audits.push(...inMonth);
    seconds.push(...secondsInMonth);
    moderations.push(...moderationsInMonth.map((m) => m.moderation));
    await Promise.all(
      inMonth.map(async (a) => {
        if (a.status === "submitted") {
          const f = await ctx.core.feedback.get(month, a.caseRef);
          if (f) feedback.set(reportKey(month, a.caseRef), f.feedback);
        }
        if (!cases.has(a.caseRef)) {
          const c = await ctx.core.cases.get(a.serviceArea, a.caseRef);
          if (c) cases.set(a.caseRef, c);
        }
      }),
    );
  }
  // Only free text needs them: names typed into comments are blanked out of the report.
  const namesToRedact = (await ctx.core.people.all()).map((p) => p.name);
  const selfAssessments = months.length === 0 ? [] : await ctx.core.selfAssessments.listBetween(months[0]!, months[months.length - 1]!);
  // Each quarter the period touches, whole: a checklist belongs to its quarter, not to a month.
  const quarters = [...new Set(months.map(quarterOf))];
  const supervisions = (await Promise.all(quarters.map((q) => ctx.core.supervisions.listQuarter(q)))).flat();
  return { audits, seconds, moderations, selfAssessments, supervisions, feedback, cases, namesToRedact };
}

async function writeWorkbook(out: string, sets: readonly RowSet[]): Promise<{ file: string; sets: readonly RowSet[] }[]> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "caf-audit";
  workbook.created = new Date();
  for (const set of sets) {
    const sheet = workbook.addWorksheet(set.name, { views: [{ state: "frozen", xSplit: 0, ySplit: 1 }] });
    sheet.columns = set.columns.map((header, i) => ({ header, key: header, width: columnWidth(header, set.rows.map((r) => r[i] ?? null)) }));
    sheet.getRow(1).font = { bold: true };
    for (const row of set.rows) sheet.addRow(row.map((c) => c ?? null));
    if (set.rows.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: set.columns.length } };
  }
  await workbook.xlsx.writeFile(out);
  return [{ file: out, sets }];
}

function columnWidth(header: string, cells: readonly Cell[]): number {
  const longest = cells.reduce<number>((max, c) => Math.max(max, c === null ? 0 : String(c).length), header.length);
  // At least 10: exceljs leaves out a width of 9 (its default), and a header needs a little room for the filter button.
  return Math.min(60, Math.max(10, longest + 4));
}

async function writeCsvFiles(out: string, sets: readonly RowSet[]): Promise<{ file: string; sets: readonly RowSet[] }[]> {
  const { dir, name } = parsePath(out);
  const written: { file: string; sets: readonly RowSet[] }[] = [];
  for (const set of sets) {
    const file = join(dir, `${name}-${set.name.toLowerCase()}.csv`);
    // A BOM so Excel reads UTF-8 (names of places, curly quotes) as UTF-8; CRLF line ends, as RFC 4180 says.
    await writeFile(file, "\uFEFF" + toCsv(set), "utf8");
    written.push({ file, sets: [set] });
  }
  return written;
}

export function toCsv(set: RowSet): string {
  return [set.columns, ...set.rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/**
 * RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled. Text that a spreadsheet would
 * run as a formula (=, +, -, @ first) gets a leading apostrophe, so opening the file never runs what was typed.
 */
export function csvField(cell: Cell): string {
  if (cell === null) return "";
  let text = String(cell);
  if (typeof cell === "string" && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
