// Dates and times as people in England read them on a card: "Thursday 31 December 2026", "10:42".
import { DateTime } from "luxon";

const LONDON = "Europe/London";

export function longDate(isoDate: string): string {
  return DateTime.fromISO(isoDate, { zone: LONDON }).setLocale("en-GB").toFormat("cccc d LLLL yyyy");
}

export function monthLabel(month: string): string {
  return DateTime.fromISO(`${month}-01`, { zone: LONDON }).setLocale("en-GB").toFormat("LLLL yyyy");
}

export function timeAndDate(instant: Date): string {
  return DateTime.fromJSDate(instant).setZone(LONDON).setLocale("en-GB").toFormat("HH:mm 'on' cccc d LLLL yyyy");
}

/** How long ago, as a person says it: "3 hours ago", "2 days ago". */
export function ago(instant: Date, now: Date): string {
  return DateTime.fromJSDate(instant).toRelative({ base: DateTime.fromJSDate(now), locale: "en-GB" }) ?? "just now";
}
