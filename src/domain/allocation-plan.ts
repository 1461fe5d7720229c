// A month's allocation as stored: the plan (with the seed that reproduces it) and one record per allocated case.
import type { AreaQuota } from "./sampling";
import type { Assignment, Unallocated } from "./allocation";
import type { SecondAssignment } from "./moderation-selection";

export interface AllocationPlan {
  month: string;
  seed: number;
  createdAt: string;
  createdBy: string;
  dueOn: string;
  toolkitId: string;
  target: number;
  openCount: number;
  eligibleCount: number;
  areas: AreaQuota[];
  assignments: Assignment[];
  unallocated: Unallocated[];
  /** The moderated cases and their second auditors; absent on plans made before moderation. */
  seconds?: SecondAssignment[];
  /** Moderated cases that no eligible auditor had room to audit a second time. */
  secondsUnplaced?: number;
}

export interface AllocationRecord extends Assignment {
  month: string;
  dueOn: string;
  toolkitId: string;
  allocatedAt: string;
}

export interface PlannedAudit extends AllocationRecord {
  pass: "first" | "second";
  moderated: boolean;
}

/** Every audit the plan makes: each case's first audit, and the blind second audit of each moderated case. */
export function recordsOf(plan: AllocationPlan): PlannedAudit[] {
  const moderated = new Set((plan.seconds ?? []).map((s) => s.caseRef));
  const record = (a: Assignment, pass: "first" | "second"): PlannedAudit => ({
    caseRef: a.caseRef,
    serviceArea: a.serviceArea,
    auditorEmail: a.auditorEmail,
    month: plan.month,
    dueOn: plan.dueOn,
    toolkitId: plan.toolkitId,
    allocatedAt: plan.createdAt,
    pass,
    moderated: moderated.has(a.caseRef),
  });
  return [...plan.assignments.map((a) => record(a, "first")), ...(plan.seconds ?? []).map((s) => record(s, "second"))];
}
