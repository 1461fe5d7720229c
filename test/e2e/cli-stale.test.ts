// `caf-audit stale`, run as the QA team runs it: the cases put to their LPs as stale, each answer, those not answered
// and those with no LP; --json for the case system. Case references, areas, dates and LP emails only.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { askStaleCases } from "../../src/app/stages/ask-stale-cases";
import { loadConfig } from "../../src/config";
import { answerStale } from "../../src/domain/stale-case";
import { createTables } from "../../src/storage/tables";
import { createCore } from "../../src/wiring";
import { aCase } from "../support/builders";
import { runCli, type CliRun } from "../support/run-cli";
import { fixedClock, uniquePrefix } from "../support/tables";

const prefix = uniquePrefix();
const env = { AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: prefix };
const describeRun = (r: CliRun) => `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

beforeAll(async () => {
  const tables = createTables({ connectionString: inject("tablesConnectionString"), tablePrefix: prefix });
  await tables.ensure();
  const core = createCore(tables, loadConfig({}), fixedClock("2026-12-02T09:00:00Z"));
  await core.cases.saveMany(
    [
      aCase({ caseRef: "CAF-1", serviceArea: "North", openedOn: "2024-03-04", leadProfessionalEmail: "lp.one@example.gov.uk" }),
      aCase({ caseRef: "CAF-2", serviceArea: "North", openedOn: "2024-05-01", leadProfessionalEmail: "lp.two@example.gov.uk" }),
      aCase({ caseRef: "CAF-3", serviceArea: "South", openedOn: "2023-09-01", leadProfessionalEmail: "lp.three@example.gov.uk" }),
      aCase({ caseRef: "CAF-4", serviceArea: "South", openedOn: "2022-01-01", leadProfessionalEmail: null }),
      aCase({ caseRef: "CAF-5", serviceArea: "South", openedOn: "2026-06-01" }),
    ],
    new Map(),
  );
  expect(await askStaleCases(core, "2026-12", "test")).toEqual({ asked: 3, noLeadProfessional: 1, alreadyAsked: 0 });
  const answer = async (caseRef: string, outcome: string, closedOn = "", reason = "") => {
    const found = (await core.staleChecks.get("2026-12", caseRef))!;
    await core.staleChecks.update(answerStale(found.check, { outcome, closedOn, reason }, found.check.leadProfessionalEmail!, new Date("2026-12-03T10:00:00Z")), found.version, {});
  };
  await answer("CAF-1", "closed", "2025-06-30", "Needs met");
  await answer("CAF-2", "still_open");
}, 60_000);

describe("caf-audit stale", () => {
  it("gives the case system the list as JSON: each case's answer, closure date and reason, and those not answered", async () => {
    const r = await runCli(["stale", "--json"], env);
    expect(r.code, describeRun(r)).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.counts).toEqual({ asked: 3, closed: 1, stillOpen: 1, notAnswered: 1 });
    expect(out.cases.map((c: { caseRef: string; state: string }) => [c.caseRef, c.state])).toEqual([
      ["CAF-1", "closed"],
      ["CAF-2", "still_open"],
      ["CAF-3", "not_answered"],
      ["CAF-4", "no_lp"],
    ]);
    expect(out.cases[0]).toMatchObject({ serviceArea: "North", askedIn: "2026-12", openedOn: "2024-03-04", closedOn: "2025-06-30", closureReason: "Needs met", leadProfessionalEmail: "lp.one@example.gov.uk" });
  });

  it("prints one counts line and a row per case for the QA team, and refuses a bad month in one sentence", async () => {
    const r = await runCli(["stale"], env);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain("Stale cases (the latest check of each case): 3 asked, 1 answered closed, 1 still open, 1 not answered; 1 with no lead professional.");
    expect(r.stdout).toMatch(/CAF-1 .*closed on 2025-06-30 \(Needs met\)/);
    expect(r.stdout).toMatch(/CAF-4 .*no lead professional recorded: not asked/);
    expect(r.stdout).not.toContain("CAF-5");
    const empty = await runCli(["stale", "--month", "2026-11"], env);
    expect(empty.stdout).toContain("0 asked");
    const bad = await runCli(["stale", "--month", "December"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('--month must be a month written YYYY-MM, such as 2026-12; "December" is not.');
  });
});
