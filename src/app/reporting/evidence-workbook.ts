// The evidence pack as an Excel workbook: one sheet per table of the HTML page, the same rows and words.
import ExcelJS from "exceljs";
import type { EvidencePack } from "../../domain/evidence-pack";
import { packSpan } from "./evidence-html";
import type { EvidenceTable } from "./evidence-tables";

/** Sheet names: Excel allows 31 characters and no ":" or "/". */
export const SHEET_NAMES: Record<EvidenceTable["id"], string> = {
  coverage: "Coverage",
  grades: "Grades",
  months: "By month",
  themes: "Below good",
  strengths: "Above good",
  "learning-loop": "Learning loop",
  escalations: "Escalations",
  "response-times": "Response times",
  moderation: "Moderation",
};

export function evidenceWorkbook(p: EvidencePack, tables: EvidenceTable[]): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const about = wb.addWorksheet("About");
  about.addRow([`CAF audit self-evaluation evidence: ${packSpan(p)}`]).font = { bold: true };
  about.addRow([p.hasAudits ? `Counts only. A group of fewer than ${p.anonymityFloor} shows only "fewer than ${p.anonymityFloor}".` : `No audits were allocated or completed in ${packSpan(p)}, so this pack has no figures yet.`]);
  for (const t of tables) {
    const sheet = wb.addWorksheet(SHEET_NAMES[t.id]);
    sheet.addRow(t.columns).font = { bold: true };
    for (const row of t.rows) sheet.addRow(row);
    if (t.rows.length === 0) sheet.addRow([t.empty ?? "None in this period."]);
    sheet.getColumn(1).width = 60;
    for (let i = 2; i <= t.columns.length; i++) sheet.getColumn(i).width = 16;
  }
  about.getColumn(1).width = 100;
  return wb;
}
