// Builds the application core on a set of tables: the one place that knows which adapter serves which port.
import type { AppConfig } from "./config";
import type { AllocateMonthDeps } from "./app/allocate-month";
import { systemClock, type Clock } from "./app/ports";
import type { SamplingRules } from "./domain/sampling";
import { createAllocationRepository, createEventLog } from "./storage/allocation-repository";
import { createCaseRepository } from "./storage/case-repository";
import { createPeopleRepository } from "./storage/people-repository";
import type { Tables } from "./storage/tables";

/** Everything the use cases need; for now exactly what allocating a month needs, the widest of them. */
export type Core = AllocateMonthDeps;

export function samplingRulesOf(config: AppConfig): SamplingRules {
  return {
    mode: config.CAF_SAMPLE_MODE,
    monthlySize: config.CAF_SAMPLE_SIZE,
    coveragePercent: config.CAF_COVERAGE_PERCENT,
    coverageMonths: config.CAF_COVERAGE_MONTHS,
    reauditAfterMonths: config.CAF_REAUDIT_MONTHS,
  };
}

export function createCore(tables: Tables, config: AppConfig, clock: Clock = systemClock): Core {
  return {
    cases: createCaseRepository(tables),
    people: createPeopleRepository(tables),
    allocations: createAllocationRepository(tables),
    events: createEventLog(tables),
    clock,
    rules: samplingRulesOf(config),
    toolkitId: config.CAF_TOOLKIT,
  };
}
