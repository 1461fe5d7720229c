// Use case: a lead professional answers "Still open?". Only the LP it was sent to may; the answer is stored with an
// ETag, so two devices answering at once cannot overwrite each other. The answer is kept as a check and never
// written to the case register: the QA team takes it to the case system (caf-audit stale).
import type { Person } from "../../domain/person";
import { answerStale, staleProblems, type StaleInput } from "../../domain/stale-case";
import { londonDate } from "../../domain/working-days";
import { noticeView } from "../cards/audit-views";
import type { AuditRef, Form } from "../commands";
import type { ChatDeps, ChatReply } from "../chat-deps";
import type { ErrorCode } from "../errors";
import { retryOnLostRace } from "../etag-retry";
import { staleCaseView } from "../cards/stale-views";

const text = (data: Record<string, unknown>, k: string) => (typeof data[k] === "string" ? (data[k] as string).trim() : "");

export async function actOnStaleCase(deps: ChatDeps, actor: Person, ref: AuditRef, data: Form): Promise<ChatReply> {
  const refuse = (message: string, code: ErrorCode): ChatReply => ({ view: noticeView("You cannot answer this", message), inPlace: false, code });
  const me = actor.email.toLowerCase();
  return retryOnLostRace<ChatReply>(async () => {
    const found = await deps.staleChecks.get(ref.month, ref.caseRef);
    // Same words whether there is no such check or it is someone else's: a stranger learns nothing.
    if (!found || found.check.leadProfessionalEmail !== me) return refuse(`The question about case ${ref.caseRef} is only for the lead professional it was sent to.`, "stale_not_yours");
    if (found.check.answer) return { view: staleCaseView(found.check, deps.staleRules), inPlace: true, code: "stale_already_answered" };
    const input: StaleInput = { outcome: text(data, "stale.outcome"), closedOn: text(data, "stale.closedOn"), reason: text(data, "stale.reason") };
    const now = deps.clock.now();
    const problems = staleProblems(found.check, input, londonDate(now), deps.staleRules);
    if (problems.length > 0) return { view: staleCaseView(found.check, deps.staleRules, { input, problems }), inPlace: true, code: "stale_invalid" };
    const next = answerStale(found.check, input, me, now);
    // No message goes with the answer: the card updates where it was pressed, and the QA team reads the list.
    const event = { at: now.toISOString(), actor: actor.email, type: "stale_case_answered", subject: `${next.month}/${next.caseRef}`, data: { outcome: next.answer!.outcome } };
    await deps.staleChecks.update(next, found.version, { events: [event] });
    return { view: staleCaseView(next, deps.staleRules), inPlace: true };
  }, () => ({ view: noticeView("Please try again", "Someone answered this at the same moment. Press the button again."), inPlace: false, code: "stale_conflict" }));
}
