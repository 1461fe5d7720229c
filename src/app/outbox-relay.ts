// Delivers stored messages: claims each due one (so two instances never both send it), asks the channel to
// deliver it, and records the outcome. Failures wait with backoff, honouring the channel's Retry-After.
import pLimit from "p-limit";
import pThrottle from "p-throttle";
import type { Person } from "../domain/person";
import { groupName, type StoredOutbox } from "./outbox";
import type { OutboxStore, PeopleRepository } from "./ports";

export type DeliveryResult =
  | { kind: "sent"; deliveredTo: NonNullable<StoredOutbox["deliveredTo"]> }
  /** The person has not reached the bot on this channel yet: the message waits for them. */
  | { kind: "unreachable" }
  | { kind: "retry"; error: string; retryAfterMs?: number };

export interface Messenger {
  deliver(message: StoredOutbox, recipient: Person, replacing: StoredOutbox | undefined): Promise<DeliveryResult>;
}

export interface RelayLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RelayOptions {
  store: OutboxStore;
  people: PeopleRepository;
  messenger: Messenger;
  clock: { now(): Date };
  log: RelayLog;
  /** How long a claimed message is ours before another relay may take it over. */
  leaseMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Sends in flight at once. */
  concurrency?: number;
  /** Sends a second across everyone (Teams allows 50 per tenant) and to one person (Teams allows 7 per conversation). */
  perSecond?: number;
  perRecipientPerSecond?: number;
  /** After this many failed tries of one message, `onRepeatedFailure` is told (once). */
  alertAfterAttempts?: number;
  onRepeatedFailure?: (message: StoredOutbox) => Promise<void>;
}

export interface OutboxRelay {
  /** One pass over the due messages; resolves when each has been tried once. */
  runOnce(): Promise<{ sent: number; retried: number; waiting: number }>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
  /** Ask for a pass soon (after a decision was stored), without waiting for the next tick. */
  nudge(): void;
}

/** Tries at recording a delivered message before leaving it to the lease (and a possible second send). */
const MARK_SENT_TRIES = 4;

export function createOutboxRelay(options: RelayOptions): OutboxRelay {
  const { store, people, messenger, clock, log } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const base = options.baseBackoffMs ?? 2_000;
  const max = options.maxBackoffMs ?? 10 * 60_000;
  const limit = pLimit(options.concurrency ?? 4);
  // Below the channel's limits, so a month's fan-out to 200 auditors is paced rather than answered with 429s.
  const overall = pThrottle({ limit: options.perSecond ?? 40, interval: 1000, strict: true });
  const perRecipient = new Map<string, <T>(fn: () => Promise<T>) => Promise<T>>();
  const paced = <T>(recipient: string, fn: () => Promise<T>): Promise<T> => {
    let gate = perRecipient.get(recipient);
    if (!gate) {
      const throttle = pThrottle({ limit: options.perRecipientPerSecond ?? 5, interval: 1000, strict: true });
      gate = <U>(f: () => Promise<U>) => throttle(f)();
      perRecipient.set(recipient, gate);
    }
    return gate(() => overall(fn)());
  };
  let timer: NodeJS.Timeout | undefined;
  const passes = new Set<Promise<void>>();
  const maxPasses = options.concurrency ?? 4;
  let again = false;

  const deliverOne = async (due: StoredOutbox): Promise<"sent" | "retried" | "waiting" | "skipped"> => {
    // An update in place waits until the card it replaces has landed: sent earlier, it would arrive as a second card.
    if (due.replacesId) {
      const original = await store.find(due, due.replacesId);
      if (original && original.state !== "sent") return "skipped";
    }
    const claimed = await store.claim(due, new Date(clock.now().getTime() + leaseMs));
    if (!claimed) return "skipped";
    if (due.state === "sending") {
      // The relay that claimed it stopped (killed, crashed) with it in hand: if it had reached the channel, it may have
      // landed. Teams has no idempotency key and no way to ask, so it is sent again, and the recipient may get it twice.
      log.warn({ code: "outbox_resend_unknown_outcome", messageId: claimed.id, attempts: claimed.attempts }, "a relay stopped while sending this message; sending it again");
    }
    // A group channel has no person behind it: the messenger finds its address by name.
    const group = groupName(claimed.recipientEmail);
    const recipient = group ? { email: claimed.recipientEmail, name: group, roles: [], serviceArea: null, managerEmail: null, monthlyCapacity: 0 } : await people.get(claimed.recipientEmail);
    if (!recipient) {
      await store.markWaiting(claimed);
      log.warn({ code: "outbox_recipient_unknown", messageId: claimed.id }, "recipient not in the directory");
      return "waiting";
    }
    const replacing = claimed.replacesId ? await store.find(claimed, claimed.replacesId) : undefined;
    let result: DeliveryResult;
    try {
      result = await paced(recipient.email, () => messenger.deliver(claimed, recipient, replacing));
    } catch (err) {
      result = { kind: "retry", error: err instanceof Error ? err.message : String(err) };
    }
    switch (result.kind) {
      case "sent":
        await recordSent(claimed, result.deliveredTo);
        return "sent";
      case "unreachable":
        await store.markWaiting(claimed);
        log.info({ code: "outbox_recipient_unreachable", messageId: claimed.id }, "waiting for the recipient to reach the bot");
        return "waiting";
      case "retry": {
        const backoff = Math.min(max, base * 2 ** Math.max(0, claimed.attempts - 1));
        const wait = Math.max(result.retryAfterMs ?? 0, backoff);
        await store.markRetry(claimed, new Date(clock.now().getTime() + wait), result.error);
        if (claimed.attempts === (options.alertAfterAttempts ?? 5)) await options.onRepeatedFailure?.(claimed);
        log.warn({ code: "outbox_delivery_failed", messageId: claimed.id, attempts: claimed.attempts, retryInMs: wait, error: result.error }, "delivery failed, will retry");
        return "retried";
      }
      default: {
        const never: never = result;
        throw new Error(`unhandled delivery result ${JSON.stringify(never)}`);
      }
    }
  };

  // The card has landed: recording it is all that stands between this send and a second one after the lease, so a
  // storage hiccup here is retried a few times rather than left to the lease.
  const recordSent = async (claimed: StoredOutbox, deliveredTo: NonNullable<StoredOutbox["deliveredTo"]>) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await store.markSent(claimed, deliveredTo, clock.now());
        return;
      } catch (err) {
        if (attempt >= MARK_SENT_TRIES) throw err;
        log.warn({ code: "outbox_mark_sent_failed", messageId: claimed.id, attempt, error: err instanceof Error ? err.message : String(err) }, "could not record a delivered message, trying again");
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
    }
  };

  const runOnce = async () => {
    const due = await store.due(clock.now());
    // Messages for the same card (the card, then its updates) go one after another, oldest first, so the newest state
    // lands last; different cards go in parallel.
    const byCard = new Map<string, StoredOutbox[]>();
    for (const m of due) {
      const card = `${m.source}|${m.partition}|${m.replacesId ?? m.id}`;
      byCard.set(card, [...(byCard.get(card) ?? []), m]);
    }
    const inTurn = async (messages: StoredOutbox[]) => {
      const done: Awaited<ReturnType<typeof deliverOne>>[] = [];
      for (const m of messages) done.push(await deliverOne(m));
      return done;
    };
    const outcomes = (await Promise.all([...byCard.values()].map((messages) => limit(() => inTurn(messages))))).flat();
    return {
      sent: outcomes.filter((o) => o === "sent").length,
      retried: outcomes.filter((o) => o === "retried").length,
      waiting: outcomes.filter((o) => o === "waiting").length,
    };
  };

  // Passes may overlap, up to one per send slot, so a send the channel never answers (until its time-out) holds up
  // only its own card, not every card stored after it. Two passes never send one message twice: each claims it first.
  // At the cap, a nudge asks for one more pass straight after.
  const pass = () => {
    if (passes.size >= maxPasses) {
      again = true;
      return;
    }
    const run: Promise<void> = (async () => {
      do {
        again = false;
        try {
          await runOnce();
        } catch (err) {
          log.warn({ code: "outbox_pass_failed", error: err instanceof Error ? err.message : String(err) }, "outbox pass failed");
        }
      } while (again);
    })().finally(() => passes.delete(run));
    passes.add(run);
  };

  return {
    runOnce,
    start(intervalMs) {
      timer = setInterval(pass, intervalMs);
      pass();
    },
    async stop() {
      if (timer) clearInterval(timer);
      while (passes.size > 0) await Promise.all(passes);
    },
    nudge: pass,
  };
}
