// A running bot on the benchmark's Azurite with the demo people and cases, this month allocated, and Asha Patel
// (a demo auditor) installed through a loopback Teams connector: the starting point of the chat benchmarks.
import { readFile } from "node:fs/promises";
import { allocateMonth } from "../src/app/allocation/allocate-month";
import { importCases } from "../src/app/allocation/import-cases";
import { importPeople } from "../src/app/allocation/import-people";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logger";
import { startBot } from "../src/server";
import { createTables } from "../src/storage/tables";
import { startLoopbackConnector } from "../test/support/loopback-connector";
import { installUpdate, postToBot, teamsUser, type TeamsUser } from "../test/support/teams-activities";

export async function startDemoBot(connectionString: string, tablePrefix: string, env: Record<string, string> = {}) {
  const connector = await startLoopbackConnector();
  const tables = createTables({ connectionString, tablePrefix });
  await tables.ensure();
  const config = loadConfig({ PORT: "0", LOG_LEVEL: "silent", CAF_RELAY_INTERVAL_MS: "60000", CAF_SCHEDULER: "off", ...env });
  const bot = await startBot(config, tables, createLogger("silent"));
  const core = bot.core;
  await importPeople(core, await readFile("examples/people.csv"), "bench");
  await importCases(core, await readFile("examples/cases.csv"), "bench");
  const month = new Date().toISOString().slice(0, 7);
  const plan = await allocateMonth(core, { month, seed: 7, actor: "bench", dryRun: false });
  if (!plan.ok) throw new Error("bench allocation failed");
  const ashaCase = plan.value.plan.assignments.find((a) => a.auditorEmail === "asha.patel@example.gov.uk")!.caseRef;
  const url = `${bot.url}/api/messages`;
  const install = async (name: string, email: string): Promise<TeamsUser> => {
    const user = teamsUser(name);
    connector.addMember({ id: user.id, aadObjectId: user.aadObjectId, email });
    await postToBot(url, installUpdate({ from: user, serviceUrl: connector.url }));
    return user;
  };
  const asha = await install("Asha Patel", "asha.patel@example.gov.uk");
  return {
    bot,
    core,
    connector,
    url,
    month,
    ashaCase,
    asha,
    install,
    async close() {
      await bot.close();
      await connector.close();
    },
  };
}
