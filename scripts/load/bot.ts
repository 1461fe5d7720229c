// One bot for a load scenario, as production runs it: `caf-audit serve` in its own process (scripts/load/bot-child.ts)
// on its own tables of the run's Azurite (another process), production settings but for the scheduler and the sample
// size. This process holds the loopback Teams connector with Teams' limits (7 a second per conversation, 50 a second
// per tenant, 429 with Retry-After beyond) and the simulated users, imports the council as `caf-audit import-*` would
// (its own core on the same tables), and counts the bot's error log lines from its stderr. The bot's memory is read
// from /proc: its peak resident set (VmHWM) is the figure held against the 300 MB target.
import type { ChildProcess } from "node:child_process";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import { loadConfig } from "../../src/config";
import { createTables } from "../../src/storage/tables";
import { createCore } from "../../src/wiring";
import { startLoopbackConnector } from "../../test/support/loopback-connector";
import { councilCsv } from "./council";
import { memoryOf, spawnTs } from "./processes";
import { proactive } from "./measure";

type FromBot = { kind: "ready"; port: number } | { kind: "allocated"; ok: boolean; allocated: number; problem?: string };

export async function startLoadBot(connectionString: string, prefix: string, auditors: number, cases: number) {
  const tables = createTables({ connectionString, tablePrefix: prefix });
  await tables.ensure();
  const env = { PORT: "0", LOG_LEVEL: "warn", CAF_SCHEDULER: "off", CAF_SAMPLE_SIZE: String(auditors), CAF_TABLE_PREFIX: prefix, AZURE_TABLES_CONNECTION_STRING: connectionString };
  const core = createCore(tables, loadConfig(env));
  const { peopleCsv, casesCsv } = councilCsv(auditors, cases);
  await importPeople(core, Buffer.from(peopleCsv), "load");
  await importCases(core, Buffer.from(casesCsv), "load");
  const connector = await startLoopbackConnector({ perConversationPerSecond: 7, perTenantPerSecond: 50 });

  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("CAF_") && !k.startsWith("AZURE_TABLES_") && k !== "LOG_LEVEL" && k !== "PORT"));
  const child: ChildProcess = spawnTs("scripts/load/bot-child.ts", { ...base, ...env }, ["ignore", "ignore", "pipe", "ipc"]);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const counted = { errors: 0, deliveryRetries: 0, lines: [] as string[] };
  let rest = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      let entry: { level?: number; code?: string };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        entry = { level: 50 }; // anything that is not a log line (a stack on stderr) counts as an error
      }
      if ((entry.level ?? 0) >= 50) counted.errors++;
      if (entry.code === "outbox_delivery_failed") counted.deliveryRetries++;
      if (counted.lines.length < 20) counted.lines.push(line.trim());
    }
  });
  const waiting: ((m: FromBot) => void)[] = [];
  child.on("message", (m: FromBot) => waiting.shift()?.(m));
  const next = () => new Promise<FromBot>((resolve, reject) => {
    waiting.push(resolve);
    void exited.then(() => reject(new Error(`the bot exited:\n${counted.lines.join("\n")}`)));
  });
  const ready = await next();
  if (ready.kind !== "ready") throw new Error("the bot did not start");
  const url = `http://127.0.0.1:${ready.port}`;
  const pid = child.pid!;
  return {
    tables,
    connector,
    core,
    url: `${url}/api/messages`,
    pid,
    counted,
    /** The bot's memory now: its peak resident set so far and its current one. */
    memory: () => memoryOf(pid),
    /** The month's allocation, run inside the bot process as the scheduled job runs it. */
    async allocate(month: string, seed: number): Promise<number> {
      const reply = next();
      child.send({ kind: "allocate", month, seed });
      const r = await reply;
      if (r.kind !== "allocated" || !r.ok) throw new Error(`allocation failed: ${r.kind === "allocated" ? r.problem : r.kind}`);
      return r.allocated;
    },
    /** Stops the bot (SIGTERM's path: drain, stop the relay); resolves with its memory just before it went. */
    async close() {
      const last = memoryOf(pid);
      child.send({ kind: "stop" });
      await exited;
      await connector.close();
      return last;
    },
  };
}

/** The figures every scenario reports about the run it just made, then the bot's memory once it has stopped. */
export async function finishRun<T extends object>(s: Awaited<ReturnType<typeof startLoadBot>>, idle: { rssMb: number } | undefined, figures: T) {
  const result = {
    ...figures,
    cards: proactive(s.connector).length,
    rateLimited: s.connector.requests.filter((r) => r.status === 429).length,
    logErrors: s.counted.errors,
    deliveryRetries: s.counted.deliveryRetries,
    logSample: s.counted.lines,
  };
  const last = await s.close();
  return { ...result, bot: { idleMb: idle?.rssMb ?? NaN, peakMb: last?.peakMb ?? NaN } };
}
