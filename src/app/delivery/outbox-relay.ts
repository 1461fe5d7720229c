// Delivers stored messages: claims each due one (so two instances never both send it), asks the channel to
// deliver it, and records the outcome. Failures wait with backoff, honouring the channel's Retry-After.
// A relay killed mid-send leaves marks (send started, where it landed) that tell the next one how to finish it.
import pLimit from "p-limit";
import pThrottle from "p-throttle";
import type { Person } from "../../domain/person";
import { groupName, outboxRowKey, type DeliveredTo, type StoredOutbox } from "./outbox";
import type { OutboxStore, PeopleRepository } from "../ports";

export type DeliveryResult =
  | { kind: "sent"; deliveredTo: DeliveredTo }
  /** The person has not reached the bot on this channel yet: the message waits for them. */
  | { kind: "unreachable" }
  | { kind: "retry"; error: string; retryAfterMs?: number };

/** The relay's side of one attempt: what the messenger tells it as the request goes out and comes back. */
export interface DeliveryAttempt {
  /** An earlier attempt may have landed without anyone storing where: a new message carries RESENT_NOTE. */
  resent: boolean;
  /** Call right before the request that can put the message in front of someone; if it throws, do not send. */
  sending(): Promise<void>;
  /** Call as soon as the chat says where a new message landed, before any other work, so a crash after it updates that message. */
  landed(deliveredTo: DeliveredTo): Promise<void>;
}

export interface Messenger {
  /** `replacing` is the card to update in place: an earlier message's, or this one's own after a crash. */
  deliver(message: StoredOutbox, recipient: Person, replacing: StoredOutbox | undefined, attempt: DeliveryAttempt): Promise<DeliveryResult>;
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
    // Taken over from a relay that died after its request left and before the chat's answer was stored: it may have landed.
    const diedMidSend = due.state === "sending" && !due.deliveredTo && due.attempts > 0 && due.sendingAttempt === due.attempts;
    const claimed = await store.claim(due, new Date(clock.now().getTime() + leaseMs), due.mayHaveLanded || diedMidSend);
    if (!claimed) return "skipped";
    if (due.state === "sending") logTakeover(due, diedMidSend);
    // A group channel has no person behind it: the messenger finds its address by name.
    const group = groupName(claimed.recipientEmail);
    const recipient = group ? { email: claimed.recipientEmail, name: group, roles: [], serviceArea: null, managerEmail: null, monthlyCapacity: 0 } : await people.get(claimed.recipientEmail);
    if (!recipient) {
      await store.markWaiting(claimed);
      log.warn({ code: "outbox_recipient_unknown", outboxRow: outboxRowKey(claimed.id) }, "recipient not in the directory");
      return "waiting";
    }
    // Landed before (a relay died after the chat answered): that message is updated, never joined by a second one.
    const replacing = claimed.deliveredTo ? claimed : claimed.replacesId ? await store.find(claimed, claimed.replacesId) : undefined;
    // Every write of this attempt carries the ETag of the one before, so a relay whose lease ran out cannot write over its successor.
    let current = claimed;
    let lost = false;
    const attempt: DeliveryAttempt = {
      // Where it landed is known, the messenger updates that message in place: no second copy, so no note.
      resent: claimed.mayHaveLanded && !claimed.deliveredTo,
      async sending() {
        const marked = await store.markSending(current);
        if (!marked) {
          lost = true;
          throw new Error("outbox_claim_lost");
        }
        current = marked;
      },
      async landed(deliveredTo) {
        // Never throws: the message is out, and a failure here must not turn into a retry that posts it again.
        try {
          const marked = await store.markLanded(current, deliveredTo);
          if (marked) current = marked;
          else lost = true;
        } catch (err) {
          log.warn({ code: "outbox_mark_landed_failed", outboxRow: outboxRowKey(claimed.id), error: err instanceof Error ? err.message : String(err) }, "could not record where a message landed; recording it sent next");
        }
      },
    };
    let result: DeliveryResult;
    try {
      result = await paced(recipient.email, () => messenger.deliver(claimed, recipient, replacing, attempt));
    } catch (err) {
      result = { kind: "retry", error: err instanceof Error ? err.message : String(err) };
    }
    if (lost) {
      // Another relay took the message over (this one outlived its lease): the row is its now, whatever happened here.
      log.warn({ code: "outbox_claim_lost", outboxRow: outboxRowKey(claimed.id), outcome: result.kind }, "another relay took this message over during the attempt");
      return "skipped";
    }
    switch (result.kind) {
      case "sent":
        await recordSent(current, result.deliveredTo);
        return "sent";
      case "unreachable":
        await store.markWaiting(current);
        log.info({ code: "outbox_recipient_unreachable", outboxRow: outboxRowKey(claimed.id) }, "waiting for the recipient to reach the bot");
        return "waiting";
      case "retry": {
        const backoff = Math.min(max, base * 2 ** Math.max(0, claimed.attempts - 1));
        const wait = Math.max(result.retryAfterMs ?? 0, backoff);
        await store.markRetry(current, new Date(clock.now().getTime() + wait), result.error);
        if (claimed.attempts === (options.alertAfterAttempts ?? 5)) await options.onRepeatedFailure?.(claimed);
        log.warn({ code: "outbox_delivery_failed", outboxRow: outboxRowKey(claimed.id), attempts: claimed.attempts, retryInMs: wait, error: result.error }, "delivery failed, will retry");
        return "retried";
      }
      default: {
        const never: never = result;
        throw new Error(`unhandled delivery result ${JSON.stringify(never)}`);
      }
    }
  };

  // A relay stopped (killed, crashed) with this message in hand. What it stored before it stopped says what is left.
  const logTakeover = (due: StoredOutbox, diedMidSend: boolean) => {
    const ids = { outboxRow: outboxRowKey(due.id), attempts: due.attempts };
    if (due.deliveredTo) log.warn({ code: "outbox_resend_as_update", ...ids }, "a relay stopped after this message landed; updating it in place");
    // Teams has no idempotency key and no way to read a chat back: the request may have landed, so the resend says so.
    else if (diedMidSend) log.warn({ code: "outbox_resend_unknown_outcome", ...ids }, "a relay stopped while sending this message; sending it again, marked as sent again");
    else log.info({ code: "outbox_resume_unsent", ...ids }, "a relay stopped before sending this message; sending it now");
  };

  // The card has landed: recording it is all that stands between this send and a second one after the lease, so a
  // storage hiccup here is retried a few times rather than left to the lease.
  const recordSent = async (claimed: StoredOutbox, deliveredTo: DeliveredTo) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await store.markSent(claimed, deliveredTo, clock.now());
        return;
      } catch (err) {
        if (attempt >= MARK_SENT_TRIES) throw err;
        log.warn({ code: "outbox_mark_sent_failed", outboxRow: outboxRowKey(claimed.id), attempt, error: err instanceof Error ? err.message : String(err) }, "could not record a delivered message, trying again");
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
