// The figures of a digest: counts and aggregates only, never names or free text, with small groups hidden so no
// case can be recognised. Pure: everything it needs is passed in.
import type { StaleCheck, StaleCounts } from "./stale-case";
import type { Audit } from "./audit";
import type { Escalation } from "./escalation";
import type { Feedback } from "./feedback";
import type { AgreementFigures } from "./moderation-figures";
import type { Toolkit } from "./toolkit";
import type { Tier1AreaFigures, Tier1Check } from "./tier1";

export interface CaseFacts {
  caseRef: string;
  serviceArea: string;
  ageBand: string | null;
  stepDown: boolean;
  primaryNeed: string | null;
}

export interface DigestInput {
  /** Inclusive months "yyyy-mm", e.g. one month for the monthly digest, three for a quarter, Apr..now for year to date. */
  fromMonth: string;
  toMonth: string;
  /** London date the digest is made: decides what is overdue. */
  today: string;
  audits: readonly Audit[];
  /** The second, blind audits of the moderated cases of the period: only their agreement is counted, never their grades. */
  secondAudits: readonly Audit[];
  feedback: readonly Feedback[];
  /** The feedback of the 12 months to the period's end (and the period): where the re-checks answered in it are. */
  recentFeedback: readonly Feedback[];
  /** Stale-case checks of the period's months (absent: none). */
  staleChecks?: readonly StaleCheck[];
  escalations: readonly Escalation[];
  toolkits: ReadonlyMap<string, Toolkit>;
  cases: ReadonlyMap<string, CaseFacts>;
  /** Sum of the plans' targets over the period. */
  target: number;
  /** Open cases now, and how many distinct cases were audited in the last 12 months: the coverage target's figures. */
  openCases: number;
  auditedLast12Months: number;
  coveragePercent: number;
  /** Tier 1 quality-control checks of the period's events; absent where a caller has none to give. */
  tier1Checks?: readonly Tier1Check[];
  /** A group with fewer audits than this is shown as "fewer than N" (default 3). */
  anonymityFloor: number;
  /** Average overall score below which a service area is flagged for investigation. */
  scoreThreshold: number;
}

/** A count that may be hidden: `value` is null when the group is under the anonymity floor. */
export interface Hideable {
  value: number | null;
  text: string; // "4", or "fewer than 3"
}

export interface GroupRow {
  group: string;
  audits: Hideable;
  /** Overall grade label -> count (empty when hidden). */
  grades: Record<string, number>;
  averageScore: number | null;
}

export interface DigestFigures {
  fromMonth: string;
  toMonth: string;
  allocated: number;
  completed: number;
  overdue: number;
  /** completed / allocated, 0..1; null with nothing allocated. */
  completionRate: number | null;
  target: number;
  coverage: { audited: number; open: number; percent: number | null; targetPercent: number };
  /** Overall grade label -> count, in scale order. */
  grades: { label: string; count: number }[];
  /** Per section title: answer label -> count (Not applicable left out). */
  sectionGrades: { section: string; counts: { label: string; count: number }[] }[];
  escalations: { raised: number; acknowledged: number; medianMinutesToAcknowledge: number | null };
  actions: { agreed: number; done: number; overdue: number };
  /** Re-checks of closed-out audits: answered in the period (verified, or reopened), and waiting now. */
  rechecks: { verified: number; reopened: number; awaiting: number };
  /** Stale cases put to their LPs in the period, and how they stand now. */
  staleCases: StaleCounts;
  /** Tier 1 quality control per service area: events of the period, checked, passed. */
  tier1: Tier1AreaFigures[];
  /** Questions most often answered below good, and most often above good: "3b Evidence of multi-agency involvement". */
  themes: { belowGood: { question: string; count: number }[]; strengths: { question: string; count: number }[] };
  /** How far the two grades of the moderated cases agree, overall only: never per auditor. */
  moderation: AgreementFigures;
  byServiceArea: (GroupRow & { belowThreshold: boolean })[];
  /** Areas (at least the floor's audits) below the score threshold, shown on the card or not: for the Service Leader only. */
  areasBelowThreshold: string[];
  byAgeBand: GroupRow[];
  byStepDown: GroupRow[];
  byPrimaryNeed: GroupRow[];
}

/** Implemented in digest.ts. */
export type ComputeDigest = (input: DigestInput) => DigestFigures;
