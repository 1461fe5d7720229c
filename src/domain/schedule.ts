// When the recurring jobs are due, in Europe/London on working days. Pure: the time is passed in. Each function
// answers the latest occurrence at or before `now` (so a run missed while the bot was down is still found) and
// the next one; `upcoming` is what `caf-audit jobs` shows: the run that will really happen next, a catch-up first.
import { addMonths } from "./months";
import { addWorkingDays, firstWorkingDay, isWorkingDay, londonDate, londonDateTime, nthWorkingDay, workingDaysBetween, type WorkingHours } from "./working-days";

export interface Occurrence {
  /** The period this run is for: its claim key, e.g. "2026-12" or "2026-12-07". */
  period: string;
  at: Date;
}

/** The run the scheduler will really make next. */
export interface Upcoming extends Occurrence {
  /** A run that was due earlier (missed while the bot was down, or not yet run): it happens at `at`, late. */
  catchUp: boolean;
  /** When it was due: `at` unless it is a catch-up. */
  dueAt: Date;
  /** This period's run was missed and is past catching up (the QA team can still run it by hand). */
  missed: string | null;
}

export interface Recurrence {
  latest(now: Date): Occurrence | null;
  next(now: Date): Occurrence;
  /** Given which periods have run, the run that will really happen next: a due or catch-up run before `next`. */
  upcoming(now: Date, isDone: (period: string) => boolean): Upcoming;
}

/** How many working days late a missed monthly run may still happen. */
export const MAX_CATCH_UP_WORKING_DAYS = 5;

/**
 * The n-th working day of each month at a London time: the monthly allocation (n = 1), the digest (n = 5).
 * With `hours`, a run is only due before the end of the working day.
 */
export function monthlyOnWorkingDay(n: number, time: string, hours?: WorkingHours): Recurrence {
  const occurrence = (month: string): Occurrence => ({ period: month, at: londonDateTime(n === 1 ? firstWorkingDay(month) : nthWorkingDay(month, n), time) });
  const recurrence: Recurrence = {
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
    upcoming(now, isDone) {
      const month = londonDate(now).slice(0, 7);
      const o = occurrence(month);
      const after = occurrence(addMonths(month, 1));
      const following = { ...after, catchUp: false, dueAt: after.at };
      if (isDone(month)) return { ...following, missed: null };
      if (o.at > now) return { ...o, catchUp: false, dueAt: o.at, missed: null };
      // The scheduler looks at each tick: the first moment from now at which `latest` answers this month is the run.
      for (let day = londonDate(now), i = 0; i <= MAX_CATCH_UP_WORKING_DAYS + 1; i++, day = addWorkingDays(day, 1)) {
        const at = day === londonDate(now) && now >= londonDateTime(day, time) ? now : londonDateTime(day, time);
        if (at >= now && recurrence.latest(at)?.period === month) return { period: month, at, catchUp: true, dueAt: o.at, missed: null };
      }
      return { ...following, missed: month };
    },
  };
  return recurrence;
}

/** Every working day at a London time, but only within working hours: nothing is sent out of hours, even late. */
export function workingDaily(time: string, hours: WorkingHours): Recurrence {
  const recurrence: Recurrence = {
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
    upcoming(now, isDone) {
      // Today's run not yet made, still within working hours: the next tick makes it.
      const due = recurrence.latest(now);
      if (due && !isDone(due.period)) return { period: due.period, at: now, catchUp: true, dueAt: due.at, missed: null };
      const next = recurrence.next(now);
      if (!isDone(next.period)) return { ...next, catchUp: false, dueAt: next.at, missed: null };
      const day = addWorkingDays(next.period, 1);
      const at = londonDateTime(day, time);
      return { period: day, at, catchUp: false, dueAt: at, missed: null };
    },
  };
  return recurrence;
}
