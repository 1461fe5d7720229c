// Named calendar rules, checked against real England & Wales dates (weekdays verified with Intl).
import { describe, it, expect } from "vitest";
import {
  addWorkingDays,
  addWorkingHours,
  bankHolidays,
  firstWorkingDay,
  isValidIsoDate,
  isValidMonth,
  isWithinWorkingHours,
  isWorkingDay,
  lastWorkingDay,
  londonDate,
  londonDateTime,
  monthOf,
  nthWorkingDay,
  workingDaysBetween,
} from "../../src/domain/working-days";

const at = (iso: string) => new Date(iso);

describe("bank holidays of England and Wales", () => {
  it("lists the 2026 bank holidays, including the Boxing Day substitute", () => {
    expect(bankHolidays(2026)).toEqual([
      "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
      "2026-08-31", "2026-12-25", "2026-12-26", "2026-12-28",
    ]);
  });

  it("Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr are not working days", () => {
    expect(isWorkingDay("2026-04-03")).toBe(false);
    expect(isWorkingDay("2026-04-06")).toBe(false);
    expect(isWorkingDay("2026-04-02")).toBe(true);
    expect(isWorkingDay("2026-04-07")).toBe(true);
  });

  it("ignores observances: Easter Sunday and Mother's Day are only weekends, not extra holidays", () => {
    expect(bankHolidays(2026)).not.toContain("2026-04-05");
    expect(bankHolidays(2026)).not.toContain("2026-03-15");
  });

  it("early May bank holiday is Mon 4 May 2026", () => {
    expect(isWorkingDay("2026-05-04")).toBe(false);
    expect(isWorkingDay("2026-05-05")).toBe(true);
  });

  it("Christmas 2026: Fri 25 Dec off, and Mon 28 Dec substitutes for Boxing Day on Saturday", () => {
    expect(isWorkingDay("2026-12-24")).toBe(true);
    expect(isWorkingDay("2026-12-25")).toBe(false);
    expect(isWorkingDay("2026-12-28")).toBe(false);
    expect(isWorkingDay("2026-12-29")).toBe(true);
  });

  it("Christmas 2027 falls on Saturday: Mon 27 and Tue 28 Dec are substitute days", () => {
    expect(bankHolidays(2027)).toEqual(expect.arrayContaining(["2027-12-27", "2027-12-28"]));
    expect(isWorkingDay("2027-12-24")).toBe(true);
    expect(isWorkingDay("2027-12-27")).toBe(false);
    expect(isWorkingDay("2027-12-28")).toBe(false);
    expect(isWorkingDay("2027-12-29")).toBe(true);
  });

  it("returns a copy, so callers cannot change the cached calendar", () => {
    bankHolidays(2026).push("2026-07-01");
    expect(isWorkingDay("2026-07-01")).toBe(true);
  });

  it("weekends are never working days", () => {
    expect(isWorkingDay("2026-01-17")).toBe(false); // Saturday
    expect(isWorkingDay("2026-01-18")).toBe(false); // Sunday
  });
});

describe("working days of a month", () => {
  it("last working day of Dec 2026 is Thu 31 Dec", () => {
    expect(lastWorkingDay("2026-12")).toBe("2026-12-31");
  });

  it("last working day of May 2026 is Fri 29 May (30-31 are the weekend)", () => {
    expect(lastWorkingDay("2026-05")).toBe("2026-05-29");
  });

  it("first working day of Jan 2027 is Mon 4 Jan (Fri 1 Jan is New Year's Day)", () => {
    expect(firstWorkingDay("2027-01")).toBe("2027-01-04");
  });

  it("5th working day skips bank holidays", () => {
    expect(nthWorkingDay("2026-05", 5)).toBe("2026-05-08"); // Mon 4 May is a holiday
    expect(nthWorkingDay("2026-04", 5)).toBe("2026-04-09"); // Easter takes 3 and 6 Apr
    expect(nthWorkingDay("2027-01", 5)).toBe("2027-01-08");
  });

  it("throws when the month has too few working days", () => {
    expect(() => nthWorkingDay("2026-05", 25)).toThrow(RangeError);
    expect(() => nthWorkingDay("2026-05", 0)).toThrow(RangeError);
  });
});

describe("working-day arithmetic", () => {
  it("adds working days over Christmas and New Year", () => {
    expect(addWorkingDays("2026-12-24", 1)).toBe("2026-12-29");
    expect(addWorkingDays("2026-12-24", 4)).toBe("2027-01-04");
    expect(addWorkingDays("2027-01-04", -4)).toBe("2026-12-24");
  });

  it("adds working days over Easter", () => {
    expect(addWorkingDays("2026-04-02", 1)).toBe("2026-04-07");
    expect(addWorkingDays("2026-04-07", -1)).toBe("2026-04-02");
  });

  it("n = 0 keeps a working day and rolls a non-working day forward", () => {
    expect(addWorkingDays("2026-04-02", 0)).toBe("2026-04-02");
    expect(addWorkingDays("2026-04-03", 0)).toBe("2026-04-07");
  });

  it("counts working days after from up to and including to", () => {
    expect(workingDaysBetween("2026-12-24", "2027-01-04")).toBe(4);
    expect(workingDaysBetween("2027-01-04", "2026-12-24")).toBe(-4);
    expect(workingDaysBetween("2026-05-01", "2026-05-01")).toBe(0);
    expect(workingDaysBetween("2026-01-16", "2026-01-19")).toBe(1); // Fri to Mon
  });
});

describe("London time", () => {
  it("londonDate near midnight in summer time is the next day in London", () => {
    expect(londonDate(at("2026-07-01T22:59:00Z"))).toBe("2026-07-01");
    expect(londonDate(at("2026-07-01T23:00:00Z"))).toBe("2026-07-02");
  });

  it("londonDate in winter matches UTC", () => {
    expect(londonDate(at("2026-01-15T23:59:00Z"))).toBe("2026-01-15");
  });

  it("londonDateTime is DST aware", () => {
    expect(londonDateTime("2026-07-01", "09:00").toISOString()).toBe("2026-07-01T08:00:00.000Z");
    expect(londonDateTime("2026-01-15", "09:00").toISOString()).toBe("2026-01-15T09:00:00.000Z");
  });

  it("working hours are 09:00 to 17:00 London time on working days, end excluded", () => {
    expect(isWithinWorkingHours(at("2026-07-01T08:00:00Z"))).toBe(true); // 09:00 BST
    expect(isWithinWorkingHours(at("2026-07-01T07:59:00Z"))).toBe(false);
    expect(isWithinWorkingHours(at("2026-07-01T16:00:00Z"))).toBe(false); // 17:00 BST
    expect(isWithinWorkingHours(at("2026-04-03T10:00:00Z"))).toBe(false); // Good Friday
    expect(isWithinWorkingHours(at("2026-07-01T07:30:00Z"), { start: "08:30", end: "16:00" })).toBe(true);
  });
});

describe("addWorkingHours", () => {
  it("16:00 Friday + 2 working hours is 10:00 Monday", () => {
    expect(addWorkingHours(at("2026-01-16T16:00:00Z"), 2).toISOString()).toBe("2026-01-19T10:00:00.000Z");
  });

  it("across the spring DST change (29 Mar 2026): 16:00 GMT Fri + 2h = 10:00 BST Mon", () => {
    expect(addWorkingHours(at("2026-03-27T16:00:00Z"), 2).toISOString()).toBe("2026-03-30T09:00:00.000Z");
  });

  it("across the autumn DST change (25 Oct 2026): 16:00 BST Fri + 2h = 10:00 GMT Mon", () => {
    expect(addWorkingHours(at("2026-10-23T15:00:00Z"), 2).toISOString()).toBe("2026-10-26T10:00:00.000Z");
  });

  it("starts counting from the next opening when outside working hours", () => {
    // Saturday evening, then Monday opening + 3h
    expect(addWorkingHours(at("2026-01-17T20:00:00Z"), 3).toISOString()).toBe("2026-01-19T12:00:00.000Z");
    // Thursday before Easter at 18:00 BST: next opening is Tue 7 Apr 09:00 BST
    expect(addWorkingHours(at("2026-04-02T17:00:00Z"), 1).toISOString()).toBe("2026-04-07T09:00:00.000Z");
  });

  it("a full day of hours ends at closing time, not the next morning", () => {
    expect(addWorkingHours(at("2026-01-15T09:00:00Z"), 8).toISOString()).toBe("2026-01-15T17:00:00.000Z");
    expect(addWorkingHours(at("2026-01-15T09:00:00Z"), 16).toISOString()).toBe("2026-01-16T17:00:00.000Z");
  });

  it("zero hours keeps an instant inside hours and rolls one outside to the next opening", () => {
    expect(addWorkingHours(at("2026-01-15T11:00:00Z"), 0).toISOString()).toBe("2026-01-15T11:00:00.000Z");
    expect(addWorkingHours(at("2026-01-16T17:00:00Z"), 0).toISOString()).toBe("2026-01-19T09:00:00.000Z");
  });

  it("rejects negative hours", () => {
    expect(() => addWorkingHours(at("2026-01-15T11:00:00Z"), -1)).toThrow(RangeError);
  });
});

describe("validation", () => {
  it("accepts only real calendar dates and months", () => {
    expect(isValidIsoDate("2028-02-29")).toBe(true);
    expect(isValidIsoDate("2026-02-29")).toBe(false);
    expect(isValidIsoDate("2026-4-1")).toBe(false);
    expect(isValidMonth("2026-12")).toBe(true);
    expect(isValidMonth("2026-13")).toBe(false);
    expect(isValidMonth("2026-00")).toBe(false);
    expect(monthOf("2026-12-31")).toBe("2026-12");
  });

  it("throws RangeError on invalid input", () => {
    expect(() => isWorkingDay("2026-02-30")).toThrow(RangeError);
    expect(() => lastWorkingDay("2026-13")).toThrow(/yyyy-mm/);
    expect(() => addWorkingDays("2026-01-01", 1.5)).toThrow(RangeError);
    expect(() => londonDateTime("2026-01-01", "25:00")).toThrow(RangeError);
    expect(() => londonDate(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => addWorkingHours(at("2026-01-15T11:00:00Z"), 1, { start: "17:00", end: "09:00" })).toThrow(RangeError);
  });
});
