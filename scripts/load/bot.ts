// One bot for a load scenario: its own tables on the run's Azurite, the loopback Teams connector with Teams' limits
// (7 a second per conversation, 50 a second per tenant, 429 with Retry-After beyond), and the log's errors counted.
import { importCases } from "../../src/app/import-cases";
import { importPeople } from "../../src/app/import-people";
import { systemClock } from "../../src/app/ports";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { startBot } from "../../src/server";
import { createTables } from "../../src/storage/tables";
import { startLoopbackConnector } from "../../test/support/loopback-connector";
import { councilCsv } from "./council";

export async function startLoadBot(connectionString: string, prefix: string, auditors: number, cases: number) {
  const tables = createTables({ connectionString, tablePrefix: prefix });
  await tables.ensure();
  const connector = await startLoopbackConnector({ perConversationPerSecond: 7, perTenantPerSecond: 50 });
  const counted = { errors: 0, deliveryRetries: 0, lines: [] as string[] };
  const log = createLogger("warn", {
    write(line: string) {
      const entry = JSON.parse(line) as { level: number; code?: string };
      if (entry.level >= 50) counted.errors++;
      if (entry.code === "outbox_delivery_failed") counted.deliveryRetries++;
      if (counted.lines.length < 20) counted.lines.push(line.trim());
    },
  });
  // Production settings but for the scheduler (the run drives the month itself) and the sample size.
  const config = loadConfig({ PORT: "0", LOG_LEVEL: "warn", CAF_SCHEDULER: "off", CAF_SAMPLE_SIZE: String(auditors) });
  const bot = await startBot(config, tables, log, systemClock);
  const { peopleCsv, casesCsv } = councilCsv(auditors, cases);
  await importPeople(bot.core, Buffer.from(peopleCsv), "load");
  await importCases(bot.core, Buffer.from(casesCsv), "load");
  return {
    tables,
    connector,
    bot,
    core: bot.core,
    url: `${bot.url}/api/messages`,
    counted,
    async close() {
      await bot.close();
      await connector.close();
    },
  };
}
