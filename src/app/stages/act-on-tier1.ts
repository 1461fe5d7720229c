// Use case: the checker answers a Tier 1 quality-control card. Only the person it was addressed to may (the LP's
// manager, or for the QA pool a QA member who is not the LP); the answers and the LP's notice of any missing field are
// one ETag transaction with the check, so nobody hears of a check that was not stored.
import { hasRole, type Person } from "../../domain/person";
import { answerTier1, mayAnswer, tier1Problems, type Tier1Check, type Tier1Input } from "../../domain/tier1";
import type { Checklist } from "../../domain/tier1-checklist";
import { noticeView } from "../cards/audit-views";
import type { Form, Tier1Ref } from "../commands";
import type { ChatDeps, ChatReply } from "../chat-deps";
import type { ErrorCode } from "../errors";
import { retryOnLostRace } from "../etag-retry";
import type { OutboxMessage } from "../delivery/outbox";
import { tier1FailedNotice, tier1View } from "../cards/tier1-views";
import { stringInput } from "../cards/card-input";

// A key is at most 125 characters (a 100-character case reference, kind and date); 140 keeps it under the storage
// key limit even with every character escaped.

export async function actOnTier1(deps: ChatDeps, actor: Person, ref: Tier1Ref, data: Form): Promise<ChatReply> {
  const refuse = (message: string, code: ErrorCode): ChatReply => ({ view: noticeView("You cannot answer this check", message), inPlace: false, code });
  return retryOnLostRace<ChatReply>(async () => {
    const found = await deps.tier1.get(ref.eventOn, ref.key);
    // Same words whether there is no such check or it is someone else's: a stranger learns nothing, not even the case.
    if (!found || !mayAnswer(found.check, { email: actor.email, isQa: hasRole(actor, "qa") })) {
      return refuse("This quality control check is only for the person it was sent to.", "tier1_not_yours");
    }
    const check = found.check;
    if (check.status !== "waiting") return { view: tier1View(check, deps.checklist), inPlace: true, code: "tier1_already_answered" };
    const input = readInput(check, data);
    const problems = tier1Problems(check, deps.checklist, input);
    if (problems.length > 0) return { view: tier1View(check, deps.checklist, { input, problems }), inPlace: true, code: "tier1_invalid" };
    const now = deps.clock.now();
    const next = answerTier1(check, input, actor.email, now);
    const event = { at: now.toISOString(), actor: actor.email, type: "tier1_checked", subject: `${check.eventOn}/${check.caseRef}`, data: { kind: check.kind, status: next.status } };
    await deps.tier1.update(next, found.version, { outbox: messagesFor(next, deps.checklist, now), events: [event] });
    return { view: tier1View(next, deps.checklist), inPlace: true };
  }, () => ({ view: noticeView("Please try again", "Someone answered this check at the same moment. Press the button again."), inPlace: false, code: "tier1_conflict" }));
}

function readInput(check: Tier1Check, data: Record<string, unknown>): Tier1Input {
  return { answers: Object.fromEntries(check.checkIds.map((id) => [id, stringInput(data, `tier1.${id}`).trim()])), comment: stringInput(data, "tier1.comment") };
}

/** A failed check tells the lead professional which fields to complete; a passed one tells nobody. */
function messagesFor(check: Tier1Check, checklist: Checklist, now: Date): OutboxMessage[] {
  if (check.status !== "failed" || !check.leadProfessionalEmail) return [];
  return [{ id: `t1:${check.eventOn}:${check.key}:failed:${check.leadProfessionalEmail}`, recipientEmail: check.leadProfessionalEmail, view: tier1FailedNotice(check, checklist), createdAt: now.toISOString() }];
}
