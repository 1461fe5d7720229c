// Storage goes away in the middle of a use case and comes back: a section submit, raising unsafe practice, and the
// month's allocation. A TCP proxy (test/support/storage-proxy.ts) sits between the bot and the shared Azurite and is
// cut at a chosen request (the n-th table transaction), before that request reaches Azurite. For each: the person
// gets a sentence (not a stack trace, not silence), nothing is half-written (read straight from Azurite, past the
// proxy), and the same action succeeds once storage is back, with every card sent exactly once.
//
// At the end: storage held (not answering, nothing closed) for a moment, and (d) two devices saving different answers
// to the same section at the same moment, lined up by holding both reads. Two presses of Submit audit at once are in
// test/e2e/teams-audit.test.ts ("stores one result when Submit audit is pressed twice").
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { StorageError } from "../../src/app/errors";
import type { AllocationPlan } from "../../src/domain/allocation-plan";
import { hasRole } from "../../src/domain/person";
import { createTables, type Entity, type TableName, type Tables } from "../../src/storage/tables";
import { loadExamples, sectionAnswers, SECTIONS } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import { portOf, startStorageProxy, type StorageProxy } from "../support/storage-proxy";
import type { TeamsUser } from "../support/teams-activities";
import { act, actionData, activityCard, cardText, fact, heading, installAndRead, sentTo, sleep, type Card } from "../support/teams-cards";
import { RESENT_NOTE } from "../../src/app/delivery/outbox";

const MONTH = "2026-12";
const STORAGE_SENTENCE = /storage is not answering\. Nothing you typed was stored half-way\. Please press the button again/;
const isTransaction = (r: { method: string; path: string }) => r.method === "POST" && r.path.endsWith("/$batch");

/** A card's title, past the "(sent again after a restart)" line that a resend puts above it. */
const title = (card: Card) => heading({ ...card, body: (card.body as Card[]).filter((block) => block.text !== RESENT_NOTE) });

/** The rows of a table as Azurite holds them, read past the proxy. */
async function rows(direct: Tables, name: TableName, partition?: string): Promise<Entity[]> {
  const out: Entity[] = [];
  const options = partition ? { queryOptions: { filter: `PartitionKey eq '${partition}'` } } : undefined;
  for await (const e of direct.table(name).listEntities<Record<string, unknown>>(options)) out.push(e as Entity);
  return out;
}

interface Outage {
  h: Harness;
  proxy: StorageProxy;
  /** The same tables straight on Azurite, for what is really stored while the proxy is cut. */
  direct: Tables;
}

async function startOutageHarness(env: Record<string, string> = {}, now?: string): Promise<Outage> {
  const proxy = await startStorageProxy({ port: portOf(inject("tablesConnectionString")) });
  const h = await startHarness({ CAF_LADDER_INTERVAL_MS: "100", ...env }, now, { connectionString: proxy.connectionString });
  const direct = createTables({ connectionString: inject("tablesConnectionString"), tablePrefix: h.prefix });
  return { h, proxy, direct };
}

/**
 * After storage returns: a message whose claim reached Azurite but whose answer was lost is "sending" under a lease
 * (60 s). Moving the clock past it lets the relay take it again, as it would a minute later.
 */
function passLeases(h: Harness): void {
  h.clock.set(new Date(h.clock.now().getTime() + 61_000).toISOString());
}

async function allocate(h: Harness, seed: number): Promise<AllocationPlan> {
  const r = await allocateMonth(h.core, { month: MONTH, seed, actor: "test", dryRun: false });
  if (!r.ok) throw new Error(r.problem.message);
  return r.value.plan;
}

// ---------------------------------------------------------------------------------------------------------------
// A section submit and raising unsafe practice
// ---------------------------------------------------------------------------------------------------------------

describe("storage outage during Teams turns", () => {
  let o: Outage;
  let asha: TeamsUser;
  let fsms: TeamsUser[];
  let plan: AllocationPlan;
  const ashasCase = (i: number) => plan.assignments.filter((a) => a.auditorEmail === "asha.patel@example.gov.uk")[i]!.caseRef;

  beforeAll(async () => {
    o = await startOutageHarness({}, "2026-12-01T10:00:00Z");
    await loadExamples(o.h);
    asha = o.h.user("Asha Patel", "asha.patel@example.gov.uk");
    await installAndRead(o.h, asha);
    fsms = [];
    for (const p of (await o.h.core.people.all()).filter((x) => hasRole(x, "fsm"))) {
      const u = o.h.user(p.name, p.email);
      await installAndRead(o.h, u);
      fsms.push(u);
    }
    expect(fsms.length).toBeGreaterThan(0);
    plan = await allocate(o.h, 1);
  });
  afterAll(async () => {
    await o?.h.close();
    await o?.proxy.close();
  });

  it("(a) a section submit cut at its write: a sentence, the audit unchanged, and the same press saves it once storage is back", async () => {
    const { h, proxy, direct } = o;
    const caseRef = ashasCase(0);
    const ref = { month: MONTH, caseRef };
    await act(h, asha, "startAudit", ref);
    const before = (await h.core.allocations.get(MONTH, caseRef))!;
    const section = SECTIONS[0]!;
    const press = { ...ref, sectionId: section.id, ...sectionAnswers(section.id) };

    const cut = proxy.cutAt(isTransaction);
    const started = Date.now();
    const failed = await act(h, asha, "saveSection", press);
    const took = Date.now() - started;
    expect((await cut).forwarded).toBe(false);
    expect(failed.inPlace).toBe(false);
    expect(heading(failed.card)).toBe("Please try again");
    expect(cardText(failed.card)).toMatch(STORAGE_SENTENCE);
    expect(took, "the SDK's quick retries only").toBeLessThan(5_000);

    // Nothing half-written: the audit row is the one from before, ETag and all.
    const [row] = (await rows(direct, "Allocations", MONTH)).filter((e) => e.rowKey === `case-${caseRef}`);
    expect(String(row!.etag)).toBe(before.version);
    expect(proxy.state()).toBe("cut");

    proxy.restore();
    const saved = await act(h, asha, "saveSection", press);
    expect(saved.inPlace).toBe(true);
    expect(cardText(saved.card)).toContain(`Section 2 of ${SECTIONS.length}`);
    const after = (await h.core.allocations.get(MONTH, caseRef))!;
    expect(after.version).not.toBe(before.version);
    expect(after.audit.sectionIndex).toBe(1);
    expect(after.audit.sections[section.id]?.overview).toBe(sectionAnswers(section.id).overview);
  });

  /** Asha on section 2 of a case, with the Report unsafe practice data and half-typed section 2 inputs. */
  async function onSection2(caseRef: string) {
    const ref = { month: MONTH, caseRef };
    await act(o.h, asha, "startAudit", ref);
    const second = await act(o.h, asha, "saveSection", { ...ref, sectionId: SECTIONS[0]!.id, ...sectionAnswers(SECTIONS[0]!.id) });
    expect(cardText(second.card)).toContain(`Section 2 of ${SECTIONS.length}`);
    const section2 = SECTIONS[1]!;
    const typed: Record<string, string> = { overview: "Half done", notApplicable: "false" };
    for (const q of section2.questions) {
      typed[`${q.id}.answer`] = "";
      typed[`${q.id}.comment`] = "";
    }
    typed[`${section2.questions[0]!.id}.answer`] = "good";
    return { ref, button: actionData(second.card, "raiseUnsafe"), typed, section2 };
  }

  const escalationRows = async (caseRef: string) => {
    const all = await rows(o.direct, "Escalations");
    const esc = all.filter((e) => e.rowKey.startsWith("esc-") && e.caseRef === caseRef);
    const ids = new Set(esc.map((e) => e.rowKey));
    return {
      esc,
      events: all.filter((e) => e.rowKey.startsWith("event-") && ids.has(String(e.escalationId))),
      outbox: all.filter((e) => e.rowKey.startsWith("outbox-") && [...ids].some((id) => String(e.messageId).startsWith(`esc:${id}:`))),
    };
  };
  const fsmCardsFor = (caseRef: string, fsm: TeamsUser) => sentTo(o.h, fsm).filter((s) => heading(activityCard(s.activity)) === `Unsafe practice: case ${caseRef}`);

  it("(b) unsafe practice cut at its transaction: a sentence, nothing stored, and Escalate now again raises it once", async () => {
    const { h, proxy } = o;
    const caseRef = ashasCase(1);
    const { button, typed } = await onSection2(caseRef);
    const seen = "The chronology says the child was seen at home on 2 November; the school says the family was abroad.";
    const press = { ...button, ...typed, "unsafe.seen": seen, "unsafe.when": "current", "unsafe.urgency": "immediate" };

    const cut = proxy.cutAt(isTransaction);
    const failed = await act(h, asha, "raiseUnsafe", press);
    await cut;
    expect(heading(failed.card)).toBe("Please try again");
    expect(cardText(failed.card)).toMatch(STORAGE_SENTENCE);
    const nothing = await escalationRows(caseRef);
    expect(nothing).toEqual({ esc: [], events: [], outbox: [] });

    proxy.restore();
    passLeases(h);
    const raised = await act(h, asha, "raiseUnsafe", press);
    expect(heading(raised.card)).toBe(`Unsafe practice raised on ${caseRef}`);
    expect(cardText(raised.card)).toContain("Your audit is saved where you were.");
    const stored = await escalationRows(caseRef);
    expect(stored.esc).toHaveLength(1);
    expect(stored.events).toHaveLength(1);
    expect(stored.outbox.filter((e) => fsms.some((f) => h.connector.members.get(f.id)?.email === e.recipientEmail))).toHaveLength(fsms.length);
    for (const fsm of fsms) await h.connector.waitFor(() => fsmCardsFor(caseRef, fsm).length >= 1);
    await sleep(500);
    for (const fsm of fsms) expect(fsmCardsFor(caseRef, fsm), fsm.name).toHaveLength(1);
  });

  it("(b) unsafe practice cut just after its transaction: the concern is whole with its messages, the auditor is told it went, and it is delivered once", async () => {
    const { h, proxy } = o;
    const caseRef = ashasCase(0); // (a) left it on section 2, with section 1 saved
    const { button, typed, section2 } = await onSection2(caseRef);
    const draftBefore = (await h.core.allocations.get(MONTH, caseRef))!;
    const c = (await h.core.cases.all()).find((x) => x.caseRef === caseRef)!;
    const seen = "Strategy discussion minutes are missing although the case notes say one was held on 12 November.";
    const press = { ...button, ...typed, "unsafe.seen": seen, "unsafe.when": "current", "unsafe.urgency": "today" };

    // The escalation's transaction goes through; storage stops at the next one (the auditor's draft).
    const cut = proxy.cutAt(isTransaction, { skip: 1 });
    const raised = await act(h, asha, "raiseUnsafe", press);
    await cut;
    expect(heading(raised.card)).toBe(`Unsafe practice raised on ${caseRef}`);
    expect(cardText(raised.card)).toContain("could not be saved");

    // Stored whole: the concern, its first event row, and a message for every FSM and for the LP and their manager.
    const stored = await escalationRows(caseRef);
    expect(stored.esc).toHaveLength(1);
    expect(stored.events).toHaveLength(1);
    const expectedRecipients = new Set([...fsms.map((f) => h.connector.members.get(f.id)!.email), c.leadProfessionalEmail, c.lpManagerEmail].filter(Boolean));
    expect(new Set(stored.outbox.map((e) => String(e.recipientEmail)))).toEqual(expectedRecipients);
    // The draft was not half-saved either: section 2 is as it was.
    const draftNow = (await rows(o.direct, "Allocations", MONTH)).find((e) => e.rowKey === `case-${caseRef}`)!;
    expect(String(draftNow.etag)).toBe(draftBefore.version);

    proxy.restore();
    passLeases(h);
    for (const fsm of fsms) await h.connector.waitFor(() => fsmCardsFor(caseRef, fsm).length >= 1, 10_000);
    // Pressed again (the auditor was not sure): the same concern, no second card.
    const again = await act(h, asha, "raiseUnsafe", press);
    expect(heading(again.card)).toBe(`Unsafe practice raised on ${caseRef}`);
    expect(cardText(again.card)).toContain("Your audit is saved where you were.");
    expect((await escalationRows(caseRef)).esc).toHaveLength(1);
    await sleep(500);
    for (const fsm of fsms) expect(fsmCardsFor(caseRef, fsm), fsm.name).toHaveLength(1);
    const draft = (await h.core.allocations.get(MONTH, caseRef))!;
    expect(draft.audit.sections[section2.id]?.overview).toBe("Half done");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The month's allocation
// ---------------------------------------------------------------------------------------------------------------

describe("storage outage during the month's allocation", () => {
  let o: Outage;
  const users = new Map<string, TeamsUser>();
  beforeAll(async () => {
    o = await startOutageHarness();
    await loadExamples(o.h);
    for (const p of (await o.h.core.people.all()).filter((x) => hasRole(x, "auditor") || hasRole(x, "qa"))) {
      const u = o.h.user(p.name, p.email);
      await installAndRead(o.h, u);
      users.set(p.email, u);
    }
  });
  afterAll(async () => {
    await o?.h.close();
    await o?.proxy.close();
  });

  it("(c) cut after two audits: the QA team hears why, the month is left resumable, and the next run finishes it with every card sent once", async () => {
    const { h, proxy, direct } = o;
    const isAllocationCard = (s: { activity: { attachments?: { contentType?: string; content?: unknown }[] } }) => heading(activityCard(s.activity)).startsWith("You have a case to audit for");

    const cut = proxy.cutAt(isTransaction, { skip: 2 });
    const failed = await allocateMonth(h.core, { month: MONTH, seed: 7, actor: "test", dryRun: false }).then(
      () => undefined,
      (err: unknown) => err,
    );
    await cut;
    // What `caf-audit allocate` prints (and the scheduled job logs): one sentence.
    expect(failed).toBeInstanceOf(StorageError);
    expect((failed as StorageError).code).toBe("storage_unreachable");
    expect((failed as StorageError).message).toMatch(/^Storage is not reachable at http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\. Check that it is running and try again\.$/);

    // Resumable: the plan is claimed but not marked allocated, and each audit that exists has its card beside it.
    const stored = await rows(direct, "Allocations", MONTH);
    const planRow = stored.find((e) => e.rowKey === "plan")!;
    expect(planRow.status).toBe("planned");
    expect(planRow.seed).toBe(7);
    const audits = stored.filter((e) => e.rowKey.startsWith("case-"));
    expect(audits).toHaveLength(2);
    const messageIds = new Set(stored.filter((e) => e.rowKey.startsWith("outbox-")).map((e) => String(e.messageId)));
    for (const a of audits) expect(messageIds).toContain(`allocation:${MONTH}:${String(a.caseRef)}:${String(a.auditorEmail)}`);

    proxy.restore();
    passLeases(h);
    const resumed = await allocateMonth(h.core, { month: MONTH, seed: 8, actor: "test", dryRun: false });
    expect(resumed.ok && resumed.value.kind).toBe("allocated");
    const plan = resumed.ok ? resumed.value.plan : undefined;
    expect(plan?.seed).toBe(7);
    expect(await h.core.allocations.listMonth(MONTH)).toHaveLength(plan!.assignments.length);
    expect((await h.core.allocations.getPlan(MONTH))?.status).toBe("allocated");

    await h.connector.waitFor((sent) => sent.filter(isAllocationCard).length >= plan!.assignments.length, 10_000);
    await sleep(600);
    const cards = h.connector.sent.filter(isAllocationCard).map((s) => `${s.conversationId}|${fact(activityCard(s.activity), "Case")}`);
    expect(cards).toHaveLength(plan!.assignments.length);
    expect(new Set(cards).size).toBe(cards.length);
    for (const a of plan!.assignments) {
      expect(sentTo(h, users.get(a.auditorEmail)!).filter(isAllocationCard).map((s) => fact(activityCard(s.activity), "Case")), a.caseRef).toContain(a.caseRef);
    }
    const qa = users.get("kit.morris@example.gov.uk")!;
    // The plan went to the relay before the cut. If the cut fell between its "about to send" mark reaching storage and
    // the answer coming back, the relay cannot know whether it landed, so it is sent with the resent note above its title.
    expect(sentTo(h, qa).filter((s) => title(activityCard(s.activity)) === `Audit plan for ${MONTH}`)).toHaveLength(1);

    // A third run changes nothing and sends nothing.
    const third = await allocateMonth(h.core, { month: MONTH, seed: 9, actor: "test", dryRun: false });
    expect(third.ok && third.value.kind).toBe("already_allocated");
    await sleep(300);
    expect(h.connector.sent.filter(isAllocationCard)).toHaveLength(plan!.assignments.length);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Storage that stops answering without closing anything, and two devices saving the same section at once
// ---------------------------------------------------------------------------------------------------------------

describe("held storage and simultaneous saves", () => {
  let o: Outage;
  let asha: TeamsUser;
  let caseRefs: string[];
  beforeAll(async () => {
    o = await startOutageHarness();
    await loadExamples(o.h);
    asha = o.h.user("Asha Patel", "asha.patel@example.gov.uk");
    await installAndRead(o.h, asha);
    const plan = await allocate(o.h, 3);
    caseRefs = plan.assignments.filter((a) => a.auditorEmail === "asha.patel@example.gov.uk").map((a) => a.caseRef);
    expect(caseRefs.length).toBeGreaterThanOrEqual(2);
  });
  afterAll(async () => {
    await o?.h.close();
    await o?.proxy.close();
  });

  it("finishes a section submit that storage held for a moment, once it answers again", async () => {
    const { h, proxy } = o;
    const ref = { month: MONTH, caseRef: caseRefs[0]! };
    await act(h, asha, "startAudit", ref);
    proxy.hold();
    const pressed = act(h, asha, "saveSection", { ...ref, sectionId: SECTIONS[0]!.id, ...sectionAnswers(SECTIONS[0]!.id) });
    await sleep(1_500);
    proxy.restore();
    const saved = await pressed;
    expect(cardText(saved.card)).toContain(`Section 2 of ${SECTIONS.length}`);
    expect((await h.core.allocations.get(MONTH, ref.caseRef))!.audit.sectionIndex).toBe(1);
  });

  it("answers a section submit with the sentence, inside Teams' 15 s, when storage takes the request and never answers", async () => {
    const { h, proxy } = o;
    const ref = { month: MONTH, caseRef: caseRefs[0]! };
    proxy.hold();
    const started = Date.now();
    const pressed = await act(h, asha, "saveSection", { ...ref, sectionId: SECTIONS[1]!.id, ...sectionAnswers(SECTIONS[1]!.id) }).finally(() => proxy.restore());
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(cardText(pressed.card)).toMatch(STORAGE_SENTENCE);
    const saved = await act(h, asha, "saveSection", { ...ref, sectionId: SECTIONS[1]!.id, ...sectionAnswers(SECTIONS[1]!.id) });
    expect(cardText(saved.card)).toContain(`Section 3 of ${SECTIONS.length}`);
  }, 30_000);

  it("(d) two devices save different answers to the same section at the same moment: one is stored whole, the other is told, not silently overwritten", async () => {
    const { h, proxy } = o;
    const ref = { month: MONTH, caseRef: caseRefs[1]! };
    await act(h, asha, "startAudit", ref);
    const section = SECTIONS[0]!;
    const phone = { ...ref, sectionId: section.id, ...sectionAnswers(section.id, "good") };
    const laptop = { ...ref, sectionId: section.id, ...sectionAnswers(section.id, "outstanding") };
    // Both read the audit (same ETag) before either writes: their reads are held and let go together.
    const auditRead = (r: { method: string; path: string }) => r.method === "GET" && decodeURIComponent(r.path).includes(`RowKey='case-${ref.caseRef}'`);
    const lined = proxy.holdAt(auditRead, 2);
    const both = Promise.all([act(h, asha, "saveSection", phone), act(h, asha, "saveSection", laptop)]);
    await lined;
    proxy.restore();
    const [a, b] = await both;

    const stored = (await h.core.allocations.get(MONTH, ref.caseRef))!.audit;
    const kept = stored.sections[section.id]!;
    const grades = new Set(Object.values(kept.answers).map((x) => x.value));
    expect(grades.size, "one device's answers, whole, not a mix").toBe(1);
    const winner = grades.has("good") ? a : b;
    const loser = winner === a ? b : a;
    expect(cardText(winner.card)).toContain(`Section 2 of ${SECTIONS.length}`);
    expect(heading(loser.card)).toBe("Your audit changed on another device");
    expect(stored.sectionIndex).toBe(1);
  });
});
