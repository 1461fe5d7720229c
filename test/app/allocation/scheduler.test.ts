// The schedules that run themselves, on real storage (Azurite) with a fake clock: the monthly allocation on the
// first working day at 09:00, the audit reminders at 09:30 on working days, once per period across instances,
// taken over after a dead owner's lease, and caught up once after the bot was down.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { allocateMonth, allocationMessage } from "../../../src/app/allocation/allocate-month";
import { importCases } from "../../../src/app/allocation/import-cases";
import { importPeople } from "../../../src/app/allocation/import-people";
import type { StoredOutbox } from "../../../src/app/delivery/outbox";
import { loadConfig } from "../../../src/config";
import { recordsOf } from "../../../src/domain/allocation-plan";
import { newAudit, type Audit } from "../../../src/domain/audit";
import { isWorkingDay, londonDate, londonDateTime } from "../../../src/domain/working-days";
import { scheduledJobs } from "../../../src/jobs/jobs";
import { createScheduler } from "../../../src/jobs/scheduler";
import { createJobClaims } from "../../../src/storage/job-claims";
import type { Tables } from "../../../src/storage/tables";
import { createCore, type Core } from "../../../src/wiring";
import { fixedClock, freshCore } from "../../support/tables";

const QA = "kit.morris@example.gov.uk";
const ALLOCATION = "monthly-allocation";
const REMINDERS = "audit-reminders";
const config = loadConfig({});

type Clock = ReturnType<typeof fixedClock>;

/** A council with the shipped examples loaded, at `now`. */
async function council(now: string) {
  const clock = fixedClock(now);
  const { core, tables } = await freshCore({}, clock);
  const people = await importPeople(core, await readFile("examples/people.csv"), "test");
  const cases = await importCases(core, await readFile("examples/cases.csv"), "test");
  expect(people.ok && cases.ok).toBe(true);
  return { core, tables, clock };
}

/** One bot instance's scheduler; its warnings (a failed job) are collected so a test can insist on none. */
function instance(core: Core, tables: Tables, clock: Clock, owner: string) {
  const warnings: unknown[] = [];
  const scheduler = createScheduler({
    jobs: scheduledJobs(core, config),
    claims: createJobClaims(tables),
    clock,
    owner,
    log: { info: () => {}, warn: (obj: unknown) => void warnings.push(obj) },
  });
  return { scheduler, warnings };
}

/** Another process on the same tables: its own core (and caches, if any), the same clock. */
function secondCore(tables: Tables, clock: Clock): Core {
  return createCore(tables, config, clock);
}

const messages = async (core: Core): Promise<StoredOutbox[]> => core.outbox.undelivered();
const idsOf = (ms: StoredOutbox[]) => ms.map((m) => m.id).sort();
const londonTime = (iso: string) => new Date(iso).toLocaleTimeString("en-GB", { timeZone: "Europe/London", hour12: false });

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T12:00:00Z`); londonDate(d) <= to; d = new Date(d.getTime() + 86_400_000)) out.push(londonDate(d));
  return out;
}

// Each day is looked at every half hour from 08:00 to 18:00, at the minute before each boundary, and at night.
const HALF_HOURS = Array.from({ length: 21 }, (_, i) => `${String(8 + Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`);
const TICKS = [...new Set(["00:00", "03:00", "07:00", "08:59", "09:29", "16:59", "20:00", "23:59", ...HALF_HOURS])].sort();

describe("the scheduler on real storage", () => {
  it(
    "two months: allocation once on 1 Dec and 4 Jan at 09:00; reminders 5 and 2 working days before and on the due day, in working hours; none after submission or while away; overdue to QA once",
    { timeout: 60_000 },
    async () => {
      const { core, tables, clock } = await council("2026-12-01T00:00:00Z");
      const { scheduler, warnings } = instance(core, tables, clock, "instance-a");
      const ran: { at: string; job: string }[] = [];
      let submitted: Audit | undefined;
      let awayLong = ""; // away until Thursday 31 December, the due date: QA decides on their audits
      let awayShort = ""; // away until Tuesday 29 December, back before the due date: keeps the audit, reminded on the day

      for (const day of days("2026-12-01", "2027-01-31")) {
        for (const time of TICKS) {
          clock.set(londonDateTime(day, time).toISOString());
          const now = clock.now().toISOString();

          if (now === "2026-12-10T12:00:00.000Z") {
            // One auditor submits one of their December audits early.
            const dec = await core.allocations.listMonth("2026-12");
            const first = dec.sort((a, b) => a.caseRef.localeCompare(b.caseRef))[0]!;
            const stored = (await core.allocations.get("2026-12", first.caseRef))!;
            submitted = { ...stored.audit, status: "submitted", submittedAt: now, version: 1 };
            await core.allocations.update(submitted, stored.version, {});
          }
          if (now === "2026-12-21T12:00:00.000Z") {
            // Two other auditors mark themselves away (as "away until DATE" does).
            const others = [...new Set((await core.allocations.listMonth("2026-12")).map((a) => a.auditorEmail))].filter((e) => e !== submitted!.auditorEmail).sort();
            expect(others.length).toBeGreaterThanOrEqual(2);
            [awayLong, awayShort] = [others[0]!, others[1]!];
            await core.people.setAway(awayLong, "2026-12-31");
            await core.people.setAway(awayShort, "2026-12-29");
          }

          for (const job of await scheduler.tick()) ran.push({ at: now, job });
        }
      }
      expect(warnings).toEqual([]);

      // The allocation: once a month, on the first working day at 09:00 (never 08:59, never 1 January).
      expect(ran.filter((r) => r.job === ALLOCATION).map((r) => r.at)).toEqual(["2026-12-01T09:00:00.000Z", "2027-01-04T09:00:00.000Z"]);

      // The stale-case run: once a month, on the second working day at 09:00.
      expect(ran.filter((r) => r.job === "monthly-stale-cases").map((r) => r.at)).toEqual(["2026-12-02T09:00:00.000Z", "2027-01-05T09:00:00.000Z"]);

      // The reminders job: once on each working day, at 09:30, and never at a weekend or on a bank holiday.
      const reminderRuns = ran.filter((r) => r.job === REMINDERS).map((r) => r.at);
      const workingDays = days("2026-12-01", "2027-01-31").filter(isWorkingDay);
      expect(workingDays).toHaveLength(41); // 21 in December 2026 (25 and 28 off), 20 in January 2027 (1 off)
      expect(reminderRuns).toEqual(workingDays.map((d) => londonDateTime(d, "09:30").toISOString()));
      for (const holiday of ["2026-12-25", "2026-12-28", "2027-01-01"]) expect(reminderRuns.some((at) => at.startsWith(holiday))).toBe(false);

      // Every message the jobs stored, with the London day it was decided on.
      const dec = await core.allocations.listMonth("2026-12");
      const jan = await core.allocations.listMonth("2027-01");
      const decPlan = (await core.allocations.getPlan("2026-12"))!;
      const janPlan = (await core.allocations.getPlan("2027-01"))!;
      expect(decPlan.status).toBe("allocated");
      expect(janPlan.status).toBe("allocated");
      expect(dec).toHaveLength(decPlan.plan.assignments.length);
      expect(jan).toHaveLength(janPlan.plan.assignments.length);
      expect(dec.length).toBeGreaterThanOrEqual(3);
      expect(new Set(dec.map((a) => a.dueOn))).toEqual(new Set(["2026-12-31"]));
      expect(new Set(jan.map((a) => a.dueOn))).toEqual(new Set(["2027-01-29"]));

      const expected: Record<string, string> = {
        [`plan:2026-12:${QA}`]: "2026-12-01",
        [`plan:2027-01:${QA}`]: "2027-01-04",
        // The digest on the fifth working day (7 December, 8 January); after a quarter's end also the quarter and the
        // financial year to date (from April).
        "digest:month:2026-11:2026-11": "2026-12-07",
        "digest:month:2026-12:2026-12": "2027-01-08",
        "digest:quarter:2026-10:2026-12": "2027-01-08",
        "digest:year-to-date:2026-04:2026-12": "2027-01-08",
        // Opened on 1 January 2026 with nothing recorded since: a year on, on January's second working day, their LPs are asked.
        "stale:2027-01:CAF-1013:card": "2027-01-05",
        "stale:2027-01:CAF-1025:card": "2027-01-05",
      };
      for (const a of dec) {
        expected[`allocation:2026-12:${a.caseRef}:${a.auditorEmail}`] = "2026-12-01";
        if (a.caseRef === submitted!.caseRef) continue; // submitted on 10 December: never reminded, never overdue
        if (a.auditorEmail === awayLong) {
          expected[`overdue:2026-12:${a.caseRef}:away:${QA}`] = "2026-12-29"; // due while away: QA decides, 2 working days ahead
        } else if (a.auditorEmail === awayShort) {
          expected[`reminder:2026-12:${a.caseRef}:${a.auditorEmail}:0`] = "2026-12-31"; // back on the 30th: reminded on the day only
        } else {
          expected[`reminder:2026-12:${a.caseRef}:${a.auditorEmail}:5`] = "2026-12-22";
          expected[`reminder:2026-12:${a.caseRef}:${a.auditorEmail}:2`] = "2026-12-29";
          expected[`reminder:2026-12:${a.caseRef}:${a.auditorEmail}:0`] = "2026-12-31";
        }
        expected[`overdue:2026-12:${a.caseRef}:late:${QA}`] = "2027-01-04"; // the first working day after the due date
      }
      for (const a of jan) {
        expected[`allocation:2027-01:${a.caseRef}:${a.auditorEmail}`] = "2027-01-04";
        expected[`reminder:2027-01:${a.caseRef}:${a.auditorEmail}:5`] = "2027-01-22";
        expected[`reminder:2027-01:${a.caseRef}:${a.auditorEmail}:2`] = "2027-01-27";
        expected[`reminder:2027-01:${a.caseRef}:${a.auditorEmail}:0`] = "2027-01-29";
      }
      const stored = await messages(core);
      expect(Object.fromEntries(stored.map((m) => [m.id, londonDate(new Date(m.createdAt))]))).toEqual(expected);
      expect(stored).toHaveLength(Object.keys(expected).length); // each message once

      // Reminders and QA notices go to the right person, in working hours only (09:30-17:00 London, working days).
      for (const m of stored.filter((m) => m.id.startsWith("reminder:") || m.id.startsWith("overdue:"))) {
        expect(isWorkingDay(londonDate(new Date(m.createdAt))), m.id).toBe(true);
        expect(londonTime(m.createdAt) >= "09:30:00" && londonTime(m.createdAt) < "17:00:00", `${m.id} at ${m.createdAt}`).toBe(true);
        expect(m.recipientEmail, m.id).toBe(m.id.startsWith("overdue:") ? QA : m.id.split(":")[3]);
        // The QA team gets the card they decide on (extend or reallocate); the auditor a plain reminder.
        expect(m.view.template, m.id).toBe(m.id.startsWith("overdue:") ? "audit-decision" : "notice");
      }
      // The QA team's plan is stored a moment before the auditors' cards, so it is sent first.
      const decCards = stored.filter((m) => m.id.startsWith("allocation:2026-12:"));
      const decQa = stored.find((m) => m.id === `plan:2026-12:${QA}`)!;
      for (const card of decCards) expect(decQa.createdAt < card.createdAt).toBe(true);
      expect(stored.filter((m) => m.recipientEmail === awayLong && m.id.startsWith("reminder:2026-12"))).toEqual([]);

      // `caf-audit jobs` reads these rows: every run done, by this instance.
      const runs = await createJobClaims(tables).recent();
      expect(runs.filter((r) => r.job === ALLOCATION).map((r) => [r.period, r.owner, r.status])).toEqual([
        ["2027-01", "instance-a", "done"],
        ["2026-12", "instance-a", "done"],
      ]);
      expect(runs.filter((r) => r.job === REMINDERS)).toHaveLength(41);
    },
  );

  it("two instances ticking at the same instant run each job once: one plan, one set of audits and messages", async () => {
    const { core, tables, clock } = await council("2026-12-01T09:30:00Z");
    const a = instance(core, tables, clock, "instance-a");
    const b = instance(secondCore(tables, clock), tables, clock, "instance-b");

    const [ranA, ranB] = await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect([...ranA, ...ranB].sort()).toEqual([REMINDERS, ALLOCATION].sort());
    expect(a.warnings).toEqual([]);
    expect(b.warnings).toEqual([]);

    const plan = (await core.allocations.getPlan("2026-12"))!;
    expect(plan.status).toBe("allocated");
    const audits = await core.allocations.listMonth("2026-12");
    expect(audits).toHaveLength(plan.plan.assignments.length);
    expect(audits.length).toBeGreaterThan(0);
    const expectedIds = [`plan:2026-12:${QA}`, ...plan.plan.assignments.map((x) => `allocation:2026-12:${x.caseRef}:${x.auditorEmail}`)].sort();
    expect(idsOf(await messages(core))).toEqual(expectedIds);

    // Both look again a little later, together: nothing more happens.
    clock.set("2026-12-01T10:00:00Z");
    expect(await Promise.all([a.scheduler.tick(), b.scheduler.tick()])).toEqual([[], []]);
    expect(idsOf(await messages(core))).toEqual(expectedIds);
    expect((await core.allocations.getPlan("2026-12"))!.plan.seed).toBe(plan.plan.seed);

    const runs = await createJobClaims(tables).recent();
    expect(runs.map((r) => [r.job, r.period, r.status])).toEqual([
      [REMINDERS, "2026-12-01", "done"],
      [ALLOCATION, "2026-12", "done"],
    ]);
    expect(["instance-a", "instance-b"]).toContain(runs[1]!.owner);
  });

  it("a run whose owner died is left alone during its lease, then taken over by exactly one instance and finished from the stored plan", async () => {
    const { core, tables, clock } = await council("2026-12-01T09:00:00Z");
    const claims = createJobClaims(tables);

    // A process claims December, claims the plan, stores the first two audits with their cards, and is killed.
    expect(await claims.claim(ALLOCATION, "2026-12", "dead-instance", clock.now(), 60_000)).toBe("claimed");
    const drawn = await allocateMonth(core, { month: "2026-12", seed: 7, actor: "scheduler", dryRun: true });
    if (!drawn.ok) throw new Error(drawn.problem.code);
    const plan = drawn.value.plan;
    expect(await core.allocations.claimPlan(plan)).toBe("claimed");
    const toolkit = core.toolkits.get(plan.toolkitId)!;
    const early = recordsOf(plan)
      .slice(0, 2)
      .map((record) => {
        const audit = newAudit(record);
        return { audit, outbox: [allocationMessage(audit, toolkit, plan.createdAt)] };
      });
    await core.allocations.createAudits("2026-12", early);
    const earlyRows = await core.allocations.listMonth("2026-12");
    expect(earlyRows).toHaveLength(2);

    const b = instance(core, tables, clock, "instance-b");
    const c = instance(secondCore(tables, clock), tables, clock, "instance-c");

    // Within the lease: the claim is held, nobody runs it.
    clock.set("2026-12-01T09:00:30Z");
    expect(await Promise.all([b.scheduler.tick(), c.scheduler.tick()])).toEqual([[], []]);
    expect(await core.allocations.listMonth("2026-12")).toHaveLength(2);

    // The lease has run out: exactly one of the two takes it over (ETag update) and finishes the month.
    clock.set("2026-12-01T09:01:00Z");
    const [ranB, ranC] = await Promise.all([b.scheduler.tick(), c.scheduler.tick()]);
    expect([...ranB, ...ranC]).toEqual([ALLOCATION]);
    expect([...b.warnings, ...c.warnings]).toEqual([]);

    const stored = (await core.allocations.getPlan("2026-12"))!;
    expect(stored.status).toBe("allocated");
    expect(stored.plan.seed).toBe(7); // the claimed plan, never a second draw
    expect(stored.plan.assignments).toEqual(plan.assignments);
    const audits = await core.allocations.listMonth("2026-12");
    expect(audits.map((x) => `${x.caseRef}:${x.auditorEmail}`).sort()).toEqual(plan.assignments.map((x) => `${x.caseRef}:${x.auditorEmail}`).sort());
    // The two audits stored before the crash are untouched, and every auditor's card is there exactly once.
    for (const before of earlyRows) expect(audits.find((x) => x.caseRef === before.caseRef)).toEqual(before);
    const ids = idsOf(await messages(core));
    const cards = plan.assignments.map((x) => `allocation:2026-12:${x.caseRef}:${x.auditorEmail}`);
    for (const id of cards) expect(ids.filter((x) => x === id), id).toHaveLength(1);
    expect(ids).toEqual([...cards, `plan:2026-12:${QA}`].sort());

    const run = (await claims.recent()).find((r) => r.job === ALLOCATION)!;
    expect(run.status).toBe("done");
    expect(["instance-b", "instance-c"]).toContain(run.owner);
    expect(run.owner).toBe(ranB.length > 0 ? "instance-b" : "instance-c");

    // Later looks, by either, change nothing.
    clock.set("2026-12-01T09:20:00Z");
    expect(await Promise.all([b.scheduler.tick(), c.scheduler.tick()])).toEqual([[], []]);
    expect(idsOf(await messages(core))).toEqual(ids);
  });

  it("a missed schedule: down on 1 December, started on the 2nd at 11:00, December is allocated at the first tick, once", async () => {
    const { core, tables, clock } = await council("2026-12-02T11:00:00Z");
    const first = instance(core, tables, clock, "instance-a");
    expect((await first.scheduler.tick()).sort()).toEqual([REMINDERS, ALLOCATION, "monthly-stale-cases"].sort());
    expect(first.warnings).toEqual([]);
    const plan = (await core.allocations.getPlan("2026-12"))!;
    expect(plan.status).toBe("allocated");
    expect(plan.plan.createdAt).toBe("2026-12-02T11:00:00.000Z");
    expect(plan.plan.dueOn).toBe("2026-12-31");
    const ids = idsOf(await messages(core));
    expect(ids).toHaveLength(plan.plan.assignments.length + 1);

    // The next tick, and a restarted process, find it done.
    clock.set("2026-12-02T11:01:00Z");
    expect(await first.scheduler.tick()).toEqual([]);
    clock.set("2026-12-02T14:00:00Z");
    expect(await instance(secondCore(tables, clock), tables, clock, "instance-b").scheduler.tick()).toEqual([]);
    expect(idsOf(await messages(core))).toEqual(ids);
    expect((await core.allocations.getPlan("2026-12"))!.plan.seed).toBe(plan.plan.seed);
  });

  it("a missed schedule waits for working hours: started on Friday 4 December at 17:30, December is allocated on Monday 7th at 09:00", async () => {
    const { core, tables, clock } = await council("2026-12-04T17:30:00Z");
    const { scheduler, warnings } = instance(core, tables, clock, "instance-a");
    const ran: string[] = [];
    for (const iso of ["2026-12-04T17:30:00Z", "2026-12-04T23:00:00Z", "2026-12-05T10:00:00Z", "2026-12-06T15:00:00Z", "2026-12-07T08:59:00Z", "2026-12-07T09:00:00Z", "2026-12-07T09:30:00Z"]) {
      clock.set(iso);
      for (const job of await scheduler.tick()) ran.push(`${iso} ${job}`);
    }
    expect(warnings).toEqual([]);
    // Monday 7th is also December's fifth working day: November's digest goes out then too.
    expect(ran).toEqual([`2026-12-07T09:00:00Z ${ALLOCATION}`, "2026-12-07T09:00:00Z monthly-digest", "2026-12-07T09:00:00Z monthly-stale-cases", `2026-12-07T09:30:00Z ${REMINDERS}`]);
    const messagesStored = await messages(core);
    expect(messagesStored.length).toBeGreaterThan(1);
    for (const m of messagesStored) expect(londonDate(new Date(m.createdAt)), m.id).toBe("2026-12-07");
  });
});
