// Use case: the auditor answers a re-check. Only the auditor it was sent to may; the answer and every message it
// causes are one ETag transaction with the feedback, so nobody hears of a re-check that was not stored.
import { hasRole, type Person } from "../../domain/person";
import type { Feedback, Recheck } from "../../domain/feedback";
import { answerRecheck, latestRecheck, recheckProblems, type RecheckInput } from "../../domain/recheck";
import type { Audit } from "../../domain/audit";
import type { Toolkit } from "../../domain/toolkit";
import { noticeView } from "../cards/audit-views";
import { stringInput } from "../cards/card-input";
import type { AuditRef, Form } from "../commands";
import type { ChatDeps, ChatReply } from "../chat-deps";
import type { ErrorCode } from "../errors";
import { retryOnLostRace } from "../etag-retry";
import { feedbackView } from "../cards/feedback-views";
import { longDate } from "../cards/format";
import type { OutboxMessage } from "../delivery/outbox";
import { recheckView } from "../cards/recheck-views";


export async function actOnRecheck(deps: ChatDeps, actor: Person, ref: AuditRef, round: number, data: Form): Promise<ChatReply> {
  const refuse = (message: string, code: ErrorCode): ChatReply => ({ view: noticeView("You cannot answer this re-check", message), inPlace: false, code });
  return retryOnLostRace<ChatReply>(async () => {
    const [found, stored] = await Promise.all([deps.feedback.get(ref.month, ref.caseRef), deps.allocations.get(ref.month, ref.caseRef)]);
    const r = found?.feedback.rechecks?.find((x) => x.round === round);
    // Same words whether there is no such re-check or it is someone else's: a stranger learns nothing.
    if (!found || !stored || !r || r.auditorEmail !== actor.email.toLowerCase()) {
      return refuse(`The re-check of case ${ref.caseRef} is only for the auditor it was sent to.`, "recheck_not_yours");
    }
    const f = found.feedback;
    const audit = stored.audit;
    const toolkit = deps.toolkits.get(audit.toolkitId)!;
    if (r.status !== "sent" || latestRecheck(f) !== r) return { view: recheckView(f, r, audit, toolkit), inPlace: true, code: "recheck_already_answered" };
    const input = readInput(r, data);
    const problems = recheckProblems(r, toolkit, input);
    if (problems.length > 0) return { view: recheckView(f, r, audit, toolkit, { input, problems }), inPlace: true, code: "recheck_invalid" };
    const now = deps.clock.now();
    const next = answerRecheck(f, input, actor.email.toLowerCase(), now, deps.feedbackRules);
    const answered = latestRecheck(next)!;
    const event = { at: now.toISOString(), actor: actor.email, type: "recheck_answered", subject: `${f.month}/${f.caseRef}`, data: { round, outcome: answered.answer!.outcome } };
    await deps.feedback.update(next, found.version, { outbox: await messagesFor(deps, next, audit, toolkit, now), events: [event] });
    return { view: recheckView(next, answered, audit, toolkit), inPlace: true };
  }, () => ({ view: noticeView("Please try again", "Someone changed this feedback at the same moment. Press the button again."), inPlace: false, code: "recheck_conflict" }));
}

function readInput(r: Recheck, data: Record<string, unknown>): RecheckInput {
  return {
    outcome: stringInput(data, "recheck.outcome").trim(),
    evidence: stringInput(data, "recheck.evidence"),
    grades: Object.fromEntries(r.questionIds.map((id) => [id, stringInput(data, `recheck.${id}`).trim()])),
    action: { action: stringInput(data, "recheck.action"), byWhom: stringInput(data, "recheck.byWhom"), byWhen: stringInput(data, "recheck.byWhen").trim() },
  };
}

/** Verified: the LP and manager hear so. Reopened: they get the feedback again, and the QA team is told. No free text. */
async function messagesFor(deps: ChatDeps, f: Feedback, audit: Audit, toolkit: Toolkit, now: Date): Promise<OutboxMessage[]> {
  const r = latestRecheck(f)!;
  const at = now.toISOString();
  const base = `fb:${f.month}:${f.caseRef}:v${f.auditVersion}:recheck:${r.round}`;
  const to = [...(f.leadProfessionalEmail ? [{ email: f.leadProfessionalEmail, audience: "lp" as const }] : []), ...(f.managerEmail ? [{ email: f.managerEmail, audience: "manager" as const }] : [])];
  if (r.status === "verified") {
    return to.map(({ email }) => ({
      id: `${base}:verified:${email}`,
      recipientEmail: email,
      view: noticeView(`Re-check of ${f.caseRef}: verified`, `The re-check of case ${f.caseRef} found that the change agreed after its audit has happened for the child. The audit is closed as verified.`),
      createdAt: at,
    }));
  }
  const how = r.answer!.outcome === "no" ? "has not happened" : "has only partly happened";
  const qa = (await deps.people.all()).filter((p) => hasRole(p, "qa")).map((p) => p.email);
  return [
    ...to.map(({ email, audience }) => ({ id: `${base}:card:${email}`, recipientEmail: email, view: feedbackView(f, audit, toolkit, audience), createdAt: at })),
    ...qa.map((email) => ({
      id: `${base}:reopened:${email}`,
      recipientEmail: email,
      view: noticeView(`Re-check of ${f.caseRef}: reopened`, `The re-check of case ${f.caseRef} found that the agreed change ${how} for the child. The feedback is open again with a new action, to be confirmed by ${longDate(f.correctiveDueOn!)}.`),
      createdAt: at,
    })),
  ];
}
