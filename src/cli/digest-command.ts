// `caf-audit digest`: the figures of a month (or a span of months) as the Champions Group would see them,
// printed, or posted to their channel with --post. Counts and case references only.
import { NOT_SHOWN } from "../domain/suppression";
import { isValidMonth } from "../domain/working-days";
import { digestSettingsOf } from "../jobs/jobs";
import { AREAS_WITHHELD, digestFigures } from "../app/reporting/make-digest";
import { postDigest } from "../app/reporting/post-digest";
import type { CliContext } from "./run-cli";

export async function runDigest(ctx: CliContext, opts: { month?: string; from?: string; to?: string; post?: boolean; json?: boolean }): Promise<number> {
  const from = opts.from ?? opts.month;
  const to = opts.to ?? opts.month ?? opts.from;
  if (!from || !to || !isValidMonth(from) || !isValidMonth(to) || from > to) {
    process.stderr.write("Give the period as --month YYYY-MM, or --from YYYY-MM --to YYYY-MM with from not after to.\n");
    return 1;
  }
  const settings = digestSettingsOf(ctx.config);
  if (opts.post) {
    const kind = from === to ? "month" : "quarter";
    const { posted, flagged } = await postDigest(ctx.core, settings, kind, from, to);
    ctx.out(`Stored the digest ${posted} for the Champions Group's channel; the running bot posts it.${flagged.length ? ` Below the score threshold: ${flagged.join(", ")} (the Service Leader is told).` : ""}`);
    return 0;
  }
  const f = await digestFigures(ctx.core, from, to, settings);
  if (opts.json) {
    ctx.out(JSON.stringify(f, null, 2));
    return 0;
  }
  ctx.out(`${from}${from === to ? "" : ` to ${to}`}: ${f.allocated} allocated (target ${f.target}), ${f.completed} completed, ${f.overdue} overdue.`);
  ctx.out(`Grades: ${f.grades.map((g) => `${g.label} ${g.count}`).join(", ")}.`);
  ctx.out(`Unsafe practice: ${f.escalations.raised} raised, ${f.escalations.acknowledged} acknowledged. Actions: ${f.actions.agreed} agreed, ${f.actions.done} done, ${f.actions.overdue} overdue.`);
  if (f.byServiceArea.length === 0 && f.completed > 0) ctx.out(`  ${AREAS_WITHHELD}`);
  for (const r of f.byServiceArea) ctx.out(`  ${r.group}: ${r.audits.text === NOT_SHOWN ? "audits not shown" : `${r.audits.text} audits`}${r.averageScore === null ? "" : `, average ${r.averageScore.toFixed(2)}`}${r.belowThreshold ? " (below threshold)" : ""}`);
  return 0;
}
