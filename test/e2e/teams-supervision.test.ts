// The optional quarterly supervision checklist in Teams, end to end over real HTTP: with CAF_SUPERVISION=on, the
// start of a quarter makes one checklist per open case with a manager (once, however often it runs) and tells each
// manager how many; the manager finds them in "my audits", opens one, is shown the problems beside the inputs, and
// saves it; nobody else may open or save it; the report's Supervision sheet lists them.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestSupervisions } from "../../src/app/stages/supervision";
import { runReport } from "../../src/cli/report-command";
import type { CliContext } from "../../src/cli/run-cli";
import { loadExamples } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import { act, activityCard, cardText, errorBeside, heading, isTurnReply, sayAndRead, sentTo, sleep, installedUsers } from "../support/teams-cards";

const QUARTER = "2026-10";
const ASHA = "asha.patel@example.gov.uk";
const NOTES = "ZEBRA talked through the plan with Farah; the school needs chasing.";
let h: Harness;
const userOf = installedUsers(() => h);

const items = () => h.core.supervision.stage.items;
const allYesBut = (no: string[]) => Object.fromEntries(items().map((i) => [`sup.${i.id}`, no.includes(i.id) ? "no" : "yes"]));

beforeAll(async () => {
  h = await startHarness({ CAF_SUPERVISION: "on", CAF_RELAY_INTERVAL_MS: "100" });
  await loadExamples(h);
  for (const email of [ASHA, "ben.okafor@example.gov.uk", "farah.khan@example.gov.uk", "kit.morris@example.gov.uk"]) await userOf(email);
}, 60_000);
afterAll(() => h?.close());

describe("supervision checklists in Teams", () => {
  it("are made once a quarter for each open case with a manager, and each manager is told once", async () => {
    const open = (await h.core.cases.all()).filter((c) => c.status === "open" && c.lpManagerEmail);
    expect(await requestSupervisions(h.core, QUARTER)).toBe(open.length);
    expect(await requestSupervisions(h.core, QUARTER)).toBe(0);
    // Not a quarter's first month: nothing.
    expect(await requestSupervisions(h.core, "2026-11")).toBe(0);
    const asha = await userOf(ASHA);
    const mine = open.filter((c) => c.lpManagerEmail === ASHA).length;
    const notice = await (async () => {
      for (let i = 0; i < 200; i++, await sleep(50)) {
        const found = sentTo(h, asha).filter((s) => !isTurnReply(s)).map((s) => activityCard(s.activity)).filter((c) => heading(c) === "Supervision checklists for Q3 2026-27");
        if (found.length > 0) return found;
      }
      throw new Error("no notice");
    })();
    await sleep(300);
    expect(notice).toHaveLength(1);
    expect(cardText(notice[0]!)).toContain(`${mine} cases you manage need a supervision checklist this quarter.`);
  });

  it("the manager opens one from my audits and saves it; nobody else may", async () => {
    const asha = await userOf(ASHA);
    const list = await sayAndRead(h, asha, "my audits");
    const mine = (await h.core.supervisions.listForManager(QUARTER, ASHA)).length;
    expect(cardText(list)).toContain(`Supervision checklists, Q3 2026-27: 0 of ${mine} done`);
    expect(cardText(list)).toContain("CAF-1001: Due");

    const opened = await act(h, asha, "openSupervision", { quarter: QUARTER, caseRef: "CAF-1001" });
    expect(heading(opened.card)).toBe("Supervision checklist: case CAF-1001");
    for (const i of items()) expect(JSON.stringify(opened.card)).toContain(`"id":"sup.${i.id}"`);

    // Another manager, the case's own lead professional and the QA team: refused, the same words, nothing stored.
    for (const email of ["ben.okafor@example.gov.uk", "farah.khan@example.gov.uk", "kit.morris@example.gov.uk"]) {
      for (const verb of ["openSupervision", "submitSupervision"]) {
        const other = await act(h, await userOf(email), verb, { quarter: QUARTER, caseRef: "CAF-1001", ...allYesBut([]) });
        expect(cardText(other.card)).toContain("The supervision checklist for case CAF-1001 is only for the lead professional's manager.");
      }
    }
    expect((await h.core.supervisions.get(QUARTER, "CAF-1001"))!.supervision.status).toBe("due");

    const half = await act(h, asha, "submitSupervision", { quarter: QUARTER, caseRef: "CAF-1001", ...allYesBut([]), [`sup.${items()[1]!.id}`]: "" });
    expect(half.inPlace).toBe(true);
    expect(errorBeside(half.card, `sup.${items()[1]!.id}`)).toBe("Answer Yes or No to item 2.");
    expect((await h.core.supervisions.get(QUARTER, "CAF-1001"))!.supervision.status).toBe("due");

    const saved = await act(h, asha, "submitSupervision", { quarter: QUARTER, caseRef: "CAF-1001", ...allYesBut([items()[2]!.id]), "sup.comment": NOTES });
    expect(cardText(saved.card)).toContain("Saved. The QA team sees it in the report.");
    // Pressed again (a double click, a stale card): the saved checklist, unchanged.
    const again = await act(h, asha, "submitSupervision", { quarter: QUARTER, caseRef: "CAF-1001", ...allYesBut([]) });
    expect(cardText(again.card)).toContain("Saved.");
    expect((await h.core.supervisions.get(QUARTER, "CAF-1001"))!.supervision.answers![items()[2]!.id]).toBe("no");
    expect(cardText(await sayAndRead(h, asha, "my audits"))).toContain(`1 of ${mine} done`);

    const out = join(mkdtempSync(join(tmpdir(), "caf-sup-report-")), "report.xlsx");
    const ctx = { core: h.core, out: () => undefined, log: pino({ level: "silent" }) } as unknown as CliContext;
    expect(await runReport(ctx, { from: "2026-11", to: "2026-11", out })).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const rows = (wb.getWorksheet("Supervision")!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1).map((c) => (c === null || c === undefined ? "" : String(c))));
    expect(rows[0]).toEqual(["quarter", "case_ref", "service_area", "status", "done_on", "items", "items_no", "no_items"]);
    expect(rows.find((r) => r[1] === "CAF-1001")).toEqual(["Q3 2026-27", "CAF-1001", "Early Help North", "done", "2026-12-01", String(items().length), "1", "3"]);
    expect(rows.find((r) => r[1] === "CAF-1004")!.slice(0, 4)).toEqual(["Q3 2026-27", "CAF-1004", "School Nursing", "due"]);
    expect(JSON.stringify(rows)).not.toContain("ZEBRA");
  });
});
