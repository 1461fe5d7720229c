// What the use cases need from the outside world. Storage adapters implement these; tests may too.
import type { CaseFile } from "../domain/case-file";
import type { Person } from "../domain/person";
import type { AllocationPlan, AllocationRecord } from "../domain/allocation-plan";

export interface CaseRepository {
  all(): Promise<CaseFile[]>;
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
}

export interface StoredPlan {
  plan: AllocationPlan;
  status: "planned" | "allocated";
  version: string;
}

export interface AllocationRepository {
  getPlan(month: string): Promise<StoredPlan | undefined>;
  /** Conditional insert: "taken" when another run already claimed the month. */
  claimPlan(plan: AllocationPlan): Promise<"claimed" | "taken">;
  /** Idempotent: writing the same records again changes nothing. */
  saveRecords(records: readonly AllocationRecord[]): Promise<void>;
  /** Fails with storage_precondition_failed when the plan changed since `version` was read. */
  markAllocated(month: string, version: string): Promise<void>;
  listMonth(month: string): Promise<AllocationRecord[]>;
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
  append(event: AuditEvent): Promise<void>;
  listMonth(month: string): Promise<AuditEvent[]>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
