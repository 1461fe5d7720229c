// `npm run bench`: prints the figures the issues ask for, measured in one run on this machine. Not a test: nothing fails here.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { allocateCases } from "../src/domain/allocation";
import { drawSample } from "../src/domain/sampling";
import { createSeededRandom } from "../src/app/allocation/seeded-random";
import { importCases } from "../src/app/allocation/import-cases";
import { importPeople } from "../src/app/allocation/import-people";
import { loadConfig } from "../src/config";
import { startEmbeddedAzurite } from "../src/storage/embedded-azurite";
import { createTables } from "../src/storage/tables";
import { createCore } from "../src/wiring";
import { councilCsv } from "./council-csv";
import { benchTeamsSubmit, printTeamsSubmit } from "./teams-submit";
import { benchEscalation } from "./escalation-latency";
import { benchDigest } from "./digest";
import { benchSlackSubmit } from "./slack-submit";
import { benchModeration } from "./moderation";
import { benchSuppression } from "./suppression";
import { benchEvidencePack } from "./evidence-pack";
import { benchStaleCases } from "./stale-cases";
import { benchTier1Import } from "./tier1-import";
import { benchTrail } from "./trail";

const root = fileURLToPath(new URL("..", import.meta.url));
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const figure = (name: string, value: number, target: string) => console.log(`${name.padEnd(58)} ${value.toFixed(1).padStart(9)} ms   (target ${target})`);

const azurite = await startEmbeddedAzurite({ port: 0 });
const env = { CAF_TABLE_PREFIX: "bench", CAF_SAMPLE_MODE: "coverage" };
const tables = createTables({ connectionString: azurite.connectionString, tablePrefix: env.CAF_TABLE_PREFIX });
await tables.ensure();
const core = createCore(tables, loadConfig(env));
const { casesCsv, peopleCsv } = councilCsv(10_000, 200);
const dir = mkdtempSync(join(tmpdir(), "caf-bench-"));
writeFileSync(join(dir, "cases.csv"), casesCsv);

console.log(`CAF audit bot benchmarks, Node ${process.version}, ${new Date().toISOString()}`);
let t = process.hrtime.bigint();
await importPeople(core, Buffer.from(peopleCsv), "bench");
const imported = await importCases(core, Buffer.from(casesCsv), "bench");
figure("import 10,000-row register (use case, Azurite)", ms(t), "< 5000 ms");
if (!imported.ok || imported.value.added !== 10_000) throw new Error("bench import did not load 10,000 cases");

t = process.hrtime.bigint();
await importCases(core, Buffer.from(casesCsv), "bench");
figure("re-import the same register (all unchanged)", ms(t), "-");

await benchTier1Import(azurite.connectionString, { casesCsv, peopleCsv }, 10_000, figure);

const cases = await core.cases.all();
const auditors = (await core.people.all()).map((p) => ({ email: p.email, capacity: p.monthlyCapacity }));
const draws: number[] = [];
let allocated = 0;
for (let i = 0; i < 20; i++) {
  t = process.hrtime.bigint();
  const random = createSeededRandom(i);
  const sample = drawSample({ month: "2026-12", cases, recentlyAllocated: new Set(), rules: core.rules }, random);
  allocated = allocateCases(sample.cases, auditors, random).assignments.length;
  draws.push(ms(t));
}
draws.sort((a, b) => a - b);
figure(`in-memory draw + allocation, 10,000 cases / 200 auditors (p50 of 20; ${allocated} cases)`, draws[10]!, "< 200 ms");
figure("  the same, worst of 20", draws[19]!, "-");

const cli = (args: string[]) =>
  promisify(execFile)(process.execPath, [join(root, "bin/caf-audit.js"), ...args], {
    cwd: root,
    env: { ...process.env, ...env, AZURE_TABLES_CONNECTION_STRING: azurite.connectionString, LOG_LEVEL: "silent" },
  });
t = process.hrtime.bigint();
await cli(["allocate", "--month", "2026-12", "--json"]);
figure("whole command: caf-audit allocate (process start to exit)", ms(t), "< 3000 ms");
t = process.hrtime.bigint();
await cli(["import-cases", join(dir, "cases.csv")]);
figure("whole command: caf-audit import-cases, 10,000 rows unchanged", ms(t), "-");

printTeamsSubmit(figure, await benchTeamsSubmit(azurite.connectionString));

const slack = await benchSlackSubmit(azurite.connectionString);
figure(`Slack: ack of a view submission, largest section (${slack.questions} questions), p50`, slack.p50, "-");
figure(`Slack: ack of a view submission, largest section (${slack.questions} questions), p99`, slack.p99, "< 300 ms (Slack's limit 3 s)");

const escalation = (await benchEscalation(azurite.connectionString)).sort((a, b) => a - b);
figure("unsafe practice: Escalate now to the FSM's card sent, p50", escalation[Math.floor(escalation.length / 2)]!, "-");
figure("unsafe practice: Escalate now to the FSM's card sent, p99", escalation[Math.min(escalation.length - 1, Math.floor(escalation.length * 0.99))]!, "< 1000 ms");

await benchTrail(azurite.connectionString, figure);

await benchEvidencePack(await benchDigest(azurite.connectionString, figure), root, figure);

benchModeration(figure);

benchSuppression(figure);
await benchStaleCases(tables, env, figure);

await azurite.close();
