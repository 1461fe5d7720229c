// The data of the cards of the QA framework's stages around the Tier 2 audit: the six-monthly review, the re-check
// of corrective action, the self-assessment, the supervision checklist, stale cases and Tier 1 quality control.
// Each is what a template in cards/ expands; views.ts puts them in the View union.

/** The six-monthly service review posted to the CAF Champions Group: counts per service area, never a case. */
export interface ReviewCardData {
  title: string; // "CAF service review: October 2026 to March 2027"
  intro: string;
  /** One per service area: its figures this period, the period before in brackets. */
  areas: { area: string; facts: { title: string; value: string }[] }[];
  /** "And 4 more service areas: ..." when there are more than a post holds; else empty. */
  more: string;
  privacy: string;
}

/** A manager's quarterly supervision checklist for one case, to complete or as completed. */
export interface SupervisionCardData {
  quarter: string; // "2026-10": the quarter's first month
  quarterLabel: string; // "Q3 2026-27"
  caseRef: string;
  serviceArea: string;
  title: string;
  status: string;
  intro: string;
  errorSummary: string;
  items: { number: string; text: string; given: string; inputId: string; value: string; error: string }[];
  commentPrompt: string;
  comment: string;
  commentError: string;
  canAnswer: boolean;
}

/** The lead professional's self-assessment of their own case file before its audit, or as they sent it. */
export interface SelfAssessmentCardData {
  month: string;
  caseRef: string;
  serviceArea: string;
  title: string; // "Self-assessment: case CAF-1006"
  status: string;
  intro: string;
  errorSummary: string;
  questions: { number: string; text: string; given: string; inputId: string; choices: { title: string; value: string }[]; value: string; error: string }[];
  overallPrompt: string;
  overallChoices: { title: string; value: string }[];
  overall: string;
  overallGiven: string;
  overallError: string;
  commentPrompt: string;
  comment: string;
  commentError: string;
  canAnswer: boolean;
}

/** A targeted re-check of a below-good audit whose actions are done: to its auditor, or as answered. */
export interface RecheckCardData {
  month: string;
  caseRef: string;
  serviceArea: string;
  round: number;
  title: string; // "Re-check: case CAF-1006"
  auditedIn: string; // "December 2026, graded Requires Improvement"
  status: string;
  intro: string;
  errorSummary: string;
  /** Only the questions graded below good at audit. */
  questions: { number: string; text: string; was: string; now: string; inputId: string; choices: { title: string; value: string }[]; value: string; error: string }[];
  outcome: string;
  outcomeError: string;
  evidence: string;
  evidenceError: string;
  action: string;
  byWhom: string;
  byWhen: string;
  actionError: string;
  canAnswer: boolean;
}

/** "Still open?": an open case with no recorded activity for a while, to its lead professional, or as answered. */
export interface StaleCaseCardData {
  month: string;
  caseRef: string;
  serviceArea: string;
  title: string; // "Is case CAF-2041 still open?"
  openedOn: string; // "Monday 4 March 2024"
  lastActivity: string; // "Monday 4 March 2024"
  status: string; // "Waiting for your answer" | "Answered: still open" | "Answered: closed on ... (Needs met)"
  intro: string;
  errorSummary: string;
  outcome: string;
  outcomeError: string;
  closedOn: string;
  closedOnError: string;
  reasonChoices: { title: string; value: string }[];
  reason: string;
  reasonError: string;
  canAnswer: boolean;
}

/** Tier 1 quality control of one event: its mandatory fields as yes / no / not applicable, to the case's checker. */
export interface Tier1CheckCardData {
  eventOn: string; // yyyy-mm-dd: with the key, where the check is stored
  /** The event's identity, sent back by the button. */
  key: string;
  caseRef: string;
  serviceArea: string;
  title: string; // "Quality control: case CAF-1001"
  event: string; // "TAF review on Monday 2 November 2026"
  status: string;
  intro: string;
  /** Why the QA team has it (no separate manager); empty when it went to the manager. */
  poolNote: string;
  errorSummary: string;
  checks: { label: string; text: string; inputId: string; notApplicableAllowed: boolean; value: string; answer: string; error: string }[];
  commentLabel: string;
  commentMaxLength: number;
  comment: string;
  commentError: string;
  canAnswer: boolean;
}
