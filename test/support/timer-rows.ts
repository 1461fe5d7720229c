// Escalations and feedback at a chosen point of their timers, built with the domain's own rules, for the tests of
// what the ladder and the reminders hold (`caf-audit jobs`).
import { acknowledge, DEFAULT_LADDER, raise, type Escalation } from "../../src/domain/escalation";
import type { Feedback } from "../../src/domain/feedback";

export const SEEN_TEXT = "Child seen with a bruise the school did not report; the plan says nothing of it.";

export function raisedEscalation(caseRef: string, at: string, by = "asha.patel@example.gov.uk"): Escalation {
  return raise({
    id: `esc-${at.slice(0, 7)}-${caseRef}`,
    caseRef,
    serviceArea: "North",
    auditMonth: at.slice(0, 7),
    leadProfessionalEmail: null,
    lpManagerEmail: null,
    raisedBy: by,
    seen: SEEN_TEXT,
    when: "current",
    urgency: "today",
    at: new Date(at),
    firstRecipients: ["lena.fisher@example.gov.uk"],
    rules: DEFAULT_LADDER,
  });
}

export function acknowledgedEscalation(caseRef: string, raisedAt: string, acknowledgedAt: string): Escalation {
  const e = acknowledge(raisedEscalation(caseRef, raisedAt), "lena.fisher@example.gov.uk", new Date(acknowledgedAt), DEFAULT_LADDER);
  if ("code" in e) throw new Error(e.code);
  return e;
}

export function feedbackRow(caseRef: string, over: Partial<Feedback>): Feedback {
  return {
    month: "2026-12",
    caseRef,
    serviceArea: "North",
    auditVersion: 1,
    auditorEmail: "asha.patel@example.gov.uk",
    leadProfessionalEmail: "sam.lee@example.gov.uk",
    managerEmail: "jo.king@example.gov.uk",
    grade: "requires-improvement",
    belowGood: true,
    status: "awaiting_review",
    submittedAt: "2026-12-01T10:00:00.000Z",
    releasedAt: null,
    releasedBy: null,
    actions: [],
    lpComment: null,
    managerComment: null,
    correctiveDueOn: "2027-01-29",
    nextReminderAt: "2026-12-03T09:00:00.000Z",
    closedReason: null,
    closedBy: null,
    replyIds: [],
    ...over,
  };
}
