// The recurring jobs and when they run. The escalation ladder and the feedback reminders keep their timers in
// their own rows and run on a short interval instead (see server.ts).
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { alertGradingDrift } from "../app/reporting/alert-drift";
import { allocateMonth } from "../app/allocation/allocate-month";
import { requestSelfAssessments } from "../app/stages/self-assessment";
import { requestSupervisions } from "../app/stages/supervision";
import { askStaleCases } from "../app/stages/ask-stale-cases";
import { runAuditReminders } from "../app/audit/run-audit-reminders";
import { digestsDueIn, postDigest } from "../app/reporting/post-digest";
import { postServiceReview, reviewDueIn } from "../app/reporting/post-review";
import type { DigestSettings } from "../app/reporting/make-digest";
import { freshSeed } from "../app/allocation/seeded-random";
import type { AppConfig } from "../config";
import { addMonths } from "../domain/months";
import { monthlyOnWorkingDay, workingDaily } from "../domain/schedule";
import type { Core } from "../wiring";
import type { ScheduledJob } from "./scheduler";

export function scheduledJobs(core: Core, config: AppConfig): ScheduledJob[] {
  const hours = { start: config.CAF_WORKING_HOURS_START, end: config.CAF_WORKING_HOURS_END };
  return [
    {
      name: "monthly-allocation",
      when: monthlyOnWorkingDay(1, config.CAF_ALLOCATION_TIME, hours),
      async run(month) {
        // Resumable: a month claimed by a run that died is finished from its stored plan, never drawn again.
        const result = await allocateMonth(core, { month, seed: freshSeed(), actor: "scheduler", dryRun: false });
        if (!result.ok) throw new Error(result.problem.code);
        await requestSelfAssessments(core, month);
        // At the start of a quarter: the managers' supervision checklists (when the council runs that stage).
        await requestSupervisions(core, month);
      },
    },
    {
      name: "monthly-digest",
      when: monthlyOnWorkingDay(5, config.CAF_DIGEST_TIME, hours),
      async run(month) {
        for (const d of digestsDueIn(month)) await postDigest(core, digestSettingsOf(config), d.kind, d.from, d.to);
        const review = reviewDueIn(month);
        if (review) await postServiceReview(core, digestSettingsOf(config), review.from, review.to);
        await alertGradingDrift(core, addMonths(month, -1));
      },
    },
    {
      // The day after allocation, so the month's audit cards arrive first. Re-runs send nothing twice (see askStaleCases).
      name: "monthly-stale-cases",
      when: monthlyOnWorkingDay(2, config.CAF_ALLOCATION_TIME, hours),
      async run(month) {
        await askStaleCases(core, month, "scheduler");
      },
    },
    {
      name: "audit-reminders",
      when: workingDaily(config.CAF_REMINDER_TIME, hours),
      async run() {
        await runAuditReminders(core);
      },
    },
  ];
}

export function digestSettingsOf(config: AppConfig): DigestSettings {
  return { anonymityFloor: config.CAF_ANONYMITY_FLOOR, scoreThreshold: config.CAF_SCORE_THRESHOLD, coveragePercent: config.CAF_COVERAGE_PERCENT };
}

/** Who ran a job, as `caf-audit jobs` shows it: the machine, the process, and a random tag for restarts. */
export function instanceName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(2).toString("hex")}`;
}
