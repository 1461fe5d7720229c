// `caf-audit stale`: for the QA team, the open cases put to their lead professionals as stale, with each answer
// (still open, or closed on a date for a reason) and those not answered; --json for the case system.
import Table from "cli-table3";
import { staleList, type StaleRow } from "../app/stages/stale-list";
import { isValidMonth } from "../domain/working-days";
import type { CliContext } from "./run-cli";

const STATE_TEXT: Record<StaleRow["state"], (r: StaleRow) => string> = {
  still_open: () => "still open",
  closed: (r) => `closed on ${r.closedOn} (${r.closureReason})`,
  not_answered: () => "not answered",
  no_lp: () => "no lead professional recorded: not asked",
};

export async function runStale(ctx: CliContext, opts: { month?: string; json?: boolean }): Promise<number> {
  if (opts.month !== undefined && !isValidMonth(opts.month)) {
    process.stderr.write(`--month must be a month written YYYY-MM, such as 2026-12; "${opts.month}" is not.\n`);
    return 1;
  }
  const { rows, counts } = await staleList(ctx.core, opts.month);
  if (opts.json) {
    ctx.out(JSON.stringify({ month: opts.month ?? null, counts, cases: rows }, null, 2));
    return 0;
  }
  const scope = opts.month ? `asked in ${opts.month}` : "the latest check of each case";
  ctx.out(`Stale cases (${scope}): ${counts.asked} asked, ${counts.closed} answered closed, ${counts.stillOpen} still open, ${counts.notAnswered} not answered; ${rows.length - counts.asked} with no lead professional.`);
  if (rows.length === 0) return 0;
  const table = new Table({ head: ["Case", "Service area", "Asked in", "Opened", "Last change", "Lead professional", "Answer"], style: { head: [], border: [] } });
  for (const r of rows) table.push([r.caseRef, r.serviceArea, r.askedIn, r.openedOn, r.lastActivityOn, r.leadProfessionalEmail ?? "", STATE_TEXT[r.state](r)]);
  ctx.out(table.toString());
  return 0;
}
