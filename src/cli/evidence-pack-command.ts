// `caf-audit evidence-pack`: the self-evaluation evidence pack of a period (the financial year to date unless
// --from/--to say otherwise) as a printable HTML page and an Excel workbook in one folder. Counts only, so it can
// be shared outside the QA team.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { evidenceDocuments, makeEvidencePack } from "../app/reporting/make-evidence-pack";
import { periodsFor } from "../domain/moderation-figures";
import { isValidMonth, londonDate } from "../domain/working-days";
import { digestSettingsOf } from "../jobs/jobs";
import { reportPeriod } from "./report-command";
import type { CliContext } from "./run-cli";

export async function runEvidencePack(ctx: CliContext, opts: { from?: string; to?: string; out: string }): Promise<number> {
  const refuse = (sentence: string) => {
    process.stderr.write(sentence + "\n");
    return 1;
  };
  const thisMonth = londonDate(ctx.core.clock.now()).slice(0, 7);
  const to = opts.to ?? thisMonth;
  // No --from: April of the financial year --to falls in, so --to is checked first.
  if (!isValidMonth(to)) return refuse(`The --to month "${to}" is not a month in the form YYYY-MM, for example 2026-01.`);
  const period = reportPeriod({ from: opts.from ?? periodsFor(to).yearToDate.from, to });
  if ("problem" in period) return refuse(period.problem);
  const dir = resolve(opts.out);
  try {
    await mkdir(dir, { recursive: true });
  } catch {
    return refuse(`The folder for --out, "${dir}", could not be made: give a folder you can write to.`);
  }
  const from = period.months[0]!;
  const pack = await makeEvidencePack(ctx.core, from, to, digestSettingsOf(ctx.config));
  const { html, workbook } = await evidenceDocuments(pack);
  const stem = join(dir, `evidence-pack-${from}-to-${to}`);
  await writeFile(`${stem}.html`, html, "utf8");
  await workbook.xlsx.writeFile(`${stem}.xlsx`);
  const what = pack.hasAudits ? `${pack.completed.text} audit${pack.completed.value === 1 ? "" : "s"} completed` : "no audits in this period";
  ctx.out(`Wrote the evidence pack of ${from} to ${to} (${what}) to ${stem}.html and ${stem}.xlsx.`);
  return 0;
}
