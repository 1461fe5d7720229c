// Each test gets its own tables (a unique prefix) on the shared Azurite, so tests never see each other's rows.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { loadConfig } from "../../src/config";
import { createTables, type Tables } from "../../src/storage/tables";
import { createCore } from "../../src/wiring";
import type { Clock } from "../../src/app/ports";
import { withEventsUnavailable as eventsUnavailable } from "./events-unavailable";

export function uniquePrefix(): string {
  return "t" + randomBytes(5).toString("hex");
}

export async function freshTables(prefix = uniquePrefix(), connectionString: string = inject("tablesConnectionString")): Promise<Tables> {
  const tables = createTables({ connectionString, tablePrefix: prefix });
  await tables.ensure();
  return tables;
}

export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => now, set: (next) => (now = new Date(next)) };
}

export async function freshCore(env: Record<string, string> = {}, clock = fixedClock("2026-11-20T10:00:00Z")) {
  const tables = await freshTables();
  return { tables, clock, core: createCore(tables, loadConfig(env), clock) };
}

/** The same tables with an Events table that was never created (see events-unavailable.ts), on the shared Azurite. */
export function withEventsUnavailable(tables: Tables, connectionString: string = inject("tablesConnectionString")): Tables {
  return eventsUnavailable(tables, connectionString);
}
