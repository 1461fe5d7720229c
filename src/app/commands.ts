// What a person asked for, read once at the core's door: typed words, or a card's button with the ids it carries.
// Ids are checked here, so each use case gets a command it can trust; a card's typed fields stay in `form`, because
// each use case checks its own fields and answers with a sentence beside the one that needs fixing.
import { z } from "zod";
import { hasControlCharacter } from "../domain/text";
import { auditRefSchema } from "./cards/card-input";
import { VERBS, type Verb } from "./cards/views";

export type AuditRef = z.infer<typeof auditRefSchema>;
/** What the card's inputs sent back, unchecked: read field by field by the use case. */
export type Form = Record<string, unknown>;

const noControl = (s: string) => !hasControlCharacter(s);
const tier1RefSchema = z.object({ eventOn: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/), key: z.string().min(1).max(140).refine(noControl) });
export type Tier1Ref = z.infer<typeof tier1RefSchema>;
const supervisionRefSchema = z.object({ quarter: z.string().regex(/^\d{4}-(01|04|07|10)$/), caseRef: z.string().min(1).max(100).refine(noControl) });
export type SupervisionRef = z.infer<typeof supervisionRefSchema>;
// A round arrives as a number from Teams and as text from Slack's button value.
const recheckRefSchema = auditRefSchema.extend({ round: z.preprocess((v) => (typeof v === "string" && v !== "" ? Number(v) : v), z.number().int()) });

const FEEDBACK_VERBS = [VERBS.releaseFeedback, VERBS.replyFeedback, VERBS.managerComment, VERBS.confirmActions, VERBS.updateRag, VERBS.closeFeedback] as const;
const DECISION_VERBS = [VERBS.extendAudit, VERBS.reallocateAudit] as const;
const MODERATION_VERBS = [VERBS.agreeGrade, VERBS.useSingleAudit, VERBS.reallocateSecond] as const;
const WORK_VERBS = [VERBS.startAudit, VERBS.saveSection, VERBS.saveAndLeave, VERBS.previousSection, VERBS.submitAudit, VERBS.correctAudit] as const;
const ESCALATION_VERBS = [VERBS.acknowledgeEscalation, VERBS.recordMash, VERBS.resolveEscalation] as const;
const SUPERVISION_VERBS = [VERBS.openSupervision, VERBS.submitSupervision] as const;

export type FeedbackVerb = (typeof FEEDBACK_VERBS)[number];
export type DecisionVerb = (typeof DECISION_VERBS)[number];
export type ModerationVerb = (typeof MODERATION_VERBS)[number];
export type WorkVerb = (typeof WORK_VERBS)[number];
export type EscalationVerb = (typeof ESCALATION_VERBS)[number];
export type SupervisionVerb = (typeof SUPERVISION_VERBS)[number];

export type Command =
  // Typed words.
  | { verb: "help"; understood: boolean }
  | { verb: "overdueActions" }
  | { verb: "away"; words: string }
  | { verb: "raiseForm" }
  // Buttons (myAudits is also typed).
  | { verb: "myAudits" }
  | { verb: "raiseUnsafe"; form: Form }
  | { verb: FeedbackVerb; ref: AuditRef; form: Form }
  | { verb: "submitRecheck"; ref: AuditRef; round: number; form: Form }
  | { verb: "submitSelfAssessment"; ref: AuditRef; form: Form }
  | { verb: SupervisionVerb; ref: SupervisionRef; form: Form }
  | { verb: "answerStaleCase"; ref: AuditRef; form: Form }
  | { verb: "submitTier1Check"; ref: Tier1Ref; form: Form }
  | { verb: EscalationVerb; escalationId: string; form: Form }
  | { verb: ModerationVerb; ref: AuditRef; form: Form }
  | { verb: DecisionVerb; ref: AuditRef; form: Form }
  | { verb: WorkVerb; ref: AuditRef; form: Form }
  | { verb: "declareInvolved"; ref: AuditRef; reason: string }
  /** One of our buttons whose ids no longer make sense: an old or altered card. */
  | { verb: "outOfDate"; of: Verb }
  /** Not one of our buttons at all. */
  | { verb: "unknownButton" };

export function parseWords(text: string): Command {
  const words = text.trim().toLowerCase().replace(/\s+/g, " ");
  if (words === "my audits" || words === "audits" || words === "my audit") return { verb: "myAudits" };
  if (words === "overdue actions" || words === "overdue") return { verb: "overdueActions" };
  // "away", "away until ...", "away off"; not "awayday tomorrow", which is not a request to pause anything.
  if (words === "away" || words.startsWith("away ") || words === "back") return { verb: "away", words };
  if (words === "unsafe practice" || words === "report unsafe practice" || words === "unsafe") return { verb: "raiseForm" };
  return { verb: "help", understood: words === "help" };
}

const VERB_LIST = Object.values(VERBS) as Verb[];
const among = <T extends string>(list: readonly T[], verb: string): verb is T => (list as readonly string[]).includes(verb);

export function parseButton(form: Form): Command {
  const verb = VERB_LIST.find((v) => v === form.verb);
  if (!verb) return { verb: "unknownButton" };
  const outOfDate: Command = { verb: "outOfDate", of: verb };
  if (verb === "myAudits") return { verb };
  // The unsafe-practice form names its case in a field the auditor may type, so it is read (and answered) there.
  if (verb === "raiseUnsafe") return { verb, form };
  if (among(ESCALATION_VERBS, verb)) return { verb, escalationId: typeof form.escalationId === "string" ? form.escalationId.slice(0, 100) : "", form };
  if (verb === "submitTier1Check") {
    const ref = tier1RefSchema.safeParse(form);
    return ref.success ? { verb, ref: ref.data, form } : outOfDate;
  }
  if (among(SUPERVISION_VERBS, verb)) {
    const ref = supervisionRefSchema.safeParse(form);
    return ref.success ? { verb, ref: ref.data, form } : outOfDate;
  }
  if (verb === "submitRecheck") {
    const ref = recheckRefSchema.safeParse(form);
    return ref.success ? { verb, ref: { month: ref.data.month, caseRef: ref.data.caseRef }, round: ref.data.round, form } : outOfDate;
  }
  const parsed = auditRefSchema.safeParse(form);
  if (!parsed.success) return outOfDate;
  const ref = { month: parsed.data.month, caseRef: parsed.data.caseRef };
  if (verb === "declareInvolved") return { verb, ref, reason: typeof form.reason === "string" ? form.reason : "" };
  if (verb === "submitSelfAssessment" || verb === "answerStaleCase") return { verb, ref, form };
  if (among(FEEDBACK_VERBS, verb) || among(MODERATION_VERBS, verb) || among(DECISION_VERBS, verb) || among(WORK_VERBS, verb)) return { verb, ref, form };
  return unreachable(verb);
}

function unreachable(verb: never): never {
  throw new Error(`verb ${String(verb)} has no command`);
}
