// `caf-audit jobs`: each scheduled job's last run (which period, who ran it, when, done or still running) and the run
// that will really happen next; then what the escalation ladder and the feedback reminders hold now.
import { ago, timeAndDate } from "../app/cards/format";
import { jobsStatus, type ScheduledJobStatus, type TimerJobStatus } from "../jobs/jobs-status";
import { createJobClaims } from "../storage/job-claims";
import type { CliContext } from "./run-cli";

export async function runJobs(ctx: CliContext, opts: { json?: boolean }): Promise<number> {
  const now = ctx.core.clock.now();
  const rows = await jobsStatus(ctx.core, ctx.config, await createJobClaims(ctx.tables).recent(), now);
  if (opts.json) {
    ctx.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  for (const r of rows) ctx.out("holds" in r ? timerLine(r, now) : scheduledLine(r, now));
  return 0;
}

function scheduledLine(r: ScheduledJobStatus, now: Date): string {
  const last = r.last
    ? `last ran for ${r.last.period} by ${r.last.owner}, started ${timeAndDate(new Date(r.last.startedAt))}, ${r.last.status === "done" ? `done ${timeAndDate(new Date(r.last.finishedAt!))}` : `still running (lease until ${timeAndDate(new Date(r.last.leaseUntil))})`}`
    : "has not run yet";
  const at = new Date(r.next.at);
  const when = !r.next.catchUp
    ? `at ${timeAndDate(at)}`
    : at <= now
      ? `now, at the scheduler's next look (it was due ${timeAndDate(new Date(r.next.dueAt))})`
      : `at ${timeAndDate(at)}, catching up the run due ${timeAndDate(new Date(r.next.dueAt))}`;
  const missed = r.next.missed ? ` The run for ${r.next.missed} was missed and is too late to catch up${r.job === "monthly-allocation" ? `: the QA team can run caf-audit allocate --month ${r.next.missed}` : ""}.` : "";
  return `${r.job}: ${last}. Next: ${r.next.period} ${when}.${missed}`;
}

function timerLine(r: TimerJobStatus<string>, now: Date): string {
  const h = r.holds;
  const [what, waiting, since] = r.job === "escalation-ladder" ? ["open escalation", "not acknowledged", "raised"] : ["feedback reminder", "awaiting review", "submitted"];
  const every = `runs every ${Math.round(r.everyMs / 1000)} s in the bot`;
  if (h.count === 0) return `${r.job}: ${every}. Holds no ${what}s.`;
  const oldest = h.oldest ? ` (the oldest, ${h.oldest.caseRef}, ${since} ${ago(new Date(h.oldest.since), now)})` : "";
  const next = h.next ? ` Next: ${h.next.step} for ${h.next.caseRef} ${new Date(h.next.at) <= now ? "now, at the next look" : `at ${timeAndDate(new Date(h.next.at))}`}.` : "";
  return `${r.job}: ${every}. Holds ${h.count} ${what}${h.count === 1 ? "" : "s"}, ${h.waiting} ${waiting}${oldest}.${next}`;
}
