// `caf-audit jobs`, run as the QA team runs it: each scheduled job's next run, and its last run with who ran it.
import { readFile } from "node:fs/promises";
import { describe, expect, inject, it } from "vitest";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import { loadConfig } from "../../src/config";
import { firstWorkingDay, isWorkingDay, londonDate, londonDateTime } from "../../src/domain/working-days";
import { scheduledJobs } from "../../src/jobs/jobs";
import { createScheduler } from "../../src/jobs/scheduler";
import { createEscalationRepository } from "../../src/storage/escalation-repository";
import { feedbackToEntity } from "../../src/storage/feedback-repository";
import { createJobClaims } from "../../src/storage/job-claims";
import { createTables } from "../../src/storage/tables";
import { createCore } from "../../src/wiring";
import { runCli, type CliRun } from "../support/run-cli";
import { fixedClock, uniquePrefix } from "../support/tables";
import { acknowledgedEscalation, feedbackRow, raisedEscalation, SEEN_TEXT } from "../support/timer-rows";

interface JobRow {
  job: string;
  last: { job: string; period: string; owner: string; startedAt: string; finishedAt: string | null; status: string } | null;
  next: { period: string; at: string; catchUp: boolean; dueAt: string; missed: string | null };
  holds?: { count: number; waiting: number; oldest: { caseRef: string; since: string } | null; next: { caseRef: string; at: string; step: string } | null };
}

const describeRun = (r: CliRun) => `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

function jobsJson(r: CliRun): Map<string, JobRow> {
  expect(r.code, describeRun(r)).toBe(0);
  const rows = JSON.parse(r.stdout) as JobRow[];
  return new Map(rows.map((row) => [row.job, row]));
}

describe("caf-audit jobs", () => {
  it("lists monthly-allocation, monthly-digest and audit-reminders with their next runs, and after a scheduler ran them, the period, owner and status", async () => {
    const prefix = uniquePrefix();
    const env = { AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: prefix };
    const tables = createTables({ connectionString: inject("tablesConnectionString"), tablePrefix: prefix });
    await tables.ensure();

    // Nothing has run yet: each job is listed with its next run (from the real clock the command reads).
    const startedAt = Date.now();
    const before = jobsJson(await runCli(["jobs", "--json"], env));
    expect([...before.keys()].sort()).toEqual(["audit-reminders", "escalation-ladder", "feedback-reminders", "monthly-allocation", "monthly-digest", "monthly-stale-cases"]);
    for (const row of [...before.values()].filter((r) => !r.holds)) {
      expect(row.last, row.job).toBeNull();
      expect(new Date(row.next.at).getTime(), row.job).toBeGreaterThan(startedAt - 60_000);
      expect(isWorkingDay(londonDate(new Date(row.next.at))), row.job).toBe(true);
    }
    const monthly = before.get("monthly-allocation")!.next;
    expect(monthly.period).toMatch(/^\d{4}-\d{2}$/);
    // The real clock: early in a month not yet allocated, the next run is the catch-up of this month (test/unit/schedule.test.ts has the dates).
    expect(monthly.dueAt).toBe(londonDateTime(firstWorkingDay(monthly.period), "09:00").toISOString());
    if (!monthly.catchUp) expect(monthly.at).toBe(monthly.dueAt);
    const reminders = before.get("audit-reminders")!.next;
    // Due at 09:30 of its day; after 09:30 on a working day with no run yet, the next run is that day's catch-up, now.
    expect(reminders.dueAt).toBe(londonDateTime(reminders.period, "09:30").toISOString());
    if (!reminders.catchUp) expect(reminders.at).toBe(reminders.dueAt);
    else expect(new Date(reminders.at).getTime()).toBeLessThan(Date.now() + 60_000);

    // A scheduler on another instance runs both on Tuesday 1 December 2026 at 09:30.
    const clock = fixedClock("2026-12-01T09:30:00Z");
    const config = loadConfig({});
    const core = createCore(tables, config, clock);
    await importPeople(core, await readFile("examples/people.csv"), "test");
    await importCases(core, await readFile("examples/cases.csv"), "test");
    const owner = "bot-vm-2:4242:beef";
    const scheduler = createScheduler({ jobs: scheduledJobs(core, config), claims: createJobClaims(tables), clock, owner, log: { info: () => {}, warn: () => {} } });
    expect((await scheduler.tick()).sort()).toEqual(["audit-reminders", "monthly-allocation"]);

    const [json, text] = await Promise.all([runCli(["jobs", "--json"], env), runCli(["jobs"], env)]);
    const after = jobsJson(json);
    expect(after.get("monthly-allocation")!.last).toMatchObject({ period: "2026-12", owner, status: "done", startedAt: "2026-12-01T09:30:00.000Z", finishedAt: "2026-12-01T09:30:00.000Z" });
    expect(after.get("audit-reminders")!.last).toMatchObject({ period: "2026-12-01", owner, status: "done" });
    // December is done now: in December, the next run is January's (4 January 2027: bank holiday, then the weekend).
    if (londonDate(new Date()).startsWith("2026-12")) expect(after.get("monthly-allocation")!.next).toMatchObject({ period: "2027-01", at: "2027-01-04T09:00:00.000Z", catchUp: false });
    else expect(after.get("monthly-allocation")!.next).toEqual(monthly);

    expect(text.code, describeRun(text)).toBe(0);
    expect(text.stdout).toContain(`monthly-allocation: last ran for 2026-12 by ${owner}, started 09:30 on Tuesday 1 December 2026, done 09:30 on Tuesday 1 December 2026.`);
    expect(text.stdout).toContain(`audit-reminders: last ran for 2026-12-01 by ${owner}`);
    expect(text.stdout).toMatch(/monthly-allocation: .* Next: \d{4}-\d{2} at 09:00 on \w+ \d{1,2} \w+ \d{4}\./);
  });

  it("lists what the escalation ladder and the feedback reminders hold: counts, the oldest waiting, and the next step, without what was seen", async () => {
    const prefix = uniquePrefix();
    const env = { AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: prefix };
    const tables = createTables({ connectionString: inject("tablesConnectionString"), tablePrefix: prefix });
    await tables.ensure();
    const empty = jobsJson(await runCli(["jobs", "--json"], env));
    expect(empty.get("escalation-ladder")!.holds).toEqual({ count: 0, waiting: 0, oldest: null, next: null });

    const escalations = createEscalationRepository(tables);
    const older = raisedEscalation("CAF-1004", "2026-12-01T10:00:00Z");
    await escalations.create(older, {});
    await escalations.create(raisedEscalation("CAF-1008", "2026-12-02T09:15:00Z"), {});
    await escalations.create(acknowledgedEscalation("CAF-1012", "2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z"), {});
    const allocations = tables.table("Allocations");
    await allocations.createEntity(feedbackToEntity(feedbackRow("CAF-1016", { submittedAt: "2026-11-27T10:00:00.000Z", nextReminderAt: "2026-12-03T09:00:00.000Z" })));
    await allocations.createEntity(feedbackToEntity(feedbackRow("CAF-1020", { status: "closed", nextReminderAt: null })));

    const [json, text] = await Promise.all([runCli(["jobs", "--json"], env), runCli(["jobs"], env)]);
    const rows = jobsJson(json);
    expect(rows.get("escalation-ladder")).toMatchObject({ everyMs: 30_000, holds: { count: 3, waiting: 2, oldest: { caseRef: "CAF-1004" }, next: { caseRef: "CAF-1004", at: older.nextCheckAt, step: "remind the Family Support Manager" } } });
    expect(rows.get("feedback-reminders")).toMatchObject({ holds: { count: 1, waiting: 1, oldest: { caseRef: "CAF-1016" }, next: { caseRef: "CAF-1016", step: "remind the QA team to review" } } });
    expect(json.stdout).not.toContain(SEEN_TEXT.slice(0, 20));

    expect(text.code, describeRun(text)).toBe(0);
    expect(text.stdout).toMatch(/^escalation-ladder: runs every 30 s in the bot\. Holds 3 open escalations, 2 not acknowledged \(the oldest, CAF-1004, raised .+ ago\)\. Next: remind the Family Support Manager for CAF-1004 (now, at the next look|at .+)\.$/m);
    expect(text.stdout).toMatch(/^feedback-reminders: runs every 30 s in the bot\. Holds 1 feedback reminder, 1 awaiting review \(the oldest, CAF-1016, submitted .+ ago\)\. Next: remind the QA team to review for CAF-1016 /m);
    expect(text.stdout).not.toContain(SEEN_TEXT.slice(0, 20));
  });

  it("shows a run whose owner died as still running, with its lease", async () => {
    const prefix = uniquePrefix();
    const env = { AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: prefix };
    const tables = createTables({ connectionString: inject("tablesConnectionString"), tablePrefix: prefix });
    await tables.ensure();
    expect(await createJobClaims(tables).claim("monthly-allocation", "2026-12", "bot-vm-1:99:dead", new Date("2026-12-01T09:00:00Z"), 600_000)).toBe("claimed");
    const r = await runCli(["jobs"], env);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain("monthly-allocation: last ran for 2026-12 by bot-vm-1:99:dead, started 09:00 on Tuesday 1 December 2026, still running (lease until 09:10 on Tuesday 1 December 2026).");
    expect(r.stdout).toContain("audit-reminders: has not run yet.");
  });
});
