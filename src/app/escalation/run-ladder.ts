// Job: the escalation ladder. Finds concerns whose check is due, takes each one step with an ETag update (so two
// instances never both step it), and stores the reminders and escalations to send in the same transaction.
import { applyLadderStep, ladderStep } from "../../domain/escalation";
import { hasRole } from "../../domain/person";
import type { ChatDeps } from "../chat-deps";
import { lostRace } from "../etag-retry";
import { cardMessageId, cardMessages, nextStepText } from "../cards/escalation-views";
import { noticeView } from "../cards/audit-views";
import type { OutboxMessage } from "../delivery/outbox";

export async function runLadder(deps: ChatDeps): Promise<{ stepped: number }> {
  const now = deps.clock.now();
  const due = await deps.escalations.due(now);
  if (due.length === 0) return { stepped: 0 };
  const people = await deps.people.all();
  const names = new Map(people.map((p) => [p.email, p]));
  const leaders = people.filter((p) => hasRole(p, "service_leader")).map((p) => p.email);
  const qa = people.filter((p) => hasRole(p, "qa")).map((p) => p.email);
  let stepped = 0;
  for (const { escalation, version } of due) {
    const step = ladderStep(escalation, now);
    if (step.kind === "none") continue;
    // Above the FSM is the Service Leader (never one who is the case's lead professional or their manager); with
    // nobody in that role the QA team, so the ladder never ends in the air.
    const part = new Set([escalation.leadProfessionalEmail, escalation.lpManagerEmail].filter((e): e is string => !!e).map((e) => e.toLowerCase()));
    const uninvolved = leaders.filter((e) => !part.has(e.toLowerCase()));
    const above = uninvolved.length > 0 ? uninvolved : qa;
    const next = applyLadderStep(escalation, step, now, deps.ladder, step.kind === "escalate" ? above : []);
    const at = now.toISOString();
    const holding = new Set(escalation.recipients);
    const outbox: OutboxMessage[] = [...cardMessages(next, next.recipients, names, at, holding)];
    const nudge = (to: string[], title: string, text: string) =>
      to.map((email) => ({ id: `esc:${next.id}:nudge:${next.history.length}:${email}`, recipientEmail: email, view: noticeView(title, text), createdAt: at }));
    if (step.kind === "remind_fsm") {
      outbox.push(...nudge(escalation.recipients, `Reminder: unsafe practice on ${next.caseRef} needs acknowledging`, `Nobody has acknowledged it yet. ${nextStepText(next)}`));
    } else if (step.kind === "escalate") {
      outbox.push(...nudge(above, `Escalated: unsafe practice on ${next.caseRef}`, `It was not acknowledged in time, so it has come to you. Open the card to see the history and acknowledge it.`));
    } else {
      // The Family Support Managers holding it are reminded (as the card promises), and whoever acknowledged it.
      const fsms = escalation.recipients.filter((email) => names.get(email) && hasRole(names.get(email)!, "fsm"));
      const remind = [...new Set([...(next.acknowledgedBy ? [next.acknowledgedBy] : []), ...fsms])];
      outbox.push(...nudge(remind.length > 0 ? remind : escalation.recipients, `Not resolved yet: ${next.caseRef}`, `The unsafe practice concern on ${next.caseRef} is acknowledged but not resolved. Record the outcome on its card when it is.`));
    }
    try {
      const event = { at, actor: "ladder", type: `escalation_${step.kind}`, subject: next.caseRef, data: { escalationId: next.id, level: next.level } };
      await deps.escalations.update(next, version, { outbox, events: [event] });
      stepped++;
    } catch (err) {
      // Another instance stepped it first: that is the "once" the ETag is for.
      if (lostRace(err)) continue;
      throw err;
    }
  }
  return { stepped };
}

export { cardMessageId };
