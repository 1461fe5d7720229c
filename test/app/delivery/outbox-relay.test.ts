// The outbox relay on real storage: each stored message is delivered once, however many relays run,
// waits for people who cannot be reached yet, and honours Retry-After; a relay that died mid-send is finished
// without a second copy where the chat's answer was stored, and with a marked one where it was not.
import { describe, expect, it } from "vitest";
import { createOutboxRelay, type DeliveryAttempt, type DeliveryResult, type Messenger } from "../../../src/app/delivery/outbox-relay";
import { outboxRowKey, type StoredOutbox } from "../../../src/app/delivery/outbox";
import { newAudit } from "../../../src/domain/audit";
import { noticeView } from "../../../src/app/cards/audit-views";
import { anAuditor } from "../../support/builders";
import { freshCore } from "../../support/tables";

const quiet = { info() {}, warn() {} };

function recordingMessenger(answer: (m: StoredOutbox) => DeliveryResult = () => ({ kind: "sent", deliveredTo: { channel: "test", conversationId: "c", activityId: "a" } })) {
  const delivered: string[] = [];
  const messenger: Messenger = {
    async deliver(m) {
      const result = answer(m);
      if (result.kind === "sent") delivered.push(m.id);
      return result;
    },
  };
  return { messenger, delivered };
}

/** A messenger that marks its attempt like a real one and records what the relay asked of it. */
function attemptRecorder() {
  const tries: { id: string; resent: boolean; updates: StoredOutbox["deliveredTo"] }[] = [];
  const messenger: Messenger = {
    async deliver(m, _recipient, replacing, attempt) {
      await attempt.sending();
      tries.push({ id: m.id, resent: attempt.resent, updates: replacing?.deliveredTo ?? null });
      return { kind: "sent", deliveredTo: replacing?.deliveredTo ?? { channel: "test", conversationId: "c", activityId: "a" } };
    },
  };
  return { messenger, tries };
}

/** A relay killed mid-attempt: its messenger does `before`, then never returns, as if the process had died there. */
function dyingRelay(core: Awaited<ReturnType<typeof withMessages>>["core"], clock: { now(): Date }, before: (attempt: DeliveryAttempt) => Promise<void>) {
  const messenger: Messenger = {
    async deliver(_m, _r, _p, attempt) {
      await before(attempt);
      return new Promise<DeliveryResult>(() => {});
    },
  };
  return createOutboxRelay({ store: core.outbox, people: core.people, messenger, clock, log: quiet });
}

function loggedCodes() {
  const codes: string[] = [];
  const note = (obj: object) => codes.push(String((obj as { code?: string }).code));
  return { log: { info: note, warn: note }, codes };
}

async function until(ready: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the dying relay");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function withMessages(count: number, idOf = (i: number) => `m-${i}`) {
  const { core, clock } = await freshCore({}, undefined);
  await core.people.saveMany([anAuditor("asha")]);
  const items = Array.from({ length: count }, (_, i) => {
    const audit = newAudit({ month: "2026-11", caseRef: `CAF-${i}`, serviceArea: "A", auditorEmail: "asha@example.gov.uk", dueOn: "2026-11-30", toolkitId: "tier2-caf", allocatedAt: clock.now().toISOString() });
    return { audit, outbox: [{ id: idOf(i), recipientEmail: "asha@example.gov.uk", view: noticeView("t", "x"), createdAt: clock.now().toISOString() }] };
  });
  await core.allocations.createAudits("2026-11", items);
  return { core, clock };
}

describe("outbox relay", () => {
  it("names a message in its log lines by its storage row, never by its id, which carries the recipient's email", async () => {
    const id = "allocation:2026-11:CAF-0:asha@example.gov.uk";
    const { core, clock } = await withMessages(1, () => id);
    const lines: object[] = [];
    const log = { info: (o: object) => lines.push(o), warn: (o: object) => lines.push(o) };
    const { messenger } = recordingMessenger(() => ({ kind: "retry", error: "teams_503" }));
    expect(await createOutboxRelay({ store: core.outbox, people: core.people, messenger, clock, log }).runOnce()).toMatchObject({ retried: 1 });
    expect(lines).toContainEqual(expect.objectContaining({ code: "outbox_delivery_failed", outboxRow: outboxRowKey(id) }));
    expect(JSON.stringify(lines)).not.toContain("asha@example.gov.uk");
  });

  it("delivers each message exactly once when two relays run at the same time", async () => {
    const { core, clock } = await withMessages(12);
    const { messenger, delivered } = recordingMessenger();
    const relay = () => createOutboxRelay({ store: core.outbox, people: core.people, messenger, clock, log: quiet });
    await Promise.all([relay().runOnce(), relay().runOnce(), relay().runOnce()]);
    expect(delivered.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `m-${i}`).sort());
    expect(await core.outbox.due(clock.now())).toEqual([]);
  });

  it("keeps a message for someone not reachable yet, and sends it once they reach the bot", async () => {
    const { core, clock } = await withMessages(1);
    let reachable = false;
    const { messenger, delivered } = recordingMessenger(() => (reachable ? { kind: "sent", deliveredTo: { channel: "test", conversationId: "c", activityId: "a" } } : { kind: "unreachable" }));
    const relay = createOutboxRelay({ store: core.outbox, people: core.people, messenger, clock, log: quiet });
    expect(await relay.runOnce()).toMatchObject({ waiting: 1 });
    expect((await core.outbox.waiting()).map((m) => m.recipientEmail)).toEqual(["asha@example.gov.uk"]);
    expect(await relay.runOnce()).toMatchObject({ sent: 0, waiting: 0 });
    reachable = true;
    expect(await core.outbox.release("asha@example.gov.uk", clock.now())).toBe(1);
    expect(await relay.runOnce()).toMatchObject({ sent: 1 });
    expect(delivered).toEqual(["m-0"]);
  });

  it("waits at least Retry-After before trying again, then delivers", async () => {
    const { core, clock } = await withMessages(1);
    let calls = 0;
    const { messenger, delivered } = recordingMessenger(() => (++calls === 1 ? { kind: "retry", error: "teams_429", retryAfterMs: 30_000 } : { kind: "sent", deliveredTo: { channel: "test", conversationId: "c", activityId: "a" } }));
    const relay = createOutboxRelay({ store: core.outbox, people: core.people, messenger, clock, log: quiet });
    expect(await relay.runOnce()).toMatchObject({ retried: 1 });
    clock.set(new Date(clock.now().getTime() + 29_000).toISOString());
    expect(await relay.runOnce()).toMatchObject({ sent: 0 });
    clock.set(new Date(clock.now().getTime() + 2_000).toISOString());
    expect(await relay.runOnce()).toMatchObject({ sent: 1 });
    expect(delivered).toEqual(["m-0"]);
  });

  it("takes over a message from a relay that died before sending once its lease runs out, and sends it as new", async () => {
    const { core, clock } = await withMessages(1);
    const [due] = await core.outbox.due(clock.now());
    await core.outbox.claim(due!, new Date(clock.now().getTime() + 60_000), false); // a relay claims it and dies
    const { messenger, tries } = attemptRecorder();
    const { log, codes } = loggedCodes();
    const relay = createOutboxRelay({ store: core.outbox, people: core.people, messenger, clock, log });
    expect(await relay.runOnce()).toMatchObject({ sent: 0 });
    clock.set(new Date(clock.now().getTime() + 61_000).toISOString());
    expect(await relay.runOnce()).toMatchObject({ sent: 1 });
    expect(tries).toEqual([{ id: "m-0", resent: false, updates: null }]);
    expect(codes).toContain("outbox_resume_unsent");
  });

  it("sends a message again with the note when its relay died after the request left and before the answer came", async () => {
    const { core, clock } = await withMessages(1);
    void dyingRelay(core, clock, async (attempt) => attempt.sending()).runOnce();
    await until(async () => (await core.outbox.undelivered())[0]?.sendingAttempt === 1);
    clock.set(new Date(clock.now().getTime() + 61_000).toISOString());
    const { messenger, tries } = attemptRecorder();
    const { log, codes } = loggedCodes();
    expect(await createOutboxRelay({ store: core.outbox, people: core.people, messenger, clock, log }).runOnce()).toMatchObject({ sent: 1 });
    expect(tries).toEqual([{ id: "m-0", resent: true, updates: null }]);
    expect(codes).toContain("outbox_resend_unknown_outcome");
  });

  it("keeps the note on a resend after a crash through a failed try, so the copy that lands later still says so", async () => {
    const { core, clock } = await withMessages(1);
    void dyingRelay(core, clock, async (attempt) => attempt.sending()).runOnce();
    await until(async () => (await core.outbox.undelivered())[0]?.sendingAttempt === 1);
    clock.set(new Date(clock.now().getTime() + 61_000).toISOString());
    const tries: boolean[] = [];
    const flaky: Messenger = {
      async deliver(_m, _r, _p, attempt) {
        await attempt.sending();
        tries.push(attempt.resent);
        return tries.length === 1 ? { kind: "retry", error: "teams_503" } : { kind: "sent", deliveredTo: { channel: "test", conversationId: "c", activityId: "a" } };
      },
    };
    const relay = createOutboxRelay({ store: core.outbox, people: core.people, messenger: flaky, clock, log: quiet });
    expect(await relay.runOnce()).toMatchObject({ retried: 1 });
    clock.set(new Date(clock.now().getTime() + 10_000).toISOString());
    expect(await relay.runOnce()).toMatchObject({ sent: 1 });
    expect(tries).toEqual([true, true]);
  });

  it("updates the message in place, with no second copy, when its relay died after the chat said where it landed", async () => {
    const { core, clock } = await withMessages(1);
    const landedAt = { channel: "slack", conversationId: "D1", activityId: "1767000000.000001" };
    void dyingRelay(core, clock, async (attempt) => {
      await attempt.sending();
      await attempt.landed(landedAt);
    }).runOnce();
    await until(async () => (await core.outbox.undelivered())[0]?.deliveredTo !== null);
    clock.set(new Date(clock.now().getTime() + 61_000).toISOString());
    const { messenger, tries } = attemptRecorder();
    const { log, codes } = loggedCodes();
    expect(await createOutboxRelay({ store: core.outbox, people: core.people, messenger, clock, log }).runOnce()).toMatchObject({ sent: 1 });
    expect(tries).toEqual([{ id: "m-0", resent: false, updates: landedAt }]);
    expect(codes).toContain("outbox_resend_as_update");
  });

  it("does not send from a relay that outlived its lease once another relay took the message over", async () => {
    const { core, clock } = await withMessages(1);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let staleSent = false;
    const stale: Messenger = {
      async deliver(_m, _r, _p, attempt) {
        await gate; // stuck past its lease (a long GC pause, a hung DNS lookup) before the request
        await attempt.sending();
        staleSent = true;
        return { kind: "sent", deliveredTo: { channel: "test", conversationId: "c", activityId: "stale" } };
      },
    };
    const stalePass = createOutboxRelay({ store: core.outbox, people: core.people, messenger: stale, clock, log: quiet }).runOnce();
    await until(async () => (await core.outbox.undelivered())[0]?.state === "sending");
    clock.set(new Date(clock.now().getTime() + 61_000).toISOString());
    const { messenger, tries } = attemptRecorder();
    expect(await createOutboxRelay({ store: core.outbox, people: core.people, messenger, clock, log: quiet }).runOnce()).toMatchObject({ sent: 1 });
    release();
    expect(await stalePass).toMatchObject({ sent: 0 });
    expect(staleSent).toBe(false);
    expect(tries.map((t) => t.id)).toEqual(["m-0"]);
    expect(await core.outbox.undelivered()).toEqual([]);
  });

  it("records a delivered message even when storage fails the first try, so the lease does not send it again", async () => {
    const { core, clock } = await withMessages(1);
    const { messenger, delivered } = recordingMessenger();
    let failures = 1;
    const store = {
      ...core.outbox,
      async markSent(...args: Parameters<typeof core.outbox.markSent>) {
        if (failures-- > 0) throw new Error("storage hiccup");
        return core.outbox.markSent(...args);
      },
    };
    const relay = createOutboxRelay({ store, people: core.people, messenger, clock, log: quiet });
    expect(await relay.runOnce()).toMatchObject({ sent: 1 });
    clock.set(new Date(clock.now().getTime() + 61_000).toISOString());
    expect(await relay.runOnce()).toMatchObject({ sent: 0 });
    expect(delivered).toEqual(["m-0"]);
  });
});
