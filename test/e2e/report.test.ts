// `caf-audit report` run as a process on tables of its own: a month allocated from the shipped examples, two audits
// submitted through the domain's own rules with their feedback, then the workbook and the CSV files checked.
//
// Row counts expected (tier2-caf has 29 graded questions in 5 sections; section 2, step-down, may be marked not
// applicable):
// - Audits: every audit of the period's months, submitted or not (8 allocated in 2026-12).
// - Answers: submitted audits only, one row per question of each section that applies. Audit A marks the step-down
//   section not applicable (29 - 5 = 24 rows, one question answered "Not applicable" still has its row); audit B
//   answers all 29. 53 rows.
// - Actions: submitted audits only, one per action on the feedback: A has 2 agreed actions plus 1 of the lead
//   professional's own, B has 1. 4 rows.
// An audit in 2027-01 shows that a report reads only its period's months.
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import { loadConfig } from "../../src/config";
import { newAudit, saveSection, submit, type Audit } from "../../src/domain/audit";
import type { SectionAnswers } from "../../src/domain/answers";
import { applyLpReply, confirmActions, feedbackFor, release, type Feedback } from "../../src/domain/feedback";
import type { Toolkit } from "../../src/domain/toolkit";
import { createTables } from "../../src/storage/tables";
import { createCore, type Core } from "../../src/wiring";
import { PROJECT_ROOT, runCli, type CliRun } from "../support/run-cli";
import { uniquePrefix } from "../support/tables";

const MONTH = "2026-12";
const LATER = "2027-01";
const JUSTIFICATION = "JUSTIFICATION-MARKER: the plan drifted and the child's voice faded after the assessment.";
const COMMENT = "COMMENT-MARKER evidence from the case file and its impact on the child.";
const ACTION_TEXT = "ACTION-MARKER hold a TAF review and record the child's views";
const OWN_ACTION = "OWN-ACTION-MARKER visit the school to hear the child";
/** Free text that names people: with --include-text the text is kept, the names and emails are blanked out. */
const NAMING_COMMENT = 'NAMED-MARKER Farah Khan (farah.khan@example.gov.uk) spoke with Ben Okafor, who said "review the plan".';
const MARKERS = ["JUSTIFICATION-MARKER", "COMMENT-MARKER", "ACTION-MARKER", "OWN-ACTION-MARKER", "NAMED-MARKER"];

const prefix = uniquePrefix();
const env = { AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: prefix };
const people = parse(readFileSync(join(PROJECT_ROOT, "examples/people.csv")), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];

let scratch: string;
let allocatedCount = 0;

function describeRun(r: CliRun): string {
  return `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

function answersFor(toolkit: Toolkit, sectionId: string, overrides: Record<string, { value: string; comment: string }> = {}): SectionAnswers {
  const section = toolkit.sections.find((s) => s.id === sectionId)!;
  return {
    answers: Object.fromEntries(section.questions.map((q) => [q.id, overrides[q.id] ?? { value: "good", comment: COMMENT }])),
    overview: "OVERVIEW-MARKER a short overview of this section.",
  };
}

/** Walks the audit through every section and submits it, as the auditor's cards would. */
function submitted(audit: Audit, toolkit: Toolkit, opts: { stepDownNotApplicable: boolean; grade: string; actions: { action: string; byWhom: string; byWhen: string }[] }): Audit {
  let current = audit;
  for (const section of toolkit.sections) {
    let input = answersFor(toolkit, section.id);
    if (section.appliesWhen === "step_down" && opts.stepDownNotApplicable) input = { answers: {}, overview: "", notApplicable: true };
    if (section.id === "assessment") {
      const [first, second] = section.questions;
      input = answersFor(toolkit, section.id, { [first!.id]: { value: "not-applicable", comment: NAMING_COMMENT }, [second!.id]: { value: "requires-improvement", comment: COMMENT } });
    }
    const saved = saveSection(current, toolkit, section.id, input, "forward");
    if (!saved.ok) throw new Error(`section ${section.id}: ${JSON.stringify(saved.problems)}`);
    current = saved.audit;
  }
  const done = submit(current, toolkit, { overallGrade: opts.grade, justification: JUSTIFICATION, actions: opts.actions }, new Date().toISOString());
  if (!done.ok) throw new Error(`submit: ${JSON.stringify(done)}`);
  return done.audit;
}

async function store(core: Core, month: string, caseRef: string, next: (a: Audit) => Audit, feedback: (a: Audit) => Feedback): Promise<void> {
  const found = (await core.allocations.get(month, caseRef))!;
  const audit = next(found.audit);
  await core.allocations.update(audit, found.version, {}, feedback(audit));
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "caf-audit-report-"));
  const tables = createTables({ connectionString: inject("tablesConnectionString"), tablePrefix: prefix });
  await tables.ensure();
  const core = createCore(tables, loadConfig({}));
  const toolkit = core.toolkits.get("tier2-caf")!;
  const actor = "test:report";
  expect((await importPeople(core, readFileSync(join(PROJECT_ROOT, "examples/people.csv")), actor)).ok).toBe(true);
  expect((await importCases(core, readFileSync(join(PROJECT_ROOT, "examples/cases.csv")), actor)).ok).toBe(true);
  const allocated = await allocateMonth(core, { month: MONTH, seed: 42, actor, dryRun: false });
  if (!allocated.ok) throw new Error(allocated.problem.message);
  const audits = await core.allocations.listMonth(MONTH);
  allocatedCount = audits.length;
  expect(allocatedCount).toBeGreaterThanOrEqual(2);
  const [a, b] = audits as [Audit, Audit];
  const rules = core.feedbackRules;
  const now = new Date();
  const lp = { lp: "farah.khan@example.gov.uk", manager: "asha.patel@example.gov.uk" };

  await store(
    core,
    MONTH,
    a.caseRef,
    (audit) =>
      submitted(audit, toolkit, {
        stepDownNotApplicable: true,
        grade: "requires-improvement",
        actions: [
          { action: ACTION_TEXT, byWhom: "Farah Khan", byWhen: "2027-01-15" },
          { action: "ACTION-MARKER update the plan with SMART outcomes", byWhom: "Lead professional", byWhen: "2027-01-22" },
        ],
      }),
    (audit) => {
      const replied = applyLpReply(
        release(feedbackFor(audit, toolkit, lp, rules, now), "kit.morris@example.gov.uk", now, rules),
        {
          replyId: "r1",
          comment: "LP-COMMENT-MARKER I agree.",
          responses: { a1: { accept: true, date: "2027-01-12", proposal: "", reason: "" }, a2: { accept: false, date: "", proposal: "PROPOSAL-MARKER at the next TAF", reason: "The family asked for fewer meetings" } },
          ownActions: [{ action: OWN_ACTION, byWhom: "Lead professional", byWhen: "2027-01-08" }],
        },
        now,
      );
      const confirmed = confirmActions(replied, { a1: { done: true, note: "Done at the TAF review", newDate: "" } }, lp.manager, now);
      if (Array.isArray(confirmed)) throw new Error(JSON.stringify(confirmed));
      return confirmed;
    },
  );
  await store(
    core,
    MONTH,
    b.caseRef,
    (audit) => submitted(audit, toolkit, { stepDownNotApplicable: false, grade: "good", actions: [{ action: ACTION_TEXT, byWhom: "Lead professional", byWhen: "2027-02-01" }] }),
    (audit) => feedbackFor(audit, toolkit, lp, rules, now),
  );

  // A month outside the period: the report must not read it.
  await core.allocations.createAudits(LATER, [
    { audit: newAudit({ caseRef: "CAF-1002", serviceArea: "Early Help South", auditorEmail: "ella.wright@example.gov.uk", month: LATER, dueOn: "2027-01-29", toolkitId: "tier2-caf", allocatedAt: now.toISOString() }), outbox: [] },
  ]);
}, 120_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Every cell of every sheet as text, header included. */
function sheetTexts(wb: ExcelJS.Workbook): string[] {
  const texts: string[] = [];
  wb.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        texts.push(cell.text);
      }),
    ),
  );
  return texts;
}

function rowsOf(sheet: ExcelJS.Worksheet): { header: string[]; rows: Record<string, string>[] } {
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, string>[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    rows.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).text])));
  }
  return { header, rows };
}

function expectNoPeople(texts: readonly string[]): void {
  const all = texts.join("\n");
  expect(all).not.toMatch(/[^\s@]+@[^\s@]+\.[a-z]{2,}/i);
  for (const p of people) {
    expect(all.toLowerCase()).not.toContain(p.email!.toLowerCase());
    expect(all.toLowerCase()).not.toContain(p.name!.toLowerCase());
    for (const part of p.name!.split(" ")) expect(all, part).not.toMatch(new RegExp(`\\b${part}\\b`));
  }
}

async function readWorkbook(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

function readCsvFile(file: string): { header: string[]; rows: Record<string, string>[]; text: string } {
  const text = readFileSync(file, "utf8");
  const records = parse(text, { bom: true, relax_column_count: false }) as string[][];
  const [header, ...body] = records;
  return { header: header!, rows: body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))), text };
}

describe.concurrent("caf-audit report", () => {
  it("xlsx by default: four sheets with bold frozen headers, the expected rows, no names and no free text", async () => {
    const out = join(scratch, "default.xlsx");
    const r = await runCli(["report", "--from", MONTH, "--to", MONTH, "--out", out], env);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain(`Audits ${allocatedCount} rows, Answers 53 rows, Actions 4 rows`);
    expect(r.stdout).toContain("no names and no free text");

    const wb = await readWorkbook(out);
    // Nothing was moderated this month: the Moderation sheet is there with its headers and no rows.
    expect(wb.worksheets.map((s) => s.name)).toEqual(["Audits", "Answers", "Actions", "Moderation"]);
    expect(wb.getWorksheet("Moderation")!.rowCount).toBe(1);
    for (const sheet of wb.worksheets) {
      expect(sheet.getRow(1).getCell(1).font?.bold, sheet.name).toBe(true);
      expect(sheet.views[0], sheet.name).toEqual(expect.objectContaining({ state: "frozen", ySplit: 1 }));
      expect(sheet.getColumn(1).width, sheet.name).toBeGreaterThan(0);
    }
    const audits = rowsOf(wb.getWorksheet("Audits")!);
    const answers = rowsOf(wb.getWorksheet("Answers")!);
    const actions = rowsOf(wb.getWorksheet("Actions")!);
    expect(audits.header).toEqual(["month", "case_ref", "service_area", "age_band", "step_down", "primary_need", "toolkit", "status", "version", "submitted_on", "overall_grade", "overall_score", "below_good"]);
    expect(answers.header).toEqual(["month", "case_ref", "service_area", "section_number", "section", "question_number", "question", "answer", "score", "below_good"]);
    expect(actions.header).toEqual(["month", "case_ref", "action_id", "source", "rag", "by_when", "response", "confirmed"]);
    expect(audits.rows).toHaveLength(allocatedCount);
    expect(audits.rows.every((row) => row.month === MONTH)).toBe(true);
    expect(audits.rows.filter((row) => row.status === "submitted")).toHaveLength(2);
    expect(audits.rows.filter((row) => row.overall_grade !== "").map((row) => [row.overall_grade, row.below_good]).sort()).toEqual([
      ["Good", "no"],
      ["Requires Improvement", "yes"],
    ]);
    expect(answers.rows).toHaveLength(53);
    expect(answers.rows.filter((row) => row.section_number === "2")).toHaveLength(5);
    const notApplicable = answers.rows.filter((row) => row.answer === "Not applicable");
    expect(notApplicable).toHaveLength(2);
    expect(notApplicable.every((row) => row.score === "")).toBe(true);
    expect(actions.rows).toHaveLength(4);
    expect(actions.rows.map((row) => [row.action_id, row.source, row.response, row.confirmed, row.rag]).sort()).toEqual([
      ["a1", "audit", "accepted", "done", "green"],
      ["a1", "audit", "none", "none", "red"],
      ["a2", "audit", "change proposed", "none", "red"],
      ["l3", "lead professional", "none", "none", "red"],
    ]);

    const texts = sheetTexts(wb);
    for (const marker of [...MARKERS, "OVERVIEW-MARKER", "LP-COMMENT-MARKER", "PROPOSAL-MARKER"]) expect(texts.join("\n"), marker).not.toContain(marker);
    expectNoPeople(texts);
  });

  it("xlsx --include-text adds the free text, still without names or emails", async () => {
    const out = join(scratch, "with-text.xlsx");
    const r = await runCli(["report", "--from", MONTH, "--to", MONTH, "--out", out, "--include-text"], env);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain("for the QA team's own use only");
    const wb = await readWorkbook(out);
    const audits = rowsOf(wb.getWorksheet("Audits")!);
    const answers = rowsOf(wb.getWorksheet("Answers")!);
    const actions = rowsOf(wb.getWorksheet("Actions")!);
    expect(audits.header.at(-1)).toBe("justification");
    expect(answers.header.at(-1)).toBe("comment");
    expect(actions.header.slice(-2)).toEqual(["action", "by_whom"]);
    expect([audits.rows.length, answers.rows.length, actions.rows.length]).toEqual([allocatedCount, 53, 4]);
    const texts = sheetTexts(wb).join("\n");
    for (const marker of MARKERS) expect(texts, marker).toContain(marker);
    expect(texts).toContain("[name removed]");
    expect(texts).toContain("[email removed]");
    expectNoPeople(sheetTexts(wb));
  });

  it("csv writes four files with the same rows, RFC 4180 quoted, and no free text by default", async () => {
    const out = join(scratch, "csv-default.csv");
    const r = await runCli(["report", "--from", MONTH, "--to", MONTH, "--format", "csv", "--out", out], env);
    expect(r.code, describeRun(r)).toBe(0);
    const files = (await readdir(scratch)).filter((f) => f.startsWith("csv-default")).sort();
    expect(files).toEqual(["csv-default-actions.csv", "csv-default-answers.csv", "csv-default-audits.csv", "csv-default-moderation.csv"]);
    const audits = readCsvFile(join(scratch, "csv-default-audits.csv"));
    const answers = readCsvFile(join(scratch, "csv-default-answers.csv"));
    const actions = readCsvFile(join(scratch, "csv-default-actions.csv"));
    expect([audits.rows.length, answers.rows.length, actions.rows.length]).toEqual([allocatedCount, 53, 4]);
    for (const f of files) expect(r.stdout).toContain(f);
    expect(r.stdout).toContain(`Audits ${allocatedCount} rows`);
    expect(r.stdout).toContain("Answers 53 rows");
    expect(r.stdout).toContain("Actions 4 rows");
    const texts = [audits.text, answers.text, actions.text];
    for (const marker of MARKERS) expect(texts.join("\n"), marker).not.toContain(marker);
    expectNoPeople(texts);
  });

  it("csv --include-text keeps commas and quotes in free text intact", async () => {
    const out = join(scratch, "csv-text.csv");
    const r = await runCli(["report", "--from", MONTH, "--to", MONTH, "--format", "csv", "--out", out, "--include-text"], env);
    expect(r.code, describeRun(r)).toBe(0);
    const answers = readCsvFile(join(scratch, "csv-text-answers.csv"));
    const actions = readCsvFile(join(scratch, "csv-text-actions.csv"));
    expect(answers.rows).toHaveLength(53);
    expect(answers.rows.map((row) => row.comment)).toContain('NAMED-MARKER [name removed] ([email removed]) spoke with [name removed], who said "review the plan".');
    expect(answers.text).toContain('who said ""review the plan""."');
    expect(actions.rows.map((row) => row.action)).toContain(ACTION_TEXT);
    expectNoPeople([answers.text, actions.text, readFileSync(join(scratch, "csv-text-audits.csv"), "utf8")]);
  });

  it("reads only the months of its period", async () => {
    const out = join(scratch, "later.xlsx");
    const r = await runCli(["report", "--from", MONTH, "--to", LATER, "--out", out], env);
    expect(r.code, describeRun(r)).toBe(0);
    const wb = await readWorkbook(out);
    const audits = rowsOf(wb.getWorksheet("Audits")!);
    expect(audits.rows).toHaveLength(allocatedCount + 1);
    expect(audits.rows.filter((row) => row.month === LATER).map((row) => [row.case_ref, row.status])).toEqual([["CAF-1002", "allocated"]]);
  });

  it.each([
    [["--from", "2026-13", "--to", MONTH], /^The --from month "2026-13" is not a month/],
    [["--from", MONTH, "--to", "2026-11"], /^The period runs backwards/],
    [["--from", "2024-01", "--to", MONTH], /^The period 2024-01 to 2026-12 is 36 months/],
    [["--from", MONTH, "--to", MONTH, "--format", "pdf"], /^The format "pdf"/],
  ])("bad input %j exits 1 with one sentence and writes nothing", async (args, sentence) => {
    const out = join(scratch, `bad-${args.join("")}.xlsx`);
    const r = await runCli(["report", ...args, "--out", out], env);
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("{"));
    expect(lines, describeRun(r)).toHaveLength(1);
    expect(lines[0]).toMatch(sentence);
    expect(lines[0]).toMatch(/\.$/);
    expect(r.stderr).not.toContain("    at ");
    expect((await readdir(scratch)).filter((f) => f.startsWith("bad-"))).toEqual([]);
  });
});
