// What App Service and an operator rely on: /healthz (the process is up), /readyz (storage answers, toolkits loaded),
// a request id on every request and its log lines, and a stop that lets the Teams turns in flight finish.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { startBot, type RunningBot } from "../../src/server";
import { connectionStringFor } from "../../src/storage/embedded-azurite";
import { createTables, type TableName, type Tables } from "../../src/storage/tables";
import { startHarness, type Harness } from "../support/bot-harness";
import { startLoopbackConnector, type LoopbackConnector } from "../support/loopback-connector";
import { fixedClock, freshTables } from "../support/tables";
import { personalMessage, postToBot, teamsUser } from "../support/teams-activities";

const botConfig = (env: Record<string, string> = {}) => loadConfig({ PORT: "0", LOG_LEVEL: "silent", CAF_RELAY_INTERVAL_MS: "100", CAF_SCHEDULER: "off", ...env });

/** A port nothing listens on: opened and closed again at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A logger that keeps its JSON lines, to read what an operator would see. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: "debug", base: { service: "caf-audit" } }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe("probes and request ids", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it("/healthz answers 200 while the process is up", async () => {
    const r = await fetch(`${h.bot.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "ok" });
  });

  it("/readyz answers 200 when storage answers and the toolkits are loaded", async () => {
    const r = await fetch(`${h.bot.url}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "ready" });
  });

  it("echoes the caller's x-request-id, and makes one when there is none or it is not a plain token", async () => {
    const given = await fetch(`${h.bot.url}/healthz`, { headers: { "x-request-id": "front-door-42.a:b_c" } });
    expect(given.headers.get("x-request-id")).toBe("front-door-42.a:b_c");

    const made = await fetch(`${h.bot.url}/healthz`);
    const id = made.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const again = await fetch(`${h.bot.url}/healthz`);
    expect(again.headers.get("x-request-id")).not.toBe(id);

    // Anything that could smuggle text into the log (spaces, an email, newlines) is replaced, never echoed.
    const unsafe = await fetch(`${h.bot.url}/healthz`, { headers: { "x-request-id": "asha.patel@example.gov.uk wrote" } });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("puts the request id on Teams turns too", async () => {
    const asha = h.user("Asha Patel", "asha.patel@example.gov.uk");
    const r = await fetch(`${h.bot.url}/api/messages`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "x-request-id": "turn-1" },
      body: JSON.stringify(personalMessage({ from: asha, serviceUrl: h.connector.url, text: "my audits" })),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-request-id")).toBe("turn-1");
  });
});

describe("readiness when storage is unreachable", () => {
  let bot: RunningBot;
  beforeAll(async () => {
    const tables = createTables({ connectionString: connectionStringFor("127.0.0.1", await closedPort()), tablePrefix: "unreachable" });
    bot = await startBot(botConfig(), tables, pino({ level: "silent" }), fixedClock("2026-12-01T09:30:00Z"));
  });
  afterAll(async () => bot?.close());

  it("/readyz answers 503 and says why, while /healthz still answers 200", async () => {
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "storage_unreachable" });
    const live = await fetch(`${bot.url}/healthz`);
    expect(live.status).toBe(200);
  });
});

/** Storage whose next write or read waits at a gate the test opens, to hold a Teams turn in flight. */
function gatedTables(real: Tables) {
  let armed = false;
  let reached!: () => void;
  let open!: () => void;
  const hit = new Promise<void>((resolve) => (reached = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  const gated = new Set<PropertyKey>(["getEntity", "createEntity", "upsertEntity", "updateEntity", "deleteEntity", "submitTransaction"]);
  const tables: Tables = {
    endpoint: real.endpoint,
    ensure: () => real.ensure(),
    table: (name: TableName) =>
      new Proxy(real.table(name), {
        get(target, prop) {
          const value = Reflect.get(target, prop, target) as unknown;
          if (typeof value !== "function") return value;
          const method = value as (...args: unknown[]) => unknown;
          if (!gated.has(prop)) return method.bind(target);
          return async (...args: unknown[]) => {
            if (armed) {
              armed = false;
              reached();
              await opened;
            }
            return method.apply(target, args);
          };
        },
      }),
  };
  return {
    tables,
    arm: () => void (armed = true),
    hit,
    open: () => open(),
  };
}

describe("stopping", () => {
  let connector: LoopbackConnector;
  beforeAll(async () => {
    connector = await startLoopbackConnector();
  });
  afterAll(async () => connector?.close());

  async function botOnGate(drainTimeoutMs?: number) {
    const gate = gatedTables(await freshTables());
    const { log, lines } = capturingLogger();
    const bot = await startBot(botConfig(), gate.tables, log, fixedClock("2026-12-01T09:30:00Z"), drainTimeoutMs === undefined ? {} : { drainTimeoutMs });
    const user = teamsUser("Ben Okafor");
    connector.addMember({ id: user.id, aadObjectId: user.aadObjectId, name: "Ben Okafor", email: "ben.okafor@example.gov.uk" });
    const say = (text: string) => postToBot(`${bot.url}/api/messages`, personalMessage({ from: user, serviceUrl: connector.url, text }));
    return { bot, gate, lines, say };
  }

  it("close() stops accepting, waits for the Teams turn in flight to answer, then resolves", async () => {
    const { bot, gate, lines, say } = await botOnGate();
    gate.arm();
    const turn = say("my audits");
    await gate.hit; // the turn is inside the bot, waiting on storage

    // What the server had answered at the moment close() resolved (its log line is written as the response ends).
    let closed = false;
    let answeredWhenClosed: unknown[] = [];
    const closing = bot.close().then(() => {
      closed = true;
      answeredWhenClosed = lines.filter((l) => l.code === "http_request" && l.path === "/api/messages").map((l) => l.status);
    });
    await sleep(200);
    expect(closed).toBe(false);
    // No new connection is accepted meanwhile.
    await expect(fetch(`${bot.url}/healthz`)).rejects.toThrow();

    gate.open();
    const answered = await turn;
    await closing;
    expect(answered.status).toBe(200);
    expect(answeredWhenClosed).toEqual([200]);

    // The request's log line names the route, status and request id; the turn's own line carries the same id; no text the user typed.
    const request = lines.find((l) => l.code === "http_request" && l.path === "/api/messages");
    expect(request).toMatchObject({ method: "POST", status: 200, requestId: expect.any(String) });
    const turnLines = lines.filter((l) => typeof l.code === "string" && l.code.startsWith("user_") && l.requestId === request!.requestId);
    expect(turnLines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain("my audits");
    expect(JSON.stringify(lines)).not.toContain("ben.okafor");
  });

  it("close() gives up on a request that outlasts the drain time, and still stops", async () => {
    const { bot, gate, lines, say } = await botOnGate(300);
    gate.arm();
    const turn = say("my audits").catch((err: unknown) => err);
    await gate.hit;
    const started = Date.now();
    await bot.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await turn).toBeInstanceOf(Error); // the connection was cut
    expect(lines.some((l) => l.code === "shutdown_drain_timeout")).toBe(true);
    gate.open();
    await sleep(100); // let the released turn end before its tables go away
  });
});
