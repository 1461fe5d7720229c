// Use case: draw the month's sample from open cases and allocate it to auditors, once per month.
import { allocateCases } from "../../domain/allocation";
import { recordsOf, type AllocationPlan } from "../../domain/allocation-plan";
import { monthsBefore } from "../../domain/months";
import { hasRole } from "../../domain/person";
import { drawSample, type SamplingRules } from "../../domain/sampling";
import { isValidMonth, lastWorkingDay } from "../../domain/working-days";
import { fail, ok, StorageError, type Result } from "../errors";
import type { AuditRepository, CaseRepository, Clock, EventLog, PeopleRepository } from "../ports";
import { newAudit, type Audit } from "../../domain/audit";
import type { OutboxMessage } from "../delivery/outbox";
import type { Toolkit } from "../../domain/toolkit";
import { allocationView, noticeView } from "../cards/audit-views";
import { UNALLOCATED_REASON_TEXT } from "../../domain/allocation";
import { createSeededRandom } from "./seeded-random";
import { selectModeration } from "../../domain/moderation-selection";
import { newModeration } from "../../domain/moderation";

export interface AllocateMonthDeps {
  cases: CaseRepository;
  people: PeopleRepository;
  allocations: AuditRepository;
  events: EventLog;
  clock: Clock;
  rules: SamplingRules;
  toolkitId: string;
  toolkits: ReadonlyMap<string, Toolkit>;
}

export interface AllocateMonthInput {
  month: string;
  seed: number;
  actor: string;
  dryRun: boolean;
}

export type AllocateMonthOutcome =
  | { kind: "planned"; plan: AllocationPlan } // dry run: nothing written
  | { kind: "allocated"; plan: AllocationPlan }
  | { kind: "already_allocated"; plan: AllocationPlan };

export async function allocateMonth(deps: AllocateMonthDeps, input: AllocateMonthInput): Promise<Result<AllocateMonthOutcome>> {
  if (!isValidMonth(input.month)) {
    return fail("month_invalid", `"${input.month}" is not a month. Use the form YYYY-MM, for example 2026-11.`);
  }
  const existing = await deps.allocations.getPlan(input.month);
  if (existing?.status === "allocated") return ok({ kind: "already_allocated", plan: existing.plan });
  if (existing && !input.dryRun) {
    // An earlier run claimed the month and stopped part-way: finish exactly that plan, never draw a second one.
    await finish(deps, existing.plan, existing.version);
    return ok({ kind: "allocated", plan: existing.plan });
  }

  const plan = await draw(deps, input);
  if (input.dryRun) return ok({ kind: "planned", plan });

  if ((await deps.allocations.claimPlan(plan)) === "taken") {
    const winner = await deps.allocations.getPlan(input.month);
    if (!winner) throw new Error(`plan for ${input.month} was claimed but cannot be read`);
    if (winner.status === "planned") await finish(deps, winner.plan, winner.version);
    return ok({ kind: "already_allocated", plan: winner.plan });
  }
  const claimed = await deps.allocations.getPlan(input.month);
  await finish(deps, plan, claimed!.version);
  return ok({ kind: "allocated", plan });
}

async function draw(deps: AllocateMonthDeps, input: AllocateMonthInput): Promise<AllocationPlan> {
  const [cases, people, recentlyAllocated] = await Promise.all([
    deps.cases.all(),
    deps.people.all(),
    allocatedInPrecedingMonths(deps.allocations, input.month, deps.rules.reauditAfterMonths),
  ]);
  const random = createSeededRandom(input.seed);
  const sample = drawSample({ month: input.month, cases, recentlyAllocated, rules: deps.rules }, random);
  const auditors = people
    .filter((p) => hasRole(p, "auditor"))
    .sort((a, b) => a.email.localeCompare(b.email))
    .map((p) => ({ email: p.email, capacity: p.monthlyCapacity }));
  const { assignments, unallocated } = allocateCases(sample.cases, auditors, random);
  // Drawn after the first allocation from the same seed, so moderation never changes who has which first audit.
  const moderation = selectModeration(assignments, sample.cases, auditors, deps.rules.moderationShare ?? 0, random);
  return {
    month: input.month,
    seed: input.seed,
    createdAt: deps.clock.now().toISOString(),
    createdBy: input.actor,
    dueOn: lastWorkingDay(input.month),
    toolkitId: deps.toolkitId,
    target: sample.target,
    openCount: sample.openCount,
    eligibleCount: sample.eligibleCount,
    areas: sample.areas,
    assignments,
    unallocated,
    seconds: moderation.seconds,
    secondsUnplaced: moderation.unplaced,
  };
}

async function finish(deps: AllocateMonthDeps, plan: AllocationPlan, version: string): Promise<void> {
  const toolkit = deps.toolkits.get(plan.toolkitId);
  if (!toolkit) throw new Error(`toolkit ${plan.toolkitId} of the ${plan.month} plan is not loaded`);
  // Each audit is stored with the card that tells its auditor, so an allocation is never silent.
  const audits = recordsOf(plan).map((record) => newAudit(record));
  const secondOf = new Map(audits.filter((a) => a.pass === "second").map((a) => [a.caseRef, a]));
  // A moderated case's comparison row is created with its first audit, so it exists before either is submitted.
  const items = audits.map((audit) => {
    const second = audit.pass === "first" ? secondOf.get(audit.caseRef) : undefined;
    return { audit, outbox: [allocationMessage(audit, toolkit, plan.createdAt)], ...(second ? { moderation: newModeration(audit, second) } : {}) };
  });
  // The QA team hears the plan (who has what, what could not be placed and why) before the auditors get their cards.
  await deps.allocations.createMessages(plan.month, await planMessages(deps, plan));
  await deps.allocations.createAudits(plan.month, items);
  const allocated = {
    at: deps.clock.now().toISOString(),
    actor: plan.createdBy,
    type: "month_allocated",
    subject: plan.month,
    data: { seed: plan.seed, allocated: plan.assignments.length, unallocated: plan.unallocated.length, target: plan.target },
  };
  try {
    await deps.allocations.markAllocated(plan.month, version, { events: [allocated] });
  } catch (err) {
    // Someone else finished the same plan at the same time; their mark is as good as ours.
    if (err instanceof StorageError && err.code === "storage_precondition_failed" && (await deps.allocations.getPlan(plan.month))?.status === "allocated") return;
    throw err;
  }
}

async function planMessages(deps: AllocateMonthDeps, plan: AllocationPlan): Promise<OutboxMessage[]> {
  const qa = (await deps.people.all()).filter((p) => hasRole(p, "qa")).map((p) => p.email);
  const lines = [
    `${plan.assignments.length} of ${plan.target} cases allocated from ${plan.eligibleCount} eligible of ${plan.openCount} open; due ${plan.dueOn}; seed ${plan.seed}.`,
    ...plan.assignments.map((a) => `${a.caseRef} (${a.serviceArea}): ${a.auditorEmail}`),
    ...(plan.unallocated.length > 0 ? [`Not allocated, needs an auditor:`, ...plan.unallocated.map((u) => `${u.caseRef} (${u.serviceArea}): ${UNALLOCATED_REASON_TEXT[u.reason]}`)] : []),
    ...moderationLines(plan),
  ];
  // A moment earlier than the auditors' cards, so the relay sends it first.
  const at = new Date(new Date(plan.createdAt).getTime() - 1000).toISOString();
  return qa.map((email) => ({ id: `plan:${plan.month}:${email}`, recipientEmail: email, view: noticeView(`Audit plan for ${plan.month}`, lines.join("\n\n")), createdAt: at }));
}

/** For the QA team only: neither auditor is told that a second audit exists. */
function moderationLines(plan: AllocationPlan): string[] {
  const seconds = plan.seconds ?? [];
  const unplaced = plan.secondsUnplaced ?? 0;
  if (seconds.length === 0 && unplaced === 0) return [];
  const firstOf = new Map(plan.assignments.map((a) => [a.caseRef, a.auditorEmail]));
  return [
    `Moderated (a second, blind audit; neither auditor is told): ${seconds.length}`,
    ...seconds.map((s) => `${s.caseRef} (${s.serviceArea}): ${firstOf.get(s.caseRef)} and ${s.auditorEmail}`),
    ...(unplaced > 0 ? [`${unplaced} more moderated case${unplaced === 1 ? "" : "s"} could not be placed: no other eligible auditor had room.`] : []),
  ];
}

export function allocationMessage(audit: Audit, toolkit: Toolkit, at: string): OutboxMessage {
  return {
    id: `allocation:${audit.month}:${audit.caseRef}:${audit.auditorEmail}`,
    recipientEmail: audit.auditorEmail,
    view: allocationView(audit, toolkit),
    createdAt: at,
  };
}

async function allocatedInPrecedingMonths(repo: AuditRepository, month: string, monthsBack: number): Promise<Set<string>> {
  const records = (await Promise.all(monthsBefore(month, monthsBack).map((mo) => repo.listMonth(mo)))).flat();
  return new Set(records.map((r) => r.caseRef));
}
