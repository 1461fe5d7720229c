// `caf-audit review`: the six-monthly service review of a period, as a printable HTML page or an Excel workbook,
// for the Partnership Board and the Champions Group. Counts only; small areas hidden.
import { existsSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import ExcelJS from "exceljs";
import { makeServiceReview, REVIEW_COLUMNS, reviewCells } from "../app/reporting/make-review";
import { reviewHtml } from "../app/reporting/review-html";
import type { ServiceReview } from "../domain/service-review";
import { digestSettingsOf } from "../jobs/jobs";
import { reportPeriod } from "./report-command";
import type { CliContext } from "./run-cli";

export async function runReview(ctx: CliContext, opts: { from: string; to: string; format?: string; out: string }): Promise<number> {
  const refuse = (sentence: string) => {
    process.stderr.write(sentence + "\n");
    return 1;
  };
  const period = reportPeriod(opts);
  if ("problem" in period) return refuse(period.problem);
  const format = (opts.format ?? "html").toLowerCase();
  if (format !== "html" && format !== "xlsx") return refuse(`The format "${opts.format}" is not one the review can write: use html or xlsx.`);
  const out = resolve(opts.out);
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) return refuse(`The folder for --out, "${dirname(out)}", does not exist.`);
  const review = await makeServiceReview(ctx.core, opts.from, opts.to, digestSettingsOf(ctx.config));
  if (format === "html") await writeFile(out, reviewHtml(review), "utf8");
  else await reviewWorkbook(review).xlsx.writeFile(out);
  ctx.out(`Wrote the service review of ${opts.from} to ${opts.to} (${review.areas.length} service area${review.areas.length === 1 ? "" : "s"}) to ${out}.`);
  return 0;
}

function reviewWorkbook(r: ServiceReview): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("Service review");
  sheet.addRow(["Service area", "Period", ...REVIEW_COLUMNS]).font = { bold: true };
  for (const a of r.areas) {
    for (const p of [a.period, a.previous]) {
      const cells = reviewCells(p, r.scoreThreshold);
      sheet.addRow([a.serviceArea, `${p.fromMonth} to ${p.toMonth}`, ...REVIEW_COLUMNS.map((c) => cells[c])]);
    }
  }
  if (r.areas.length === 0) sheet.addRow(["No audits in this period or the one before it."]);
  sheet.columns.forEach((c) => (c.width = 28));
  return wb;
}
