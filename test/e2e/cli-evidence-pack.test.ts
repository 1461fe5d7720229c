// `caf-audit evidence-pack`, run as the QA team runs it, and the page opened in a real browser (Debian's headless
// Chromium): no console errors, every chart's numbers equal the workbook's figures, no name or free text, and it
// prints to A4. Seeded: April 2026 with 5 audits (all moderated), May with 2 (under the floor of 3), 3 actions,
// 3 unsafe-practice concerns, and a plan of 20 open cases.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../src/config";
import type { AllocationPlan } from "../../src/domain/allocation-plan";
import { feedbackFor } from "../../src/domain/feedback";
import { createTables } from "../../src/storage/tables";
import { createCore } from "../../src/wiring";
import { runCli, type CliRun } from "../support/run-cli";
import { JUSTIFICATION_TEXT, submittedAudit } from "../support/submitted-audits";
import { uniquePrefix } from "../support/tables";
import { acknowledgedEscalation, raisedEscalation } from "../support/timer-rows";

const prefix = uniquePrefix();
const env = { AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: prefix };
const describeRun = (r: CliRun) => `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const SEEN = "The child was left without a safety plan after a disclosure.";
const ACTION_TEXT = "Hold a TAF review with the school";
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "caf-evidence-"));
  const tables = createTables({ connectionString: inject("tablesConnectionString"), tablePrefix: prefix });
  await tables.ensure();
  const core = createCore(tables, loadConfig({}));
  const tier2 = core.toolkits.get("tier2-caf")!;
  const first = (caseRef: string, month: string, grade: string, belowGood: string[] = []) => submittedAudit(tier2, { caseRef, serviceArea: "Early Help North", month, grade, belowGood });
  const second = (caseRef: string, grade: string) => ({ ...submittedAudit(tier2, { caseRef, serviceArea: "Early Help North", month: "2026-04", grade, auditorEmail: "omar.haddad@example.gov.uk" }), pass: "second" as const, moderated: true });
  const april = [first("CAF-1001", "2026-04", "good"), first("CAF-1002", "2026-04", "good"), first("CAF-1003", "2026-04", "requires-improvement", ["multi-agency-involvement"]), first("CAF-1004", "2026-04", "requires-improvement", ["multi-agency-involvement"]), first("CAF-1005", "2026-04", "good")];
  const secondGrades = ["good", "requires-improvement", "requires-improvement", "requires-improvement", "good"];
  await core.allocations.createAudits("2026-04", [...april.map((a) => ({ ...a, moderated: true })), ...april.map((a, i) => second(a.caseRef, secondGrades[i]!))].map((audit) => ({ audit, outbox: [] })));
  const may = [first("CAF-1006", "2026-05", "inadequate"), first("CAF-1007", "2026-05", "good")];
  await core.allocations.createAudits("2026-05", may.map((audit) => ({ audit, outbox: [] })));
  const plan: AllocationPlan = { month: "2026-04", seed: 1, createdAt: "2026-04-01T08:00:00.000Z", createdBy: "test", dueOn: "2026-04-28", toolkitId: tier2.id, target: 6, openCount: 20, eligibleCount: 20, areas: [], assignments: [], unallocated: [] };
  await core.allocations.claimPlan(plan);

  // Feedback: CAF-1003's action done and confirmed; CAF-1004's released and never confirmed (overdue); CAF-1006's waiting for review.
  const people = { lp: "sam.lee@example.gov.uk", manager: "jo.king@example.gov.uk" };
  for (const [caseRef, month, shape] of [["CAF-1003", "2026-04", "confirmed"], ["CAF-1004", "2026-04", "released"], ["CAF-1006", "2026-05", "waiting"]] as const) {
    const stored = (await core.allocations.get(month, caseRef))!;
    let f = feedbackFor(stored.audit, tier2, people, core.feedbackRules, new Date(`${month}-20T10:00:00.000Z`));
    if (shape !== "waiting") f = { ...f, status: "released", releasedAt: `${month}-21T10:00:00.000Z`, releasedBy: "qa@example.gov.uk" };
    if (shape === "confirmed") f = { ...f, actions: f.actions.map((a) => ({ ...a, rag: "green" as const, confirmation: { done: true as const, note: "The TAF met on 25 April.", at: `${month}-26T10:00:00.000Z`, by: people.manager } })) };
    await core.allocations.update(stored.audit, stored.version, {}, f);
  }
  // Concerns: one acknowledged in 40 minutes, one in 90, one not yet.
  for (const e of [acknowledgedEscalation("CAF-1003", "2026-04-20T10:00:00Z", "2026-04-20T10:40:00Z"), acknowledgedEscalation("CAF-1004", "2026-04-21T10:00:00Z", "2026-04-21T11:30:00Z"), raisedEscalation("CAF-1006", "2026-05-20T10:00:00Z")]) {
    await core.escalations.create({ ...e, seen: SEEN }, {});
  }
}, 60_000);
afterAll(async () => rm(scratch, { recursive: true, force: true }));

type Sheets = Record<string, (string | number)[][]>;
async function readWorkbook(file: string): Promise<Sheets> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return Object.fromEntries(wb.worksheets.map((ws) => [ws.name, (ws.getSheetValues() as unknown[][]).filter(Boolean).map((row) => row.slice(1).map((c) => (typeof c === "number" ? c : String(c ?? ""))))]));
}
/** A sheet's "label, number" rows as a map: the figures a bar chart must show. */
const numbers = (rows: (string | number)[][]) => Object.fromEntries(rows.slice(1).filter((r) => typeof r[1] === "number").map((r) => [String(r[0]), r[1] as number]));

const out = () => join(scratch, "pack");
const stem = () => join(out(), "evidence-pack-2026-04-to-2026-11");

describe("caf-audit evidence-pack", () => {
  it("writes the page and the workbook to the folder, and says how many audits it covers", async () => {
    const r = await runCli(["evidence-pack", "--from", "2026-04", "--to", "2026-11", "--out", out()], env);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain("7 audits completed");
    expect(r.stdout).toContain(`${stem()}.html and ${stem()}.xlsx`);
  });

  it("the workbook: coverage 7 of 20 open cases (35%, target 20%), grades, May under the floor and April not shown beside the total, the learning loop, concerns and moderation", async () => {
    const s = await readWorkbook(`${stem()}.xlsx`);
    expect(numbers(s["Coverage"]!)).toMatchObject({ "Audits completed": 7, "Open cases": 20, "Cases audited in the last 12 months": 7, "Coverage (% of open cases)": 35, "Target (% of open cases)": 20 });
    expect(numbers(s["Grades"]!)).toEqual({ Outstanding: 0, Good: 4, "Requires Improvement": 2, Inadequate: 1 });
    // With the period's 7 published, April's 5 beside May's "fewer than 3" would give May away as 2: April is not shown.
    expect(s["By month"]!.slice(1, 3)).toEqual([
      ["April 2026", "not shown", "", "", "", ""],
      ["May 2026", "fewer than 3", "", "", "", ""],
    ]);
    expect(s["Below good"]![1]).toEqual([expect.stringMatching(/^3b /), 2]);
    expect(s["Learning loop"]!.slice(1)).toEqual([["Agreed", 3], ["Done (green)", 1], ["Confirmed by the manager", 1], ["Overdue", 1], ["Verified change at re-check", 0]]);
    expect(numbers(s["Escalations"]!)).toEqual({ "Concerns raised": 3, Acknowledged: 2, "Median minutes to acknowledge": 65 });
    expect(numbers(s["Response times"]!)).toEqual({ "Within 1 hour": 1, "1 to 2 hours": 1, "Over 2 hours": 0, "Not acknowledged": 1 });
    expect(s["Moderation"]!.slice(1, 4)).toEqual([["Cases graded twice", 5], ["Overall grades the same", "80%"], ["Within one step", "100%"]]);
  });

  it("a period with no audits gives a pack that says so", async () => {
    const r = await runCli(["evidence-pack", "--from", "2025-04", "--to", "2025-09", "--out", out()], env);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain("no audits in this period");
    const html = await readFile(join(out(), "evidence-pack-2025-04-to-2025-09.html"), "utf8");
    expect(html).toContain("No audits were allocated or completed in April 2025 to September 2025, so this pack has no figures yet.");
    expect(html).not.toContain("<svg");
    const s = await readWorkbook(join(out(), "evidence-pack-2025-04-to-2025-09.xlsx"));
    expect(Object.keys(s)).toEqual(["About"]);
  });

  it("a period under the floor (May: 2 audits) shows 'fewer than 3' and no grades, themes or charts of them", async () => {
    const r = await runCli(["evidence-pack", "--from", "2026-05", "--to", "2026-05", "--out", out()], env);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain("(fewer than 3 audits completed)");
    const html = await readFile(join(out(), "evidence-pack-2026-05-to-2026-05.html"), "utf8");
    expect(html).toContain("<th scope=\"row\">Audits completed</th><td>fewer than 3</td>");
    expect(html).toContain("Fewer than 3 audits were completed, so not broken down.");
    expect(html).not.toMatch(/data-chart="(grades|months|themes)"/);
    expect(html).not.toContain("Inadequate</th><td>1");
  });

  it("without --from, starts in April of the financial year --to is in", async () => {
    const r = await runCli(["evidence-pack", "--to", "2027-02", "--out", out()], env);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain("Wrote the evidence pack of 2026-04 to 2027-02 (7 audits completed)");
  });

  it("refuses a backwards period and a month that is not one, with one sentence", async () => {
    const bad = await runCli(["evidence-pack", "--to", "2026-13", "--out", out()], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('The --to month "2026-13" is not a month in the form YYYY-MM, for example 2026-01.');
    const r = await runCli(["evidence-pack", "--from", "2026-11", "--to", "2026-04", "--out", out()], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("The period runs backwards: --from 2026-11 is after --to 2026-04.");
  });
});

describe("the evidence pack in a browser (headless Chromium)", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  }, 30_000);
  afterAll(async () => browser?.close());

  it("loads with no console errors; each chart's bars and printed numbers equal the workbook's figures; no name or free text; prints to A4", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`file://${stem()}.html`, { waitUntil: "load" });

    const charts = await page.$$eval("figure[data-chart]", (figures) =>
      figures.map((f) => ({
        id: f.getAttribute("data-chart")!,
        bars: [...f.querySelectorAll('[aria-roledescription="bar"]')].map((b) => b.getAttribute("aria-label") ?? ""),
        printed: [...f.querySelectorAll(".mark-text.role-mark text")].map((t) => t.textContent ?? ""),
        shown: (f.querySelector("svg")?.getBoundingClientRect().width ?? 0) > 0,
      })),
    );
    const readBack = (bars: string[]) => Object.fromEntries(bars.map((label) => /^(.*): ([\d.]+)%?$/.exec(label)!).map((m) => [m[1]!, Number(m[2])]));
    const s = await readWorkbook(`${stem()}.xlsx`);
    const coverage = numbers(s["Coverage"]!);
    const learning = numbers(s["Learning loop"]!);
    const months = s["By month"]!;
    // No month has grades to chart here (April is not shown, May is under the floor), so there is no month chart.
    expect(months.slice(1).some((row) => typeof row[1] === "number" && row[1] > 0)).toBe(false);
    const expected: Record<string, Record<string, number>> = {
      coverage: { "Audited in the last 12 months": coverage["Coverage (% of open cases)"]!, Target: coverage["Target (% of open cases)"]! },
      grades: numbers(s["Grades"]!),
      themes: numbers(s["Below good"]!),
      "learning-loop": learning,
      "response-times": numbers(s["Response times"]!),
    };
    expect(charts.map((c) => c.id)).toEqual(Object.keys(expected));
    for (const c of charts) {
      expect(c.shown, c.id).toBe(true);
      expect(readBack(c.bars), c.id).toEqual(expected[c.id]);
      if (c.id !== "months") expect(c.printed.map(Number), c.id).toEqual(Object.values(expected[c.id]!));
    }
    expect(await page.locator('figure[data-chart="months"] svg').count()).toBe(0);

    const text = (await page.content()) + (await page.innerText("body"));
    expect(text).not.toMatch(/[\w.-]+@[\w-]+\.[\w.]+/);
    for (const secret of ["Patel", "asha", "omar", "sam.lee", "jo.king", "lena", JUSTIFICATION_TEXT.slice(0, 30), "Evidence from the case file", "A short overview", ACTION_TEXT, SEEN.slice(0, 30), "The TAF met", "CAF-100"]) {
      expect(text, secret).not.toContain(secret);
    }
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
