// Unsafe practice found during an audit: raised, acknowledged, a MASH conversation, resolved, and the ladder
// that climbs when nobody acknowledges. Pure: times are passed in, working hours come from working-days.
import { addWorkingHours, addWorkingDays, londonDate, londonDateTime, type WorkingHours } from "./working-days";

export type EscalationStatus = "raised" | "acknowledged" | "mash_held" | "resolved";
export type Urgency = "immediate" | "today" | "this-week";
export type WhenSeen = "current" | "past";

export interface LadderRules {
  /** Working hours after raising before the FSM is reminded (seed: "immediately"; default 2). */
  remindAfterHours: number;
  /** Further working hours before it goes to the Service Leader, and between repeats after that (default 4). */
  escalateAfterHours: number;
  /** Working days an acknowledged concern may stay unresolved before the FSM is reminded (default 2). */
  resolveReminderDays: number;
  workingHours: WorkingHours;
}

export const DEFAULT_LADDER: LadderRules = {
  remindAfterHours: 2,
  escalateAfterHours: 4,
  resolveReminderDays: 2,
  workingHours: { start: "09:00", end: "17:00" },
};

export interface EscalationEvent {
  at: string;
  by: string;
  action: "raised" | "reminded" | "escalated" | "acknowledged" | "mash_held" | "resolved" | "resolve_reminder";
  note?: string;
}

export interface Escalation {
  id: string;
  /** The month partition it lives in: the month it was raised. */
  month: string;
  caseRef: string;
  serviceArea: string;
  auditMonth: string | null;
  leadProfessionalEmail: string | null;
  lpManagerEmail: string | null;
  raisedBy: string;
  raisedAt: string;
  /** What the auditor saw: shown only to the people it was sent to, never in posts, digests or logs. */
  seen: string;
  when: WhenSeen;
  urgency: Urgency;
  status: EscalationStatus;
  /** 0 sent to the FSM; 1 FSM reminded; 2 and up: with the Service Leader (repeated until acknowledged). */
  level: number;
  /** Everyone the card went to: the only people who may act on it. */
  recipients: string[];
  /** When the ladder next looks at it; null once resolved. */
  nextCheckAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  mashOutcome: string | null;
  resolvedOutcome: string | null;
  history: EscalationEvent[];
}

export const MIN_SEEN = 10;
export const MIN_OUTCOME = 10;

export function raise(
  input: Pick<Escalation, "id" | "caseRef" | "serviceArea" | "auditMonth" | "leadProfessionalEmail" | "lpManagerEmail" | "raisedBy" | "seen" | "when" | "urgency"> & {
    at: Date;
    firstRecipients: string[];
    rules: LadderRules;
  },
): Escalation {
  const at = input.at.toISOString();
  return {
    id: input.id,
    month: londonDate(input.at).slice(0, 7),
    caseRef: input.caseRef,
    serviceArea: input.serviceArea,
    auditMonth: input.auditMonth,
    leadProfessionalEmail: input.leadProfessionalEmail,
    lpManagerEmail: input.lpManagerEmail,
    raisedBy: input.raisedBy,
    raisedAt: at,
    seen: input.seen.trim(),
    when: input.when,
    urgency: input.urgency,
    status: "raised",
    level: 0,
    recipients: [...new Set(input.firstRecipients)],
    nextCheckAt: addWorkingHours(input.at, input.rules.remindAfterHours, input.rules.workingHours).toISOString(),
    acknowledgedBy: null,
    acknowledgedAt: null,
    mashOutcome: null,
    resolvedOutcome: null,
    history: [{ at, by: input.raisedBy, action: "raised" }],
  };
}

export type ActionRefusal = { code: "not_an_escalation_recipient" | "already_acknowledged" | "already_resolved" | "outcome_missing"; message: string };

/** Only the people the escalation was sent to may act on it. */
export function mayAct(e: Escalation, actor: string): ActionRefusal | null {
  if (!e.recipients.includes(actor.toLowerCase())) {
    return { code: "not_an_escalation_recipient", message: "This concern was not sent to you, so you cannot act on it. Nothing has changed." };
  }
  return null;
}

export function acknowledge(e: Escalation, by: string, at: Date, rules: LadderRules): Escalation | ActionRefusal {
  if (e.status !== "raised") return { code: "already_acknowledged", message: `This concern was already acknowledged by ${e.acknowledgedBy ?? "someone"}.` };
  const iso = at.toISOString();
  return {
    ...e,
    status: "acknowledged",
    acknowledgedBy: by,
    acknowledgedAt: iso,
    nextCheckAt: resolveCheck(at, rules),
    history: [...e.history, { at: iso, by, action: "acknowledged" }],
  };
}

export function recordMash(e: Escalation, by: string, at: Date, outcome: string, rules: LadderRules): Escalation | ActionRefusal {
  if (e.status === "resolved") return { code: "already_resolved", message: "This concern is already resolved." };
  if (outcome.trim().length < MIN_OUTCOME) return { code: "outcome_missing", message: `Write the outcome of the MASH conversation (at least ${MIN_OUTCOME} characters).` };
  const iso = at.toISOString();
  // Recording a MASH conversation shows someone has it in hand: it counts as acknowledging.
  const acknowledged = e.status === "raised" ? { acknowledgedBy: by, acknowledgedAt: iso } : {};
  return {
    ...e,
    ...acknowledged,
    status: "mash_held",
    mashOutcome: outcome.trim(),
    nextCheckAt: resolveCheck(at, rules),
    history: [...e.history, { at: iso, by, action: "mash_held" }],
  };
}

export function resolve(e: Escalation, by: string, at: Date, outcome: string): Escalation | ActionRefusal {
  if (e.status === "resolved") return { code: "already_resolved", message: "This concern is already resolved." };
  if (outcome.trim().length < MIN_OUTCOME) return { code: "outcome_missing", message: `Write how it was resolved (at least ${MIN_OUTCOME} characters).` };
  const iso = at.toISOString();
  const acknowledged = e.acknowledgedBy ? {} : { acknowledgedBy: by, acknowledgedAt: iso };
  return { ...e, ...acknowledged, status: "resolved", resolvedOutcome: outcome.trim(), nextCheckAt: null, history: [...e.history, { at: iso, by, action: "resolved" }] };
}

function resolveCheck(at: Date, rules: LadderRules): string {
  const day = addWorkingDays(londonDate(at), rules.resolveReminderDays);
  return londonDateTime(day, rules.workingHours.start).toISOString();
}

export type LadderStep =
  | { kind: "none" }
  | { kind: "remind_fsm" }
  | { kind: "escalate"; level: number }
  | { kind: "resolve_reminder" };

/** What the ladder does now, if anything. Pure: the caller stores the result with an ETag so it happens once. */
export function ladderStep(e: Escalation, now: Date): LadderStep {
  if (e.status === "resolved" || e.nextCheckAt === null || new Date(e.nextCheckAt) > now) return { kind: "none" };
  if (e.status === "acknowledged" || e.status === "mash_held") return { kind: "resolve_reminder" };
  if (e.level === 0) return { kind: "remind_fsm" };
  return { kind: "escalate", level: e.level + 1 };
}

export function applyLadderStep(e: Escalation, step: LadderStep, now: Date, rules: LadderRules, newRecipients: string[]): Escalation {
  const iso = now.toISOString();
  switch (step.kind) {
    case "none":
      return e;
    case "remind_fsm":
      return { ...e, level: 1, nextCheckAt: addWorkingHours(now, rules.escalateAfterHours, rules.workingHours).toISOString(), history: [...e.history, { at: iso, by: "ladder", action: "reminded" }] };
    case "escalate":
      return {
        ...e,
        level: step.level,
        recipients: [...new Set([...e.recipients, ...newRecipients])],
        nextCheckAt: addWorkingHours(now, rules.escalateAfterHours, rules.workingHours).toISOString(),
        history: [...e.history, { at: iso, by: "ladder", action: "escalated" }],
      };
    case "resolve_reminder":
      return { ...e, nextCheckAt: resolveCheck(now, rules), history: [...e.history, { at: iso, by: "ladder", action: "resolve_reminder" }] };
    default: {
      const never: never = step;
      throw new Error(`unknown ladder step ${JSON.stringify(never)}`);
    }
  }
}
