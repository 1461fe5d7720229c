// Use case: the self-evaluation evidence pack of a period (normally the financial year to date). Reads the period
// once, as the digest does; the figures, the months' included, come from src/domain/evidence-pack.ts. Then the
// two documents made from those figures: the printable page and the workbook.
import type ExcelJS from "exceljs";
import { evidencePack, type EvidencePack } from "../../domain/evidence-pack";
import type { ChatDeps } from "../chat-deps";
import { evidenceCharts } from "./evidence-charts";
import { evidenceHtml } from "./evidence-html";
import { evidenceTables } from "./evidence-tables";
import { evidenceWorkbook } from "./evidence-workbook";
import { digestInput, type DigestSettings } from "./make-digest";

export async function makeEvidencePack(deps: ChatDeps, fromMonth: string, toMonth: string, settings: DigestSettings): Promise<EvidencePack> {
  return evidencePack(await digestInput(deps, fromMonth, toMonth, settings));
}

export async function evidenceDocuments(p: EvidencePack): Promise<{ html: string; workbook: ExcelJS.Workbook }> {
  const tables = evidenceTables(p);
  return { html: evidenceHtml(p, tables, await evidenceCharts(p)), workbook: evidenceWorkbook(p, tables) };
}
