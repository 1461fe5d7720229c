// The one door from a chat channel into the core: a parsed inbound turn from a known person, a reply out.
// Channels translate payloads into `Inbound`; everything about audits is decided behind this door.
import type { Person } from "../domain/person";
import { hasRole } from "../domain/person";
import { noticeView } from "./cards/audit-views";
import { auditRefSchema } from "./cards/card-input";
import type { ChatDeps, ChatReply } from "./chat-deps";
import { decideOverdue, type DecisionVerb } from "./audit/decide-overdue";
import { declareInvolved } from "./audit/declare-involved";
import { myAuditsView } from "./audit/my-audits";
import { raiseEscalation, raiseForm } from "./escalation/raise-escalation";
import { actOnEscalation } from "./escalation/act-on-escalation";
import { actOnFeedback, type FeedbackVerb } from "./feedback/act-on-feedback";
import { actOnModeration, type ModerationVerb } from "./audit/act-on-moderation";
import { actOnRecheck } from "./stages/act-on-recheck";
import { answerSelfAssessment } from "./stages/self-assessment";
import { actOnSupervision } from "./stages/supervision";
import { actOnStaleCase } from "./stages/act-on-stale";
import { actOnTier1 } from "./stages/act-on-tier1";
import { overdueActionsView } from "./audit/overdue-actions";
import { setAway } from "./audit/set-away";
import { VERBS } from "./cards/views";
import { workOnAudit, type WorkVerb } from "./audit/work-on-audit";

export type Inbound =
  | { kind: "text"; text: string }
  | { kind: "action"; data: Record<string, unknown> }
  | { kind: "unsupported"; what: string };

const HELP =
  "Type **my audits** to see the audits allocated to you and carry on where you left off. " +
  "Type **away until 24/12/2026** to pause your reminders, and **back** when you return. " +
  "Type **unsafe practice** to report unsafe practice on a case at any time; it goes at once to the Family Support Manager. " +
  "Each month's cases arrive here as cards with Start audit. If you were involved in a case, press I was involved in this case and it goes to someone else.";

const FEEDBACK_VERBS: readonly string[] = [VERBS.releaseFeedback, VERBS.replyFeedback, VERBS.managerComment, VERBS.confirmActions, VERBS.updateRag, VERBS.closeFeedback];
const DECISION_VERBS: readonly string[] = [VERBS.extendAudit, VERBS.reallocateAudit];
const MODERATION_VERBS: readonly string[] = [VERBS.agreeGrade, VERBS.useSingleAudit, VERBS.reallocateSecond];
const WORK_VERBS: readonly string[] = [VERBS.startAudit, VERBS.saveSection, VERBS.saveAndLeave, VERBS.previousSection, VERBS.submitAudit, VERBS.correctAudit];

/** The answer to a button whose card no longer means anything: out of date, or not one of ours. */
export function staleCardReply(code: string): ChatReply {
  return { view: noticeView("That button no longer works", "This card is out of date. Type my audits to get a fresh one."), inPlace: false, code };
}

export async function handleTurn(deps: ChatDeps, actor: Person, inbound: Inbound): Promise<ChatReply> {
  switch (inbound.kind) {
    case "text": {
      const words = inbound.text.trim().toLowerCase().replace(/\s+/g, " ");
      if (words === "my audits" || words === "audits" || words === "my audit") return myAuditsView(deps, actor);
      if (words === "overdue actions" || words === "overdue") return overdueActionsView(deps, actor);
      if (words.startsWith("away") || words === "back") return setAway(deps, actor, words);
      if (words === "unsafe practice" || words === "report unsafe practice" || words === "unsafe") return { view: raiseForm("", ""), inPlace: false };
      return { view: noticeView("What I can do", HELP), inPlace: false, code: words === "help" ? undefined : "text_not_understood" };
    }
    case "action":
      return handleAction(deps, actor, inbound.data);
    case "unsupported":
      return { view: noticeView("I cannot read that", "I only understand the buttons on my cards and the words my audits or help."), inPlace: false, code: "inbound_unsupported" };
    default: {
      const never: never = inbound;
      throw new Error(`unhandled inbound ${JSON.stringify(never)}`);
    }
  }
}

async function handleAction(deps: ChatDeps, actor: Person, data: Record<string, unknown>): Promise<ChatReply> {
  const verb = typeof data.verb === "string" ? data.verb : "";
  if (verb === VERBS.myAudits) return myAuditsView(deps, actor);
  if (verb === VERBS.raiseUnsafe) return raiseEscalation(deps, actor, data);
  if (FEEDBACK_VERBS.includes(verb)) return actOnFeedback(deps, actor, verb as FeedbackVerb, data);
  // Only the auditor a re-check was sent to may answer it: checked there, whatever their roles today.
  if (verb === VERBS.submitRecheck) return actOnRecheck(deps, actor, data);
  // Only the lead professional it was sent to may send a self-assessment: checked there.
  if (verb === VERBS.submitSelfAssessment) return answerSelfAssessment(deps, actor, data);
  // Only the case's manager may open or save its supervision checklist: checked there.
  if (verb === VERBS.openSupervision || verb === VERBS.submitSupervision) return actOnSupervision(deps, actor, verb, data);
  // Only the lead professional a "Still open?" card was sent to may answer it, whatever their roles.
  if (verb === VERBS.answerStaleCase) return actOnStaleCase(deps, actor, data);
  // Only the person a Tier 1 check was addressed to (never the case's lead professional): checked there.
  if (verb === VERBS.submitTier1Check) return actOnTier1(deps, actor, data);
  if (verb === VERBS.acknowledgeEscalation || verb === VERBS.recordMash || verb === VERBS.resolveEscalation) return actOnEscalation(deps, actor, verb, data);
  const ref = auditRefSchema.safeParse(data);
  // The QA team's moderation decisions: checked for the QA role there, before the auditors-only check below.
  if (MODERATION_VERBS.includes(verb)) return ref.success ? actOnModeration(deps, actor, verb as ModerationVerb, ref.data, data) : staleCardReply("action_invalid");
  if (!ref.success || !(WORK_VERBS.includes(verb) || verb === VERBS.declareInvolved || DECISION_VERBS.includes(verb))) {
    return staleCardReply("action_invalid");
  }
  // The QA team's decision on an overdue audit: checked for the QA role there, before the auditors-only check below.
  if (DECISION_VERBS.includes(verb)) return decideOverdue(deps, actor, verb as DecisionVerb, ref.data, data);
  if (!hasRole(actor, "auditor")) {
    return { view: noticeView("You cannot open this audit", `Case ${ref.data.caseRef} is not allocated to you, so you cannot open or change its audit.`), inPlace: false, code: "not_an_auditor" };
  }
  if (verb === VERBS.declareInvolved) return declareInvolved(deps, actor, ref.data, typeof data.reason === "string" ? data.reason : "");
  return workOnAudit(deps, actor, verb as WorkVerb, ref.data, data);
}
