// Use cases of the optional self-assessment stage: ask the lead professional of each case allocated this month, and
// take their answers. Asking is idempotent (one row per case and month, its card in the same transaction), so a re-run
// of the allocation asks nobody twice. Only the lead professional it was sent to may answer, and only before the audit.
import { requested, selfAssessmentProblems, submitSelfAssessment, type SelfAssessmentInput } from "../../domain/self-assessment";
import type { Person } from "../../domain/person";
import { noticeView } from "../cards/audit-views";
import { stringInput } from "../cards/card-input";
import type { AuditRef, Form } from "../commands";
import type { ChatDeps, ChatReply } from "../chat-deps";
import type { ErrorCode } from "../errors";
import { retryOnLostRace } from "../etag-retry";
import { selfAssessmentView } from "../cards/self-assessment-views";

/** Asks the lead professional of every first audit of `month` not yet submitted; the number asked now. */
export async function requestSelfAssessments(deps: ChatDeps, month: string): Promise<number> {
  if (!deps.selfAssessment.enabled) return 0;
  const { stage } = deps.selfAssessment;
  const toolkit = deps.toolkits.get(stage.toolkit)!;
  const now = deps.clock.now();
  let asked = 0;
  for (const audit of await deps.allocations.listMonth(month)) {
    if (audit.status === "submitted" || audit.toolkitId !== stage.toolkit) continue;
    const lp = (await deps.cases.get(audit.serviceArea, audit.caseRef))?.leadProfessionalEmail;
    // Never to the auditor, and never to nobody: a case with no lead professional is simply not self-assessed.
    if (!lp || lp === audit.auditorEmail) continue;
    const s = requested(audit, lp, stage, now);
    const card = { id: `sa:${month}:${audit.caseRef}:card`, recipientEmail: lp, view: selfAssessmentView(s, stage, toolkit), createdAt: now.toISOString() };
    if ((await deps.selfAssessments.create(s, [card])) === "created") asked++;
  }
  if (asked > 0) await deps.events.append({ at: now.toISOString(), actor: "allocation", type: "self_assessments_requested", subject: month, data: { asked } });
  return asked;
}


export async function answerSelfAssessment(deps: ChatDeps, actor: Person, ref: AuditRef, data: Form): Promise<ChatReply> {
  const refuse = (message: string, code: ErrorCode): ChatReply => ({ view: noticeView("You cannot send this self-assessment", message), inPlace: false, code });
  const { stage } = deps.selfAssessment;
  const toolkit = deps.toolkits.get(stage.toolkit)!;
  return retryOnLostRace<ChatReply>(async () => {
    const [found, audit] = await Promise.all([deps.selfAssessments.get(ref.month, ref.caseRef), deps.allocations.get(ref.month, ref.caseRef)]);
    // Same words whether there is none or it is someone else's: a stranger learns nothing about the case.
    if (!found || found.selfAssessment.leadProfessionalEmail !== actor.email.toLowerCase()) {
      return refuse(`The self-assessment of case ${ref.caseRef} is only for the lead professional it was sent to.`, "self_assessment_not_yours");
    }
    const s = found.selfAssessment;
    if (s.status === "submitted") return { view: selfAssessmentView(s, stage, toolkit), inPlace: true, code: "self_assessment_already_sent" };
    // Blind means before: once the audit is in, a self-assessment could be shaped by its feedback.
    if (audit?.audit.status === "submitted") return { view: selfAssessmentView(s, stage, toolkit, { closed: true }), inPlace: true, code: "self_assessment_after_audit" };
    const input: SelfAssessmentInput = {
      answers: Object.fromEntries(stage.questions.map((q) => [`${q.section}.${q.question}`, stringInput(data, `self.${q.section}.${q.question}`).trim()])),
      overallGrade: stringInput(data, "self.overall").trim(),
      comment: stringInput(data, "self.comment"),
    };
    const problems = selfAssessmentProblems(stage, toolkit, input);
    if (problems.length > 0) return { view: selfAssessmentView(s, stage, toolkit, { input, problems }), inPlace: true, code: "self_assessment_invalid" };
    const now = deps.clock.now();
    const next = submitSelfAssessment(s, input, now);
    const event = { at: now.toISOString(), actor: actor.email, type: "self_assessment_sent", subject: `${s.month}/${s.caseRef}`, data: { questions: stage.questions.length } };
    await deps.selfAssessments.update(next, found.version, { events: [event] });
    return { view: selfAssessmentView(next, stage, toolkit), inPlace: true };
  }, () => ({ view: noticeView("Please try again", "Someone changed this at the same moment. Press the button again."), inPlace: false, code: "self_assessment_conflict" }));
}
