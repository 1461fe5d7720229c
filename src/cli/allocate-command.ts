// `caf-audit allocate`: draw and allocate a month, print the plan as a table or JSON.
import Table from "cli-table3";
import { allocateMonth } from "../app/allocation/allocate-month";
import { requestSelfAssessments } from "../app/stages/self-assessment";
import { freshSeed } from "../app/allocation/seeded-random";
import { UNALLOCATED_REASON_TEXT } from "../domain/allocation";
import type { AllocationPlan } from "../domain/allocation-plan";
import type { CliContext } from "./run-cli";

export async function runAllocate(ctx: CliContext, opts: { month: string; dryRun?: boolean; json?: boolean; seed?: string }): Promise<number> {
  if (opts.seed !== undefined && !/^\d{1,10}$/.test(opts.seed)) {
    process.stderr.write(`The seed "${opts.seed}" must be a whole number, as printed by an earlier allocation.\n`);
    return 1;
  }
  const seed = opts.seed !== undefined ? Number(opts.seed) : freshSeed();
  const result = await allocateMonth(ctx.core, { month: opts.month, seed, actor: ctx.actor, dryRun: !!opts.dryRun });
  if (!result.ok) {
    process.stderr.write(result.problem.message + "\n");
    return 1;
  }
  const { kind, plan } = result.value;
  // The optional self-assessment stage: the lead professionals of the month's cases, asked once however often this runs.
  const asked = kind === "planned" ? 0 : await requestSelfAssessments(ctx.core, plan.month);
  if (asked > 0 && !opts.json) ctx.out(`Asked ${asked} lead professional${asked === 1 ? "" : "s"} for a self-assessment before the audit.`);
  ctx.log.info({ code: `allocation_${kind}`, month: plan.month, seed: plan.seed, allocated: plan.assignments.length, unallocated: plan.unallocated.length }, "allocation");
  if (opts.json) {
    ctx.out(JSON.stringify(toJson(kind, plan), null, 2));
    return 0;
  }
  const heading = {
    planned: `Plan for ${plan.month} (dry run: nothing was written)`,
    allocated: `Allocated ${plan.month}`,
    already_allocated: `${plan.month} was already allocated on ${plan.createdAt.slice(0, 10)}; nothing changed`,
  }[kind];
  ctx.out(`${heading}. Seed ${plan.seed}. ${plan.assignments.length} of ${plan.target} cases allocated from ${plan.eligibleCount} eligible of ${plan.openCount} open; due ${plan.dueOn}.`);
  const table = new Table({ head: ["Case", "Service area", "Auditor"], style: { head: [], border: [] } });
  for (const a of plan.assignments) table.push([a.caseRef, a.serviceArea, a.auditorEmail]);
  ctx.out(table.toString());
  if (plan.unallocated.length > 0) {
    ctx.out(`Not allocated (${plan.unallocated.length}); the QA team needs to find an auditor:`);
    for (const u of plan.unallocated) ctx.out(`  ${u.caseRef} (${u.serviceArea}): ${UNALLOCATED_REASON_TEXT[u.reason]}`);
  }
  return 0;
}

function toJson(kind: string, plan: AllocationPlan) {
  return {
    outcome: kind,
    month: plan.month,
    seed: plan.seed,
    dueOn: plan.dueOn,
    target: plan.target,
    allocations: plan.assignments.map((a) => ({ case_ref: a.caseRef, service_area: a.serviceArea, auditor_email: a.auditorEmail })),
    unallocated: plan.unallocated.map((u) => ({ case_ref: u.caseRef, service_area: u.serviceArea, reason: u.reason })),
  };
}
