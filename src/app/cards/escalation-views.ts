// The escalation card as each recipient sees it, and the messages that carry it. What was seen appears only here.
import type { Escalation, EscalationEvent } from "../../domain/escalation";
import type { Person } from "../../domain/person";
import { timeAndDate } from "./format";
import type { OutboxMessage } from "../delivery/outbox";
import type { View } from "./views";

const URGENCY: Record<Escalation["urgency"], string> = {
  immediate: "Immediate: a child may be at risk now",
  today: "Today",
  "this-week": "This week",
};

const ACTION_TEXT: Record<EscalationEvent["action"], string> = {
  raised: "Raised",
  reminded: "Reminder sent to the Family Support Manager",
  escalated: "Escalated to the Service Leader",
  acknowledged: "Acknowledged",
  mash_held: "MASH conversation recorded",
  resolved: "Resolved",
  resolve_reminder: "Reminder: not resolved yet",
};

export function escalationView(e: Escalation, viewer: string, names: ReadonlyMap<string, Person>, nextStep: string): View {
  const name = (email: string | null) => (email ? (names.get(email)?.name ?? email) : "Not recorded");
  const status =
    e.status === "raised"
      ? "Waiting for acknowledgement"
      : e.status === "resolved"
        ? `Resolved: ${e.resolvedOutcome ?? ""}`
        : e.status === "mash_held"
          ? `MASH conversation held: ${e.mashOutcome ?? ""}`
          : `Acknowledged by ${name(e.acknowledgedBy)} at ${timeAndDate(new Date(e.acknowledgedAt!))}`;
  const mayAct = e.recipients.includes(viewer);
  const viewerRoles = names.get(viewer)?.roles ?? [];
  return {
    template: "escalation",
    data: {
      escalationId: e.id,
      caseRef: e.caseRef,
      serviceArea: e.serviceArea,
      leadProfessional: e.leadProfessionalEmail ? `${name(e.leadProfessionalEmail)} (${e.leadProfessionalEmail})` : "Not recorded",
      seen: e.seen,
      when: e.when === "current" ? "Current" : "In the past",
      urgency: URGENCY[e.urgency],
      raisedBy: name(e.raisedBy),
      raisedAt: timeAndDate(new Date(e.raisedAt)),
      status,
      nextStep: e.status === "resolved" ? "" : nextStep,
      history: e.history.map((h) => ({ at: timeAndDate(new Date(h.at)), text: `${ACTION_TEXT[h.action]}${h.by !== "ladder" ? ` by ${name(h.by)}` : ""}` })),
      canAcknowledge: mayAct && e.status === "raised",
      canRecordMash: mayAct && (e.status === "raised" || e.status === "acknowledged"),
      canResolve: mayAct && e.status !== "resolved",
      audience: viewerRoles.includes("service_leader") && !viewerRoles.includes("fsm") ? "Escalated to you as Service Leader for Early Help." : "Sent to you as Family Support Manager.",
    },
  };
}

/** What the ladder will do next, in words a person can check against the clock. */
export function nextStepText(e: Escalation): string {
  if (e.status === "resolved" || !e.nextCheckAt) return "";
  const when = timeAndDate(new Date(e.nextCheckAt));
  if (e.status !== "raised") return `If it is not resolved by ${when}, the Family Support Manager is reminded.`;
  if (e.level === 0) return `If nobody has acknowledged it by ${when}, the Family Support Manager is reminded; then it goes to the Service Leader.`;
  if (e.level === 1) return `If nobody has acknowledged it by ${when}, it goes to the Service Leader for Early Help.`;
  return `If nobody has acknowledged it by ${when}, the Service Leader is reminded again.`;
}

export const cardMessageId = (e: Escalation, email: string) => `esc:${e.id}:card:${email}`;

/** The card for each recipient: new for those who have none yet, an update in place for those who do. */
export function cardMessages(e: Escalation, recipients: readonly string[], names: ReadonlyMap<string, Person>, at: string, alreadyHolding: ReadonlySet<string>): OutboxMessage[] {
  const next = nextStepText(e);
  return recipients.map((email) =>
    alreadyHolding.has(email)
      ? { id: `esc:${e.id}:update:${e.history.length}:${email}`, recipientEmail: email, view: escalationView(e, email, names, next), createdAt: at, replacesId: cardMessageId(e, email) }
      : { id: cardMessageId(e, email), recipientEmail: email, view: escalationView(e, email, names, next), createdAt: at },
  );
}
