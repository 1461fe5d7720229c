// A Teams client opened for the first time announces the install twice at the same moment (installationUpdate and
// conversationUpdate). Both turns read the person's identity before either stores it, so "have I welcomed them?" can
// only be answered by storage: a conditional insert. The storage proxy lines the two turns up by holding both
// identity writes until both have been made, which is the interleaving that showed two welcome cards.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { loadExamples } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import { portOf, startStorageProxy, type StorageProxy } from "../support/storage-proxy";
import { activityCard, heading, isTurnReply, sentTo, sleep } from "../support/teams-cards";

const BEN = { name: "Ben Okafor", email: "ben.okafor@example.gov.uk" };
let h: Harness;
let proxy: StorageProxy;
let bensCases = 0;

beforeAll(async () => {
  proxy = await startStorageProxy({ port: portOf(inject("tablesConnectionString")) });
  h = await startHarness({}, undefined, { connectionString: proxy.connectionString });
  await loadExamples(h);
  const r = await allocateMonth(h.core, { month: "2026-12", seed: 1, actor: "test", dryRun: false });
  if (!r.ok) throw new Error(r.problem.message);
  bensCases = r.value.plan.assignments.filter((a) => a.auditorEmail === BEN.email).length;
});
afterAll(async () => {
  await h?.close();
  await proxy?.close();
});

async function waitUntil(done: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await sleep(50);
  }
}

describe("Teams first install: one welcome", () => {
  it("welcomes once when both announcements race, and every card that was waiting arrives once", async () => {
    const waiting = bensCases;
    expect(waiting).toBeGreaterThan(0);
    // The relay has found no address for Ben yet: his cards wait for him.
    await waitUntil(async () => (await h.core.outbox.waiting()).filter((m) => m.recipientEmail === BEN.email).length === waiting);
    const ben = h.user(BEN.name, BEN.email);
    const identityWrite = (r: { method: string; path: string }) => r.method === "PUT" && decodeURIComponent(r.path).includes("PartitionKey='identity-teams'");
    const lined = proxy.holdAt(identityWrite, 2);
    const both = h.installBothWays(ben);
    await lined;
    proxy.restore();
    expect((await both).map((a) => a.status < 300)).toEqual([true, true]);

    await h.connector.waitFor(() => sentTo(h, ben).filter((s) => !isTurnReply(s)).length >= waiting);
    await sleep(400);
    const replies = sentTo(h, ben).filter(isTurnReply).map((s) => heading(activityCard(s.activity)));
    expect(replies).toEqual([`Welcome, ${BEN.name}`]);
    expect(sentTo(h, ben).filter((s) => !isTurnReply(s))).toHaveLength(waiting);
  });
});
