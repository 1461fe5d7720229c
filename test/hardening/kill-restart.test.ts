// The bot process killed (SIGKILL) in the middle of a fan-out, then started again: every card arrives, and none twice
// except where nobody can know. The bot is `caf-audit serve` as a child process; Teams is the loopback connector in
// this process, slowed so the kill lands mid-delivery.
//
// What a kill can and cannot cost (src/app/outbox-relay.ts): the relay claims a message (state "sending", a lease),
// stores that this attempt's request is leaving, sends it, then records where it landed. Killed before the request,
// the message is sent after the lease as new: no loss, no double. Killed once the chat's id is stored, the card is
// updated in place: no double. Killed while the send is at Teams, or after Teams took it and before its answer is
// stored, nobody can tell whether the card landed: Teams has no idempotency key and no way for a bot to read its chat
// back, so it is sent once more, and that copy says "(sent again after a restart)". Teams returns the id only with
// its answer, and "sent" is the next write, so in Teams that window is nearly all of a send that was at Teams.
// The test fails on any loss, on any double outside the sends under way at the kill, and on any second copy without
// the note. Measured over 10 kills (515 cards): 13 sent twice (1 or 2 a kill), all 13 with the note; 6 more arrived
// once with the note (killed after the mark, before the request reached Teams); none updated in place, as Teams
// gives the id only with its answer. Before the mark and the note: 23 sent twice in 10 kills, none marked.
// A graceful stop (SIGTERM: deploys, restarts, scale-in) lets the sends finish: no double.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { RESENT_NOTE } from "../../src/app/delivery/outbox";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import { systemClock } from "../../src/app/ports";
import { loadConfig } from "../../src/config";
import { londonDate } from "../../src/domain/working-days";
import { createCore, type Core } from "../../src/wiring";
import type { TableName, Tables } from "../../src/storage/tables";
import { startBotProcess, reachable, type BotProcess } from "../support/bot-process";
import { startLoopbackConnector, type LoopbackConnector, type RecordedActivity } from "../support/loopback-connector";
import { freshTables, uniquePrefix } from "../support/tables";
import { invokeExecute, personalConversationId, postToBot, type TeamsUser } from "../support/teams-activities";
import { sleep } from "../support/teams-cards";

/** Each send held this long at "Teams": a fan-out takes seconds, so the kill lands in the middle of it. */
const TEAMS_DELAY_MS = 150;
/** The relay's concurrency: at most this many sends are at Teams when the process dies. */
const IN_FLIGHT_MAX = 4;
const BOT_ENV = { CAF_RELAY_INTERVAL_MS: "200", CAF_LADDER_INTERVAL_MS: "600000" };

interface OutboxRow {
  id: string;
  recipientEmail: string;
  state: string;
  /** Whether the claimed attempt had stored that its request was leaving: only then can the card be at Teams. */
  sendStarted: boolean;
  etag: string;
  partitionKey: string;
  rowKey: string;
}

async function outboxRows(tables: Tables, table: TableName): Promise<OutboxRow[]> {
  const rows: OutboxRow[] = [];
  for await (const e of tables.table(table).listEntities({ queryOptions: { filter: "RowKey ge 'outbox-' and RowKey lt 'outbox.'" } })) {
    rows.push({ id: String(e.messageId), recipientEmail: String(e.recipientEmail), state: String(e.state), sendStarted: Number(e.attempts ?? 0) > 0 && Number(e.sendingAttempt ?? 0) === Number(e.attempts), etag: String(e.etag), partitionKey: e.partitionKey!, rowKey: e.rowKey! });
  }
  return rows;
}

/**
 * The dead process's claims run out: what its lease (60 s) would do with time, done now, so the test does not wait.
 * test/app/outbox-relay.test.ts proves the relay takes over a claim once its lease has run out.
 */
async function expireLeases(tables: Tables, table: TableName, rows: OutboxRow[]): Promise<void> {
  for (const r of rows.filter((x) => x.state === "sending")) {
    await tables.table(table).updateEntity({ partitionKey: r.partitionKey, rowKey: r.rowKey, nextAttemptAt: new Date(Date.now() - 1).toISOString() }, "Merge", { etag: r.etag });
  }
}

interface Council {
  core: Core;
  tables: Tables;
  prefix: string;
  connector: LoopbackConnector;
  emailOf: Map<string, string>;
  users: Map<string, TeamsUser>;
}

async function council(peopleCsv: string, casesCsv: string, sampleSize: number): Promise<Council> {
  const prefix = uniquePrefix();
  const tables = await freshTables(prefix);
  const core = createCore(tables, loadConfig({ CAF_SAMPLE_SIZE: String(sampleSize) }), systemClock);
  expect((await importPeople(core, Buffer.from(peopleCsv), "test")).ok).toBe(true);
  expect((await importCases(core, Buffer.from(casesCsv), "test")).ok).toBe(true);
  // Teams' limits, and slow.
  const connector = await startLoopbackConnector({ perConversationPerSecond: 7, perTenantPerSecond: 50, delayMs: TEAMS_DELAY_MS });
  const emailOf = new Map<string, string>();
  const users = new Map<string, TeamsUser>();
  for (const p of await core.people.all()) {
    const user = await reachable(core, connector, p.name, p.email);
    emailOf.set(personalConversationId(user), p.email);
    users.set(p.email, user);
  }
  return { core, tables, prefix, connector, emailOf, users };
}

/** Proactive sends only (a turn's own reply answers a numeric Teams id; the relay's are replies to a uuid). */
const proactive = (sent: readonly RecordedActivity[]) => sent.filter((s) => !/^\d+$/.test(s.replyToId ?? ""));

interface Outcome {
  lost: string[];
  doubled: string[];
  /** Cards whose send was under way (request stored as leaving, not recorded sent) when the process died. */
  inFlightAtKill: string[];
  /** Cards held twice whose second copy does not say it was sent again: what the person cannot tell apart. */
  doubledUnmarked: string[];
  /** Cards that arrived with the note: a second copy, or the only one when the first request never reached Teams. */
  marked: string[];
}

const hasNote = (s: RecordedActivity) => JSON.stringify(s.activity).includes(RESENT_NOTE);

function tally(expected: readonly string[], received: readonly RecordedActivity[], keyOfSent: (s: RecordedActivity) => string, inFlightAtKill: readonly string[]): Outcome {
  const copies = new Map<string, RecordedActivity[]>();
  for (const s of received) copies.set(keyOfSent(s), [...(copies.get(keyOfSent(s)) ?? []), s]);
  const doubled = [...copies].filter(([, c]) => c.length > 1);
  return {
    lost: expected.filter((k) => !copies.has(k)),
    doubled: doubled.map(([k]) => k),
    inFlightAtKill: [...inFlightAtKill],
    doubledUnmarked: doubled.filter(([, c]) => !c.slice(1).every(hasNote)).map(([k]) => k),
    marked: [...copies].filter(([, c]) => c.some(hasNote)).map(([k]) => k),
  };
}

/** Kill once `killAfter` cards have arrived, note what was under way, restart, and wait for every card. */
async function killMidDelivery(c: Council, table: TableName, bot: BotProcess, keyOfRow: (r: OutboxRow) => string, keyOfSent: (s: RecordedActivity) => string, expected: string[], killAfter: number) {
  await c.connector.waitFor((sent) => proactive(sent).length >= killAfter, 20_000);
  await bot.kill();
  const atKill = proactive(c.connector.sent).length;
  // Whatever the dead process had at "Teams" still lands (Teams does not know the caller died); then storage is still.
  await sleep(TEAMS_DELAY_MS + 200);
  const rows = await outboxRows(c.tables, table);
  const claimed = rows.filter((r) => r.state === "sending");
  const inFlight = claimed.filter((r) => r.sendStarted).map(keyOfRow);
  const sentBeforeRestart = proactive(c.connector.sent).length;
  expect(sentBeforeRestart, "the kill landed mid fan-out").toBeLessThan(expected.length);
  await expireLeases(c.tables, table, rows);

  const again = await startBotProcess(c.prefix, BOT_ENV);
  try {
    await c.connector.waitFor((sent) => new Set(proactive(sent).map(keyOfSent)).size >= expected.length, 30_000);
    await sleep(1_000); // a few more relay passes: anything sent twice would have arrived
    const after = await outboxRows(c.tables, table);
    expect(after.filter((r) => r.state !== "sent").map((r) => `${r.id}: ${r.state}`)).toEqual([]);
    const outcome = tally(expected, proactive(c.connector.sent), keyOfSent, inFlight);
    const updated = c.connector.updates.length;
    process.stdout.write(
      `killed after ${atKill} of ${expected.length} cards; claimed at the kill: ${claimed.length}, request leaving: ${inFlight.length}; ` +
        `sent twice: ${outcome.doubled.length} (with the note: ${outcome.doubled.length - outcome.doubledUnmarked.length}); ` +
        `with the note but held once: ${outcome.marked.filter((k) => !outcome.doubled.includes(k)).length}; updated in place: ${updated}\n`,
    );
    return { outcome, again, log: [...bot.log, ...again.log] };
  } catch (err) {
    await again.kill();
    throw err;
  }
}

function expectExactlyOnceBut(outcome: Outcome) {
  expect(outcome.lost, "cards never delivered").toEqual([]);
  // A double is only ever a card whose send was under way when the process died: the window nobody can close.
  expect(outcome.doubled.filter((k) => !outcome.inFlightAtKill.includes(k)), "cards sent twice that were not in flight at the kill").toEqual([]);
  // And the person can tell: the second copy says it was sent again after a restart.
  expect(outcome.doubledUnmarked, "cards sent twice without the note").toEqual([]);
  // The note goes only on a card whose first request may have reached Teams.
  expect(outcome.marked.filter((k) => !outcome.inFlightAtKill.includes(k)), "cards with the note that were not in flight at the kill").toEqual([]);
  expect(outcome.doubled.length).toBeLessThanOrEqual(IN_FLIGHT_MAX);
  expect(outcome.inFlightAtKill.length).toBeLessThanOrEqual(IN_FLIGHT_MAX);
}

const peopleHeader = "email,name,roles,service_area,manager_email,monthly_capacity";
const casesHeader = "case_ref,service_area,status,opened_on,closed_on,lead_professional_email,lp_manager_email,involved_emails,step_down,age_band,primary_need,last_audited_on";

describe("SIGKILL and restart", () => {
  const running: BotProcess[] = [];
  const connectors: LoopbackConnector[] = [];
  afterAll(async () => {
    for (const b of running) await b.kill();
    for (const c of connectors) await c.close();
  });

  describe("in the middle of a monthly allocation fan-out", () => {
    const AUDITORS = 60;
    const fanOutCouncil = async () => {
      const people = [peopleHeader, "qa.lead@example.gov.uk,QA Lead,qa,,,0"];
      for (let i = 0; i < AUDITORS; i++) people.push(`auditor${i}@example.gov.uk,Auditor ${i},auditor,Area ${i % 4},,1`);
      const cases = [casesHeader];
      for (let i = 0; i < AUDITORS + 20; i++) cases.push(`KR-${1000 + i},Area ${i % 4},open,01/02/2026,,lp${i}@example.gov.uk,lpm${i % 7}@example.gov.uk,,no,5-10,Parenting,`);
      const made = await council(people.join("\n"), cases.join("\n"), AUDITORS);
      connectors.push(made.connector);
      return made;
    };
    let c: Council;
    beforeAll(async () => {
      c = await fanOutCouncil();
    });

    it("delivers every auditor's card after the restart, none lost, and a double only where the send was at Teams", async () => {
      const bot = await startBotProcess(c.prefix, BOT_ENV);
      running.push(bot);
      const month = londonDate(new Date()).slice(0, 7);
      const allocated = await allocateMonth(c.core, { month, seed: 11, actor: "test", dryRun: false });
      if (!allocated.ok) throw new Error(allocated.problem.message);
      const plan = allocated.value.plan;
      expect(plan.assignments).toHaveLength(AUDITORS);
      const expected = [...plan.assignments.map((a) => `${a.auditorEmail}|${a.caseRef}`), "qa.lead@example.gov.uk|plan"];

      const keyOfRow = (r: OutboxRow) => (r.id.startsWith("plan:") ? `${r.recipientEmail}|plan` : `${r.recipientEmail}|${r.id.split(":")[2]}`);
      const keyOfSent = (s: RecordedActivity) => {
        const email = c.emailOf.get(s.conversationId) ?? "?";
        const caseRef = /"caseRef":"([^"]+)"/.exec(JSON.stringify(s.activity))?.[1];
        return `${email}|${caseRef ?? (JSON.stringify(s.activity).includes("Audit plan for") ? "plan" : "?")}`;
      };
      const { outcome, again, log } = await killMidDelivery(c, "Allocations", bot, keyOfRow, keyOfSent, expected, 20);
      running.push(again);
      expectExactlyOnceBut(outcome);
      // Every resend of a message whose outcome was unknown says so in the log, for the QA team and the on-call.
      const warned = log.filter((l) => l.includes('"code":"outbox_resend_unknown_outcome"')).length;
      expect(warned).toBe(outcome.inFlightAtKill.length);
      // The connector never had to refuse: the relay paced the fan-out under Teams' limits, before and after.
      expect(c.connector.requests.filter((r) => r.status === 429)).toEqual([]);
      await again.stop();
    }, 60_000);

    it("stopped with SIGTERM instead (a deploy, a restart, a scale-in), sends every card exactly once", async () => {
      const graceful = await fanOutCouncil();
      const bot = await startBotProcess(graceful.prefix, BOT_ENV);
      running.push(bot);
      const month = londonDate(new Date()).slice(0, 7);
      const allocated = await allocateMonth(graceful.core, { month, seed: 11, actor: "test", dryRun: false });
      if (!allocated.ok) throw new Error(allocated.problem.message);
      await graceful.connector.waitFor((sent) => proactive(sent).length >= 20, 20_000);
      await bot.stop(); // the relay finishes the sends under way before the process exits
      const again = await startBotProcess(graceful.prefix, BOT_ENV);
      running.push(again);
      const keyOfSent = (s: RecordedActivity) => `${graceful.emailOf.get(s.conversationId) ?? "?"}|${/"caseRef":"([^"]+)"/.exec(JSON.stringify(s.activity))?.[1] ?? "plan"}`;
      await graceful.connector.waitFor((sent) => proactive(sent).length >= AUDITORS + 1, 30_000);
      await sleep(1_000);
      const expected = [...allocated.value.plan.assignments.map((a) => `${a.auditorEmail}|${a.caseRef}`), "qa.lead@example.gov.uk|plan"];
      expect(tally(expected, proactive(graceful.connector.sent), keyOfSent, [])).toEqual({ lost: [], doubled: [], inFlightAtKill: [], doubledUnmarked: [], marked: [] });
      expect([...bot.log, ...again.log].filter((l) => l.includes("outbox_resend_unknown_outcome"))).toEqual([]);
      await again.stop();
    }, 60_000);
  });

  describe("in the middle of an escalation's delivery", () => {
    const FSMS = 40;
    let c: Council;
    beforeAll(async () => {
      const people = [peopleHeader, "asha@example.gov.uk,Asha Auditor,auditor,North,,1", "lp@example.gov.uk,Lee Professional,lead_professional,North,mgr@example.gov.uk,0", "mgr@example.gov.uk,Mo Manager,manager,North,,0"];
      for (let i = 0; i < FSMS; i++) people.push(`fsm${i}@example.gov.uk,Family Support Manager ${i},fsm,North,,0`);
      const cases = [casesHeader, "KR-ESC-1,North,open,01/02/2026,,lp@example.gov.uk,mgr@example.gov.uk,,no,5-10,Parenting,"];
      c = await council(people.join("\n"), cases.join("\n"), 1);
      connectors.push(c.connector);
    });

    it("gets the concern to every Family Support Manager, the LP and their manager after the restart, none lost", async () => {
      const bot = await startBotProcess(c.prefix, BOT_ENV);
      running.push(bot);
      const asha = c.users.get("asha@example.gov.uk")!;
      const raised = await postToBot(
        `${bot.url}/api/messages`,
        invokeExecute({
          from: asha,
          serviceUrl: c.connector.url,
          verb: "raiseUnsafe",
          replyToId: "card-1",
          data: { verb: "raiseUnsafe", "unsafe.caseRef": "KR-ESC-1", "unsafe.seen": "A child was left without a safety plan after a disclosure at school.", "unsafe.when": "current", "unsafe.urgency": "immediate" },
        }),
      );
      expect(raised.status).toBe(200);
      const expected = [...Array.from({ length: FSMS }, (_, i) => `fsm${i}@example.gov.uk|esc`), "lp@example.gov.uk|esc", "mgr@example.gov.uk|esc"];
      const keyOfRow = (r: OutboxRow) => `${r.recipientEmail}|esc`;
      const keyOfSent = (s: RecordedActivity) => `${c.emailOf.get(s.conversationId) ?? "?"}|esc`;
      const { outcome, again } = await killMidDelivery(c, "Escalations", bot, keyOfRow, keyOfSent, expected, 12);
      running.push(again);
      expectExactlyOnceBut(outcome);
      expect(c.connector.requests.filter((r) => r.status === 429)).toEqual([]);
      await again.stop();
    }, 60_000);
  });
});
