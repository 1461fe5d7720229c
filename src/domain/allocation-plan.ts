// A month's allocation as stored: the plan (with the seed that reproduces it) and one record per allocated case.
import type { AreaQuota } from "./sampling";
import type { Assignment, Unallocated } from "./allocation";

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
}

export interface AllocationRecord extends Assignment {
  month: string;
  dueOn: string;
  toolkitId: string;
  allocatedAt: string;
}

export function recordsOf(plan: AllocationPlan): AllocationRecord[] {
  return plan.assignments.map((a) => ({
    ...a,
    month: plan.month,
    dueOn: plan.dueOn,
    toolkitId: plan.toolkitId,
    allocatedAt: plan.createdAt,
  }));
}
