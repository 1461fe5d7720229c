// When the recurring jobs are due, in Europe/London on working days. Pure: the time is passed in. Each function
// answers the latest occurrence at or before `now` (so a run missed while the bot was down is still found) and
// the next one (for `caf-audit jobs`).
import { addMonths } from "./months";
import { addWorkingDays, firstWorkingDay, isWorkingDay, londonDate, londonDateTime, nthWorkingDay, workingDaysBetween, type WorkingHours } from "./working-days";

export interface Occurrence {
  /** The period this run is for: its claim key, e.g. "2026-12" or "2026-12-07". */
  period: string;
  at: Date;
}

export interface Recurrence {
  latest(now: Date): Occurrence | null;
  next(now: Date): Occurrence;
}

/** How many working days late a missed monthly run may still happen. */
export const MAX_CATCH_UP_WORKING_DAYS = 5;

/**
 * The n-th working day of each month at a London time: the monthly allocation (n = 1), the digest (n = 5).
 * With `hours`, a run is only due before the end of the working day.
 */
export function monthlyOnWorkingDay(n: number, time: string, hours?: WorkingHours): Recurrence {
  const occurrence = (month: string): Occurrence => ({ period: month, at: londonDateTime(n === 1 ? firstWorkingDay(month) : nthWorkingDay(month, n), time) });
  return {
    latest(now) {
      // Only this month's: a month whose run was missed entirely is not run late into the next month.
      const today = londonDate(now);
      const o = occurrence(today.slice(0, 7));
      if (o.at > now) return null;
      // A run missed while the bot was down waits for a working day, at or after its time (and before the end of
      // working hours): a restart at a weekend, on a bank holiday or at night never sends the month's cards then.
      if (!isWorkingDay(today) || now < londonDateTime(today, time)) return null;
      if (hours && now >= londonDateTime(today, hours.end)) return null;
      // Catching up is for a short outage: a bot first started late in the month does not hand out a month's
      // audits due in a day or two. The QA team can still run `caf-audit allocate` by hand.
      if (workingDaysBetween(londonDate(o.at), today) > MAX_CATCH_UP_WORKING_DAYS) return null;
      return o;
    },
    next(now) {
      const month = londonDate(now).slice(0, 7);
      const o = occurrence(month);
      return o.at > now ? o : occurrence(addMonths(month, 1));
    },
  };
}

/** Every working day at a London time, but only within working hours: nothing is sent out of hours, even late. */
export function workingDaily(time: string, hours: WorkingHours): Recurrence {
  return {
    latest(now) {
      const today = londonDate(now);
      if (!isWorkingDay(today)) return null;
      const at = londonDateTime(today, time);
      return at <= now && now < londonDateTime(today, hours.end) ? { period: today, at } : null;
    },
    next(now) {
      const today = londonDate(now);
      const at = londonDateTime(today, time);
      if (isWorkingDay(today) && at > now) return { period: today, at };
      const day = addWorkingDays(today, 1);
      return { period: day, at: londonDateTime(day, time) };
    },
  };
}
