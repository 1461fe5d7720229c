// The QA team's card for an audit that needs a decision: overdue, or due while its auditor is away. Extend the due
// date or reallocate it. Which audits need one is decided here, so the reminders job and the buttons agree.
import type { Audit } from "../../domain/audit";
import type { Person } from "../../domain/person";
import { addWorkingDays } from "../../domain/working-days";
import { longDate } from "./format";
import type { View } from "./views";

export type DecisionNeed = "overdue" | "away";

/** Why the QA team must decide on this audit today, or null when it needs no decision (any more). */
export function decisionNeeded(audit: Audit, auditor: Person | undefined, today: string): DecisionNeed | null {
  if (audit.status === "submitted" || audit.status === "unallocated" || audit.status === "withdrawn" || audit.auditorEmail === "") return null;
  if (audit.dueOn < today) return "overdue";
  const awayUntil = auditor?.awayUntil;
  if (awayUntil && awayUntil >= today && audit.dueOn <= awayUntil) return "away";
  return null;
}

/** The date the "New due date" input starts on: 5 working days after today, or after the auditor's last day away. */
export function suggestedDueOn(need: DecisionNeed | null, auditor: Person | undefined, today: string): string {
  const from = need === "away" && auditor?.awayUntil && auditor.awayUntil > today ? auditor.awayUntil : today;
  return addWorkingDays(from, 5);
}

export function decisionReason(need: DecisionNeed | null, audit: Audit, auditor: Person | undefined): string {
  if (need === "overdue") return `The audit was due on ${longDate(audit.dueOn)} and is not submitted.`;
  if (need === "away") return `The audit is due on ${longDate(audit.dueOn)} and ${auditor?.name ?? "its auditor"} is away until ${longDate(auditor!.awayUntil!)}.`;
  if (audit.status === "unallocated") return "No eligible auditor could take it, so it is with the QA team to allocate by hand.";
  return `The audit is due on ${longDate(audit.dueOn)}.`;
}

export interface DecisionCard {
  audit: Audit;
  /** The auditor who has the audit now, if anyone. */
  auditor: Person | undefined;
  /** Why it came to the QA team, said about the audit as it was then. */
  reason: string;
  suggestedDueOn: string;
  status: string;
  canDecide: boolean;
}

export function auditDecisionView(c: DecisionCard): View {
  return {
    template: "audit-decision",
    data: {
      month: c.audit.month,
      caseRef: c.audit.caseRef,
      serviceArea: c.audit.serviceArea,
      auditorName: c.audit.auditorEmail === "" ? "Nobody yet: with the QA team" : (c.auditor?.name ?? c.audit.auditorEmail),
      dueOn: longDate(c.audit.dueOn),
      reason: c.reason,
      suggestedDueOn: c.suggestedDueOn,
      status: c.status,
      canDecide: c.canDecide,
    },
  };
}

export const WAITING_FOR_DECISION = "Waiting for a decision";
