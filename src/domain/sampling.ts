// The month's sample: how many open cases to audit and which, spread across service areas in proportion to their open cases.
import { isOpen, type CaseFile } from "./case-file";
import { addMonths } from "./months";
import { shuffled, type RandomSource } from "./random";

export interface SamplingRules {
  /** "fixed": `monthlySize` cases a month (the seed guide's 6-8). "coverage": enough to audit `coveragePercent` of open cases over `coverageMonths`. */
  mode: "fixed" | "coverage";
  monthlySize: number;
  coveragePercent: number;
  coverageMonths: number;
  /** A case audited (or allocated) within this many months before the month is not drawn again. */
  reauditAfterMonths: number;
  /** The share of the allocated cases that a second auditor also audits, blind (see moderation-selection.ts). */
  moderationShare?: number;
}

export const SEED_SAMPLING_RULES: SamplingRules = {
  mode: "fixed",
  monthlySize: 8,
  coveragePercent: 20,
  coverageMonths: 12,
  reauditAfterMonths: 12,
};

export interface AreaQuota {
  serviceArea: string;
  open: number;
  eligible: number;
  quota: number;
}

export interface Sample {
  target: number;
  openCount: number;
  eligibleCount: number;
  areas: AreaQuota[];
  cases: CaseFile[];
}

export function sampleTarget(openCount: number, rules: SamplingRules): number {
  if (rules.mode === "fixed") return rules.monthlySize;
  return Math.ceil((openCount * rules.coveragePercent) / 100 / rules.coverageMonths);
}

/** The first day of the window before `month` (yyyy-mm) in which an audit still counts as recent. */
export function reauditCutoff(month: string, monthsBack: number): string {
  return `${addMonths(month, -monthsBack)}-01`;
}

export function drawSample(
  input: { month: string; cases: readonly CaseFile[]; recentlyAllocated: ReadonlySet<string>; rules: SamplingRules },
  random: RandomSource,
): Sample {
  const cutoff = reauditCutoff(input.month, input.rules.reauditAfterMonths);
  const open = input.cases.filter(isOpen);
  const eligible = open.filter(
    (c) => !input.recentlyAllocated.has(c.caseRef) && (c.lastAuditedOn === null || c.lastAuditedOn < cutoff),
  );
  const target = sampleTarget(open.length, input.rules);
  const areas = quotas(open, eligible, target);
  const cases: CaseFile[] = [];
  for (const area of areas) {
    // Sorting first makes the draw depend on the seed alone, not on the order rows came back from storage.
    const pool = eligible.filter((c) => c.serviceArea === area.serviceArea).sort(byCaseRef);
    cases.push(...shuffled(pool, random).slice(0, area.quota));
  }
  return { target, openCount: open.length, eligibleCount: eligible.length, areas, cases };
}

const byCaseRef = (a: CaseFile, b: CaseFile) => (a.caseRef < b.caseRef ? -1 : a.caseRef > b.caseRef ? 1 : 0);

/**
 * Largest-remainder shares of the target by open cases; an area with too few eligible cases gives
 * its unused share to the others, so the month still reaches its target when it can.
 */
function quotas(open: readonly CaseFile[], eligible: readonly CaseFile[], target: number): AreaQuota[] {
  const areas = new Map<string, AreaQuota>();
  const entry = (serviceArea: string) => {
    let a = areas.get(serviceArea);
    if (!a) areas.set(serviceArea, (a = { serviceArea, open: 0, eligible: 0, quota: 0 }));
    return a;
  };
  for (const c of open) entry(c.serviceArea).open++;
  for (const c of eligible) entry(c.serviceArea).eligible++;
  const list = [...areas.values()].sort((a, b) => (a.serviceArea < b.serviceArea ? -1 : 1));

  let remaining = Math.min(target, eligible.length);
  while (remaining > 0) {
    const active = list.filter((a) => a.quota < a.eligible);
    const weight = active.reduce((sum, a) => sum + a.open, 0);
    const shares = active.map((a) => ({ a, exact: (remaining * a.open) / weight }));
    const given = shares.map((s) => ({ ...s, n: Math.floor(s.exact) }));
    let left = remaining - given.reduce((sum, s) => sum + s.n, 0);
    for (const s of [...given].sort((x, y) => y.exact - y.n - (x.exact - x.n))) {
      if (left === 0) break;
      s.n++;
      left--;
    }
    for (const s of given) {
      const take = Math.min(s.n, s.a.eligible - s.a.quota);
      s.a.quota += take;
      remaining -= take;
    }
  }
  return list;
}
