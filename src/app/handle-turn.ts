// The one door from a chat channel into the core: a parsed inbound turn from a known person, a reply out.
// Channels translate payloads into `Inbound`; everything about audits is decided behind this door.
import type { Person } from "../domain/person";
import { hasRole } from "../domain/person";
import { noticeView } from "./cards/audit-views";
import { problemsOf } from "./cards/form-problems";
import { parseButton, parseWords, type AuditRef, type Command } from "./commands";
import type { ChatDeps, ChatReply } from "./chat-deps";
import type { ErrorCode } from "./errors";
import { decideOverdue } from "./audit/decide-overdue";
import { declareInvolved } from "./audit/declare-involved";
import { myAuditsView } from "./audit/my-audits";
import { raiseEscalation, raiseForm } from "./escalation/raise-escalation";
import { actOnEscalation } from "./escalation/act-on-escalation";
import { actOnFeedback } from "./feedback/act-on-feedback";
import { actOnModeration } from "./audit/act-on-moderation";
import { actOnRecheck } from "./stages/act-on-recheck";
import { answerSelfAssessment } from "./stages/self-assessment";
import { actOnSupervision } from "./stages/supervision";
import { actOnStaleCase } from "./stages/act-on-stale";
import { actOnTier1 } from "./stages/act-on-tier1";
import { overdueActionsView } from "./audit/overdue-actions";
import { setAway } from "./audit/set-away";
import type { Verb } from "./cards/views";
import { workOnAudit } from "./audit/work-on-audit";

export type Inbound =
  | { kind: "text"; text: string }
  | { kind: "action"; data: Record<string, unknown> }
  | { kind: "unsupported"; what: string };

const HELP =
  "Type **my audits** to see the audits allocated to you and carry on where you left off. " +
  "Type **away until 24/12/2026** to pause your reminders, and **back** when you return. " +
  "Type **unsafe practice** to report unsafe practice on a case at any time; it goes at once to the Family Support Manager. " +
  "Each month's cases arrive here as cards with Start audit. If you were involved in a case, press I was involved in this case and it goes to someone else.";

const FEEDBACK_OUT_OF_DATE: [string, string] = ["You cannot do that on this feedback", "This card is out of date. Type my audits or open the latest feedback card."];
const SUPERVISION_OUT_OF_DATE: [string, string] = ["You cannot open this checklist", "This card is out of date. Type my audits to get a fresh one."];

/** The answer to a button whose card no longer means anything: out of date, or not one of ours. */
export function staleCardReply(code: ErrorCode): ChatReply {
  return { view: noticeView("That button no longer works", "This card is out of date. Type my audits to get a fresh one."), inPlace: false, code };
}

export async function handleTurn(deps: ChatDeps, actor: Person, inbound: Inbound): Promise<ChatReply> {
  const reply = await answer(deps, actor, inbound);
  return { ...reply, problems: problemsOf(reply.view) };
}

async function answer(deps: ChatDeps, actor: Person, inbound: Inbound): Promise<ChatReply> {
  switch (inbound.kind) {
    case "text":
      return run(deps, actor, parseWords(inbound.text));
    case "action":
      return run(deps, actor, parseButton(inbound.data));
    case "unsupported":
      return { view: noticeView("I cannot read that", "I only understand the buttons on my cards and the words my audits or help."), inPlace: false, code: "inbound_unsupported" };
    default:
      return unreachable(inbound);
  }
}

/** Each command to its use case. Who may do what is checked in the use case, against what is stored. */
async function run(deps: ChatDeps, actor: Person, command: Command): Promise<ChatReply> {
  switch (command.verb) {
    case "help":
      return { view: noticeView("What I can do", HELP), inPlace: false, code: command.understood ? undefined : "text_not_understood" };
    case "myAudits":
      return myAuditsView(deps, actor);
    case "overdueActions":
      return overdueActionsView(deps, actor);
    case "away":
      return setAway(deps, actor, command.words);
    case "raiseForm":
      return { view: raiseForm("", ""), inPlace: false };
    case "raiseUnsafe":
      return raiseEscalation(deps, actor, command.form);
    case "releaseFeedback":
    case "replyFeedback":
    case "managerComment":
    case "confirmActions":
    case "updateRag":
    case "closeFeedback":
      return actOnFeedback(deps, actor, command.verb, command.ref, command.form);
    case "submitRecheck":
      return actOnRecheck(deps, actor, command.ref, command.round, command.form);
    case "submitSelfAssessment":
      return answerSelfAssessment(deps, actor, command.ref, command.form);
    case "openSupervision":
    case "submitSupervision":
      return actOnSupervision(deps, actor, command.verb, command.ref, command.form);
    case "answerStaleCase":
      return actOnStaleCase(deps, actor, command.ref, command.form);
    case "submitTier1Check":
      return actOnTier1(deps, actor, command.ref, command.form);
    case "acknowledgeEscalation":
    case "recordMash":
    case "resolveEscalation":
      return actOnEscalation(deps, actor, command.verb, command.escalationId, command.form);
    // The QA team's decisions: checked for the QA role there, so they come before the auditors-only check below.
    case "agreeGrade":
    case "useSingleAudit":
    case "reallocateSecond":
      return actOnModeration(deps, actor, command.verb, command.ref, command.form);
    case "extendAudit":
    case "reallocateAudit":
      return decideOverdue(deps, actor, command.verb, command.ref, command.form);
    case "declareInvolved":
      return hasRole(actor, "auditor") ? declareInvolved(deps, actor, command.ref, command.reason) : notAnAuditor(command.ref);
    case "startAudit":
    case "saveSection":
    case "saveAndLeave":
    case "previousSection":
    case "submitAudit":
    case "correctAudit":
      return hasRole(actor, "auditor") ? workOnAudit(deps, actor, command.verb, command.ref, command.form) : notAnAuditor(command.ref);
    case "outOfDate":
      return outOfDateReply(command.of);
    case "unknownButton":
      return staleCardReply("action_invalid");
    default:
      return unreachable(command);
  }
}

function notAnAuditor(ref: AuditRef): ChatReply {
  return { view: noticeView("You cannot open this audit", `Case ${ref.caseRef} is not allocated to you, so you cannot open or change its audit.`), inPlace: false, code: "not_an_auditor" };
}

// Each stage's card says what to do for a fresh one in its own words.
const OUT_OF_DATE: Partial<Record<Verb, [title: string, sentence: string]>> = {
  releaseFeedback: FEEDBACK_OUT_OF_DATE,
  replyFeedback: FEEDBACK_OUT_OF_DATE,
  managerComment: FEEDBACK_OUT_OF_DATE,
  confirmActions: FEEDBACK_OUT_OF_DATE,
  updateRag: FEEDBACK_OUT_OF_DATE,
  closeFeedback: FEEDBACK_OUT_OF_DATE,
  submitRecheck: ["You cannot answer this re-check", "This card is out of date. Type my audits to get a fresh one."],
  answerStaleCase: ["You cannot answer this", "This card is out of date."],
  submitTier1Check: ["You cannot answer this check", "This card is out of date. Ask the QA team for a fresh one."],
  submitSelfAssessment: ["You cannot send this self-assessment", "This card is out of date. Type my audits to get a fresh one."],
  openSupervision: SUPERVISION_OUT_OF_DATE,
  submitSupervision: SUPERVISION_OUT_OF_DATE,
};

function outOfDateReply(verb: Verb): ChatReply {
  const own = OUT_OF_DATE[verb];
  return own ? { view: noticeView(own[0], own[1]), inPlace: false, code: "action_invalid" } : staleCardReply("action_invalid");
}

function unreachable(x: never): never {
  throw new Error(`unhandled ${JSON.stringify(x)}`);
}
