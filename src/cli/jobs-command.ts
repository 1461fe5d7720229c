// `caf-audit jobs`: each scheduled job's last run (which period, who ran it, when, done or still running) and the next.
import { scheduledJobs } from "../jobs/jobs";
import { createJobClaims } from "../storage/job-claims";
import { timeAndDate } from "../app/format";
import type { CliContext } from "./run-cli";

export async function runJobs(ctx: CliContext, opts: { json?: boolean }): Promise<number> {
  const runs = await createJobClaims(ctx.tables).recent();
  const now = ctx.core.clock.now();
  const rows = scheduledJobs(ctx.core, ctx.config).map((job) => {
    const last = runs.find((r) => r.job === job.name);
    const next = job.when.next(now);
    return { job: job.name, last: last ?? null, next: { period: next.period, at: next.at.toISOString() } };
  });
  if (opts.json) {
    ctx.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  for (const r of rows) {
    const last = r.last
      ? `last ran for ${r.last.period} by ${r.last.owner}, started ${timeAndDate(new Date(r.last.startedAt))}, ${r.last.status === "done" ? `done ${timeAndDate(new Date(r.last.finishedAt!))}` : `still running (lease until ${timeAndDate(new Date(r.last.leaseUntil))})`}`
      : "has not run yet";
    ctx.out(`${r.job}: ${last}. Next: ${r.next.period} at ${timeAndDate(new Date(r.next.at))}.`);
  }
  return 0;
}
