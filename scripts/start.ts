// `npm start`: everything on this machine with no settings and no Microsoft account. Local Azurite, demo people
// and cases, this month allocated, the bot on port 3978, and the Microsoft 365 Agents Playground as the Teams
// client, signed in as a demo auditor with cases waiting. Ctrl-C stops everything it started.
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { allocateMonth } from "../src/app/allocation/allocate-month";
import { importCases } from "../src/app/allocation/import-cases";
import { importPeople } from "../src/app/allocation/import-people";
import { londonDate } from "../src/domain/working-days";
import { monthLabel } from "../src/app/cards/format";
import { loadConfig } from "../src/config";
import { createLogger, logFormatFor } from "../src/logger";
import { startBot } from "../src/server";
import { openStorage } from "../src/storage/open-storage";
import { createCore } from "../src/wiring";

const root = fileURLToPath(new URL("..", import.meta.url));
const PLAYGROUND_PORT = Number(process.env.PLAYGROUND_PORT ?? 56150);
/** A fixed seed so every demo machine shows the same allocation. */
const DEMO_SEED = 20261101;

// The demo data goes in before the bot starts, so its scheduler finds this month already allocated.
const config = loadConfig({ ...process.env, PORT: process.env.PORT ?? "3978" });
const log = createLogger(config.LOG_LEVEL, undefined, logFormatFor(process.env));
const storage = await openStorage(config);
if (storage.mode !== "configured") log.info({ code: "storage_local", mode: storage.mode, dataDir: config.CAF_DATA_DIR }, "no storage settings: using local Azurite");
const demo = createCore(storage.tables, config);
// Demo data goes into an empty store only: a store that already has people keeps what it has.
if ((await demo.people.all()).length === 0) {
  await importPeople(demo, await readFile(`${root}examples/people.csv`), "demo");
  await importCases(demo, await readFile(`${root}examples/cases.csv`), "demo");
  log.info({ code: "demo_loaded" }, "demo people and cases loaded from examples/");
}
const month = londonDate(new Date()).slice(0, 7);
const allocated = await allocateMonth(demo, { month, seed: DEMO_SEED, actor: "demo", dryRun: false });
if (allocated.ok) log.info({ code: "demo_allocated", month, outcome: allocated.value.kind, cases: allocated.value.plan.assignments.length }, "demo month ready");
const bot = await startBot(config, storage.tables, log);
const serving = {
  bot,
  async stop() {
    await bot.close();
    await storage.close();
  },
};

const require = createRequire(import.meta.url);
const cli = require.resolve("@microsoft/m365agentsplayground/cli.js");
const playground: ChildProcess = spawn(
  process.execPath,
  [cli, "-e", `http://127.0.0.1:${serving.bot.port}/api/messages`, "-c", "msteams", "-p", String(PLAYGROUND_PORT), "--disable-telemetry"],
  // Without TEAMSAPPTESTER_BROWSER=none the Playground tries to open a browser and crashes on a headless machine.
  { cwd: root, env: { ...process.env, TEAMSAPPTESTER_BROWSER: "none", M365_AGENTS_PLAYGROUND_LOGFILE: `${config.CAF_DATA_DIR}/playground.log` }, stdio: ["ignore", "inherit", "inherit"] },
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  playground.kill("SIGTERM");
  await serving.stop();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
playground.once("exit", (code) => {
  if (!stopping) {
    log.error({ code: "playground_exited", exitCode: code }, "the Agents Playground stopped; the bot keeps running");
  }
});

// The address comes last, once the Playground answers and the startup lines are out, so it is the thing on screen.
await playgroundListening(PLAYGROUND_PORT, 30_000);
process.stdout.write(
  `\nCAF audit bot running on http://localhost:${serving.bot.port}/api/messages (data in ${config.CAF_DATA_DIR}).\n` +
    `Open the Microsoft 365 Agents Playground at http://localhost:${PLAYGROUND_PORT} : you are Asha Patel, an auditor with cases for ${monthLabel(month)} waiting.\n` +
    `Type "my audits" there. Press Ctrl-C to stop.\n\n`,
);

/** Resolves when something accepts connections on the port, or after `ms` (the address is worth printing anyway). */
async function playgroundListening(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => resolve(true)).once("error", () => resolve(false));
      socket.once("connect", () => socket.end());
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
