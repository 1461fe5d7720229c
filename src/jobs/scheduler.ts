// Runs each recurring job once per period across every instance: on each tick, for each job, the latest due
// occurrence is claimed in JobRuns and run if this instance won. A run missed while the bot was down is due at
// the next tick after start-up; a run whose owner died is taken over after its lease.
import type { JobClaims } from "../app/ports";
import type { Recurrence } from "../domain/schedule";
import type { Logger } from "../logger";

export interface ScheduledJob {
  name: string;
  when: Recurrence;
  run(period: string): Promise<void>;
}

export interface Scheduler {
  /** One look at every job; resolves with the jobs this instance ran. */
  tick(): Promise<string[]>;
  jobs: readonly ScheduledJob[];
}

export function createScheduler(options: { jobs: ScheduledJob[]; claims: JobClaims; clock: { now(): Date }; owner: string; leaseMs?: number; log: Pick<Logger, "info" | "warn"> }): Scheduler {
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  return {
    jobs: options.jobs,
    async tick() {
      const ran: string[] = [];
      for (const job of options.jobs) {
        const now = options.clock.now();
        const due = job.when.latest(now);
        if (!due) continue;
        const claim = await options.claims.claim(job.name, due.period, options.owner, now, leaseMs);
        if (claim !== "claimed") continue;
        options.log.info({ code: "job_started", job: job.name, period: due.period, owner: options.owner }, "job started");
        try {
          await job.run(due.period);
          await options.claims.complete(job.name, due.period, options.owner, options.clock.now());
          ran.push(job.name);
          options.log.info({ code: "job_done", job: job.name, period: due.period }, "job done");
        } catch (err) {
          // Left "running": after the lease another tick (here or elsewhere) takes it over and runs it again.
          options.log.warn({ code: "job_failed", job: job.name, period: due.period, error: err instanceof Error ? err.message : String(err) }, "job failed; it will be retried after its lease");
        }
      }
      return ran;
    },
  };
}
