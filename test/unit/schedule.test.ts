// When the recurring jobs are due: the monthly allocation (first working day, 09:00 London) and the daily
// reminders (09:30 on working days, never out of hours). Pure: every instant is passed in.
import { describe, expect, it } from "vitest";
import { monthlyOnWorkingDay, workingDaily } from "../../src/domain/schedule";

const at = (iso: string) => new Date(iso);
const HOURS = { start: "09:00", end: "17:00" };

describe("monthlyOnWorkingDay(1, 09:00): the monthly allocation", () => {
  const monthly = monthlyOnWorkingDay(1, "09:00");
  const withHours = monthlyOnWorkingDay(1, "09:00", HOURS);

  it("December 2026: due at 09:00 GMT on Tuesday 1 December, not a minute before", () => {
    expect(monthly.latest(at("2026-12-01T08:59:59Z"))).toBeNull();
    expect(monthly.latest(at("2026-12-01T09:00:00Z"))).toEqual({ period: "2026-12", at: at("2026-12-01T09:00:00Z") });
    expect(monthly.latest(at("2026-12-01T13:00:00Z"))).toEqual({ period: "2026-12", at: at("2026-12-01T09:00:00Z") });
  });

  it("before 09:00 on the day, next is today at 09:00; from 09:00, next is the following month", () => {
    expect(monthly.next(at("2026-12-01T08:00:00Z"))).toEqual({ period: "2026-12", at: at("2026-12-01T09:00:00Z") });
    expect(monthly.next(at("2026-12-01T09:00:00Z"))).toEqual({ period: "2027-01", at: at("2027-01-04T09:00:00Z") });
    expect(monthly.next(at("2026-11-22T20:00:00Z"))).toEqual({ period: "2026-12", at: at("2026-12-01T09:00:00Z") });
  });

  it("January 2027: 1 January is a bank holiday and 2-3 a weekend, so it is Monday 4 January", () => {
    for (const iso of ["2027-01-01T09:00:00Z", "2027-01-02T12:00:00Z", "2027-01-03T12:00:00Z", "2027-01-04T08:59:00Z"]) {
      expect(monthly.latest(at(iso)), iso).toBeNull();
      expect(monthly.next(at(iso)), iso).toEqual({ period: "2027-01", at: at("2027-01-04T09:00:00Z") });
    }
    expect(monthly.latest(at("2027-01-04T09:00:00Z"))).toEqual({ period: "2027-01", at: at("2027-01-04T09:00:00Z") });
    // The last days of December answer neither December's run (too late to catch up) nor January's.
    expect(monthly.latest(at("2026-12-31T16:00:00Z"))).toBeNull();
  });

  it("February 2027: Monday 1 February", () => {
    expect(monthly.next(at("2027-01-04T09:00:00Z"))).toEqual({ period: "2027-02", at: at("2027-02-01T09:00:00Z") });
    expect(monthly.latest(at("2027-02-01T08:30:00Z"))).toBeNull();
    expect(monthly.latest(at("2027-02-01T09:00:00Z"))).toEqual({ period: "2027-02", at: at("2027-02-01T09:00:00Z") });
  });

  it("British Summer Time: 09:00 London is 08:00 UTC (April and June 2027; May waits for Tuesday 4 May after the bank holiday)", () => {
    expect(monthly.next(at("2027-03-15T12:00:00Z"))).toEqual({ period: "2027-04", at: at("2027-04-01T08:00:00Z") });
    expect(monthly.latest(at("2027-04-01T07:59:00Z"))).toBeNull();
    expect(monthly.latest(at("2027-04-01T08:00:00Z"))).toEqual({ period: "2027-04", at: at("2027-04-01T08:00:00Z") });
    // 1 May 2027 is a Saturday and 3 May the Early May bank holiday.
    expect(monthly.next(at("2027-04-20T12:00:00Z"))).toEqual({ period: "2027-05", at: at("2027-05-04T08:00:00Z") });
    expect(monthly.next(at("2027-05-20T12:00:00Z"))).toEqual({ period: "2027-06", at: at("2027-06-01T08:00:00Z") });
    // The clocks went back on 25 October 2026: November is GMT again.
    expect(monthly.next(at("2026-10-20T12:00:00Z"))).toEqual({ period: "2026-11", at: at("2026-11-02T09:00:00Z") });
  });

  it("the month is read on the London calendar: 23:30 UTC on 31 March 2027 is already 1 April in London", () => {
    expect(monthly.latest(at("2027-03-31T23:30:00Z"))).toBeNull(); // April's run is at 08:00 UTC
    expect(monthly.next(at("2027-03-31T23:30:00Z"))).toEqual({ period: "2027-04", at: at("2027-04-01T08:00:00Z") });
  });

  it("a run missed while the bot was down is due later in the month, but only on a working day at or after 09:00", () => {
    // Down on Tuesday 1 December, back on Wednesday 2nd at 11:00: December's run is due.
    expect(monthly.latest(at("2026-12-02T11:00:00Z"))).toEqual({ period: "2026-12", at: at("2026-12-01T09:00:00Z") });
    // Back at 02:00, or on Saturday 5th, or on the Christmas bank holidays: it waits for the next working morning.
    expect(monthly.latest(at("2026-12-02T02:00:00Z"))).toBeNull();
    expect(monthly.latest(at("2026-12-02T08:59:00Z"))).toBeNull();
    expect(monthly.latest(at("2026-12-05T12:00:00Z"))).toBeNull();
    expect(monthly.latest(at("2026-12-06T12:00:00Z"))).toBeNull();
    expect(monthly.latest(at("2026-12-25T12:00:00Z"))).toBeNull();
    expect(monthly.latest(at("2026-12-28T12:00:00Z"))).toBeNull();
    expect(monthly.latest(at("2026-12-07T09:00:00Z"))?.period).toBe("2026-12");
  });

  it("with working hours, nothing is due from 17:00: a bot started in the evening waits for the morning", () => {
    expect(withHours.latest(at("2026-12-01T16:59:00Z"))?.period).toBe("2026-12");
    expect(withHours.latest(at("2026-12-01T17:00:00Z"))).toBeNull();
    expect(withHours.latest(at("2026-12-01T21:00:00Z"))).toBeNull();
    expect(withHours.latest(at("2026-12-02T09:00:00Z"))?.period).toBe("2026-12");
    expect(withHours.next(at("2026-12-01T08:00:00Z"))).toEqual(monthly.next(at("2026-12-01T08:00:00Z")));
  });

  it("the n-th working day for n > 1 (the digest): the fifth working day of January 2027 is Friday 8 January", () => {
    const fifth = monthlyOnWorkingDay(5, "09:00");
    expect(fifth.next(at("2027-01-04T09:00:00Z"))).toEqual({ period: "2027-01", at: at("2027-01-08T09:00:00Z") });
  });
});

describe("workingDaily(09:30, 09:00-17:00): the audit reminders", () => {
  const daily = workingDaily("09:30", HOURS);

  it("is due on a working day from 09:30 until 17:00, with the day as its period", () => {
    expect(daily.latest(at("2026-12-01T09:29:59Z"))).toBeNull();
    expect(daily.latest(at("2026-12-01T09:30:00Z"))).toEqual({ period: "2026-12-01", at: at("2026-12-01T09:30:00Z") });
    expect(daily.latest(at("2026-12-01T16:59:59Z"))).toEqual({ period: "2026-12-01", at: at("2026-12-01T09:30:00Z") });
  });

  it("is never due in quiet hours: before 09:30, from 17:00, or at night", () => {
    for (const iso of ["2026-12-01T00:00:00Z", "2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z", "2026-12-01T17:00:00Z", "2026-12-01T20:00:00Z", "2026-12-01T23:59:00Z"]) {
      expect(daily.latest(at(iso)), iso).toBeNull();
    }
  });

  it("is never due at a weekend or on a bank holiday (Christmas Day and the Boxing Day substitute, Monday 28 December 2026)", () => {
    for (const iso of ["2026-12-05T12:00:00Z", "2026-12-06T12:00:00Z", "2026-12-25T12:00:00Z", "2026-12-26T12:00:00Z", "2026-12-28T12:00:00Z", "2027-01-01T12:00:00Z"]) {
      expect(daily.latest(at(iso)), iso).toBeNull();
    }
  });

  it("next is today at 09:30 before then, else the next working day, skipping weekends and bank holidays", () => {
    expect(daily.next(at("2026-12-01T08:00:00Z"))).toEqual({ period: "2026-12-01", at: at("2026-12-01T09:30:00Z") });
    expect(daily.next(at("2026-12-01T09:30:00Z"))).toEqual({ period: "2026-12-02", at: at("2026-12-02T09:30:00Z") });
    // Friday 4 December after hours -> Monday 7 December.
    expect(daily.next(at("2026-12-04T18:00:00Z"))).toEqual({ period: "2026-12-07", at: at("2026-12-07T09:30:00Z") });
    // Thursday 24 December -> Tuesday 29 December (25 and 28 bank holidays, 26-27 weekend).
    expect(daily.next(at("2026-12-24T10:00:00Z"))).toEqual({ period: "2026-12-29", at: at("2026-12-29T09:30:00Z") });
    expect(daily.next(at("2026-12-25T08:00:00Z"))).toEqual({ period: "2026-12-29", at: at("2026-12-29T09:30:00Z") });
    // Thursday 31 December -> Monday 4 January 2027.
    expect(daily.next(at("2026-12-31T12:00:00Z"))).toEqual({ period: "2027-01-04", at: at("2027-01-04T09:30:00Z") });
  });

  it("in British Summer Time, 09:30 London is 08:30 UTC", () => {
    expect(daily.latest(at("2027-06-01T08:29:00Z"))).toBeNull();
    expect(daily.latest(at("2027-06-01T08:30:00Z"))).toEqual({ period: "2027-06-01", at: at("2027-06-01T08:30:00Z") });
    expect(daily.latest(at("2027-06-01T16:00:00Z"))).toBeNull(); // 17:00 BST
    expect(daily.next(at("2027-05-28T12:00:00Z"))).toEqual({ period: "2027-06-01", at: at("2027-06-01T08:30:00Z") }); // Spring bank holiday 31 May
  });
});

describe("catching up a missed monthly run", () => {
  it("runs up to five working days late, and not later in the month, so nobody gets a month's audits due in a day or two", async () => {
    const { monthlyOnWorkingDay } = await import("../../src/domain/schedule");
    const { londonDateTime } = await import("../../src/domain/working-days");
    const monthly = monthlyOnWorkingDay(1, "09:00", { start: "09:00", end: "17:00" });
    // December 2026 starts on Tuesday 1st: five working days later is Tuesday 8th.
    expect(monthly.latest(londonDateTime("2026-12-08", "10:00"))?.period).toBe("2026-12");
    expect(monthly.latest(londonDateTime("2026-12-09", "10:00"))).toBeNull();
    expect(monthly.latest(londonDateTime("2026-12-30", "10:00"))).toBeNull();
  });
});

describe("upcoming: the run `caf-audit jobs` promises, given which periods have run", () => {
  const allocation = monthlyOnWorkingDay(1, "09:00", HOURS);
  const reminders = workingDaily("09:30", HOURS);
  const nothingDone = () => false;
  const done = (...periods: string[]) => (p: string) => periods.includes(p);

  it("on the evening of Wednesday 2 December with December not allocated: the catch-up at 09:00 on Thursday 3 December, not January", () => {
    expect(allocation.upcoming(at("2026-12-02T20:00:00Z"), nothingDone)).toEqual({ period: "2026-12", at: at("2026-12-03T09:00:00Z"), catchUp: true, dueAt: at("2026-12-01T09:00:00Z"), missed: null });
  });

  it("during working hours on 2 December with December not allocated: now, at the scheduler's next tick", () => {
    const now = at("2026-12-02T11:15:00Z");
    expect(allocation.upcoming(now, nothingDone)).toMatchObject({ period: "2026-12", at: now, catchUp: true });
  });

  it("with December allocated: January's run on Monday 4 January 2027", () => {
    expect(allocation.upcoming(at("2026-12-02T11:15:00Z"), done("2026-12"))).toEqual({ period: "2027-01", at: at("2027-01-04T09:00:00Z"), catchUp: false, dueAt: at("2027-01-04T09:00:00Z"), missed: null });
  });

  it("a Friday-evening start catches up on Monday, skipping the weekend", () => {
    expect(allocation.upcoming(at("2026-12-04T18:00:00Z"), nothingDone)).toMatchObject({ period: "2026-12", at: at("2026-12-07T09:00:00Z"), catchUp: true });
  });

  it("past the five working days of catching up, December is reported missed and January is next", () => {
    expect(allocation.upcoming(at("2026-12-10T10:00:00Z"), nothingDone)).toMatchObject({ period: "2027-01", catchUp: false, missed: "2026-12" });
  });

  it("on 30 November with November done: December's own run on 1 December", () => {
    expect(allocation.upcoming(at("2026-11-30T12:00:00Z"), done("2026-11"))).toMatchObject({ period: "2026-12", at: at("2026-12-01T09:00:00Z"), catchUp: false, missed: null });
  });

  it("daily reminders: today's run not yet made at 11:00 is due at the next tick; once made, tomorrow's; at night, the next working morning", () => {
    const now = at("2026-12-02T11:00:00Z");
    expect(reminders.upcoming(now, nothingDone)).toMatchObject({ period: "2026-12-02", at: now, catchUp: true, dueAt: at("2026-12-02T09:30:00Z") });
    expect(reminders.upcoming(now, done("2026-12-02"))).toMatchObject({ period: "2026-12-03", at: at("2026-12-03T09:30:00Z"), catchUp: false });
    expect(reminders.upcoming(at("2026-12-04T20:00:00Z"), nothingDone)).toMatchObject({ period: "2026-12-07", at: at("2026-12-07T09:30:00Z"), catchUp: false });
  });
});
