// Stale cases (seed 004: of 1,200 "open" CAF records checked, just over 600 could have been closed). Each month,
// an open case with no recorded activity for `ageMonths` is put to its lead professional: still open, or closed
// (on what date, for what reason)? Answers are kept here as checks, never written back to the case register: the QA
// team takes the list to the case system. Pure: the register, earlier checks and "today" are passed in.
//
// Choices the issue leaves open, made here:
// - Recorded activity is the latest of the opening date, the last audit, and the day an import last found the
//   register row changed (`registerChangedOn`): a case whose row changed within the age is active.
// - A case with no opening date is never flagged: its age is unknown.
// - A case with no lead professional is recorded (the QA team sees it on the list) but no card goes.
// - No reminders. An unanswered card stays answerable and on the QA team's list as not answered.
// - Any earlier check (answered "still open", unanswered, or with no LP) holds the case back for `reaskMonths`
//   from when it was asked or answered; an "it has closed" answer holds it back until the register row changes.
// - At most one check per case per month: the month and the case are the check's key.
import { isOpen, type CaseFile } from "./case-file";
import type { Problem } from "./feedback";
import { addMonths } from "./months";
import { isValidIsoDate, londonDate } from "./working-days";

export interface StaleRules {
  /** Months without recorded activity before an open case is put to its lead professional. */
  ageMonths: number;
  /** Months after a check before the same case is asked again. */
  reaskMonths: number;
  /** The closure reasons the card offers, as the case system names them. */
  closureReasons: readonly string[];
}

export type StaleAnswer = { outcome: "still_open"; at: string; by: string } | { outcome: "closed"; closedOn: string; reason: string; at: string; by: string };

export interface StaleCheck {
  /** The month of the run that asked: with the case reference, the check's key. */
  month: string;
  caseRef: string;
  serviceArea: string;
  /** Null: no lead professional on the register, so nobody was asked. */
  leadProfessionalEmail: string | null;
  openedOn: string;
  lastActivityOn: string;
  askedAt: string;
  answer: StaleAnswer | null;
}

export type StaleState = "no_lp" | "not_answered" | "still_open" | "closed";

export function staleState(c: StaleCheck): StaleState {
  if (c.answer) return c.answer.outcome;
  return c.leadProfessionalEmail ? "not_answered" : "no_lp";
}

/** The latest recorded activity on a case: opening, last audit, or the last change to its register row. */
export function lastActivityOn(c: CaseFile): string | null {
  const dates = [c.openedOn, c.lastAuditedOn, c.registerChangedOn ?? null].filter((d): d is string => !!d).sort();
  return dates[dates.length - 1] ?? null;
}

/** The same day `months` earlier (a day past the month's end still compares correctly as text). */
const monthsBeforeDate = (date: string, months: number) => `${addMonths(date.slice(0, 7), -months)}${date.slice(7)}`;

/** The latest check of each case, by when it was asked. */
export function latestChecks(checks: readonly StaleCheck[]): Map<string, StaleCheck> {
  const latest = new Map<string, StaleCheck>();
  for (const c of checks) {
    const seen = latest.get(c.caseRef);
    if (!seen || seen.askedAt < c.askedAt) latest.set(c.caseRef, c);
  }
  return latest;
}

/** True while an earlier check still answers for the case. */
function heldBack(c: CaseFile, last: StaleCheck | undefined, today: string, rules: StaleRules): boolean {
  if (!last) return false;
  if (last.answer?.outcome === "closed") return (c.registerChangedOn ?? "") <= londonDate(new Date(last.answer.at));
  const checkedOn = londonDate(new Date(last.answer?.at ?? last.askedAt));
  return checkedOn > monthsBeforeDate(today, rules.reaskMonths);
}

/** The open cases to ask about this month, oldest activity first, with the check each would be stored as. */
export function staleChecksDue(cases: readonly CaseFile[], earlier: readonly StaleCheck[], now: Date, month: string, rules: StaleRules): StaleCheck[] {
  const today = londonDate(now);
  const cutoff = monthsBeforeDate(today, rules.ageMonths);
  const latest = latestChecks(earlier);
  const due: StaleCheck[] = [];
  for (const c of cases) {
    const activity = lastActivityOn(c);
    if (!isOpen(c) || !c.openedOn || !activity || activity > cutoff) continue;
    const last = latest.get(c.caseRef);
    if (last?.month === month || heldBack(c, last, today, rules)) continue;
    due.push({ month, caseRef: c.caseRef, serviceArea: c.serviceArea, leadProfessionalEmail: c.leadProfessionalEmail?.toLowerCase() ?? null, openedOn: c.openedOn, lastActivityOn: activity, askedAt: now.toISOString(), answer: null });
  }
  return due.sort((a, b) => a.lastActivityOn.localeCompare(b.lastActivityOn) || a.caseRef.localeCompare(b.caseRef));
}

export interface StaleInput {
  outcome: string;
  closedOn: string;
  reason: string;
}

export function staleProblems(check: StaleCheck, input: StaleInput, today: string, rules: StaleRules): Problem[] {
  if (input.outcome === "still_open") return [];
  if (input.outcome !== "closed") return [{ field: "stale.outcome", message: "Choose Yes, still open or It has closed." }];
  const problems: Problem[] = [];
  if (!isValidIsoDate(input.closedOn)) problems.push({ field: "stale.closedOn", message: "Give the date the case closed." });
  else if (input.closedOn > today) problems.push({ field: "stale.closedOn", message: "The closure date is in the future: give the date it closed, today at the latest." });
  else if (input.closedOn < check.openedOn) problems.push({ field: "stale.closedOn", message: `The closure date is before the case opened (${check.openedOn}): check the date.` });
  if (!rules.closureReasons.includes(input.reason)) problems.push({ field: "stale.reason", message: "Choose why the case closed." });
  return problems;
}

export function answerStale(check: StaleCheck, input: StaleInput, by: string, now: Date): StaleCheck {
  const at = now.toISOString();
  const answer: StaleAnswer = input.outcome === "closed" ? { outcome: "closed", closedOn: input.closedOn, reason: input.reason, at, by } : { outcome: "still_open", at, by };
  return { ...check, answer };
}

export interface StaleCounts {
  asked: number;
  closed: number;
  stillOpen: number;
  notAnswered: number;
}

/** The digest's line: cases asked in the period (cards sent), and how they stand now. */
export function staleCounts(checks: readonly StaleCheck[], inPeriod: (month: string) => boolean): StaleCounts {
  const asked = checks.filter((c) => inPeriod(c.month) && c.leadProfessionalEmail !== null);
  const count = (s: StaleState) => asked.filter((c) => staleState(c) === s).length;
  return { asked: asked.length, closed: count("closed"), stillOpen: count("still_open"), notAnswered: count("not_answered") };
}
