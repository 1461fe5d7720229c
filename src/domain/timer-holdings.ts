// What the escalation ladder and the feedback reminders hold right now, for `caf-audit jobs`: QA and IT look there
// to see the bot is alive, and these two run from each row's own timer rather than from the scheduler. Counts, case
// references and times only: nothing that was seen or written.
import { ladderStep, type Escalation } from "./escalation";
import type { Feedback } from "./feedback";

export type LadderNext = "remind the Family Support Manager" | "send to the Service Leader" | "send to the Service Leader again" | "ask for the outcome";
export type ReminderNext = "remind the QA team to review" | "remind the manager to confirm corrective action" | "clear the reminder";

export interface Holding<Next> {
  /** Rows with a timer running. */
  count: number;
  /** Of those, the ones nobody has acted on yet (escalations not acknowledged; feedback not reviewed). */
  waiting: number;
  /** The longest-waiting of those. */
  oldest: { caseRef: string; since: string } | null;
  /** The soonest timer, and what happens when it fires. */
  next: { caseRef: string; at: string; step: Next } | null;
}

export function ladderHolding(escalations: readonly Escalation[]): Holding<LadderNext> {
  const open = escalations.filter((e) => e.status !== "resolved" && e.nextCheckAt !== null);
  const unacknowledged = open.filter((e) => e.status === "raised");
  const soonest = earliest(open, (e) => e.nextCheckAt!);
  return {
    count: open.length,
    waiting: unacknowledged.length,
    oldest: pick(earliest(unacknowledged, (e) => e.raisedAt), (e) => e.raisedAt),
    next: soonest ? { caseRef: soonest.caseRef, at: soonest.nextCheckAt!, step: ladderNext(soonest) } : null,
  };
}

export function remindersHolding(feedback: readonly Feedback[]): Holding<ReminderNext> {
  const pending = feedback.filter((f) => f.nextReminderAt !== null);
  const unreviewed = pending.filter((f) => f.status === "awaiting_review");
  const soonest = earliest(pending, (f) => f.nextReminderAt!);
  return {
    count: pending.length,
    waiting: unreviewed.length,
    oldest: pick(earliest(unreviewed, (f) => f.submittedAt), (f) => f.submittedAt),
    next: soonest ? { caseRef: soonest.caseRef, at: soonest.nextReminderAt!, step: reminderNext(soonest) } : null,
  };
}

/** What the ladder does when this escalation's timer fires: the same decision the ladder makes (ladderStep). */
function ladderNext(e: Escalation): LadderNext {
  const step = ladderStep(e, new Date(e.nextCheckAt!));
  if (step.kind === "remind_fsm") return "remind the Family Support Manager";
  if (step.kind === "escalate") return step.level === 2 ? "send to the Service Leader" : "send to the Service Leader again";
  return "ask for the outcome";
}

function reminderNext(f: Feedback): ReminderNext {
  if (f.status === "awaiting_review") return "remind the QA team to review";
  return f.status === "released" && f.belowGood ? "remind the manager to confirm corrective action" : "clear the reminder";
}

// ISO-8601 instants in UTC compare as strings.
function earliest<T>(rows: readonly T[], at: (row: T) => string): T | undefined {
  return rows.reduce<T | undefined>((best, row) => (best === undefined || at(row) < at(best) ? row : best), undefined);
}

function pick<T extends { caseRef: string }>(row: T | undefined, since: (row: T) => string): { caseRef: string; since: string } | null {
  return row ? { caseRef: row.caseRef, since: since(row) } : null;
}
