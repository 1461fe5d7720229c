// What `caf-audit jobs` reports: each scheduled job's last run and the run that will really happen next (a catch-up
// before the next regular one), and what the escalation ladder and the feedback reminders hold, which run from
// each row's own timer in the bot rather than from the scheduler.
import type { JobRun } from "../app/ports";
import type { AppConfig } from "../config";
import type { Upcoming } from "../domain/schedule";
import { ladderHolding, remindersHolding, type Holding, type LadderNext, type ReminderNext } from "../domain/timer-holdings";
import { londonDate } from "../domain/working-days";
import type { Core } from "../wiring";
import { scheduledJobs } from "./jobs";

export interface ScheduledJobStatus {
  job: string;
  last: JobRun | null;
  next: Omit<Upcoming, "at" | "dueAt"> & { at: string; dueAt: string };
}

export interface TimerJobStatus<Next> {
  job: "escalation-ladder" | "feedback-reminders";
  everyMs: number;
  holds: Holding<Next>;
}

export type JobStatus = ScheduledJobStatus | TimerJobStatus<LadderNext> | TimerJobStatus<ReminderNext>;

export async function jobsStatus(core: Core, config: AppConfig, runs: readonly JobRun[], now: Date): Promise<JobStatus[]> {
  const month = londonDate(now).slice(0, 7);
  // A month allocated by hand (`caf-audit allocate`) is as done as one the scheduler allocated.
  const allocatedByHand = (await core.allocations.getPlan(month))?.status === "allocated";
  const isDone = (job: string) => (period: string) =>
    runs.some((r) => r.job === job && r.period === period && r.status === "done") || (job === "monthly-allocation" && period === month && allocatedByHand);
  const scheduled = scheduledJobs(core, config).map((job): ScheduledJobStatus => {
    const next = job.when.upcoming(now, isDone(job.name));
    return { job: job.name, last: runs.find((r) => r.job === job.name) ?? null, next: { ...next, at: next.at.toISOString(), dueAt: next.dueAt.toISOString() } };
  });
  const [escalations, feedback] = await Promise.all([core.escalations.open(), core.feedback.pending()]);
  return [
    ...scheduled,
    { job: "escalation-ladder", everyMs: config.CAF_LADDER_INTERVAL_MS, holds: ladderHolding(escalations) },
    { job: "feedback-reminders", everyMs: config.CAF_LADDER_INTERVAL_MS, holds: remindersHolding(feedback) },
  ];
}
