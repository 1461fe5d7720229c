// What the core asks a channel to show: a named card template and the data to fill it with.
// Templates live in cards/<template>.json; Teams renders them as Adaptive Cards, Slack translates the same expansion.
// Data here is what the person may see: case references and their own answers, never another case's details.
import type { ReviewCardData, SupervisionCardData, SelfAssessmentCardData, RecheckCardData, StaleCaseCardData, Tier1CheckCardData } from "./stage-card-data";

export type { ReviewCardData, SupervisionCardData, SelfAssessmentCardData, RecheckCardData, StaleCaseCardData, Tier1CheckCardData };

export interface AllocationCardData {
  month: string;
  monthLabel: string; // "December 2026"
  caseRef: string;
  serviceArea: string;
  dueOn: string; // "Thursday 31 December 2026"
  toolkitName: string;
  sectionCount: number;
  /** Status line, e.g. "Not started" or "2 of 5 sections done". */
  progress: string;
}

export interface QuestionView {
  id: string;
  number: string;
  text: string;
  guidance: string;
  hasGuidance: boolean;
  choices: { title: string; value: string }[];
  answer: string;
  comment: string;
  commentLabel: string;
  commentRequired: boolean;
  commentMinLength: number;
  answerError: string;
  commentError: string;
}

export interface SectionCardData {
  month: string;
  caseRef: string;
  serviceArea: string;
  toolkitName: string;
  sectionId: string;
  sectionNumber: number;
  sectionCount: number;
  progress: string; // "Section 3 of 5"
  title: string;
  intro: string;
  canMarkNotApplicable: boolean;
  notApplicable: boolean;
  questions: QuestionView[];
  overviewPrompt: string;
  overviewGuidance: string;
  overview: string;
  overviewError: string;
  /** One sentence above the form when something needs fixing; empty otherwise. */
  errorSummary: string;
  canGoBack: boolean;
}

export interface SectionSummaryView {
  number: number;
  title: string;
  answers: { number: string; answer: string }[];
  overview: string;
}

export interface FinalCardData {
  month: string;
  caseRef: string;
  serviceArea: string;
  toolkitName: string;
  sections: SectionSummaryView[];
  gradePrompt: string;
  gradeChoices: { title: string; value: string }[];
  grade: string;
  gradeError: string;
  justification: string;
  justificationMinLength: number;
  justificationError: string;
  actionsPrompt: string;
  columns: { action: string; byWhom: string; byWhen: string };
  /** Always three rows on the form; blank rows are ignored. */
  actions: { index: number; action: string; byWhom: string; byWhen: string; error: string }[];
  actionsError: string;
  errorSummary: string;
}

export interface SubmittedCardData {
  month: string;
  caseRef: string;
  serviceArea: string;
  toolkitName: string;
  grade: string;
  submittedAt: string; // "10:42 on Monday 14 December 2026"
  version: number;
  nextStep: string;
  /** After submission only: the lead professional's self-assessment beside the auditor's grades; empty without one. */
  selfAssessment: string;
}

export interface NoticeCardData {
  title: string;
  text: string;
}

export interface MyAuditsCardData {
  heading: string; // "2 of 3 audits to do"
  audits: { month: string; caseRef: string; serviceArea: string; dueOn: string; progress: string; canOpen: boolean }[];
  empty: boolean;
  /** For a manager with the supervision stage on: "Supervision checklists, Q3 2026-27: 2 of 5 done"; else empty. */
  supervisionHeading: string;
  supervision: { quarter: string; caseRef: string; serviceArea: string; status: string; canOpen: boolean }[];
}

export interface EscalationCardData {
  escalationId: string;
  caseRef: string;
  serviceArea: string;
  leadProfessional: string; // "Farah Khan (farah.khan@example.gov.uk)" or "Not recorded"
  seen: string; // what the auditor saw: only ever on this card, for the people it was sent to
  when: string; // "Current" | "In the past"
  urgency: string; // "Immediate: a child may be at risk now" ...
  raisedBy: string;
  raisedAt: string; // "10:42 on Monday 14 December 2026"
  status: string; // "Waiting for acknowledgement" | "Acknowledged by Lena Fisher at 11:02 ..." ...
  /** What happens next if nobody acts, e.g. "If nobody acknowledges by 12:42, it goes to the Service Leader." */
  nextStep: string;
  history: { at: string; text: string }[];
  canAcknowledge: boolean;
  canRecordMash: boolean;
  canResolve: boolean;
  /** Why this person has the card: "You are the Family Support Manager" / "Escalated to you as Service Leader". */
  audience: string;
}

export interface RaiseUnsafeCardData {
  /** Prefilled when raised from an audit; empty when raised from the "unsafe practice" command. */
  month: string;
  caseRef: string;
  seen: string;
  seenError: string;
  caseRefError: string;
  errorSummary: string;
}

export interface FeedbackActionView {
  index: number;
  id: string;
  action: string;
  byWhom: string;
  byWhen: string;
  source: string; // "Agreed at audit" | "Added by the lead professional"
  rag: string; // "red" | "amber" | "green"
  ragLabel: string; // "Red: not started" | "Amber: in progress" | "Green: done"
  response: string; // "Accepted for 2027-01-29" | "Change proposed: ..." | "No reply yet"
  confirmation: string; // "Confirmed done by ... : note" | "Not done: reason, new date ..." | ""
}

export interface FeedbackCardData {
  month: string;
  caseRef: string;
  serviceArea: string;
  auditVersion: number;
  /** "lp" | "manager" | "auditor" | "qa": decides which inputs and buttons show. */
  audience: string;
  audienceLine: string;
  grade: string;
  belowGood: boolean;
  sections: { number: number; title: string; grade: string; overview: string }[];
  justification: string;
  actions: FeedbackActionView[];
  lpComment: string;
  managerComment: string;
  status: string; // "Waiting for QA review" | "Feedback sent on ..." | "Closed: ..."
  correctiveDue: string; // "Confirm corrective action by Friday 29 January 2027" or ""
  canReply: boolean; // the lead professional's reply form
  canComment: boolean; // the manager's comment
  canConfirm: boolean; // the manager's done / not done per action (below good)
  canUpdateRag: boolean; // LP or manager
  canRelease: boolean; // QA, while waiting for review
  canClose: boolean; // QA, while not closed
  ownActionRows: { index: number }[]; // blank rows for the LP's own actions
}

export interface DigestCardData {
  title: string; // "CAF audits: December 2026"
  facts: { title: string; value: string }[];
  /** Overall grades for the chart and its fallback table; counts as text for the table. */
  grades: { label: string; count: number; countText: string }[];
  /** The period's counts as numbers, for the Slack chart (the facts above say them as sentences). */
  counts: { allocated: number; completed: number; overdue: number };
  hasGrades: boolean;
  escalations: string;
  actions: string;
  /** "Moderation: 6 cases graded twice, blind. ...": overall agreement only; empty when nothing was moderated. */
  moderation: string;
  belowGood: { text: string }[];
  strengths: { text: string }[];
  areas: { area: string; audits: string; average: string; flag: string }[];
  /**
   * The overall grades by service area, age band, step-down and primary need: a table each under "Grades by ...",
   * the group, its audits, then a count per grade. Empty when nothing was completed.
   */
  breakdowns: {
    heading: string; // "Grades by service area"
    columns: { title: string; width: number }[]; // "Service area", "Audits", then one per grade
    rows: { cells: { text: string }[] }[]; // one cell per column; "fewer than 3" and blanks for a hidden row
  }[];
  change: string;
  privacy: string;
  /** "Re-checks of corrective action: ..."; empty until an audit reaches its re-check. */
  rechecks: string;
  /** "Stale cases: 12 asked if still open, 5 answered closed, ..."; empty when none was asked in the period. */
  staleCases: string;
  /** "Tier 1 quality control: North: 18 of 20 checked (90%), 83% passed; ..."; empty with no events in the period. */
  tier1: string;
}

/** For the QA team: an audit overdue, or due while its auditor is away, to extend or reallocate. */
export interface AuditDecisionCardData {
  month: string;
  caseRef: string;
  serviceArea: string;
  auditorName: string;
  dueOn: string; // "Thursday 31 December 2026"
  /** Why it needs a decision, as a sentence: "The audit was due on ... and is not submitted." */
  reason: string;
  /** yyyy-mm-dd: the date the "New due date" input starts on. */
  suggestedDueOn: string;
  status: string; // "Waiting for a decision" | "Due date moved to ... by ..." | "Reallocated to another auditor by ..."
  canDecide: boolean;
}

/** For the QA team only: a moderated case's two audits side by side, to agree the grade or decide on a missing second audit. */
export interface ModerationCardData {
  month: string;
  caseRef: string;
  serviceArea: string;
  title: string;
  reason: string;
  firstSummary: string; // "Ben Okafor: Good"
  secondSummary: string;
  status: string;
  /** Each section's grades and evidence as each auditor gave them, then the overall grade and its justification. */
  sections: { heading: string; first: string; second: string }[];
  gradeChoices: { title: string; value: string }[];
  canAgree: boolean;
  canDecideMissing: boolean;
  error: string;
}

export type View =
  | { template: "allocation"; data: AllocationCardData }
  | { template: "section"; data: SectionCardData }
  | { template: "final"; data: FinalCardData }
  | { template: "submitted"; data: SubmittedCardData }
  | { template: "notice"; data: NoticeCardData }
  | { template: "my-audits"; data: MyAuditsCardData }
  | { template: "escalation"; data: EscalationCardData }
  | { template: "raise-unsafe"; data: RaiseUnsafeCardData }
  | { template: "feedback"; data: FeedbackCardData }
  | { template: "audit-decision"; data: AuditDecisionCardData }
  | { template: "moderation"; data: ModerationCardData }
  | { template: "digest"; data: DigestCardData }
  | { template: "review"; data: ReviewCardData }
  | { template: "recheck"; data: RecheckCardData }
  | { template: "self-assessment"; data: SelfAssessmentCardData }
  | { template: "stale-case"; data: StaleCaseCardData }
  | { template: "supervision"; data: SupervisionCardData }
  | { template: "tier1-check"; data: Tier1CheckCardData };

export type TemplateName = View["template"];

export const TEMPLATE_NAMES: readonly TemplateName[] = ["allocation", "section", "final", "submitted", "notice", "my-audits", "escalation", "raise-unsafe", "feedback", "digest", "audit-decision", "moderation", "review", "recheck", "self-assessment", "stale-case", "supervision", "tier1-check"];

/**
 * The verbs a card's buttons send back. Every action carries `verb` plus the ids it needs; the inputs of the
 * card arrive beside them. Channels pass these through unchanged; the core checks who may do what.
 */
export const VERBS = {
  startAudit: "startAudit",
  declareInvolved: "declareInvolved",
  saveSection: "saveSection",
  saveAndLeave: "saveAndLeave",
  previousSection: "previousSection",
  submitAudit: "submitAudit",
  correctAudit: "correctAudit",
  raiseUnsafe: "raiseUnsafe",
  acknowledgeEscalation: "acknowledgeEscalation",
  recordMash: "recordMash",
  resolveEscalation: "resolveEscalation",
  releaseFeedback: "releaseFeedback",
  replyFeedback: "replyFeedback",
  managerComment: "managerComment",
  confirmActions: "confirmActions",
  updateRag: "updateRag",
  closeFeedback: "closeFeedback",
  myAudits: "myAudits",
  extendAudit: "extendAudit",
  reallocateAudit: "reallocateAudit",
  agreeGrade: "agreeGrade",
  useSingleAudit: "useSingleAudit",
  reallocateSecond: "reallocateSecond",
  submitRecheck: "submitRecheck",
  submitSelfAssessment: "submitSelfAssessment",
  openSupervision: "openSupervision",
  submitSupervision: "submitSupervision",
  answerStaleCase: "answerStaleCase",
  submitTier1Check: "submitTier1Check",
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];
