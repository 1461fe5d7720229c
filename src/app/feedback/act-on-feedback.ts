// Use cases on an audit's feedback: QA releases it, the lead professional replies, the manager comments and
// confirms actions, either updates RAG progress, QA closes. Only the LP, their manager, the auditor and QA may see it.
import { createHash } from "node:crypto";
import { applyLpReply, close, confirmActions, release, replyProblems, updateRag, type Feedback, type LpReply, type Rag } from "../../domain/feedback";
import { hasRole, type Person } from "../../domain/person";
import { belowGoodQuestions, readyForRecheck, scheduleRecheck } from "../../domain/recheck";
import { noticeView } from "../cards/audit-views";
import { stringInput } from "../cards/card-input";
import type { AuditRef, FeedbackVerb, Form } from "../commands";
import type { ChatDeps, ChatReply } from "../chat-deps";
import type { ErrorCode } from "../errors";
import { retryOnLostRace } from "../etag-retry";
import { audienceOf, feedbackView, type FeedbackAudience } from "../cards/feedback-views";
import type { OutboxMessage } from "../delivery/outbox";


const ALLOWED: Record<FeedbackVerb, FeedbackAudience[]> = {
  releaseFeedback: ["qa"],
  replyFeedback: ["lp"],
  managerComment: ["manager"],
  confirmActions: ["manager"],
  updateRag: ["lp", "manager"],
  closeFeedback: ["qa"],
};


export async function actOnFeedback(deps: ChatDeps, actor: Person, verb: FeedbackVerb, ref: AuditRef, data: Form): Promise<ChatReply> {
  const refuse = (message: string, code: ErrorCode): ChatReply => ({ view: noticeView("You cannot do that on this feedback", message), inPlace: false, code });
  return retryOnLostRace<ChatReply>(async () => {
    const [found, audit] = await Promise.all([deps.feedback.get(ref.month, ref.caseRef), deps.allocations.get(ref.month, ref.caseRef)]);
    const audience = found ? audienceOf(found.feedback, actor.email, hasRole(actor, "qa")) : null;
    // Same words whether there is no such feedback or it is not theirs: a stranger learns nothing.
    if (!found || !audit || !audience) return refuse(`The feedback on case ${ref.caseRef} is only for its lead professional, their manager, the auditor and the QA team.`, "feedback_not_yours");
    const toolkit = deps.toolkits.get(audit.audit.toolkitId)!;
    const f = found.feedback;
    if (!ALLOWED[verb].includes(audience)) return refuse("That button is not for you on this feedback.", "feedback_role_refused");
    // Feedback the QA team has not released yet (a corrected audit back in review) is not shown to the LP or manager.
    if ((audience === "lp" || audience === "manager") && f.status === "awaiting_review") {
      return {
        view: noticeView(`Feedback on ${f.caseRef} is being reviewed`, "The audit was updated and the QA team is reviewing it. You will get the new feedback here when they release it."),
        inPlace: false,
        code: "feedback_not_released",
      };
    }
    const cardVersion = Number(stringInput(data, "auditVersion") || f.auditVersion);
    if (cardVersion !== f.auditVersion) {
      // The audit was corrected since this card was sent: show the newer version instead of storing against the old.
      return { view: feedbackView(f, audit.audit, toolkit, audience), inPlace: true, code: "feedback_newer_version" };
    }
    const now = deps.clock.now();
    const outcome = decide(deps, actor, verb, f, data, now);
    if ("problem" in outcome) return { view: noticeView("Please complete the card", outcome.problem), inPlace: false, code: "feedback_invalid" };
    if (outcome.next === f) return { view: feedbackView(f, audit.audit, toolkit, audience), inPlace: true, code: "feedback_unchanged" };
    // The last action done and confirmed below good: the re-check of the change for the child is stored with it.
    const closesOut = (verb === "confirmActions" || verb === "updateRag") && readyForRecheck(outcome.next);
    const next = closesOut ? scheduleRecheck(outcome.next, belowGoodQuestions(audit.audit, toolkit), now, deps.feedbackRules.recheckDelayDays) : outcome.next;
    const outbox = await messagesFor(deps, verb, next, audit.audit, toolkit, actor, now);
    const event = { at: now.toISOString(), actor: actor.email, type: `feedback_${verb}`, subject: `${f.month}/${f.caseRef}`, data: { status: next.status, version: f.auditVersion, recheckScheduled: closesOut } };
    await deps.feedback.update(next, found.version, { outbox, events: [event] });
    return { view: feedbackView(next, audit.audit, toolkit, audience), inPlace: true };
  }, () => ({ view: noticeView("Please try again", "Someone changed this feedback at the same moment. Press the button again."), inPlace: false, code: "feedback_conflict" }));
}

function decide(deps: ChatDeps, actor: Person, verb: FeedbackVerb, f: Feedback, data: Record<string, unknown>, now: Date): { next: Feedback } | { problem: string } {
  if (f.status === "closed") return { next: f };
  switch (verb) {
    case "releaseFeedback":
      return { next: f.status === "awaiting_review" ? release(f, actor.email, now, deps.feedbackRules) : f };
    case "replyFeedback": {
      const reply = readReply(f, data);
      if (Object.keys(reply.responses).length === 0 && reply.comment.trim() === "" && reply.ownActions.every((a) => a.action.trim() === "")) {
        return { problem: "There is nothing to send yet: answer an action, add a comment or an action of your own." };
      }
      const problems = replyProblems(f, reply);
      return problems.length > 0 ? { problem: problems.map((p) => p.message).join(" ") } : { next: applyLpReply(f, reply, now, actor.email) };
    }
    case "managerComment": {
      const comment = stringInput(data, "managerComment").trim();
      if (comment.length < 3) return { problem: "Write your comment, then press Send comment." };
      if (f.managerComment?.text === comment) return { next: f };
      return { next: { ...f, managerComment: { text: comment.slice(0, 3000), at: now.toISOString(), by: actor.email } } };
    }
    case "confirmActions": {
      const confirmations: Record<string, { done: boolean; note: string; newDate: string }> = {};
      for (const a of f.actions) {
        const done = stringInput(data, `action.${a.id}.done`);
        if (done === "done" || done === "not-done") confirmations[a.id] = { done: done === "done", note: stringInput(data, `action.${a.id}.note`), newDate: stringInput(data, `action.${a.id}.newDate`) };
      }
      if (Object.keys(confirmations).length === 0) return { problem: "Choose Done or Not done for at least one action." };
      const result = confirmActions(f, confirmations, actor.email, now);
      return Array.isArray(result) ? { problem: result.map((p) => p.message).join(" ") } : { next: result };
    }
    case "updateRag": {
      const changes: Record<string, Rag> = {};
      for (const a of f.actions) {
        const rag = stringInput(data, `action.${a.id}.rag`);
        if (rag === "red" || rag === "amber" || rag === "green") changes[a.id] = rag;
      }
      return { next: updateRag(f, changes, actor.email, now) };
    }
    case "closeFeedback": {
      const result = close(f, stringInput(data, "closeReason"), actor.email);
      return Array.isArray(result) ? { problem: result.map((p) => p.message).join(" ") } : { next: result };
    }
    default: {
      const never: never = verb;
      throw new Error(`unknown feedback verb ${String(never)}`);
    }
  }
}

function readReply(f: Feedback, data: Record<string, unknown>): LpReply {
  const responses: LpReply["responses"] = {};
  for (const a of f.actions) {
    const answer = stringInput(data, `action.${a.id}.response`);
    if (answer === "accept" || answer === "change") {
      responses[a.id] = { accept: answer === "accept", date: stringInput(data, `action.${a.id}.date`), proposal: stringInput(data, `action.${a.id}.proposal`), reason: stringInput(data, `action.${a.id}.reason`) };
    }
  }
  const ownActions = [0, 1].map((i) => ({ action: stringInput(data, `own.${i}.action`), byWhom: stringInput(data, `own.${i}.byWhom`), byWhen: stringInput(data, `own.${i}.byWhen`) }));
  const comment = stringInput(data, "lpComment").slice(0, 3000);
  // The same submit (a double click, a retried request) has the same id, so it is stored once.
  const replyId = createHash("sha256").update(JSON.stringify([f.auditVersion, responses, ownActions, comment])).digest("hex").slice(0, 16);
  return { replyId, comment, responses, ownActions };
}

async function messagesFor(deps: ChatDeps, verb: FeedbackVerb, f: Feedback, audit: Parameters<typeof feedbackView>[1], toolkit: Parameters<typeof feedbackView>[2], actor: Person, now: Date): Promise<OutboxMessage[]> {
  const at = now.toISOString();
  const base = `fb:${f.month}:${f.caseRef}:v${f.auditVersion}`;
  if (verb === "releaseFeedback") {
    const to = [
      ...(f.leadProfessionalEmail ? [{ email: f.leadProfessionalEmail, audience: "lp" as const }] : []),
      ...(f.managerEmail ? [{ email: f.managerEmail, audience: "manager" as const }] : []),
    ];
    return [
      ...to.map((r) => ({ id: `${base}:card:${r.email}`, recipientEmail: r.email, view: feedbackView(f, audit, toolkit, r.audience), createdAt: at })),
      { id: `${base}:released:${f.auditorEmail}`, recipientEmail: f.auditorEmail, view: noticeView(`Feedback sent: ${f.caseRef}`, "The QA team has sent your audit's feedback to the lead professional and their manager. You will hear when they reply."), createdAt: at },
    ];
  }
  if (verb === "replyFeedback" || verb === "managerComment") {
    // The auditor and the QA team are told that a reply came, not what it says: they can open the feedback for that.
    const who = verb === "replyFeedback" ? "The lead professional" : "The lead professional's manager";
    const qa = (await deps.people.all()).filter((p) => hasRole(p, "qa")).map((p) => p.email);
    const n = verb === "replyFeedback" ? f.replyIds.length : f.managerComment?.at ?? "";
    return [...new Set([f.auditorEmail, ...qa])]
      .filter((e) => e !== actor.email)
      .map((email) => ({ id: `${base}:${verb}:${n}:${email}`, recipientEmail: email, view: noticeView(`${who} replied on ${f.caseRef}`, `${who} has replied to the audit feedback on case ${f.caseRef}.`), createdAt: at }));
  }
  return [];
}
