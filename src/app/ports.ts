// What the use cases need from the outside world. Storage adapters implement these; tests may too.
import type { CaseFile } from "../domain/case-file";
import type { Person } from "../domain/person";
import type { AllocationPlan } from "../domain/allocation-plan";
import type { Audit, AuditPass } from "../domain/audit";
import type { Moderation } from "../domain/moderation";
import type { Escalation } from "../domain/escalation";
import type { Feedback } from "../domain/feedback";
import type { SelfAssessment } from "../domain/self-assessment";
import type { Supervision } from "../domain/supervision";
import type { StaleCheck } from "../domain/stale-case";
import type { Tier1Check } from "../domain/tier1";
import type { DeliveredTo, OutboxMessage, StoredOutbox } from "./delivery/outbox";
import type { View } from "./cards/views";

/**
 * What a decision stores in its own transaction besides its rows: the messages it sends and its lines of the audit
 * trail. So a decision is never stored without its events, nor an event without its decision.
 */
export interface Effects {
  outbox?: readonly OutboxMessage[];
  events?: readonly AuditEvent[];
}

export interface CaseRepository {
  all(): Promise<CaseFile[]>;
  get(serviceArea: string, caseRef: string): Promise<CaseFile | undefined>;
  /**
   * Inserts or replaces each case. `previousAreas` (case reference -> service area as last read) lets a case
   * whose service area changed be moved rather than duplicated.
   */
  saveMany(cases: readonly CaseFile[], previousAreas: ReadonlyMap<string, string>): Promise<void>;
}

export interface PeopleRepository {
  all(): Promise<Person[]>;
  get(email: string): Promise<Person | undefined>;
  saveMany(people: readonly Person[]): Promise<void>;
  /** "Away until" a date (null: back); kept apart from the people file, which never overwrites it. */
  setAway(email: string, until: string | null, effects?: Effects): Promise<void>;
}

export interface StoredPlan {
  plan: AllocationPlan;
  status: "planned" | "allocated";
  version: string;
}

export interface AuditRepository {
  getPlan(month: string): Promise<StoredPlan | undefined>;
  /** Conditional insert: "taken" when another run already claimed the month. */
  claimPlan(plan: AllocationPlan): Promise<"claimed" | "taken">;
  /** Fails with storage_precondition_failed when the plan changed since `version` was read. */
  markAllocated(month: string, version: string, effects?: Effects): Promise<void>;
  /**
   * Creates each audit that does not exist yet together with its messages, in one transaction per audit;
   * audits already there are left untouched, so finishing an interrupted month never sends a card twice.
   */
  createAudits(month: string, items: readonly { audit: Audit; outbox: readonly OutboxMessage[]; moderation?: Moderation }[]): Promise<void>;
  /** The case's first audit, or with `pass` "second" the blind second audit of a moderated case. */
  get(month: string, caseRef: string, pass?: AuditPass): Promise<{ audit: Audit; version: string } | undefined>;
  /** The month's first audits: what reports, digests and reminders read. Second audits are never among them. */
  listMonth(month: string): Promise<Audit[]>;
  /** The month's second (moderation) audits. */
  listSeconds(month: string): Promise<Audit[]>;
  /** Messages that belong to the month but to no single change (reminders, the plan for QA); ids already stored are skipped. */
  createMessages(month: string, outbox: readonly OutboxMessage[]): Promise<void>;
  /**
   * ETag update (storage_precondition_failed if someone changed it since) and the messages, in one transaction.
   * A submitted audit also gets an immutable copy of that version, and its feedback row, in the same transaction.
   */
  update(audit: Audit, version: string, effects: Effects, feedback?: Feedback, moderation?: { record: Moderation; version: string }): Promise<void>;
  getModeration(month: string, caseRef: string): Promise<{ moderation: Moderation; version: string } | undefined>;
  listModerations(month: string): Promise<{ moderation: Moderation; version: string }[]>;
  /** A decision on a moderated case (an agreed grade, the single audit used) with its messages and feedback, in one transaction. */
  decideModeration(record: Moderation, version: string, effects: Effects, feedback?: Feedback, audit?: { audit: Audit; version: string }): Promise<void>;
  /** The stored copies of each submitted version, oldest first. */
  versions(month: string, caseRef: string, pass?: AuditPass): Promise<Audit[]>;
}

export interface SupervisionRepository {
  /** "exists" when the case's checklist for the quarter was created already. */
  create(s: Supervision): Promise<"created" | "exists">;
  get(quarter: string, caseRef: string): Promise<{ supervision: Supervision; version: string } | undefined>;
  update(s: Supervision, version: string, effects: Effects): Promise<void>;
  listForManager(quarter: string, managerEmail: string): Promise<Supervision[]>;
  listQuarter(quarter: string): Promise<Supervision[]>;
}

export interface SelfAssessmentRepository {
  /** The request and its card, in one transaction; "exists" when the case was asked already. */
  create(s: SelfAssessment, outbox: readonly OutboxMessage[]): Promise<"created" | "exists">;
  get(month: string, caseRef: string): Promise<{ selfAssessment: SelfAssessment; version: string } | undefined>;
  update(s: SelfAssessment, version: string, effects: Effects): Promise<void>;
  listBetween(fromMonth: string, toMonth: string): Promise<SelfAssessment[]>;
}

export interface FeedbackRepository {
  get(month: string, caseRef: string): Promise<{ feedback: Feedback; version: string } | undefined>;
  /** ETag update and the messages, in one transaction. */
  update(feedback: Feedback, version: string, effects: Effects): Promise<void>;
  /** Feedback whose reminder is due (QA review, corrective action). */
  due(now: Date): Promise<{ feedback: Feedback; version: string }[]>;
  /** Every feedback with a reminder pending, from any month: what the reminders hold now. */
  pending(): Promise<Feedback[]>;
  listSince(fromMonth: string): Promise<Feedback[]>;
  /** Feedback of audits in the months from..to inclusive: only those partitions. */
  listBetween(fromMonth: string, toMonth: string): Promise<Feedback[]>;
}

export interface StaleCheckRepository {
  /** Stores the check with its card in one transaction; "exists" when the case was asked already that month. */
  create(check: StaleCheck, outbox: readonly OutboxMessage[]): Promise<"created" | "exists">;
  get(month: string, caseRef: string): Promise<{ check: StaleCheck; version: string } | undefined>;
  /** ETag update and the messages, in one transaction. */
  update(check: StaleCheck, version: string, effects: Effects): Promise<void>;
  /** Every check of every month. */
  all(): Promise<StaleCheck[]>;
  listMonth(month: string): Promise<StaleCheck[]>;
}

export interface Tier1Repository {
  /**
   * Stores each check not stored yet together with its messages (several checks of one event date to a
   * transaction); a check already there is left untouched, so importing a file twice sends nothing twice. Returns the keys stored now.
   */
  createMany(items: readonly { check: Tier1Check; outbox: readonly OutboxMessage[] }[]): Promise<{ created: string[]; existing: number }>;
  /** The check of the event on `eventOn` (yyyy-mm-dd) with this key. */
  get(eventOn: string, key: string): Promise<{ check: Tier1Check; version: string } | undefined>;
  /** ETag update (storage_precondition_failed if someone changed it since) and the messages, in one transaction. */
  update(check: Tier1Check, version: string, effects: Effects): Promise<void>;
  /** Checks still waiting whose reminder is due, from any day. */
  due(now: Date): Promise<{ check: Tier1Check; version: string }[]>;
  /** The checks of events in the months from..to inclusive. */
  listBetween(fromMonth: string, toMonth: string): Promise<Tier1Check[]>;
}

export interface JobRun {
  job: string;
  period: string;
  owner: string;
  startedAt: string;
  finishedAt: string | null;
  leaseUntil: string;
  status: "running" | "done";
}

export interface JobClaims {
  /**
   * Claims one run of a job for a period: a conditional insert, so across instances exactly one wins. A run whose
   * owner died (lease passed) is taken over with an ETag update. "done" and "held" mean someone else has it.
   */
  claim(job: string, period: string, owner: string, now: Date, leaseMs: number): Promise<"claimed" | "done" | "held">;
  complete(job: string, period: string, owner: string, now: Date): Promise<void>;
  /** The most recent runs of every job, newest first per job. */
  recent(): Promise<JobRun[]>;
}

export interface EscalationRepository {
  /** Stores the escalation, its first event and its messages in one transaction; "exists" if it was stored before. */
  create(escalation: Escalation, effects: Effects): Promise<"created" | "exists">;
  get(id: string): Promise<{ escalation: Escalation; version: string } | undefined>;
  /** ETag update with its newest event and its messages, in one transaction. */
  update(escalation: Escalation, version: string, effects: Effects): Promise<void>;
  /** Open escalations whose ladder check is due. */
  due(now: Date): Promise<{ escalation: Escalation; version: string }[]>;
  /** Every escalation with a ladder timer running, from any month: what the ladder holds now. */
  open(): Promise<Escalation[]>;
  listMonth(month: string): Promise<Escalation[]>;
}

export interface OutboxStore {
  /** Messages not yet delivered whose next attempt is due, oldest first. */
  due(now: Date): Promise<StoredOutbox[]>;
  /**
   * Takes a message for delivery with a lease (ETag): null when another relay took it first. `mayHaveLanded` is stored
   * with the claim, so it outlives this attempt (see StoredOutbox).
   */
  claim(message: StoredOutbox, leaseUntil: Date, mayHaveLanded: boolean): Promise<StoredOutbox | null>;
  /**
   * Records, with the claim's ETag, that this attempt's request is about to leave for the chat; returns the row as it
   * now is. Null when the claim is no longer ours (the lease ran out and another relay took it): do not send.
   */
  markSending(message: StoredOutbox): Promise<StoredOutbox | null>;
  /** Records where the message landed while the attempt is still under way (ETag); null when the claim is no longer ours. */
  markLanded(message: StoredOutbox, deliveredTo: DeliveredTo): Promise<StoredOutbox | null>;
  markSent(message: StoredOutbox, deliveredTo: DeliveredTo, at: Date): Promise<void>;
  markRetry(message: StoredOutbox, nextAttemptAt: Date, error: string): Promise<void>;
  markWaiting(message: StoredOutbox): Promise<void>;
  /** Messages waiting because their recipient could not be reached yet, for the QA team. */
  waiting(): Promise<StoredOutbox[]>;
  /** Every message not yet delivered, whatever the reason. */
  undelivered(): Promise<StoredOutbox[]>;
  /** An earlier message beside this one (same table and partition), to update its card in place. */
  find(beside: StoredOutbox, id: string): Promise<StoredOutbox | undefined>;
  /** Adds messages beside an existing one (same table and partition); ids already there are left alone. */
  addBeside(beside: StoredOutbox, messages: readonly OutboxMessage[]): Promise<void>;
  /** A recipient just became reachable: their waiting messages are due now. */
  release(recipientEmail: string, now: Date): Promise<number>;
}

/** How the bot reaches a person in Teams, learnt when they first reach it. Opaque to the core. */
export interface ChannelIdentity {
  channel: "teams" | "slack";
  /** The channel's own user id (Teams aadObjectId, Slack user id). */
  userKey: string;
  /** Whatever the channel needs to write to them later (a Teams conversation reference). */
  address: Record<string, unknown>;
  learntAt: string;
}

export interface Directory {
  findByChannelUser(channel: ChannelIdentity["channel"], userKey: string): Promise<Person | undefined>;
  /** The person and how the bot reaches them in that channel, from one read of their row: what each turn needs. */
  findWithIdentity(channel: ChannelIdentity["channel"], userKey: string): Promise<{ person: Person; identity: ChannelIdentity | undefined } | undefined>;
  identity(email: string, channel: ChannelIdentity["channel"]): Promise<ChannelIdentity | undefined>;
  saveIdentity(email: string, identity: ChannelIdentity, effects?: Effects): Promise<void>;
  /**
   * True for the first caller only, for one person and one install (a conversation): a conditional insert, so two
   * announcements of the same install racing on two instances still welcome once.
   */
  claimWelcome(email: string, channel: ChannelIdentity["channel"], installKey: string): Promise<boolean>;
  /** Where group posts go (the CAF Champions Group's channel), learnt when the bot is added to a team. */
  saveGroupChannel(name: string, identity: ChannelIdentity): Promise<void>;
  groupChannel(name: string, channel: ChannelIdentity["channel"]): Promise<ChannelIdentity | undefined>;
}

/**
 * What a channel keeps for itself across restarts and instances: the view behind each message it posted (so a form
 * can be opened from that message later) and which inbound deliveries it has handled (so a retry is not handled twice).
 */
export interface ChannelMemory {
  rememberCard(messageKey: string, view: View): Promise<void>;
  card(messageKey: string): Promise<View | undefined>;
  /** True the first time a delivery id is seen, false for every retry of it: a conditional insert. */
  firstDelivery(deliveryId: string): Promise<boolean>;
}

export interface AuditEvent {
  at: string;
  actor: string;
  type: string;
  subject: string;
  /** Ids and counts only: the log is shown to auditors of the process, never children's details. */
  data: Record<string, string | number | boolean | null>;
}

export interface EventLog {
  /** For an event that sums up a whole job (an import, a month's requests): a decision's events go in its Effects. */
  append(event: AuditEvent): Promise<void>;
  listMonth(month: string): Promise<AuditEvent[]>;
  /**
   * Copies to the log the events stored with decisions whose copy was cut short (storage failing, a process dying),
   * oldest first, each once. Returns how many. Only those stored `olderThanMs` ago or more (by default a few seconds),
   * so a copy still under way is not taken for a late one.
   */
  catchUp(olderThanMs?: number): Promise<number>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
