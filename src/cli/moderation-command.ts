// `caf-audit moderation`: for the QA team, how far the grades of moderated cases agree in a period, overall and per
// auditor (exact, within one step, linearly weighted kappa with its 95 % interval), and who drifts. Names auditors,
// so it is for QA only: it prints to the terminal and is never posted.
import Table from "cli-table3";
import { moderationPairs } from "../app/audit/moderation-pairs";
import { kappaText, percentText as percent } from "../app/audit/moderation-text";
import { agreementByAuditor, agreementFigures, gradingDrift } from "../domain/moderation-figures";
import { reportPeriod } from "./report-command";
import type { CliContext } from "./run-cli";

export async function runModeration(ctx: CliContext, opts: { from: string; to: string; json?: boolean }): Promise<number> {
  const period = reportPeriod(opts);
  if ("problem" in period) {
    process.stderr.write(period.problem + "\n");
    return 1;
  }
  const { pairs, categories } = await moderationPairs(ctx.core.allocations, ctx.core.toolkits, period.months);
  const k = categories ?? 2;
  const overall = agreementFigures(pairs, k);
  const byAuditor = agreementByAuditor(pairs, k);
  const drift = gradingDrift(pairs);
  if (opts.json) {
    ctx.out(JSON.stringify({ from: opts.from, to: opts.to, overall, byAuditor, drift }, null, 2));
    return 0;
  }
  ctx.out(`Moderation ${opts.from} to ${opts.to}: ${pairs.length} moderated case${pairs.length === 1 ? "" : "s"} with both audits in.`);
  const table = new Table({ head: ["Auditor", "Pairs", "Exact", "Within one", "Weighted kappa (95% CI)"], style: { head: [], border: [] } });
  table.push(["Everyone", overall.pairs, overall.tooFew ? "too few pairs" : percent(overall.exact), overall.tooFew ? "" : percent(overall.withinOne), kappaText(overall)]);
  for (const a of byAuditor) table.push([a.auditorEmail, a.figures.pairs, a.figures.tooFew ? "too few pairs" : percent(a.figures.exact), a.figures.tooFew ? "" : percent(a.figures.withinOne), kappaText(a.figures)]);
  ctx.out(table.toString());
  for (const d of drift) ctx.out(`${d.auditorEmail} grades ${d.direction === "more-generous" ? "more generously" : "more harshly"} than their partners: ${Math.abs(d.meanSignedDifference).toFixed(2)} steps on average over ${d.pairs} pairs.`);
  return 0;
}
