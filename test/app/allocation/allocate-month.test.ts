// Allocating a month through the use case on real storage: once per month, reproducible, resumable.
import { describe, expect, it } from "vitest";
import { allocateMonth, type AllocateMonthDeps } from "../../../src/app/allocation/allocate-month";
import { StorageError } from "../../../src/app/errors";
import type { CaseFile } from "../../../src/domain/case-file";
import type { Person } from "../../../src/domain/person";
import { aCase, anAuditor } from "../../support/builders";
import { freshCore } from "../../support/tables";

const caseNo = (n: number, over: Partial<CaseFile> = {}): CaseFile =>
  aCase({ caseRef: `CAF-${n}`, serviceArea: n % 2 ? "Early Help North" : "Family Hubs", leadProfessionalEmail: "lp@example.gov.uk", lpManagerEmail: "manager@example.gov.uk", ...over });

async function councilWith(caseCount: number, auditors: Person[]) {
  const { core } = await freshCore();
  await core.cases.saveMany(Array.from({ length: caseCount }, (_, i) => caseNo(i + 1)), new Map());
  await core.people.saveMany(auditors);
  return core;
}

const run = (deps: AllocateMonthDeps, month = "2026-12", seed = 42, dryRun = false) =>
  allocateMonth(deps, { month, seed, actor: "cli:qa", dryRun });

const auditors = ["asha", "ben", "carys", "dev", "ella"].map((n) => anAuditor(n));

describe("allocating a month", () => {
  it("allocates the month's 8 cases with the last working day as the due date", async () => {
    const core = await councilWith(30, auditors);
    const result = await run(core);
    expect(result.ok && result.value.kind).toBe("allocated");
    const records = await core.allocations.listMonth("2026-12");
    expect(records).toHaveLength(8);
    expect(new Set(records.map((r) => r.dueOn))).toEqual(new Set(["2026-12-31"]));
    expect((await core.allocations.getPlan("2026-12"))?.status).toBe("allocated");
  });

  it("does not allocate twice when run again for the same month", async () => {
    const core = await councilWith(30, auditors);
    await run(core, "2026-12", 1);
    const again = await run(core, "2026-12", 2);
    expect(again.ok && again.value.kind).toBe("already_allocated");
    expect(again.ok && again.value.plan.seed).toBe(1);
    expect(await core.allocations.listMonth("2026-12")).toHaveLength(8);
  });

  it("gives the same plan for the same inputs and seed, and writes nothing on a dry run", async () => {
    const core = await councilWith(30, auditors);
    const a = await run(core, "2026-12", 99, true);
    const b = await run(core, "2026-12", 99, true);
    expect(a.ok && b.ok && a.value.plan.assignments).toEqual(b.ok && b.value.plan.assignments);
    expect(await core.allocations.getPlan("2026-12")).toBeUndefined();
    const real = await run(core, "2026-12", 99);
    expect(real.ok && real.value.plan.assignments).toEqual(a.ok && a.value.plan.assignments);
  });

  it("lets only one of two simultaneous runs allocate the month", async () => {
    const core = await councilWith(30, auditors);
    const [x, y] = await Promise.all([run(core, "2026-12", 5), run(core, "2026-12", 6)]);
    const kinds = [x, y].map((r) => (r.ok ? r.value.kind : r.problem.code)).sort();
    expect(kinds).toEqual(["allocated", "already_allocated"]);
    expect(await core.allocations.listMonth("2026-12")).toHaveLength(8);
  });

  it("finishes the stored plan, not a new draw, after storage failed part-way", async () => {
    const core = await councilWith(30, auditors);
    let failNext = true;
    const flaky: AllocateMonthDeps = {
      ...core,
      allocations: {
        ...core.allocations,
        async createAudits(month, items) {
          if (failNext) {
            failNext = false;
            throw new StorageError("storage_unreachable", "Storage is not reachable.");
          }
          return core.allocations.createAudits(month, items);
        },
      },
    };
    await expect(run(flaky, "2026-12", 11)).rejects.toThrow("not reachable");
    expect(await core.allocations.listMonth("2026-12")).toHaveLength(0);

    const resumed = await run(flaky, "2026-12", 12);
    expect(resumed.ok && resumed.value.kind).toBe("allocated");
    expect(resumed.ok && resumed.value.plan.seed).toBe(11);
    expect(await core.allocations.listMonth("2026-12")).toHaveLength(8);
  });

  it("does not draw a case allocated in the previous twelve months", async () => {
    const core = await councilWith(10, auditors);
    await run(core, "2026-11", 3);
    const november = new Set((await core.allocations.listMonth("2026-11")).map((r) => r.caseRef));
    await run(core, "2026-12", 3);
    const december = (await core.allocations.listMonth("2026-12")).map((r) => r.caseRef);
    expect(december.filter((ref) => november.has(ref))).toEqual([]);
    expect(december).toHaveLength(2); // only ten open cases, eight of them audited last month
  });

  it("reports cases no auditor may take, and records the run in the event log", async () => {
    const { core } = await freshCore();
    await core.cases.saveMany([caseNo(1, { involvedEmails: ["asha@example.gov.uk"] }), caseNo(2)], new Map());
    await core.people.saveMany([anAuditor("asha", 2)]);
    const result = await run(core);
    expect(result.ok && result.value.plan.unallocated).toEqual([{ caseRef: "CAF-1", serviceArea: "Early Help North", reason: "every_auditor_involved" }]);
    const events = await core.events.listMonth("2026-11");
    expect(events.map((e) => [e.type, e.data])).toContainEqual(["month_allocated", { seed: 42, allocated: 1, unallocated: 1, target: 8 }]);
  });

  it("refuses a month that is not YYYY-MM with a sentence", async () => {
    const { core } = await freshCore();
    const result = await run(core, "12/2026");
    expect(result.ok ? null : result.problem).toEqual({ code: "month_invalid", message: expect.stringContaining("YYYY-MM") });
  });
});
