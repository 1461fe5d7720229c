// What the chat use cases need from the core, and what they answer a channel with.
import type { Toolkit } from "../domain/toolkit";
import type { LadderRules } from "../domain/escalation";
import type { AuditRepository, CaseRepository, Clock, Directory, EscalationRepository, EventLog, FeedbackRepository, OutboxStore, PeopleRepository, SelfAssessmentRepository, StaleCheckRepository, SupervisionRepository, Tier1Repository } from "./ports";
import type { SupervisionStage } from "../domain/supervision";
import type { SelfAssessmentStage } from "../domain/self-assessment";
import type { StaleRules } from "../domain/stale-case";
import type { Checklist } from "../domain/tier1-checklist";
import type { FeedbackRules } from "../domain/feedback";
import type { View } from "./cards/views";
import type { FormProblem } from "./cards/form-problems";
import type { ErrorCode } from "./errors";
import type { Chat } from "../domain/person";

export interface ChatDeps {
  allocations: AuditRepository;
  cases: CaseRepository;
  people: PeopleRepository;
  directory: Directory;
  outbox: OutboxStore;
  events: EventLog;
  clock: Clock;
  toolkits: ReadonlyMap<string, Toolkit>;
  escalations: EscalationRepository;
  ladder: LadderRules;
  feedback: FeedbackRepository;
  feedbackRules: FeedbackRules;
  /** The optional self-assessment stage: its questions, and whether this council runs it (CAF_SELF_ASSESSMENT). */
  selfAssessment: { enabled: boolean; stage: SelfAssessmentStage };
  selfAssessments: SelfAssessmentRepository;
  /** The optional quarterly supervision checklist for managers (CAF_SUPERVISION). */
  supervision: { enabled: boolean; stage: SupervisionStage };
  supervisions: SupervisionRepository;
  feedbackRelease: "after_review" | "automatic";
  /** Working days after a second audit's due date before the QA team may decide without it. */
  moderationDeadlineDays: number;
  staleChecks: StaleCheckRepository;
  staleRules: StaleRules;
  tier1: Tier1Repository;
  /** The Tier 1 quality-control checklist (cards/toolkits/*.checks.json). */
  checklist: Checklist;
  /** Working days between reminders of a waiting Tier 1 check; 0 for none. */
  tier1ReminderDays: number;
  /** The chats that post to group channels (the Champions Group's digest): Teams, and Slack when it has a channel. */
  groupChats: readonly Chat[];
}

/** The answer to one turn: a card, shown in place of the card whose button was pressed when `inPlace`. */
export interface ChatReply {
  view: View;
  inPlace: boolean;
  /** A stable code for the log when the turn was refused or went wrong; never shown as the only explanation. */
  code?: ErrorCode;
  /** What to fix on a form, each beside its input: filled in at the door from the view, for every reply. */
  problems?: readonly FormProblem[];
}
