// What the load run measures: latency percentiles, peak RSS, and what Teams received against what the outbox stored.
import type { Tables } from "../../src/storage/tables";
import type { LoopbackConnector } from "../../test/support/loopback-connector";

export const percentile = (xs: number[], p: number) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Samples the whole process's RSS (bot, in-process Azurite, connector, simulated users) every 50 ms. */
export function rssSampler() {
  let peak = process.memoryUsage().rss;
  let phasePeak = peak;
  const timer = setInterval(() => {
    const now = process.memoryUsage().rss;
    peak = Math.max(peak, now);
    phasePeak = Math.max(phasePeak, now);
  }, 50);
  timer.unref();
  const mb = (bytes: number) => bytes / 2 ** 20;
  return {
    peakMb: () => mb(Math.max(peak, process.memoryUsage().rss)),
    /** The peak since the last call (a phase of the run), then starts a new phase. */
    phaseMb: () => {
      const p = mb(Math.max(phasePeak, process.memoryUsage().rss));
      phasePeak = process.memoryUsage().rss;
      return p;
    },
    heapMb: () => mb(process.memoryUsage().heapUsed),
    stop: () => clearInterval(timer),
  };
}

/** Proactive sends (the relay's; a turn's own reply answers a numeric Teams activity id). */
export const proactive = (c: LoopbackConnector) => c.sent.filter((s) => !/^\d+$/.test(s.replyToId ?? ""));

export interface Delivery {
  stored: number;
  sent: number;
  undelivered: number;
  /** Stored as sent but Teams has no such activity, or never sent. */
  lost: number;
  /** Cards Teams received that no stored message accounts for: a second copy. */
  doubled: number;
}

/** Every outbox row of the tables against the connector's proactive sends, matched by the activity id Teams gave. */
export async function compareDelivery(tables: Tables, connector: LoopbackConnector): Promise<Delivery> {
  const received = new Map(proactive(connector).map((s) => [s.id, s]));
  let stored = 0;
  let sent = 0;
  let lost = 0;
  const accounted = new Set<string>();
  for (const table of ["Allocations", "Escalations"] as const) {
    for await (const e of tables.table(table).listEntities({ queryOptions: { filter: "RowKey ge 'outbox-' and RowKey lt 'outbox.'" } })) {
      stored++;
      if (e.state !== "sent") continue;
      sent++;
      const activityId = (JSON.parse(String(e.deliveredTo)) as { activityId: string }).activityId;
      if (received.has(activityId)) accounted.add(activityId);
      else lost++;
    }
  }
  return { stored, sent, undelivered: stored - sent, lost: lost + (stored - sent), doubled: received.size - accounted.size };
}

/** Waits until no stored message is left to deliver (or the time runs out). */
export async function drained(tables: Tables, connector: LoopbackConnector, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const d = await compareDelivery(tables, connector);
    if (d.undelivered === 0) return true;
    await sleep(100);
  }
  return false;
}
