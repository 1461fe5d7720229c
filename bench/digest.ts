// The digest for the CAF Champions Group over a month (400 audits) and over a year (5,000 audits) on Azurite,
// and the process's peak memory while the year is computed. The data is written straight through the storage
// ports (no chat, no allocation run), and none of that setup is timed.
import pLimit from "p-limit";
import { digestFigures } from "../src/app/reporting/make-digest";
import { loadConfig } from "../src/config";
import type { SectionAnswers } from "../src/domain/answers";
import { newAudit, type Audit } from "../src/domain/audit";
import type { AllocationPlan } from "../src/domain/allocation-plan";
import type { CaseFile } from "../src/domain/case-file";
import { raise } from "../src/domain/escalation";
import { feedbackFor } from "../src/domain/feedback";
import { monthsOf } from "../src/app/reporting/make-digest";
import { digestSettingsOf } from "../src/jobs/jobs";
import { createTables } from "../src/storage/tables";
import { createCore } from "../src/wiring";
import type { BenchYear } from "./evidence-pack";

type Figure = (name: string, ms: number, target: string) => void;

const AREAS = ["North", "South", "East", "West", "Central", "Coastal", "Rural", "City"];
const AGE_BANDS = ["0-4", "5-10", "11-15", "16-18"];
const NEEDS = ["Parenting", "Domestic abuse", "Mental health", "School attendance", "Neglect", "Substance misuse"];
const GRADES = ["outstanding", "good", "requires-improvement", "inadequate"];
const CASES = 6_000;
const FIRST = "2025-04";
const LAST = "2026-03";

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const text = (n: number, seed: string) => `${seed} `.repeat(Math.ceil(n / (seed.length + 1))).slice(0, n);

/** Returns the year it wrote, so the evidence pack's bench reads the same 5,000 audits. */
export async function benchDigest(connectionString: string, figure: Figure): Promise<BenchYear> {
  const tablePrefix = "benchdigest";
  const tables = createTables({ connectionString, tablePrefix });
  await tables.ensure();
  const config = loadConfig({ LOG_LEVEL: "silent", CAF_SAMPLE_MODE: "coverage" });
  const core = createCore(tables, config);
  const toolkit = core.toolkits.get("tier2-caf")!;
  const settings = digestSettingsOf(config);

  const setup = process.hrtime.bigint();
  const cases: CaseFile[] = Array.from({ length: CASES }, (_, i) => ({
    caseRef: `CAF-${String(i).padStart(6, "0")}`,
    serviceArea: AREAS[i % AREAS.length]!,
    status: "open",
    openedOn: "2024-09-01",
    closedOn: null,
    leadProfessionalEmail: `lp${i % 150}@example.gov.uk`,
    lpManagerEmail: `manager${i % 20}@example.gov.uk`,
    involvedEmails: [],
    stepDown: i % 5 === 0,
    ageBand: AGE_BANDS[i % AGE_BANDS.length]!,
    primaryNeed: NEEDS[i % NEEDS.length]!,
    lastAuditedOn: null,
    missingFromRegisterSince: null,
  }));
  await core.cases.saveMany(cases, new Map());

  // 5,000 audits in the year: 400 in the last month, 418 or 419 in the eleven before it; no case twice.
  const months = monthsOf(FIRST, LAST);
  const counts = months.map((m, i) => (m === LAST ? 400 : i < 2 ? 419 : 418));
  const offsets = counts.map((_, i) => counts.slice(0, i).reduce((s, n) => s + n, 0));
  let cycle = 0;
  const answered = (c: CaseFile): Record<string, SectionAnswers> =>
    Object.fromEntries(
      toolkit.sections.map((s) => {
        if (s.appliesWhen === "step_down" && !c.stepDown) return [s.id, { answers: {}, overview: "", notApplicable: true }];
        const answers = Object.fromEntries(s.questions.map((q) => [q.id, { value: GRADES[cycle++ % GRADES.length]!, comment: text(30, "Evidence in the case notes") }]));
        return [s.id, { answers, overview: text(30, "Overview of the section") }];
      }),
    );

  const monthly = pLimit(8);
  await Promise.all(
    months.map((month, mi) =>
      monthly(async () => {
        const chosen = cases.slice(offsets[mi], offsets[mi]! + counts[mi]!);
        const dueOn = `${month}-28`;
        const allocatedAt = `${month}-01T08:00:00.000Z`;
        const plan: AllocationPlan = {
          month,
          seed: mi,
          createdAt: allocatedAt,
          createdBy: "bench",
          dueOn,
          toolkitId: toolkit.id,
          target: 420,
          openCount: CASES,
          eligibleCount: CASES - offsets[mi]!,
          areas: AREAS.map((a) => ({ serviceArea: a, open: CASES / AREAS.length, eligible: CASES / AREAS.length, quota: Math.ceil(420 / AREAS.length) })),
          assignments: chosen.map((c, i) => ({ caseRef: c.caseRef, serviceArea: c.serviceArea, auditorEmail: `auditor${i % 40}@example.gov.uk` })),
          unallocated: [],
        };
        if ((await core.allocations.claimPlan(plan)) !== "claimed") throw new Error(`bench digest: plan for ${month} already there`);
        const submittedAt = `${month}-20T10:00:00.000Z`;
        const audits: Audit[] = plan.assignments.map((a, i) => {
          const c = chosen[i]!;
          const grade = GRADES[i % GRADES.length]!;
          return {
            ...newAudit({ ...a, month, dueOn, toolkitId: toolkit.id, allocatedAt }),
            status: "submitted",
            sectionIndex: toolkit.sections.length,
            sections: answered(c),
            final: {
              overallGrade: grade,
              justification: text(60, "The child's journey is clear and their voice is heard"),
              actions: [{ action: text(30, "Update the TAF plan"), byWhom: "Lead professional", byWhen: `${month}-27` }],
            },
            submittedAt,
            version: 1,
          };
        });
        await core.allocations.createAudits(month, audits.map((audit) => ({ audit, outbox: [] })));
        // Feedback on one audit in four, written as a submit writes it: with the audit's version copy.
        for (const [i, audit] of audits.entries()) {
          if (i % 4 !== 0) continue;
          const stored = (await core.allocations.get(month, audit.caseRef))!;
          const c = chosen[i]!;
          const feedback = feedbackFor(audit, toolkit, { lp: c.leadProfessionalEmail, manager: c.lpManagerEmail }, core.feedbackRules, new Date(submittedAt));
          await core.allocations.update(stored.audit, stored.version, {}, feedback);
        }
        // A few unsafe-practice concerns each month, half of them acknowledged.
        for (let i = 0; i < 4; i++) {
          const c = chosen[i]!;
          const at = new Date(`${month}-1${i}T11:00:00.000Z`);
          const e = raise({
            id: `esc-${month}-bench${i}`,
            caseRef: c.caseRef,
            serviceArea: c.serviceArea,
            auditMonth: month,
            leadProfessionalEmail: c.leadProfessionalEmail,
            lpManagerEmail: c.lpManagerEmail,
            raisedBy: "auditor1@example.gov.uk",
            seen: "A child was left without a safety plan after a disclosure.",
            when: "current",
            urgency: "immediate",
            at,
            firstRecipients: ["fsm@example.gov.uk"],
            rules: core.ladder,
          });
          const acknowledged = i % 2 === 0 ? { ...e, status: "acknowledged" as const, acknowledgedBy: "fsm@example.gov.uk", acknowledgedAt: new Date(at.getTime() + 25 * 60_000).toISOString() } : e;
          await core.escalations.create(acknowledged, {});
        }
      }),
    ),
  );
  const setupMs = ms(setup);

  const check = await digestFigures(core, FIRST, LAST, settings);
  if (check.allocated !== 5_000 || check.completed !== 5_000) throw new Error(`bench digest: the year holds ${check.allocated} audits, not 5,000`);
  console.log(`  (digest data: ${CASES.toLocaleString("en-GB")} cases, 5,000 submitted audits, ${check.actions.agreed} actions, ${check.escalations.raised} concerns; set up in ${(setupMs / 1000).toFixed(1)} s, not timed)`);

  const monthRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    const f = await digestFigures(core, LAST, LAST, settings);
    monthRuns.push(ms(t));
    if (f.allocated !== 400) throw new Error(`bench digest: the month holds ${f.allocated} audits, not 400`);
  }
  figure("digest of a month, 400 audits (median of 5)", median(monthRuns), "< 1000 ms");

  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const yearRuns: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const t = process.hrtime.bigint();
      await digestFigures(core, FIRST, LAST, settings);
      yearRuns.push(ms(t));
    }
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage.rss());
  figure("digest of a year, 5,000 audits (median of 3)", median(yearRuns), "< 5000 ms");
  const mb = (bytes: number) => bytes / 1024 / 1024;
  const megabytes = (name: string, value: number, target: string) => console.log(`${name.padEnd(58)} ${value.toFixed(1).padStart(9)} MB   (target ${target})`);
  megabytes("digest of a year: peak RSS of the process (with Azurite)", mb(peak), "-");
  megabytes("  RSS just before the year's runs", mb(before), "-");
  return { core, settings, from: FIRST, to: LAST, connectionString, tablePrefix };
}
