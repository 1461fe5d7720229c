// The real `caf-audit` command, run as a child process against the test Azurite (and once against its own local Azurite).
// Each spawn costs about a second, so the quick start is one chain of steps and everything else runs concurrently.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createTables } from "../../src/storage/tables";
import { createCore } from "../../src/wiring";
import { PROJECT_ROOT, runCli, type CliRun } from "../support/run-cli";
import { uniquePrefix } from "../support/tables";

const MONTH = "2026-12";
const PEOPLE_CSV = "examples/people.csv";
const CASES_CSV = "examples/cases.csv";

interface AllocationJson {
  outcome: string;
  month: string;
  seed: number;
  allocations: { case_ref: string; service_area: string; auditor_email: string }[];
  unallocated: { case_ref: string; service_area: string; reason: string }[];
}

/** Settings for a run against the shared test Azurite, on tables of its own. */
function storageEnv(prefix = uniquePrefix()): Record<string, string> {
  return { AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: prefix };
}

/** The same tables the command used, read in this process. */
function coreOn(prefix: string) {
  const tables = createTables({ connectionString: inject("tablesConnectionString"), tablePrefix: prefix });
  return createCore(tables, loadConfig({}));
}

function describeRun(r: CliRun): string {
  return `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

function expectExit(r: CliRun, code: number): void {
  expect(r.code, describeRun(r)).toBe(code);
}

/** stderr without the JSON log lines: what the person reads. */
function messageLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("{"));
}

/** A refusal is one sentence on stderr, nothing on stdout, and never a stack trace. */
function expectOneSentence(r: CliRun): string {
  expectExit(r, 1);
  expect(r.stderr, describeRun(r)).not.toContain("    at ");
  expect(r.stdout).toBe("");
  const lines = messageLines(r.stderr);
  expect(lines, describeRun(r)).toHaveLength(1);
  expect(lines[0]).toMatch(/^[A-Z"].*\.$/);
  return lines[0]!;
}

function parseJson(r: CliRun): AllocationJson {
  expectExit(r, 0);
  try {
    return JSON.parse(r.stdout) as AllocationJson;
  } catch {
    throw new Error(`stdout is not JSON:\n${describeRun(r)}`);
  }
}

/** The rows of the plan table (case, service area, auditor) as the command printed them. */
function tableRows(stdout: string): { case_ref: string; service_area: string; auditor_email: string }[] {
  return stdout
    .split("\n")
    .filter((l) => /^\s*│\s*CAF-/.test(l))
    .map((l) => {
      const [case_ref, service_area, auditor_email] = l.split("│").map((c) => c.trim()).filter((c) => c !== "");
      return { case_ref: case_ref!, service_area: service_area!, auditor_email: auditor_email! };
    });
}

function readExample(path: string): Record<string, string>[] {
  return parse(readFileSync(join(PROJECT_ROOT, path)), { columns: true, skip_empty_lines: true, trim: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "caf-audit-e2e-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.concurrent("caf-audit", () => {
  // The quick start, step by step on one set of tables. The suite runs alongside the other tests; its steps run in order.
  describe("quick start on the shipped examples", () => {
    const prefix = uniquePrefix();
    const env = storageEnv(prefix);
    let allocated: AllocationJson | undefined;

    it.sequential("import-people loads the 14 people", async () => {
      const r = await runCli(["import-people", PEOPLE_CSV], env);
      expectExit(r, 0);
      expect(r.stdout).toContain("14 added");
    });

    it.sequential("import-cases loads the register", async () => {
      const r = await runCli(["import-cases", CASES_CSV], env);
      expectExit(r, 0);
      expect(r.stdout).toContain("40 added");
    });

    it.sequential("allocate --dry-run prints a plan of 8 cases and writes nothing", async () => {
      const r = await runCli(["allocate", "--month", MONTH, "--dry-run"], env);
      expectExit(r, 0);
      expect(r.stdout).toMatch(/dry run: nothing was written/);
      const rows = tableRows(r.stdout);
      expect(rows, describeRun(r)).toHaveLength(8);
      expect(new Set(rows.map((row) => row.case_ref)).size).toBe(8);
      const core = coreOn(prefix);
      expect(await core.allocations.getPlan(MONTH)).toBeUndefined();
      expect(await core.allocations.listMonth(MONTH)).toEqual([]);
    });

    it.sequential("allocate --json allocates the month (the dry run claimed nothing) and prints the plan as JSON", async () => {
      const json = parseJson(await runCli(["allocate", "--month", MONTH, "--json"], env));
      expect(json.outcome).toBe("allocated");
      expect(json).toEqual(expect.objectContaining({ month: MONTH, seed: expect.any(Number), allocations: expect.any(Array), unallocated: [] }));
      expect(json.allocations).toHaveLength(8);
      for (const a of json.allocations) expect(Object.keys(a).sort()).toEqual(["auditor_email", "case_ref", "service_area"]);
      allocated = json;
    });

    it.sequential("no auditor gets a case they are the LP, the LP's manager or involved in, nor more than their capacity", () => {
      expect(allocated, "the allocation step must pass first").toBeDefined();
      const cases = new Map(readExample(CASES_CSV).map((c) => [c.case_ref!, c]));
      const people = new Map(readExample(PEOPLE_CSV).map((p) => [p.email!, p]));
      const load = new Map<string, number>();
      for (const a of allocated!.allocations) {
        const c = cases.get(a.case_ref);
        expect(c, a.case_ref).toBeDefined();
        expect(c!.status).toBe("open");
        expect(a.service_area).toBe(c!.service_area);
        const conflicted = [c!.lead_professional_email, c!.lp_manager_email, ...c!.involved_emails!.split(";")].map((e) => e!.trim().toLowerCase());
        expect(conflicted, `${a.case_ref} went to ${a.auditor_email}`).not.toContain(a.auditor_email.toLowerCase());
        const auditor = people.get(a.auditor_email);
        expect(auditor?.roles?.split(";"), a.auditor_email).toContain("auditor");
        load.set(a.auditor_email, (load.get(a.auditor_email) ?? 0) + 1);
      }
      for (const [email, n] of load) expect(n, email).toBeLessThanOrEqual(Number(people.get(email)!.monthly_capacity));
    });

    it.sequential("a second allocate for the month says it was already allocated and changes nothing", async () => {
      expect(allocated, "the allocation step must pass first").toBeDefined();
      const r = await runCli(["allocate", "--month", MONTH], env);
      expectExit(r, 0);
      expect(r.stdout).toMatch(new RegExp(`${MONTH} was already allocated on \\d{4}-\\d{2}-\\d{2}; nothing changed`));
      expect(r.stdout).toContain(`Seed ${allocated!.seed}.`);
      expect(tableRows(r.stdout)).toEqual(allocated!.allocations);
      const stored = await coreOn(prefix).allocations.listMonth(MONTH);
      const byCase = (a: { case_ref: string }, b: { case_ref: string }) => a.case_ref.localeCompare(b.case_ref);
      expect(stored.map((s) => ({ case_ref: s.caseRef, service_area: s.serviceArea, auditor_email: s.auditorEmail })).sort(byCase)).toEqual(
        [...allocated!.allocations].sort(byCase),
      );
    });

    it.sequential("unreachable lists each allocated auditor who has not installed the bot, with their waiting cards", async () => {
      expect(allocated, "the allocation step must pass first").toBeDefined();
      const r = await runCli(["unreachable", "--json"], env);
      expectExit(r, 0);
      const expected = new Map<string, number>();
      for (const a of allocated!.allocations) expected.set(a.auditor_email, (expected.get(a.auditor_email) ?? 0) + 1);
      expected.set("kit.morris@example.gov.uk", 1); // the QA team's copy of the month's plan
      const rows = JSON.parse(r.stdout) as { email: string; waiting: number }[];
      expect(new Map(rows.map((row) => [row.email, row.waiting]))).toEqual(expected);
    });

    it.sequential("--seed replays the draw: a dry run on fresh tables with the same data gives the same allocations", async () => {
      expect(allocated, "the allocation step must pass first").toBeDefined();
      const fresh = storageEnv();
      const [people, cases] = await Promise.all([runCli(["import-people", PEOPLE_CSV], fresh), runCli(["import-cases", CASES_CSV], fresh)]);
      expectExit(people, 0);
      expectExit(cases, 0);
      const replay = parseJson(await runCli(["allocate", "--month", MONTH, "--dry-run", "--json", "--seed", String(allocated!.seed)], fresh));
      expect(replay.outcome).toBe("planned");
      expect(replay.seed).toBe(allocated!.seed);
      expect(replay.allocations).toEqual(allocated!.allocations);
      expect(replay.unallocated).toEqual(allocated!.unallocated);
    });
  });

  it("import-cases with rejected rows exits 2, lists each rejected line and loads the good rows", async () => {
    const file = join(scratch, "register-with-errors.csv");
    await writeFile(
      file,
      [
        "case_ref,service_area,status,opened_on,lead_professional_email,lp_manager_email",
        "CAF-2001,Family Hubs,open,01/02/2026,hana.novak@example.gov.uk,ella.wright@example.gov.uk",
        "CAF-2002,Family Hubs,pending,01/02/2026,hana.novak@example.gov.uk,ella.wright@example.gov.uk",
        "CAF-2003,Youth Service,open,2026-03-04,jade.evans@example.gov.uk,ella.wright@example.gov.uk",
        "CAF-2004,Youth Service,open,31/02/2026,not-an-email,ella.wright@example.gov.uk",
        "CAF-2001,Family Hubs,open,01/02/2026,hana.novak@example.gov.uk,ella.wright@example.gov.uk",
        "",
      ].join("\n"),
    );
    const prefix = uniquePrefix();
    const r = await runCli(["import-cases", file], storageEnv(prefix));
    expectExit(r, 2);
    expect(r.stdout).toContain("2 added");
    expect(r.stdout).toContain("3 rows were rejected");
    expect(r.stdout).toMatch(/line 3 \(CAF-2002\): .*status "pending"/);
    expect(r.stdout).toMatch(/line 5 \(CAF-2004\): .*opened_on "31\/02\/2026".*lead_professional_email "not-an-email"/);
    expect(r.stdout).toMatch(/line 6 \(CAF-2001\): case_ref already appears on line 2/);
    expect(r.stderr).not.toContain("    at ");
    const stored = await coreOn(prefix).cases.all();
    expect(stored.map((c) => c.caseRef).sort()).toEqual(["CAF-2001", "CAF-2003"]);
  });

  // Five commands in a row, each a process of its own: on a busy two-core machine that alone can take most of 30 s.
  it("import-events records Tier 1 events once, exits 2 listing each rejected line, and adds nothing the second time", { timeout: 120_000 }, async () => {
    const prefix = uniquePrefix();
    expectExit(await runCli(["import-people", PEOPLE_CSV], storageEnv(prefix)), 0);
    expectExit(await runCli(["import-cases", CASES_CSV], storageEnv(prefix)), 0);
    const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const file = join(scratch, "tier1-events.csv");
    await writeFile(file, ["case_ref,event,event_date,event_id", `CAF-1001,assessment,${lastWeek},`, `CAF-1002,taf_review,${lastWeek},T-1`, `CAF-0000,closure,${lastWeek},`, ""].join("\n"));
    const first = await runCli(["import-events", file], storageEnv(prefix));
    expectExit(first, 2);
    expect(first.stdout).toContain("2 added (a quality control card sent for each), 0 already recorded");
    expect(first.stdout).toMatch(/line 4 \(CAF-0000\): case_ref CAF-0000 is not in the case register/);
    const again = await runCli(["import-events", file], storageEnv(prefix));
    expect(again.stdout).toContain("0 added (a quality control card sent for each), 2 already recorded");
  });

  it("import-cases --tier1 also records the register's recent assessment, TAF review and closure dates as Tier 1 events", async () => {
    const prefix = uniquePrefix();
    expectExit(await runCli(["import-people", PEOPLE_CSV], storageEnv(prefix)), 0);
    const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const file = join(scratch, "register-tier1.csv");
    await writeFile(file, ["case_ref,service_area,status,closed_on,lead_professional_email,lp_manager_email,last_taf_review_on", `CAF-6001,Family Hubs,closed,${lastWeek},hana.novak@example.gov.uk,ella.wright@example.gov.uk,${lastWeek}`, ""].join("\n"));
    const r = await runCli(["import-cases", file, "--tier1"], storageEnv(prefix));
    expectExit(r, 0);
    expect(r.stdout).toContain("Imported the case register: 1 added");
    expect(r.stdout).toContain("Tier 1 events from the register: 2 added (a quality control card sent for each), 0 already recorded.");
  });

  it("a file lacking required columns is refused with one sentence naming them", async () => {
    const file = join(scratch, "register-missing-columns.csv");
    await writeFile(file, "case_ref,service_area,lead_professional_email\nCAF-3001,Family Hubs,hana.novak@example.gov.uk\n");
    const prefix = uniquePrefix();
    const r = await runCli(["import-cases", file], storageEnv(prefix));
    const sentence = expectOneSentence(r);
    expect(sentence).toContain("status");
    expect(sentence).toContain("lp_manager_email");
    expect(sentence).not.toContain("case_ref");
    expect(await coreOn(prefix).cases.all()).toEqual([]);
  });

  it("a missing file is refused with a sentence naming the path", async () => {
    const missing = join(scratch, "no-such-register.csv");
    const sentence = expectOneSentence(await runCli(["import-cases", missing], storageEnv()));
    expect(sentence).toContain(missing);
  });

  it("a month that does not exist is refused with a sentence", async () => {
    const sentence = expectOneSentence(await runCli(["allocate", "--month", "2026-13"], storageEnv()));
    expect(sentence).toContain('"2026-13" is not a month');
  });

  it("unreachable storage is reported with its endpoint, without a stack trace", async () => {
    const endpoint = "http://127.0.0.1:1/devstoreaccount1";
    const connectionString = inject("tablesConnectionString").replace(/TableEndpoint=[^;]+;?/i, `TableEndpoint=${endpoint};`);
    expect(connectionString).toContain(endpoint);
    const r = await runCli(["import-people", PEOPLE_CSV], { AZURE_TABLES_CONNECTION_STRING: connectionString, CAF_TABLE_PREFIX: uniquePrefix() });
    const sentence = expectOneSentence(r);
    expect(sentence).toContain(endpoint);
    expect(sentence).toMatch(/not reachable/);
  });

  it("a bad setting is refused with a sentence naming it", async () => {
    const r = await runCli(["allocate", "--month", MONTH], { ...storageEnv(), CAF_SAMPLE_MODE: "weekly" });
    const sentence = expectOneSentence(r);
    expect(sentence).toContain("CAF_SAMPLE_MODE");
  });

  it("local mode: three separate commands share the data of a local Azurite under CAF_DATA_DIR", { timeout: 120_000 }, async () => {
    const dataDir = join(scratch, "local-data");
    const env = { AZURE_TABLES_CONNECTION_STRING: undefined, CAF_DATA_DIR: dataDir, CAF_LOCAL_TABLES_PORT: String(await freePort()) };
    const localNotice = /Using local storage: Azurite/;

    const people = await runCli(["import-people", PEOPLE_CSV], env);
    expectExit(people, 0);
    expect(people.stdout).toContain("14 added");
    expect(people.stderr).toMatch(localNotice);

    const cases = await runCli(["import-cases", CASES_CSV], env);
    expectExit(cases, 0);
    expect(cases.stdout).toContain("40 added");
    expect(cases.stderr).toMatch(localNotice);

    const allocation = await runCli(["allocate", "--month", MONTH, "--json"], env);
    expect(allocation.stderr).toMatch(localNotice);
    const json = parseJson(allocation);
    expect(json.outcome).toBe("allocated");
    expect(json.allocations).toHaveLength(8);
  });
});
