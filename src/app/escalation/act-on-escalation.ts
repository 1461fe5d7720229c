// Use case: the FSM or Service Leader acknowledges, records a MASH conversation, or resolves. Only the people the
// concern was sent to may act; every change updates the card in place for everyone who holds it.
import { acknowledge, mayAct, recordMash, resolve, type ActionRefusal, type Escalation } from "../../domain/escalation";
import type { Person } from "../../domain/person";
import { noticeView } from "../cards/audit-views";
import type { EscalationVerb, Form } from "../commands";
import type { ChatDeps, ChatReply } from "../chat-deps";
import type { AuditEvent } from "../ports";
import { retryOnLostRace } from "../etag-retry";
import { cardMessages, escalationView, nextStepText } from "../cards/escalation-views";


export async function actOnEscalation(deps: ChatDeps, actor: Person, verb: EscalationVerb, id: string, data: Form): Promise<ChatReply> {
  const text = (k: string) => (typeof data[k] === "string" ? (data[k] as string) : "");
  return retryOnLostRace<ChatReply>(async () => {
    const found = id ? await deps.escalations.get(id) : undefined;
    // The same answer whether it does not exist or is not theirs: a stranger learns nothing.
    const refusal: ActionRefusal | null = found ? mayAct(found.escalation, actor.email) : { code: "not_an_escalation_recipient", message: "This concern was not sent to you, so you cannot act on it. Nothing has changed." };
    if (!found || refusal) return { view: noticeView("You cannot act on this concern", refusal!.message), inPlace: false, code: refusal!.code };

    const now = deps.clock.now();
    const before = found.escalation;
    const next =
      verb === "acknowledgeEscalation"
        ? acknowledge(before, actor.email, now, deps.ladder)
        : verb === "recordMash"
          ? recordMash(before, actor.email, now, text("mashOutcome"), deps.ladder)
          : resolve(before, actor.email, now, text("resolvedOutcome"));
    const names = new Map((await deps.people.all()).map((p) => [p.email, p]));
    if ("code" in next) {
      const current = escalationView(before, actor.email, names, nextStepText(before));
      // Someone else got there first: show them the card as it is now, with what happened.
      if (next.code === "already_acknowledged" || next.code === "already_resolved") return { view: current, inPlace: true, code: next.code };
      return { view: noticeView("Add the outcome", next.message), inPlace: false, code: next.code };
    }
    const others = next.recipients.filter((r) => r !== actor.email);
    const outbox = cardMessages(next, others, names, now.toISOString(), new Set(others));
    await deps.escalations.update(next, found.version, { outbox, events: [event(deps, actor, verb, next)] });
    return { view: escalationView(next, actor.email, names, nextStepText(next)), inPlace: true };
  }, () => ({ view: noticeView("Please try again", "Someone changed this concern at the same moment. Press the button again."), inPlace: false, code: "escalation_conflict" }));
}

function event(deps: ChatDeps, actor: Person, verb: EscalationVerb, e: Escalation): AuditEvent {
  return { at: deps.clock.now().toISOString(), actor: actor.email, type: `escalation_${verb}`, subject: e.caseRef, data: { escalationId: e.id, status: e.status } };
}
