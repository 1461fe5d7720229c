// Verified close-out (seed 003: corrective action confirmed, and its effect checked). When every action on a
// below-good audit is done and confirmed by the manager, a targeted re-check is scheduled: a short card to the
// original auditor (or another eligible one) with only the questions graded below good, and "Has the agreed change
// happened for the child?". Yes closes the audit as verified; Partly or No reopens the feedback with a new action.
// Pure: times, people and the case file are passed in.
//
// Choices the issue leaves open, made here:
// - The delay counts working days from the confirmation; the card goes at 09:00 on the working day after it ends.
// - The auditor re-grades each question that was below good; the new grades are kept beside the answer.
// - Partly or No must say what has to happen now (action, who, by when): that is the new action round. The new
//   action is due to be confirmed by the end of the month after the re-check, like the first round.
// - Each round is kept: a reopened audit whose new actions are confirmed is re-checked again, as round 2.
import { isBelowGood } from "./answers";
import type { Audit } from "./audit";
import { conflictedEmails, type CaseFile } from "./case-file";
import type { Feedback, FeedbackAction, FeedbackRules, Problem, Recheck, RecheckAnswer, RecheckOutcome } from "./feedback";
import { addMonths } from "./months";
import { hasRole, type Person } from "./person";
import type { Toolkit } from "./toolkit";
import { addWorkingDays, isValidIsoDate, lastWorkingDay, londonDate, londonDateTime, monthOf } from "./working-days";

export const RECHECK_OUTCOMES: readonly RecheckOutcome[] = ["yes", "partly", "no"];
export const MIN_EVIDENCE = 20;

export const latestRecheck = (f: Feedback): Recheck | undefined => f.rechecks?.[f.rechecks.length - 1];
const done = (a: FeedbackAction) => a.rag === "green" && a.confirmation?.done === true;
const atNine = (date: string) => londonDateTime(date, "09:00").toISOString();

/** Below good, every action done and confirmed, and no re-check waiting for this round. */
export function readyForRecheck(f: Feedback): boolean {
  const last = latestRecheck(f);
  return f.belowGood && f.actions.length > 0 && f.actions.every(done) && (!last || last.status === "reopened");
}

/** The questions of the audit graded below good, in toolkit order. */
export function belowGoodQuestions(audit: Audit, toolkit: Toolkit): string[] {
  return toolkit.sections.flatMap((s) => s.questions.filter((q) => {
    const v = audit.sections[s.id]?.answers[q.id]?.value;
    return !!v && isBelowGood(toolkit, q.scale, v);
  }).map((q) => q.id));
}

/** Closed, with the next re-check round scheduled `delayDays` working days on; the reminder job sends it then. */
export function scheduleRecheck(f: Feedback, questionIds: string[], now: Date, delayDays: number): Feedback {
  const dueOn = addWorkingDays(londonDate(now), delayDays + 1);
  const round = (f.rechecks?.length ?? 0) + 1;
  const recheck: Recheck = { round, status: "scheduled", dueOn, questionIds, auditorEmail: null, sentAt: null, answer: null };
  return { ...f, status: "closed", closedReason: f.closedReason ?? "Every action is done (Green).", rechecks: [...(f.rechecks ?? []), recheck], nextReminderAt: atNine(dueOn) };
}

/**
 * Who re-checks: the original auditor while they are an auditor, not away and not involved in the case; otherwise
 * the eligible auditor with the fewest audits this month (then by email, so the choice is reproducible).
 */
export function recheckAuditor(f: Feedback, caseFile: CaseFile | undefined, people: readonly Person[], load: ReadonlyMap<string, number>, today: string): string | null {
  const conflicted = caseFile ? conflictedEmails(caseFile) : new Set<string>();
  for (const e of [f.leadProfessionalEmail, f.managerEmail]) if (e) conflicted.add(e);
  const eligible = people.filter((p) => hasRole(p, "auditor") && !(p.awayUntil && p.awayUntil >= today) && !conflicted.has(p.email.toLowerCase()));
  if (eligible.some((p) => p.email === f.auditorEmail)) return f.auditorEmail;
  const sorted = [...eligible].sort((a, b) => (load.get(a.email) ?? 0) - (load.get(b.email) ?? 0) || a.email.localeCompare(b.email));
  return sorted[0]?.email ?? null;
}

/** The latest round, sent to `auditorEmail`, or unassigned (retried at 09:00 the next working day). */
export function sendRecheck(f: Feedback, auditorEmail: string | null, now: Date): Feedback {
  const last = latestRecheck(f)!;
  const today = londonDate(now);
  const next: Recheck = auditorEmail ? { ...last, status: "sent", auditorEmail, sentAt: now.toISOString() } : { ...last, status: "unassigned" };
  return { ...f, rechecks: [...f.rechecks!.slice(0, -1), next], nextReminderAt: auditorEmail ? null : atNine(addWorkingDays(today, 1)) };
}

export interface RecheckInput {
  outcome: string;
  evidence: string;
  grades: Record<string, string>;
  action: { action: string; byWhom: string; byWhen: string };
}

export function recheckProblems(r: Recheck, toolkit: Toolkit, input: RecheckInput): Problem[] {
  const problems: Problem[] = [];
  const questions = new Map(toolkit.sections.flatMap((s) => s.questions).map((q) => [q.id, q]));
  for (const id of r.questionIds) {
    const q = questions.get(id);
    const scale = q ? toolkit.scales.find((s) => s.id === q.scale) : undefined;
    if (q && !scale?.options.some((o) => o.value === input.grades[id])) problems.push({ field: `recheck.${id}`, message: `Grade question ${q.number} as the case file stands now.` });
  }
  if (!(RECHECK_OUTCOMES as readonly string[]).includes(input.outcome)) problems.push({ field: "recheck.outcome", message: "Choose Yes, Partly or No." });
  if (input.evidence.trim().length < MIN_EVIDENCE) problems.push({ field: "recheck.evidence", message: `Say what in the case file shows it (at least ${MIN_EVIDENCE} characters).` });
  const a = input.action;
  if ((input.outcome === "partly" || input.outcome === "no") && (a.action.trim().length < 5 || a.byWhom.trim() === "" || !isValidIsoDate(a.byWhen))) {
    problems.push({ field: "recheck.action", message: "Say what must happen now for the child, who does it and by when (a date)." });
  }
  return problems;
}

/** Yes: verified, still closed. Partly or No: released again with the new action, reminders to the manager restart. */
export function answerRecheck(f: Feedback, input: RecheckInput, by: string, now: Date, rules: FeedbackRules): Feedback {
  const last = latestRecheck(f)!;
  const outcome = input.outcome as RecheckOutcome;
  const at = now.toISOString();
  const action = outcome === "yes" ? null : { action: input.action.action.trim(), byWhom: input.action.byWhom.trim(), byWhen: input.action.byWhen };
  const answer: RecheckAnswer = { outcome, evidence: input.evidence.trim().slice(0, 3000), grades: Object.fromEntries(last.questionIds.map((id) => [id, input.grades[id]!])), action, at, by };
  const rechecks = [...f.rechecks!.slice(0, -1), { ...last, status: outcome === "yes" ? ("verified" as const) : ("reopened" as const), answer }];
  if (!action) return { ...f, rechecks, closedReason: "Every action is done, and the re-check found the change has happened for the child (verified).", nextReminderAt: null };
  const newAction: FeedbackAction = { id: `r${last.round}a1`, ...action, source: "audit", rag: "red", ragHistory: [], response: null, confirmation: null };
  const today = londonDate(now);
  return {
    ...f,
    rechecks,
    status: "released",
    closedReason: null,
    closedBy: null,
    actions: [...f.actions, newAction],
    correctiveDueOn: lastWorkingDay(addMonths(monthOf(today), 1)),
    nextReminderAt: atNine(addWorkingDays(today, rules.correctiveReminderDays)),
  };
}

/** The digest's counts: rounds answered in the period (by the London month of the answer), and those waiting now. */
export function recheckCounts(feedback: readonly Feedback[], inPeriod: (month: string) => boolean): { verified: number; reopened: number; awaiting: number } {
  const all = feedback.flatMap((f) => f.rechecks ?? []);
  const answeredIn = (r: Recheck) => r.answer !== null && inPeriod(londonDate(new Date(r.answer.at)).slice(0, 7));
  return {
    verified: all.filter((r) => r.status === "verified" && answeredIn(r)).length,
    reopened: all.filter((r) => r.status === "reopened" && answeredIn(r)).length,
    awaiting: all.filter((r) => r.status === "scheduled" || r.status === "sent" || r.status === "unassigned").length,
  };
}
