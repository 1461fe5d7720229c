// `caf-audit jobs`, run as the QA team runs it: each scheduled job's next run, and its last run with who ran it.
import { readFile } from "node:fs/promises";
import { describe, expect, inject, it } from "vitest";
import { importCases } from "../../src/app/import-cases";
import { importPeople } from "../../src/app/import-people";
import { loadConfig } from "../../src/config";
import { firstWorkingDay, isWorkingDay, londonDate, londonDateTime } from "../../src/domain/working-days";
import { scheduledJobs } from "../../src/jobs/jobs";
import { createScheduler } from "../../src/jobs/scheduler";
import { createJobClaims } from "../../src/storage/job-claims";
import { createTables } from "../../src/storage/tables";
import { createCore } from "../../src/wiring";
import { runCli, type CliRun } from "../support/run-cli";
import { fixedClock, uniquePrefix } from "../support/tables";

interface JobRow {
  job: string;
  last: { job: string; period: string; owner: string; startedAt: string; finishedAt: string | null; status: string } | null;
  next: { period: string; at: string };
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
    expect([...before.keys()].sort()).toEqual(["audit-reminders", "monthly-allocation", "monthly-digest"]);
    for (const row of before.values()) {
      expect(row.last, row.job).toBeNull();
      expect(new Date(row.next.at).getTime(), row.job).toBeGreaterThan(startedAt - 60_000);
      expect(isWorkingDay(londonDate(new Date(row.next.at))), row.job).toBe(true);
    }
    const monthly = before.get("monthly-allocation")!.next;
    expect(monthly.period).toMatch(/^\d{4}-\d{2}$/);
    expect(monthly.at).toBe(londonDateTime(firstWorkingDay(monthly.period), "09:00").toISOString());
    const reminders = before.get("audit-reminders")!.next;
    expect(reminders.at).toBe(londonDateTime(reminders.period, "09:30").toISOString());

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
    expect(after.get("monthly-allocation")!.next).toEqual(monthly);

    expect(text.code, describeRun(text)).toBe(0);
    expect(text.stdout).toContain(`monthly-allocation: last ran for 2026-12 by ${owner}, started 09:30 on Tuesday 1 December 2026, done 09:30 on Tuesday 1 December 2026.`);
    expect(text.stdout).toContain(`audit-reminders: last ran for 2026-12-01 by ${owner}`);
    expect(text.stdout).toMatch(/monthly-allocation: .* Next: \d{4}-\d{2} at 09:00 on \w+ \d{1,2} \w+ \d{4}\./);
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
