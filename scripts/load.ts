// `npm run load`: the bot under load, as production runs it: the bot is `caf-audit serve` in its own process
// (scripts/load/bot-child.ts), Azurite in another, and this process holds the loopback Teams connector with Teams'
// limits and the simulated users. A: 50 auditors complete the Tier 2 toolkit at once over POST /api/messages. B: a
// month's allocation (run inside the bot, as the scheduled job runs it) fanned out to 200 auditors by the relay.
// The bot's peak resident set (VmHWM from /proc) is held against the 300 MB target; Azurite's and this process's
// are printed beside it. Not a test: it prints the figures and exits 1 only if a target is missed.
import Table from "cli-table3";
import { memoryOf, startAzuriteProcess } from "./load/processes";
import { percentile, rssSampler } from "./load/measure";
import { scenarioA } from "./load/scenario-a";
import { scenarioB } from "./load/scenario-b";

const AUDITORS_A = Number(process.env.LOAD_AUDITORS_A ?? 50);
const AUDITORS_B = Number(process.env.LOAD_AUDITORS_B ?? 200);

const rss = rssSampler();
const azurite = await startAzuriteProcess();
console.log(`CAF audit bot load run, Node ${process.version}, ${new Date().toISOString()}`);
const a = await scenarioA(azurite.connectionString, AUDITORS_A);
const aMb = rss.phaseMb();
const b = await scenarioB(azurite.connectionString, AUDITORS_B);
const bMb = rss.phaseMb();
const azuriteMb = memoryOf(azurite.pid)?.peakMb ?? NaN;
await azurite.close();
rss.stop();

const f1 = (n: number) => n.toFixed(1);
const table = new Table({ head: ["measure", `A: ${a.auditors} auditors, whole toolkit`, `B: fan-out to ${b.auditors}`, "target"] });
table.push(
  ["wall time", `${f1(a.turnsSeconds)} s turns, ${f1(a.seconds)} s until every card delivered`, `${f1(b.seconds)} s (allocate itself ${f1(b.allocateSeconds)} s)`, "run under ~3 min"],
  ["throughput", `${f1(a.turns / a.turnsSeconds)} turns/s (${a.turns} turns)`, `${f1(b.cards / b.seconds)} cards/s (${b.cards} cards)`, ""],
  ["turn latency p50 / p99", `${f1(percentile(a.latencies, 50))} / ${f1(percentile(a.latencies, 99))} ms`, "-", ""],
  ["cards delivered by the relay", `${a.cards} (${a.welcomes} welcome replies in turns)`, `${b.cards} for ${b.allocated} allocations`, ""],
  ["audits submitted", `${a.submitted} of ${a.auditors}`, "-", "all"],
  ["errors (failed turns, error log lines)", `${a.failures.length}, ${a.logErrors}`, `-, ${b.logErrors}`, "0"],
  ["stored / sent / not delivered", `${a.delivery.stored} / ${a.delivery.sent} / ${a.delivery.undelivered}`, `${b.delivery.stored} / ${b.delivery.sent} / ${b.delivery.undelivered}`, ""],
  ["messages lost / doubled", `${a.delivery.lost} / ${a.delivery.doubled}`, `${b.delivery.lost} / ${b.delivery.doubled}`, "0 / 0"],
  ["429s answered by Teams (relay retries)", `${a.rateLimited} (${a.deliveryRetries})`, `${b.rateLimited} (${b.deliveryRetries})`, ""],
  ["bot process: peak RSS (VmHWM) over the scenario", `${f1(a.bot.peakMb)} MB`, `${f1(b.bot.peakMb)} MB`, "< 300 MB"],
  ["bot process: RSS started and idle, before any load", `${f1(a.bot.idleMb)} MB`, `${f1(b.bot.idleMb)} MB`, ""],
  ["load process (connector, users, imports): peak RSS", `${f1(aMb)} MB`, `${f1(bMb)} MB`, ""],
  ["Azurite process (every row in memory): peak RSS", { colSpan: 2, content: `${f1(azuriteMb)} MB (both scenarios' tables)` }, ""],
);
console.log(table.toString());
for (const line of [...a.failures.slice(0, 10), ...a.logSample.slice(0, 5), ...b.logSample.slice(0, 5)]) console.log(`  ${line}`);

const missed = a.failures.length + a.logErrors + b.logErrors + a.delivery.lost + a.delivery.doubled + b.delivery.lost + b.delivery.doubled > 0 || !(Math.max(a.bot.peakMb, b.bot.peakMb) < 300) || a.submitted !== a.auditors;
process.exit(missed ? 1 : 0);
