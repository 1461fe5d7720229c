// Builds the application core on a set of tables: the one place that knows which adapter serves which port.
import { ConfigError, slackSettings, type AppConfig } from "./config";
import type { AllocateMonthDeps } from "./app/allocation/allocate-month";
import { systemClock, type Clock } from "./app/ports";
import type { SamplingRules } from "./domain/sampling";
import { createAuditRepository } from "./storage/audit-repository";
import { createEventLog } from "./storage/event-log";
import { createOutboxStore } from "./storage/outbox-store";
import { createDirectory } from "./storage/directory";
import { createChannelMemory } from "./storage/channel-memory";
import { defaultToolkitDir, loadChecklist, loadToolkits } from "./toolkits/load-toolkits";
import { createTier1Repository } from "./storage/tier1-repository";
import type { AuditRepository, ChannelMemory, Effects, Directory, EscalationRepository, FeedbackRepository, OutboxStore, SelfAssessmentRepository, StaleCheckRepository, Tier1Repository } from "./app/ports";
import { createFeedbackRepository } from "./storage/feedback-repository";
import { createSelfAssessmentRepository } from "./storage/self-assessment-repository";
import { defaultSelfAssessmentFile, defaultSupervisionFile, loadSelfAssessmentStage, loadSupervisionStage } from "./toolkits/load-stage";
import { createSupervisionRepository } from "./storage/supervision-repository";
import type { ChatDeps } from "./app/chat-deps";
import type { LadderRules } from "./domain/escalation";
import { createEscalationRepository } from "./storage/escalation-repository";
import { createCaseRepository } from "./storage/case-repository";
import { createPeopleRepository } from "./storage/people-repository";
import type { Tables } from "./storage/tables";
import { createStaleCheckRepository } from "./storage/stale-repository";
import type { StaleRules } from "./domain/stale-case";

/** Everything the use cases need. */
export interface Core extends AllocateMonthDeps, ChatDeps {
  directory: Directory;
  outbox: OutboxStore;
  channelMemory: ChannelMemory;
}

export function ladderRulesOf(config: AppConfig): LadderRules {
  return {
    remindAfterHours: config.CAF_ESCALATION_REMIND_HOURS,
    escalateAfterHours: config.CAF_ESCALATION_ESCALATE_HOURS,
    resolveReminderDays: config.CAF_ESCALATION_RESOLVE_DAYS,
    workingHours: { start: config.CAF_WORKING_HOURS_START, end: config.CAF_WORKING_HOURS_END },
  };
}

export function staleRulesOf(config: AppConfig): StaleRules {
  return { ageMonths: config.CAF_STALE_AGE_MONTHS, reaskMonths: config.CAF_STALE_REASK_MONTHS ?? config.CAF_STALE_AGE_MONTHS, closureReasons: config.CAF_STALE_CLOSURE_REASONS };
}

export function samplingRulesOf(config: AppConfig): SamplingRules {
  return {
    mode: config.CAF_SAMPLE_MODE,
    monthlySize: config.CAF_SAMPLE_SIZE,
    coveragePercent: config.CAF_COVERAGE_PERCENT,
    coverageMonths: config.CAF_COVERAGE_MONTHS,
    reauditAfterMonths: config.CAF_REAUDIT_MONTHS,
    moderationShare: config.CAF_MODERATION_SHARE,
  };
}

/** Called after a decision with messages was stored, so a relay in this process can send them straight away. */
export type OutboxWritten = () => void;

export function createCore(tables: Tables, config: AppConfig, clock: Clock = systemClock, outboxWritten: OutboxWritten = () => {}): Core {
  const toolkits = loadToolkits(config.CAF_TOOLKIT_DIR ?? defaultToolkitDir());
  const checklist = loadChecklist(config.CAF_TOOLKIT_DIR ?? defaultToolkitDir());
  if (!toolkits.has(config.CAF_TOOLKIT)) {
    throw new ConfigError(`CAF_TOOLKIT "${config.CAF_TOOLKIT}" is not one of the loaded toolkits: ${[...toolkits.keys()].join(", ")}.`);
  }
  const people = createPeopleRepository(tables);
  return {
    cases: createCaseRepository(tables),
    people,
    allocations: notifying(createAuditRepository(tables), outboxWritten),
    events: createEventLog(tables),
    directory: createDirectory(tables, people),
    outbox: createOutboxStore(tables, clock),
    channelMemory: createChannelMemory(tables, () => clock.now()),
    escalations: notifyingEscalations(createEscalationRepository(tables), outboxWritten),
    ladder: ladderRulesOf(config),
    feedback: notifyingFeedback(createFeedbackRepository(tables), outboxWritten),
    selfAssessment: { enabled: config.CAF_SELF_ASSESSMENT === "on", stage: loadSelfAssessmentStage(config.CAF_SELF_ASSESSMENT_FILE ?? defaultSelfAssessmentFile(), toolkits) },
    selfAssessments: notifyingSelfAssessments(createSelfAssessmentRepository(tables), outboxWritten),
    supervision: { enabled: config.CAF_SUPERVISION === "on", stage: loadSupervisionStage(config.CAF_SUPERVISION_FILE ?? defaultSupervisionFile()) },
    supervisions: createSupervisionRepository(tables),
    feedbackRules: { reviewReminderDays: config.CAF_FEEDBACK_REVIEW_REMINDER_DAYS, correctiveReminderDays: config.CAF_CORRECTIVE_REMINDER_DAYS, recheckDelayDays: config.CAF_RECHECK_DELAY_DAYS },
    feedbackRelease: config.CAF_FEEDBACK_RELEASE,
    moderationDeadlineDays: config.CAF_MODERATION_DEADLINE_DAYS,
    staleChecks: notifyingStale(createStaleCheckRepository(tables), outboxWritten),
    staleRules: staleRulesOf(config),
    tier1: notifyingTier1(createTier1Repository(tables), outboxWritten),
    checklist,
    tier1ReminderDays: config.CAF_TIER1_REMINDER_DAYS,
    groupChats: slackSettings(config)?.championsChannel ? ["teams", "slack"] : ["teams"],
    clock,
    rules: samplingRulesOf(config),
    toolkitId: config.CAF_TOOLKIT,
    toolkits,
  };
}

const sends = (effects: Effects): boolean => (effects.outbox?.length ?? 0) > 0;

function notifying(repo: AuditRepository, written: OutboxWritten): AuditRepository {
  return {
    ...repo,
    async createAudits(month, items) {
      await repo.createAudits(month, items);
      if (items.some((i) => i.outbox.length > 0)) written();
    },
    async createMessages(month, outbox) {
      await repo.createMessages(month, outbox);
      if (outbox.length > 0) written();
    },
    async update(audit, version, effects, feedback, moderation) {
      await repo.update(audit, version, effects, feedback, moderation);
      if (sends(effects)) written();
    },
    async decideModeration(record, version, effects, feedback, audit) {
      await repo.decideModeration(record, version, effects, feedback, audit);
      if (sends(effects)) written();
    },
  };
}

function notifyingTier1(repo: Tier1Repository, written: OutboxWritten): Tier1Repository {
  return {
    ...repo,
    async createMany(items) {
      const result = await repo.createMany(items);
      if (result.created.length > 0) written();
      return result;
    },
    async update(check, version, effects) {
      await repo.update(check, version, effects);
      if (sends(effects)) written();
    },
  };
}

function notifyingFeedback(repo: FeedbackRepository, written: OutboxWritten): FeedbackRepository {
  return {
    ...repo,
    async update(feedback, version, effects) {
      await repo.update(feedback, version, effects);
      if (sends(effects)) written();
    },
  };
}

function notifyingSelfAssessments(repo: SelfAssessmentRepository, written: OutboxWritten): SelfAssessmentRepository {
  return {
    ...repo,
    async create(s, outbox) {
      const created = await repo.create(s, outbox);
      if (created === "created" && outbox.length > 0) written();
      return created;
    },
  };
}

function notifyingStale(repo: StaleCheckRepository, written: OutboxWritten): StaleCheckRepository {
  return {
    ...repo,
    async create(check, outbox) {
      const result = await repo.create(check, outbox);
      if (result === "created" && outbox.length > 0) written();
      return result;
    },
    async update(check, version, effects) {
      await repo.update(check, version, effects);
      if (sends(effects)) written();
    },
  };
}

function notifyingEscalations(repo: EscalationRepository, written: OutboxWritten): EscalationRepository {
  return {
    ...repo,
    async create(escalation, effects) {
      const result = await repo.create(escalation, effects);
      if (sends(effects)) written();
      return result;
    },
    async update(escalation, version, effects) {
      await repo.update(escalation, version, effects);
      if (sends(effects)) written();
    },
  };
}
