// What the core asks a channel to show: a named card template and the data to fill it with.
// Templates live in cards/<template>.json; Teams renders them as Adaptive Cards, Slack translates the same expansion.
// Data here is what the person may see: case references and their own answers, never another case's details.

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
}

export interface NoticeCardData {
  title: string;
  text: string;
}

export interface MyAuditsCardData {
  heading: string; // "2 of 3 audits to do"
  audits: { month: string; caseRef: string; serviceArea: string; dueOn: string; progress: string; canOpen: boolean }[];
  empty: boolean;
}

export type View =
  | { template: "allocation"; data: AllocationCardData }
  | { template: "section"; data: SectionCardData }
  | { template: "final"; data: FinalCardData }
  | { template: "submitted"; data: SubmittedCardData }
  | { template: "notice"; data: NoticeCardData }
  | { template: "my-audits"; data: MyAuditsCardData };

export type TemplateName = View["template"];

export const TEMPLATE_NAMES: readonly TemplateName[] = ["allocation", "section", "final", "submitted", "notice", "my-audits"];

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
  myAudits: "myAudits",
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];
