// The outbox relay on real storage: each stored message is delivered once, however many relays run,
// waits for people who cannot be reached yet, and honours Retry-After.
import { describe, expect, it } from "vitest";
import { createOutboxRelay, type DeliveryResult, type Messenger } from "../../src/app/outbox-relay";
import type { StoredOutbox } from "../../src/app/outbox";
import { newAudit } from "../../src/domain/audit";
import { noticeView } from "../../src/app/audit-views";
import { anAuditor } from "../support/builders";
import { freshCore } from "../support/tables";

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

async function withMessages(count: number) {
  const { core, clock } = await freshCore({}, undefined);
  await core.people.saveMany([anAuditor("asha")]);
  const items = Array.from({ length: count }, (_, i) => {
    const audit = newAudit({ month: "2026-11", caseRef: `CAF-${i}`, serviceArea: "A", auditorEmail: "asha@example.gov.uk", dueOn: "2026-11-30", toolkitId: "tier2-caf", allocatedAt: clock.now().toISOString() });
    return { audit, outbox: [{ id: `m-${i}`, recipientEmail: "asha@example.gov.uk", view: noticeView("t", "x"), createdAt: clock.now().toISOString() }] };
  });
  await core.allocations.createAudits("2026-11", items);
  return { core, clock };
}

describe("outbox relay", () => {
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

  it("takes over a message from a relay that died mid-send once its lease runs out", async () => {
    const { core, clock } = await withMessages(1);
    const [due] = await core.outbox.due(clock.now());
    await core.outbox.claim(due!, new Date(clock.now().getTime() + 60_000)); // a relay claims it and dies
    const { messenger, delivered } = recordingMessenger();
    const relay = createOutboxRelay({ store: core.outbox, people: core.people, messenger, clock, log: quiet });
    expect(await relay.runOnce()).toMatchObject({ sent: 0 });
    clock.set(new Date(clock.now().getTime() + 61_000).toISOString());
    expect(await relay.runOnce()).toMatchObject({ sent: 1 });
    expect(delivered).toEqual(["m-0"]);
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
