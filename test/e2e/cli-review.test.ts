// `caf-audit review`, run as the QA team runs it: the six-monthly service review as a printable page and a workbook,
// counts per service area against the six months before, small areas hidden, no text anyone wrote.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createTables } from "../../src/storage/tables";
import { createCore } from "../../src/wiring";
import { runCli, type CliRun } from "../support/run-cli";
import { JUSTIFICATION_TEXT, submittedAudit } from "../support/submitted-audits";
import { uniquePrefix } from "../support/tables";

const prefix = uniquePrefix();
const env = { AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: prefix };
const describeRun = (r: CliRun) => `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "caf-review-"));
  const tables = createTables({ connectionString: inject("tablesConnectionString"), tablePrefix: prefix });
  await tables.ensure();
  const core = createCore(tables, loadConfig({}));
  const tier2 = core.toolkits.get("tier2-caf")!;
  const audit = (caseRef: string, serviceArea: string, grade: string, belowGood: string[] = []) => ({ audit: submittedAudit(tier2, { caseRef, serviceArea, month: "2026-11", grade, belowGood }), outbox: [] });
  await core.allocations.createAudits("2026-11", [
    audit("CAF-1001", "Early Help North", "good", ["multi-agency-involvement"]),
    audit("CAF-1002", "Early Help North", "good"),
    audit("CAF-1003", "Early Help North", "requires-improvement", ["multi-agency-involvement"]),
    audit("CAF-1004", "Early Help South", "inadequate"),
    audit("CAF-1005", "Early Help South", "inadequate"),
    // East is the next smallest area: hidden too, or the period's total less North and East would give South away.
    ...["CAF-1006", "CAF-1007", "CAF-1008"].map((ref) => audit(ref, "Early Help East", "good")),
  ]);
}, 60_000);
afterAll(async () => rm(scratch, { recursive: true, force: true }));

describe("caf-audit review", () => {
  it("writes a printable HTML page: North's figures against the six months before, South only as 'fewer than 3', East as 'not shown'", async () => {
    const out = join(scratch, "review.html");
    const r = await runCli(["review", "--from", "2026-07", "--to", "2026-12", "--out", out], env);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain("3 service areas");
    const html = await readFile(out, "utf8");
    expect(html).toContain("<h1>CAF service review: July 2026 to December 2026</h1>");
    expect(html).toMatch(/<h2>Early Help North<\/h2>[\s\S]*<th scope="row">Audits<\/th><td>3<\/td><td>0<\/td>/);
    expect(html).toContain("Good 2, Requires Improvement 1");
    expect(html).toMatch(/3b [^<]*\(2\)/);
    expect(html).toMatch(/<h2>Early Help South<\/h2>[\s\S]*<th scope="row">Audits<\/th><td>fewer than 3<\/td>/);
    expect(html).toMatch(/<h2>Early Help East<\/h2>[\s\S]*<th scope="row">Audits<\/th><td>not shown<\/td>/);
    expect(html).not.toMatch(/Inadequate [12]/);
    expect(html).not.toContain("Good 3");
    expect(html).not.toContain(JUSTIFICATION_TEXT.slice(0, 30));
    expect(html).not.toContain("Evidence from the case file");
  });

  it("writes the same figures to a workbook, one row per area and period", async () => {
    const out = join(scratch, "review.xlsx");
    const r = await runCli(["review", "--from", "2026-07", "--to", "2026-12", "--format", "xlsx", "--out", out], env);
    expect(r.code, describeRun(r)).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const rows = (wb.getWorksheet("Service review")!.getSheetValues() as unknown[][]).filter(Boolean).map((row) => row.slice(1).map((c) => String(c ?? "")));
    expect(rows[0]!.slice(0, 3)).toEqual(["Service area", "Period", "Audits"]);
    expect(rows.slice(1).map((row) => row.slice(0, 3))).toEqual([
      ["Early Help East", "2026-07 to 2026-12", "not shown"],
      ["Early Help East", "2026-01 to 2026-06", "0"],
      ["Early Help North", "2026-07 to 2026-12", "3"],
      ["Early Help North", "2026-01 to 2026-06", "0"],
      ["Early Help South", "2026-07 to 2026-12", "fewer than 3"],
      ["Early Help South", "2026-01 to 2026-06", "0"],
    ]);
  });

  it("refuses a backwards period and an unknown format with one sentence, writing nothing", async () => {
    const back = await runCli(["review", "--from", "2026-12", "--to", "2026-07", "--out", join(scratch, "x.html")], env);
    expect(back.code).toBe(1);
    expect(back.stderr.trim()).toBe("The period runs backwards: --from 2026-12 is after --to 2026-07.");
    const pdf = await runCli(["review", "--from", "2026-07", "--to", "2026-12", "--format", "pdf", "--out", join(scratch, "x.pdf")], env);
    expect(pdf.code).toBe(1);
    expect(pdf.stderr).toContain('The format "pdf" is not one the review can write: use html or xlsx.');
  });
});
