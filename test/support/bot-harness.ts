// A whole bot for end-to-end tests: fresh tables on the shared Azurite, the real HTTP server and CloudAdapter,
// and a loopback Teams connector. `restart()` stops the bot process parts and starts new ones on the same data.
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { startBot, type RunningBot } from "../../src/server";
import type { Core } from "../../src/wiring";
import { startLoopbackConnector, type LoopbackConnector } from "./loopback-connector";
import { fixedClock, freshTables, uniquePrefix } from "./tables";
import { installationUpdate, installUpdate, invokeExecute, personalMessage, postToBot, submitMessage, teamsUser, type TeamsUser } from "./teams-activities";
import type { Tables } from "../../src/storage/tables";

export interface Harness {
  /** The table prefix of this harness's data, so another process can work on the same tables. */
  prefix: string;
  core: Core;
  tables: Tables;
  bot: RunningBot;
  connector: LoopbackConnector;
  clock: ReturnType<typeof fixedClock>;
  restart(): Promise<void>;
  close(): Promise<void>;
  /** A Teams user known to the connector with this email. */
  user(name: string, email: string): TeamsUser;
  install(user: TeamsUser): Promise<{ status: number; body: unknown }>;
  /** What a Teams client really sends on first open: installationUpdate and conversationUpdate at the same moment. */
  installBothWays(user: TeamsUser): Promise<Array<{ status: number; body: unknown }>>;
  say(user: TeamsUser, text: string): Promise<{ status: number; body: unknown }>;
  press(user: TeamsUser, verb: string, data: Record<string, unknown>, replyToId?: string): Promise<{ status: number; body: any }>;
  submit(user: TeamsUser, value: Record<string, unknown>, replyToId?: string): Promise<{ status: number; body: unknown }>;
}

export interface HarnessOptions {
  /** Where the bot's log lines go; when given, the log level is "debug" so every line can be checked. */
  logTo?: { write(line: string): void };
  /** The storage account to build the tables on (e.g. through test/support/storage-proxy.ts); defaults to the shared Azurite. */
  connectionString?: string;
}

export async function startHarness(env: Record<string, string> = {}, now = "2026-12-01T09:30:00Z", options: HarnessOptions = {}): Promise<Harness> {
  const prefix = uniquePrefix();
  const tables = await freshTables(prefix, options.connectionString);
  const clock = fixedClock(now);
  const config = loadConfig({ PORT: "0", LOG_LEVEL: "silent", CAF_RELAY_INTERVAL_MS: "100", CAF_SCHEDULER: "off", ...env, ...(options.logTo ? { LOG_LEVEL: "debug" } : {}) });
  const connector = await startLoopbackConnector();
  const log = createLogger(config.LOG_LEVEL, options.logTo);
  let bot = await startBot(config, tables, log, clock);
  const core = bot.core;
  const url = () => `${bot.url}/api/messages`;
  const addressing = (from: TeamsUser) => ({ from, serviceUrl: connector.url });
  const harness: Harness = {
    prefix,
    core,
    tables,
    get bot() {
      return bot;
    },
    connector,
    clock,
    async restart() {
      await bot.close();
      bot = await startBot(config, tables, log, clock);
    },
    async close() {
      await bot.close();
      await connector.close();
    },
    user(name, email) {
      const u = teamsUser(name);
      connector.addMember({ id: u.id, aadObjectId: u.aadObjectId, name, email });
      return u;
    },
    install: (user) => postToBot(url(), installUpdate(addressing(user))),
    installBothWays: (user) => Promise.all([postToBot(url(), installationUpdate(addressing(user))), postToBot(url(), installUpdate(addressing(user)))]),
    say: (user, text) => postToBot(url(), personalMessage({ ...addressing(user), text })),
    press: (user, verb, data, replyToId = "card-1") => postToBot(url(), invokeExecute({ ...addressing(user), verb, data: { verb, ...data }, replyToId })) as Promise<{ status: number; body: any }>,
    submit: (user, value, replyToId = "card-1") => postToBot(url(), submitMessage({ ...addressing(user), value, replyToId })),
  };
  return harness;
}
