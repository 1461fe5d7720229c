// Tier 1 quality control (seed 001): every CAF assessment, TAF review and closure is checked, not sampled. Each event
// makes one check for the case's quality checker, the lead professional's manager; a "no" tells the lead professional
// which fields to complete. Pure: the case file, the checklist and the time are passed in.
//
// Choices the issue leaves open, made here:
// - An event is the same event again when it has the same event id, or without one the same case, kind and date.
// - With no manager recorded, or the lead professional recorded as their own manager, the check goes to the QA
//   team's pool (any QA member who is not the case's lead professional may answer) and the card says why.
// - Only events of the last 12 months are taken: an older one is history to fix at source, and its messages would
//   fall outside the months the outbox relay scans.
import type { CaseFile } from "./case-file";
import { CHECK_ANSWERS, checksFor, type CheckAnswer, type Checklist, type EventKind } from "./tier1-checklist";
import { addMonths } from "./months";
import { addWorkingDays, londonDate, londonDateTime } from "./working-days";

export const MAX_EVENT_AGE_MONTHS = 12;

export interface Tier1Event {
  caseRef: string;
  kind: EventKind;
  eventOn: string; // yyyy-mm-dd
  eventId: string | null;
}

export type CheckerReason = "manager" | "no_manager" | "manager_is_lp";

export interface Tier1Answer {
  answers: Record<string, CheckAnswer>;
  /** Free text for the QA team: never in a notice, a post or a log. */
  comment: string;
  by: string;
  at: string;
}

export interface Tier1Check {
  /** The event's identity: "id:<event id>" or "<case>|<kind>|<date>". */
  key: string;
  caseRef: string;
  serviceArea: string;
  kind: EventKind;
  eventOn: string;
  eventId: string | null;
  leadProfessionalEmail: string | null;
  /** Who answers: the LP's manager; null for the QA team's pool. */
  checkerEmail: string | null;
  checkerReason: CheckerReason;
  checklistId: string;
  checklistVersion: number;
  /** The check ids asked, fixed when the event arrived so a later checklist change does not move the goalposts. */
  checkIds: string[];
  status: "waiting" | "passed" | "failed";
  createdAt: string;
  /** When the checker is reminded next while it waits (ISO instant); null once answered, or with reminders off. */
  nextReminderAt?: string | null;
  answer: Tier1Answer | null;
}

export const eventKey = (e: Tier1Event): string => (e.eventId ? `id:${e.eventId}` : `${e.caseRef}|${e.kind}|${e.eventOn}`);

/** A reason the event cannot be checked, or null: not ahead of `today` (London, yyyy-mm-dd), and within 12 months. */
export function eventDateProblem(eventOn: string, today: string): string | null {
  if (eventOn > today) return `event_date ${eventOn} is in the future`;
  const earliest = `${addMonths(today.slice(0, 7), -MAX_EVENT_AGE_MONTHS)}-01`;
  if (eventOn < earliest) return `event_date ${eventOn} is more than ${MAX_EVENT_AGE_MONTHS} months ago (Tier 1 checks recent events only)`;
  return null;
}

/** The LP's manager, never the LP: without a separate manager, the QA team's pool. */
export function checkerFor(c: CaseFile): { email: string | null; reason: CheckerReason } {
  const lp = c.leadProfessionalEmail?.toLowerCase() ?? null;
  const manager = c.lpManagerEmail?.toLowerCase() ?? null;
  if (!manager) return { email: null, reason: "no_manager" };
  if (manager === lp) return { email: null, reason: "manager_is_lp" };
  return { email: manager, reason: "manager" };
}

/** 09:00 London, `days` working days after `now`; null when reminders are off (0). */
export function reminderAfter(now: Date, days: number): string | null {
  return days > 0 ? londonDateTime(addWorkingDays(londonDate(now), days), "09:00").toISOString() : null;
}

/** `nextReminderAt` from reminderAfter, worked out once for a whole import: it depends on the time alone. */
export function newTier1Check(e: Tier1Event, c: CaseFile, checklist: Checklist, now: Date, nextReminderAt: string | null = null): Tier1Check {
  const checker = checkerFor(c);
  return {
    key: eventKey(e),
    caseRef: e.caseRef,
    serviceArea: c.serviceArea,
    kind: e.kind,
    eventOn: e.eventOn,
    eventId: e.eventId,
    leadProfessionalEmail: c.leadProfessionalEmail?.toLowerCase() ?? null,
    checkerEmail: checker.email,
    checkerReason: checker.reason,
    checklistId: checklist.id,
    checklistVersion: checklist.version,
    checkIds: checksFor(checklist, e.kind).checks.map((x) => x.id),
    status: "waiting",
    createdAt: now.toISOString(),
    nextReminderAt,
    answer: null,
  };
}

/** Only the addressed person: the manager it went to, or for the pool a QA member who is not the case's LP. */
export function mayAnswer(check: Tier1Check, actor: { email: string; isQa: boolean }): boolean {
  const email = actor.email.toLowerCase();
  if (email === check.leadProfessionalEmail) return false;
  return check.checkerEmail ? email === check.checkerEmail : actor.isQa;
}

export interface Tier1Input {
  answers: Record<string, string>;
  comment: string;
}

export interface Tier1Problem {
  field: string;
  message: string;
}

export function tier1Problems(check: Tier1Check, checklist: Checklist, input: Tier1Input): Tier1Problem[] {
  const problems: Tier1Problem[] = [];
  const checks = checksFor(checklist, check.kind).checks;
  for (const id of check.checkIds) {
    const c = checks.find((x) => x.id === id);
    const v = input.answers[id] ?? "";
    const allowed = CHECK_ANSWERS.filter((a) => a !== "not_applicable" || (c?.notApplicableAllowed ?? true));
    if (!(allowed as readonly string[]).includes(v)) {
      problems.push({ field: `tier1.${id}`, message: allowed.length === 3 ? `Choose yes, no or not applicable for ${c?.label ?? id}.` : `Choose yes or no for ${c?.label ?? id}: it is mandatory.` });
    }
  }
  if (input.comment.length > checklist.comment.maxLength) problems.push({ field: "tier1.comment", message: `Shorten the comment to ${checklist.comment.maxLength} characters.` });
  return problems;
}

/** Answered: passed when no field is missing, else failed. Call only after tier1Problems found none. */
export function answerTier1(check: Tier1Check, input: Tier1Input, by: string, now: Date): Tier1Check {
  const answers = Object.fromEntries(check.checkIds.map((id) => [id, input.answers[id] as CheckAnswer]));
  const failed = Object.values(answers).includes("no");
  return { ...check, status: failed ? "failed" : "passed", nextReminderAt: null, answer: { answers, comment: input.comment.trim(), by: by.toLowerCase(), at: now.toISOString() } };
}

/** The labels of the fields answered "no", in checklist order: all a lead professional's notice carries. */
export function failedFields(check: Tier1Check, checklist: Checklist): string[] {
  if (!check.answer) return [];
  const checks = checksFor(checklist, check.kind).checks;
  return check.checkIds.filter((id) => check.answer!.answers[id] === "no").map((id) => checks.find((c) => c.id === id)?.label ?? id);
}

export interface Tier1AreaFigures {
  area: string;
  events: number;
  checked: number;
  /** Null where fewer than the anonymity floor were checked, so a single failed check cannot be traced to one case. */
  passed: number | null;
}

/** Per service area, the period's events, how many are checked and how many passed: counts only. */
export function tier1Figures(checks: readonly Tier1Check[], floor: number): Tier1AreaFigures[] {
  const byArea = new Map<string, { area: string; events: number; checked: number; passed: number }>();
  for (const c of checks) {
    const f = byArea.get(c.serviceArea) ?? { area: c.serviceArea, events: 0, checked: 0, passed: 0 };
    f.events++;
    if (c.status !== "waiting") f.checked++;
    if (c.status === "passed") f.passed++;
    byArea.set(c.serviceArea, f);
  }
  return [...byArea.values()].map((f) => ({ ...f, passed: f.checked < floor ? null : f.passed })).sort((a, b) => a.area.localeCompare(b.area));
}

const pct = (n: number, d: number) => `${Math.round((100 * n) / d)}%`;

/** The digest's one line: completion and pass rate per service area; a hidden pass rate says why. */
export function tier1DigestLine(figures: readonly Tier1AreaFigures[], floor: number): string {
  if (figures.length === 0) return "";
  const parts = figures.map((f) => {
    const done = `${f.checked} of ${f.events} checked (${pct(f.checked, f.events)})`;
    const passed = f.checked === 0 ? "" : f.passed === null ? `, pass rate hidden (fewer than ${floor} checked)` : `, ${pct(f.passed, f.checked)} passed`;
    return `${f.area}: ${done}${passed}`;
  });
  return `Tier 1 quality control: ${parts.join("; ")}.`;
}
