// Calendar rules for an English council: working days (Mon-Fri minus England & Wales bank holidays)
// and working hours, in Europe/London time. Pure: every date comes in as an argument, so deadlines
// are reproducible in tests and in replays. Calendar days are ISO `yyyy-mm-dd`, months `yyyy-mm`.
import Holidays from "date-holidays";
import { DateTime } from "luxon";

export const LONDON = "Europe/London";

export interface WorkingHours {
  start: string; // HH:mm, London wall clock
  end: string;
}

const DEFAULT_HOURS: WorkingHours = { start: "09:00", end: "17:00" };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

// England & Wales only: Scotland and Northern Ireland have different bank holidays.
const calendar = new Holidays("GB", "ENG");
// Pure function of the year, so safe to memoise for the life of the process.
const holidayCache = new Map<number, { list: readonly string[]; set: ReadonlySet<string> }>();

export function isValidIsoDate(s: string): boolean {
  return typeof s === "string" && ISO_DATE.test(s) && DateTime.fromISO(s, { zone: "utc" }).isValid;
}

export function isValidMonth(s: string): boolean {
  return typeof s === "string" && ISO_MONTH.test(s);
}

function assertDate(date: string, what = "date"): void {
  if (!isValidIsoDate(date)) throw new RangeError(`${what} must be a real calendar date yyyy-mm-dd, got ${JSON.stringify(date)}`);
}

function assertMonth(month: string): void {
  if (!isValidMonth(month)) throw new RangeError(`month must be yyyy-mm with month 01-12, got ${JSON.stringify(month)}`);
}

function assertInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
}

function assertInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError("instant must be a valid Date");
}

// Calendar-day arithmetic in UTC: a date has no time zone, and UTC has no DST to skew plusDays.
function day(date: string): DateTime {
  return DateTime.fromISO(date, { zone: "utc" });
}

function addDays(date: string, n: number): string {
  return day(date).plus({ days: n }).toISODate() as string;
}

function holidaysOf(year: number): { list: readonly string[]; set: ReadonlySet<string> } {
  let entry = holidayCache.get(year);
  if (!entry) {
    const dates = new Set<string>();
    // Keep only days off in law; "observance" (Mother's Day, Easter Sunday...) is not a day off.
    // Substitute days (e.g. 27-28 Dec 2027) come back as ordinary "public" entries.
    for (const h of calendar.getHolidays(year)) {
      if (h.type === "public" || h.type === "bank") dates.add(h.date.slice(0, 10));
    }
    const list = [...dates].filter((d) => d.startsWith(`${year}-`)).sort();
    entry = { list, set: new Set(list) };
    holidayCache.set(year, entry);
  }
  return entry;
}

export function bankHolidays(year: number): string[] {
  assertInteger(year, "year");
  if (year < 1000 || year > 9999) throw new RangeError(`year must have four digits, got ${year}`);
  return [...holidaysOf(year).list]; // a copy, so callers cannot corrupt the cache
}

export function isWorkingDay(date: string): boolean {
  assertDate(date);
  const d = day(date);
  return d.weekday <= 5 && !holidaysOf(d.year).set.has(date);
}

export function monthOf(date: string): string {
  assertDate(date);
  return date.slice(0, 7);
}

export function firstWorkingDay(month: string): string {
  return nthWorkingDay(month, 1);
}

export function lastWorkingDay(month: string): string {
  assertMonth(month);
  let d = day(`${month}-01`).endOf("month").toISODate() as string;
  while (!isWorkingDay(d)) d = addDays(d, -1);
  return d;
}

/** The n-th working day of the month, counting from 1. Throws if the month has fewer. */
export function nthWorkingDay(month: string, n: number): string {
  assertMonth(month);
  assertInteger(n, "n");
  if (n < 1) throw new RangeError(`n must be 1 or more, got ${n}`);
  let d = `${month}-01`;
  let seen = 0;
  while (d.startsWith(month)) {
    if (isWorkingDay(d) && ++seen === n) return d;
    d = addDays(d, 1);
  }
  throw new RangeError(`${month} has only ${seen} working days, asked for the ${n}th`);
}

/** Steps n working days from date (backwards if n < 0); n = 0 rolls a non-working day forward. */
export function addWorkingDays(date: string, n: number): string {
  assertDate(date);
  assertInteger(n, "n");
  let d = date;
  if (n === 0) {
    while (!isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }
  const step = n > 0 ? 1 : -1;
  for (let left = Math.abs(n); left > 0; ) {
    d = addDays(d, step);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** Working days in (from, to]; negative when to is before from, so addWorkingDays(from, result) lands on to. */
export function workingDaysBetween(from: string, to: string): number {
  assertDate(from, "from");
  assertDate(to, "to");
  if (to < from) return -workingDaysBetween(to, from);
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) count++;
  return count;
}

export function londonDate(instant: Date): string {
  assertInstant(instant);
  return DateTime.fromJSDate(instant, { zone: LONDON }).toISODate() as string;
}

/** The instant London clocks show `time` on `date`. In the spring-forward gap luxon moves the time forward an hour. */
export function londonDateTime(date: string, time: string): Date {
  assertDate(date);
  if (!HH_MM.test(time)) throw new RangeError(`time must be HH:mm (00:00-23:59), got ${JSON.stringify(time)}`);
  return DateTime.fromISO(`${date}T${time}`, { zone: LONDON }).toJSDate();
}

function assertHours(wh: WorkingHours): void {
  if (!HH_MM.test(wh.start) || !HH_MM.test(wh.end) || wh.start >= wh.end) {
    throw new RangeError(`working hours must be HH:mm with start before end, got ${wh.start}-${wh.end}`);
  }
}

/** Working hours are half-open: 09:00 is inside, 17:00 is not. */
export function isWithinWorkingHours(instant: Date, workingHours: WorkingHours = DEFAULT_HOURS): boolean {
  assertInstant(instant);
  assertHours(workingHours);
  const d = londonDate(instant);
  if (!isWorkingDay(d)) return false;
  const t = instant.getTime();
  return t >= londonDateTime(d, workingHours.start).getTime() && t < londonDateTime(d, workingHours.end).getTime();
}

/**
 * Adds hours of working time. Time is measured between real instants, so a DST change overnight
 * never gains or loses an hour. A deadline that uses up a day exactly ends at closing time
 * (09:00 + 8h = 17:00 the same day), not at the next opening.
 */
export function addWorkingHours(instant: Date, hours: number, workingHours: WorkingHours = DEFAULT_HOURS): Date {
  assertInstant(instant);
  assertHours(workingHours);
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be a finite number >= 0, got ${hours}`);
  let remaining = Math.round(hours * 3_600_000);
  let cursor = instant.getTime();
  for (let d = londonDate(instant); ; d = addDays(d, 1)) {
    if (!isWorkingDay(d)) continue;
    const open = londonDateTime(d, workingHours.start).getTime();
    const close = londonDateTime(d, workingHours.end).getTime();
    cursor = Math.max(cursor, open);
    if (cursor >= close) continue;
    if (remaining <= close - cursor) return new Date(cursor + remaining);
    remaining -= close - cursor;
    cursor = close;
  }
}
