// Tier 1 checks live in the Allocations table ("tier1-<event key>") in a partition per event date ("2026-11-02"), so
// a check and its messages are one transaction and the outbox relay (which scans every partition from a month on)
// finds the messages beside it. A day, not the month: every event is checked, so a month holds thousands, and the
// month partition is what listing a month's audits reads whole; a day's partition sorts after its month's and never
// matches it.
import { StorageError } from "../app/errors";
import type { OutboxMessage } from "../app/delivery/outbox";
import type { Tier1Repository } from "../app/ports";
import type { Tier1Check } from "../domain/tier1";
import { outboxToEntity } from "./audit-rows";
import { assertSafeKey, toKey } from "./keys";
import { getOrUndefined, guard, listWhere, type Entity, type Tables } from "./tables";
import { submitDecision } from "./decision";
import { chunkedJson, readChunkedJson } from "./values";

const PREFIX = "tier1-";
const END = "tier1.";
/** Azure's limit of operations in one transaction. */
const MAX_OPERATIONS = 100;
/** Transactions in flight at once: enough to keep storage busy, few enough not to crowd out chat turns. */
const LANES = 8;
export const tier1RowKey = (key: string) => PREFIX + toKey(key, "event");

function toEntity(c: Tier1Check): Entity {
  return {
    partitionKey: assertSafeKey(c.eventOn, "event date"), rowKey: tier1RowKey(c.key), caseRef: c.caseRef, status: c.status,
    // "~" sorts after every timestamp, so a check with no reminder pending never matches the reminder query.
    nextReminderAt: c.nextReminderAt ?? "~",
    ...chunkedJson(c, "check"),
  };
}

const fromEntity = (e: Entity) => readChunkedJson(e, "check") as Tier1Check;
type Item = { check: Tier1Check; outbox: readonly OutboxMessage[] };
const rowsOf = (i: Item): Entity[] => [toEntity(i.check), ...i.outbox.map((o) => outboxToEntity(i.check.eventOn, o))];

export function createTier1Repository(tables: Tables): Tier1Repository {
  const client = tables.table("Allocations");
  const endpoint = tables.endpoint;
  const submit = (rows: Entity[]) => guard(endpoint, () => client.submitTransaction(rows.map((row) => ["create", row])));
  /** The checks already stored for the days from..to, as "day|row key": one query for a whole file, keys only. */
  const storedKeys = (from: string, to: string) =>
    guard(endpoint, async () => {
      const keys = new Set<string>();
      const filter = `PartitionKey ge '${assertSafeKey(from, "event date")}' and PartitionKey le '${assertSafeKey(to, "event date")}' and RowKey ge '${PREFIX}' and RowKey lt '${END}'`;
      for await (const e of client.listEntities({ queryOptions: { filter, select: ["PartitionKey", "RowKey"] } })) keys.add(`${e.partitionKey}|${e.rowKey}`);
      return keys;
    });
  /** One check on its own: a 409 means it was stored meanwhile (another import of the same file). */
  const createOne = async (item: Item): Promise<boolean> => {
    try {
      await submit(rowsOf(item));
      return true;
    } catch (err) {
      if (err instanceof StorageError && err.code === "storage_conflict") return false;
      throw err;
    }
  };
  return {
    async createMany(items) {
      const byDay = new Map<string, Item[]>();
      for (const i of items) {
        const list = byDay.get(i.check.eventOn);
        if (list) list.push(i);
        else byDay.set(i.check.eventOn, [i]);
      }
      const created: string[] = [];
      let existing = 0;
      const days = [...byDay.keys()].sort();
      const stored = days.length > 0 ? await storedKeys(days[0]!, days.at(-1)!) : new Set<string>();
      for (const [day, list] of byDay) {
        const fresh = list.filter((i) => !stored.has(`${day}|${tier1RowKey(i.check.key)}`));
        existing += list.length - fresh.length;
        // Many checks to a transaction: a 10,000-event file is a few hundred requests, not ten thousand.
        const batches: Item[][] = [];
        let batch: Item[] = [];
        let ops = 0;
        for (const i of fresh) {
          const n = 1 + i.outbox.length;
          if (ops + n > MAX_OPERATIONS && batch.length > 0) {
            batches.push(batch);
            batch = [];
            ops = 0;
          }
          batch.push(i);
          ops += n;
        }
        if (batch.length > 0) batches.push(batch);
        await Promise.all(
          chunks(batches, LANES).map(async (lane) => {
            for (const b of lane) {
              try {
                await submit(b.flatMap(rowsOf));
                created.push(...b.map((i) => i.check.key));
              } catch (err) {
                if (!(err instanceof StorageError && err.code === "storage_conflict")) throw err;
                // Someone stored one of them since the keys were read: each on its own, keeping what is there.
                for (const i of b) {
                  if (await createOne(i)) created.push(i.check.key);
                  else existing++;
                }
              }
            }
          }),
        );
      }
      return { created, existing };
    },
    async get(eventOn, key) {
      const e = await getOrUndefined(client, endpoint, assertSafeKey(eventOn, "event date"), tier1RowKey(key));
      return e ? { check: fromEntity(e), version: String(e.etag) } : undefined;
    },
    async update(check, version, effects) {
      await submitDecision(tables, "Allocations", assertSafeKey(check.eventOn, "event date"), [["update", toEntity(check), "Replace", { etag: version }]], effects);
    },
    async due(now) {
      const rows = await listWhere(client, endpoint, `RowKey ge '${PREFIX}' and RowKey lt '${END}' and nextReminderAt le '${now.toISOString()}'`);
      return rows.map((e) => ({ check: fromEntity(e), version: String(e.etag) }));
    },
    async listBetween(fromMonth, toMonth) {
      // "2026-11-" sorts after the month's own partition "2026-11" and before every day of it; "~" after them all.
      const filter = `PartitionKey ge '${assertSafeKey(fromMonth, "month")}-' and PartitionKey lt '${assertSafeKey(toMonth, "month")}-~' and RowKey ge '${PREFIX}' and RowKey lt '${END}'`;
      return (await listWhere(client, endpoint, filter)).map(fromEntity);
    },
  };
}

/** `n` lanes taking every n-th batch: a few transactions in flight at once, each lane in order. */
function chunks<T>(list: readonly T[], n: number): T[][] {
  const lanes: T[][] = Array.from({ length: n }, () => []);
  list.forEach((x, i) => lanes[i % n]!.push(x));
  return lanes.filter((l) => l.length > 0);
}
