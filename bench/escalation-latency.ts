// Time from the auditor pressing Escalate now to the FSM's card leaving the outbox (arriving at the loopback Teams connector).
import { readFile } from "node:fs/promises";
import { allocateMonth } from "../src/app/allocate-month";
import { importCases } from "../src/app/import-cases";
import { importPeople } from "../src/app/import-people";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logger";
import { startBot } from "../src/server";
import { createTables } from "../src/storage/tables";
import { startLoopbackConnector } from "../test/support/loopback-connector";
import { installUpdate, invokeExecute, personalConversationId, postToBot, teamsUser } from "../test/support/teams-activities";

export async function benchEscalation(connectionString: string, runs = 40): Promise<number[]> {
  const connector = await startLoopbackConnector();
  const tables = createTables({ connectionString, tablePrefix: "benchesc" });
  await tables.ensure();
  const config = loadConfig({ PORT: "0", LOG_LEVEL: "silent", CAF_RELAY_INTERVAL_MS: "1000", CAF_LADDER_INTERVAL_MS: "60000" });
  const bot = await startBot(config, tables, createLogger("silent"));
  const core = bot.core;
  await importPeople(core, await readFile("examples/people.csv"), "bench");
  await importCases(core, await readFile("examples/cases.csv"), "bench");
  const month = new Date().toISOString().slice(0, 7);
  const plan = await allocateMonth(core, { month, seed: 7, actor: "bench", dryRun: false });
  if (!plan.ok) throw new Error("bench allocation failed");
  const mine = plan.value.plan.assignments.find((a) => a.auditorEmail === "asha.patel@example.gov.uk")!;
  const url = `${bot.url}/api/messages`;
  const asha = teamsUser("Asha Patel");
  const lena = teamsUser("Lena Fisher");
  connector.addMember({ id: asha.id, aadObjectId: asha.aadObjectId, email: "asha.patel@example.gov.uk" });
  connector.addMember({ id: lena.id, aadObjectId: lena.aadObjectId, email: "lena.fisher@example.gov.uk" });
  await postToBot(url, installUpdate({ from: asha, serviceUrl: connector.url }));
  await postToBot(url, installUpdate({ from: lena, serviceUrl: connector.url }));
  const lenaChat = personalConversationId(lena);

  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const seen = `Benchmark concern number ${i}: a child was left without a safety plan after a disclosure.`;
    const before = connector.sent.length;
    const t = process.hrtime.bigint();
    await postToBot(url, invokeExecute({ from: asha, serviceUrl: connector.url, verb: "raiseUnsafe", replyToId: "x", data: { verb: "raiseUnsafe", month, caseRef: mine.caseRef, "unsafe.seen": seen, "unsafe.when": "current", "unsafe.urgency": "immediate" } }));
    await connector.waitFor((sent) => sent.slice(before).some((s) => s.conversationId === lenaChat && JSON.stringify(s.activity).includes(`number ${i}:`)), 10_000);
    latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    // One concern at a time, as an auditor raises them: the relay paces several to one person at 5 a second.
    await new Promise((r) => setTimeout(r, 250));
  }
  await bot.close();
  await connector.close();
  return latencies;
}
