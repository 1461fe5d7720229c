// Use case: "I was involved in this case". The case goes at once to another eligible auditor, or back to the
// QA team's pool, and the reason is kept on the audit. Same rules as the monthly allocation (see reallocate.ts).
import { mayWork, type Audit, type Refusal } from "../../domain/audit";
import type { Person } from "../../domain/person";
import { noticeView } from "../cards/audit-views";
import type { ChatDeps, ChatReply } from "../chat-deps";
import { retryOnLostRace } from "../etag-retry";
import { reallocate } from "../allocation/reallocate";
import { auditHeldBy } from "./audit-held-by";

const MIN_REASON = 5;

export async function declareInvolved(deps: ChatDeps, actor: Person, ref: { month: string; caseRef: string }, reason: string): Promise<ChatReply> {
  if (reason.trim().length < MIN_REASON) {
    return { view: noticeView("Say why you cannot audit this case", `Add a short reason (at least ${MIN_REASON} characters), for example "I supervised the lead professional", and press Send to another auditor again.`), inPlace: false, code: "reason_missing" };
  }
  return retryOnLostRace<ChatReply>(async () => {
    const found = await auditHeldBy(deps.allocations, ref.month, ref.caseRef, actor.email);
    const refusal: Refusal | null = found ? mayWork(found.audit, actor.email) : { code: "not_your_audit", message: `Case ${ref.caseRef} is not allocated to you.` };
    if (!found || refusal) return { view: noticeView("You cannot change this audit", refusal!.message), inPlace: false, code: refusal!.code };
    if (found.audit.status === "submitted") {
      return { view: noticeView("This audit is already submitted", `Case ${ref.caseRef} was submitted, so it cannot be passed on. Tell the QA team about your involvement.`), inPlace: false, code: "audit_submitted" };
    }
    return await passOn(deps, actor, found.audit, found.version, reason.trim().slice(0, 1000));
  }, () => ({ view: noticeView("Please try again", "The audit changed while we were passing it on. Press the button again."), inPlace: false, code: "audit_conflict" }));
}

async function passOn(deps: ChatDeps, actor: Person, audit: Audit, version: string, reason: string): Promise<ChatReply> {
  const { next } = await reallocate(deps, audit, version, {
    actor,
    decline: { by: actor.email, reason },
    why: "was involved in the case",
    event: (passed) => ({
      at: deps.clock.now().toISOString(),
      actor: actor.email,
      type: "audit_declined_involved",
      subject: `${audit.month}/${audit.caseRef}`,
      data: { outcome: passed.status === "allocated" ? "reallocated" : "returned_to_qa", declines: passed.declines.length },
    }),
  });
  return next.status === "allocated"
    ? { view: noticeView(`${audit.caseRef} has gone to another auditor`, "Thank you for saying. It is no longer in your audits, and nothing you had started on it was kept."), inPlace: true }
    : { view: noticeView(`${audit.caseRef} is back with the QA team`, "Thank you for saying. No other auditor could take it this month, so the QA team will allocate it. It is no longer in your audits."), inPlace: true };
}
