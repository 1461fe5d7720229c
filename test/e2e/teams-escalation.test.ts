// Unsafe practice in Teams, end to end over real HTTP: raised from the middle of the toolkit or by the text command,
// the FSM card and the LP's detail-free notice, acknowledging (the card updated in place for every holder), the
// ladder (reminder, Service Leader, repeats, resolve reminder), delivery through 500s with the QA alert, a restart
// before delivery, strangers, an empty FSM role, and the privacy of what was seen. The harness clock drives the
// ladder and the relay's backoff: the tests move it to make checks due.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import type { Escalation } from "../../src/domain/escalation";
import type { Person } from "../../src/domain/person";
import { TABLE_NAMES } from "../../src/storage/tables";
import { sectionAnswers, SECTIONS } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import type { RecordedActivity } from "../support/loopback-connector";
import { personalConversationId, type TeamsUser } from "../support/teams-activities";
import { act, actionData, activityCard, buttons, cardText, element, errorBeside, fact, heading, inputValue, installAndRead, sayAndRead, sentTo, sleep, type Acted } from "../support/teams-cards";

// ---------------------------------------------------------------------------------------------------------------
// Helpers (the card readers are in test/support/teams-cards.ts)
// ---------------------------------------------------------------------------------------------------------------

const MONTH = "2026-12";
/** Tuesday 1 December 2026, 10:00 in London (GMT). */
const RAISED_AT = "2026-12-01T10:00:00.000Z";
const ENV = { CAF_LADDER_INTERVAL_MS: "100", CAF_RELAY_INTERVAL_MS: "100" };

const PEOPLE = {
  asha: { name: "Asha Patel", email: "asha.patel@example.gov.uk" },
  ben: { name: "Ben Okafor", email: "ben.okafor@example.gov.uk" },
  lena: { name: "Lena Fisher", email: "lena.fisher@example.gov.uk" },
  morgan: { name: "Morgan Reid", email: "morgan.reid@example.gov.uk" },
  kit: { name: "Kit Morris", email: "kit.morris@example.gov.uk" },
  olu: { name: "Olu Adeyemi", email: "olu.adeyemi@example.gov.uk" },
} as const;

/** A half-typed section: one question answered, the rest blank, a short overview. */
function partialAnswers(sectionId: string, answered: string, comment: string): Record<string, string> {
  const section = SECTIONS.find((s) => s.id === sectionId)!;
  const inputs: Record<string, string> = { overview: "Half done" };
  if (section.appliesWhen === "step_down") inputs.notApplicable = "false";
  for (const q of section.questions) {
    inputs[`${q.id}.answer`] = q.id === answered ? "good" : "";
    inputs[`${q.id}.comment`] = q.id === answered ? comment : "";
  }
  return inputs;
}

const escalationHeading = (caseRef: string) => `Unsafe practice: case ${caseRef}`;
/** The escalation cards that arrived as new messages (not updates) for this case. */
const escalationCardsTo = (h: Harness, user: TeamsUser, caseRef: string) =>
  sentTo(h, user).filter((s) => heading(activityCard(s.activity)) === escalationHeading(caseRef));
const noticesTo = (h: Harness, user: TeamsUser, title: string) => sentTo(h, user).filter((s) => heading(activityCard(s.activity)) === title);
const updatesOf = (h: Harness, activityId: string) => h.connector.updates.filter((u) => u.activityId === activityId);

/** Long enough for several ladder and relay passes (both every 100 ms): anything due would have gone. */
const settle = () => sleep(500);

async function loadExamples(h: Harness, withoutFsm = false): Promise<void> {
  let people = await readFile("examples/people.csv", "utf8");
  if (withoutFsm) people = people.split("\n").filter((line) => !line.includes(",fsm,")).join("\n");
  const imported = await importPeople(h.core, Buffer.from(people), "test");
  expect(imported.ok).toBe(true);
  await importCases(h.core, await readFile("examples/cases.csv"), "test");
}

/** A case from the register whose LP and LP manager are none of these people, so nothing else reaches the connector. */
async function caseAwayFrom(h: Harness, emails: readonly string[], not: readonly string[] = []) {
  const c = (await h.core.cases.all()).find(
    (x) => !not.includes(x.caseRef) && !emails.includes(x.leadProfessionalEmail ?? "") && !emails.includes(x.lpManagerEmail ?? "") && x.leadProfessionalEmail && x.lpManagerEmail,
  );
  if (!c) throw new Error("no suitable case in examples/cases.csv");
  return c;
}

async function escalationOf(h: Harness, caseRef: string): Promise<{ escalation: Escalation; version: string }> {
  const all = (await h.core.escalations.listMonth(MONTH)).filter((e) => e.caseRef === caseRef);
  expect(all, `one escalation for ${caseRef}`).toHaveLength(1);
  const found = await h.core.escalations.get(all[0]!.id);
  return found!;
}

/** Raises through the text command: "unsafe practice", then Escalate now on the form with the case typed in. */
async function raiseByCommand(h: Harness, user: TeamsUser, caseRef: string, seen: string, extra: Record<string, string> = {}): Promise<Acted> {
  const form = await sayAndRead(h, user, "unsafe practice");
  expect(heading(form)).toBe("Report unsafe practice");
  const data = actionData(form, "raiseUnsafe");
  return act(h, user, "raiseUnsafe", { ...data, "unsafe.caseRef": caseRef, "unsafe.seen": seen, "unsafe.when": "current", "unsafe.urgency": "immediate", ...extra });
}

/**
 * Privacy: what was seen is on the escalation row and on the cards of its recipients, and nowhere else. Checks every
 * message and card update the connector received, every row of every table, and the event log.
 */
async function expectSeenOnlyWithRecipients(h: Harness, users: Record<string, TeamsUser>) {
  const escalations = await h.core.escalations.listMonth(MONTH);
  expect(escalations.length).toBeGreaterThan(0);
  const emailOf = new Map(Object.entries(users).map(([email, u]) => [personalConversationId(u), email]));
  const delivered = [
    ...h.connector.sent.map((s) => ({ conversationId: s.conversationId, text: JSON.stringify(s.activity) })),
    ...h.connector.updates.map((u) => ({ conversationId: u.conversationId, text: JSON.stringify(u.activity) })),
  ];
  for (const e of escalations) {
    for (const d of delivered) {
      if (!d.text.includes(e.seen)) continue;
      const email = emailOf.get(d.conversationId);
      // The raiser's own words come back to them on the form when something needed fixing.
      if (email === e.raisedBy && d.text.includes("Report unsafe practice")) continue;
      expect(email && e.recipients.includes(email), `what was seen on ${e.caseRef} reached ${email ?? d.conversationId}`).toBe(true);
    }
    // Not in the notification line Teams shows outside the card either.
    for (const s of h.connector.sent) expect(String(s.activity.summary ?? "")).not.toContain(e.seen);
  }

  for (const name of TABLE_NAMES) {
    for await (const row of h.tables.table(name).listEntities()) {
      const text = JSON.stringify(row);
      const rowKey = String(row.rowKey);
      for (const e of escalations) {
        if (!text.includes(e.seen)) continue;
        if (name === "Escalations" && rowKey === e.id) continue; // the escalation itself
        if (name === "Escalations" && rowKey.startsWith("outbox-")) {
          expect(e.recipients, `outbox row to ${String(row.recipientEmail)} carries what was seen on ${e.caseRef}`).toContain(String(row.recipientEmail));
          continue;
        }
        expect.fail(`what was seen on ${e.caseRef} is in ${name} row ${rowKey}`);
      }
    }
  }
  const events = JSON.stringify(await h.core.events.listMonth(MONTH));
  for (const e of escalations) expect(events).not.toContain(e.seen);
}

// ---------------------------------------------------------------------------------------------------------------
// Raised from the middle of the toolkit and by the text command; two FSMs; acknowledging; resolving
// ---------------------------------------------------------------------------------------------------------------

describe("Teams escalation: raising, acknowledging and resolving", () => {
  let h: Harness;
  const u = {} as Record<keyof typeof PEOPLE, TeamsUser>;
  const users: Record<string, TeamsUser> = {};
  let lp: TeamsUser;
  let lpManager: TeamsUser;
  let caseRef: string;
  let commandCase: string;
  let lenaCard: RecordedActivity;
  let oluCard: RecordedActivity;
  const SEEN = "Home visit recorded on 3 Nov never happened according to school; bruising on the child's arm not followed up.";
  const COMMAND_SEEN = "The LP shared the family's address with the other parent despite a non-molestation order.";

  beforeAll(async () => {
    h = await startHarness(ENV, RAISED_AT);
    await loadExamples(h);
    // A second Family Support Manager: both hold the card, either may act.
    await h.core.people.saveMany([{ email: PEOPLE.olu.email, name: PEOPLE.olu.name, roles: ["fsm"], serviceArea: "Early Help", managerEmail: PEOPLE.morgan.email, monthlyCapacity: 0 }]);
    for (const key of Object.keys(PEOPLE) as (keyof typeof PEOPLE)[]) {
      u[key] = h.user(PEOPLE[key].name, PEOPLE[key].email);
      users[PEOPLE[key].email] = u[key];
    }
    for (const key of ["asha", "ben", "lena", "olu", "morgan", "kit"] as const) await installAndRead(h, u[key]);

    const allocated = await allocateMonth(h.core, { month: MONTH, seed: 1, actor: "test", dryRun: false });
    if (!allocated.ok) throw new Error(allocated.problem.message);
    const people = new Map((await h.core.people.all()).map((p: Person) => [p.email, p]));
    const cases = await h.core.cases.all();
    // Asha's case whose LP and LP manager are not Asha, Ben or the FSMs, so their notices are theirs alone.
    const mine = allocated.value.plan.assignments
      .filter((a) => a.auditorEmail === PEOPLE.asha.email)
      .map((a) => cases.find((c) => c.caseRef === a.caseRef)!)
      .find((c) => people.has(c.leadProfessionalEmail ?? "") && people.has(c.lpManagerEmail ?? "") && !([PEOPLE.asha.email, PEOPLE.ben.email] as string[]).includes(c.lpManagerEmail ?? ""));
    if (!mine) throw new Error("Asha has no case with a known LP and manager");
    caseRef = mine.caseRef;
    lp = h.user(people.get(mine.leadProfessionalEmail!)!.name, mine.leadProfessionalEmail!);
    lpManager = h.user(people.get(mine.lpManagerEmail!)!.name, mine.lpManagerEmail!);
    users[mine.leadProfessionalEmail!] = lp;
    users[mine.lpManagerEmail!] = lpManager;
    await installAndRead(h, lp);
    await installAndRead(h, lpManager);
    commandCase = (await caseAwayFrom(h, [PEOPLE.asha.email, PEOPLE.ben.email], [caseRef])).caseRef;
  });
  afterAll(async () => h?.close());

  it("raises from section 2 of an audit: the auditor is told who has it and when, and their section 2 answers are kept", async () => {
    const ref = { month: MONTH, caseRef };
    await act(h, u.asha, "startAudit", ref);
    const second = await act(h, u.asha, "saveSection", { ...ref, sectionId: SECTIONS[0]!.id, ...sectionAnswers(SECTIONS[0]!.id) });
    expect(cardText(second.card)).toContain(`Section 2 of ${SECTIONS.length}`);
    const section2 = SECTIONS[1]!;
    const typed = partialAnswers(section2.id, section2.questions[0]!.id, "Transfer record names the unmet needs for the school.");
    // The show-card's button carries the case and section; the section's own inputs travel with it.
    const buttonData = actionData(second.card, "raiseUnsafe");
    expect(buttonData).toEqual({ verb: "raiseUnsafe", month: MONTH, caseRef, sectionId: section2.id });

    const raised = await act(h, u.asha, "raiseUnsafe", { ...buttonData, ...typed, "unsafe.seen": SEEN, "unsafe.when": "current", "unsafe.urgency": "immediate" }, "asha-section-2");
    // A new message, not an in-place update: the section card the auditor was on stays where it was.
    expect(raised.inPlace).toBe(false);
    expect(heading(raised.card)).toBe(`Unsafe practice raised on ${caseRef}`);
    const told = cardText(raised.card);
    expect(told).toContain("Lena Fisher");
    expect(told).toContain("Family Support Manager");
    expect(told).toContain("10:00 on Tuesday 1 December 2026");
    expect(told).toContain("12:00 on Tuesday 1 December 2026");
    expect(told).toContain("Your audit is saved where you were.");
    expect(told).not.toContain(SEEN);
    expect(h.connector.updates.filter((x) => x.activityId === "asha-section-2")).toEqual([]);

    // Stored: the escalation, its first event row, the event log entry.
    const { escalation } = await escalationOf(h, caseRef);
    expect(escalation).toMatchObject({ status: "raised", level: 0, seen: SEEN, when: "current", urgency: "immediate", raisedBy: PEOPLE.asha.email, raisedAt: RAISED_AT, auditMonth: MONTH });
    expect([...escalation.recipients].sort()).toEqual([PEOPLE.lena.email, PEOPLE.olu.email]);
    const eventRows: Record<string, unknown>[] = [];
    for await (const row of h.tables.table("Escalations").listEntities({ queryOptions: { filter: `PartitionKey eq '${escalation.month}'` } })) {
      if (String(row.rowKey).startsWith(`event-${escalation.id}`)) eventRows.push(row);
    }
    expect(eventRows.map((r) => [r.action, r.by])).toEqual([["raised", PEOPLE.asha.email]]);
    const logged = (await h.core.events.listMonth(MONTH)).filter((e) => e.type === "unsafe_practice_raised" && e.subject === caseRef);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.data).toMatchObject({ escalationId: escalation.id, urgency: "immediate" });

    // The audit kept the half-typed section 2 and the auditor's place.
    const stored = (await h.core.allocations.get(MONTH, caseRef))!.audit;
    expect(stored.sectionIndex).toBe(1);
    expect(stored.sections[section2.id]?.overview).toBe("Half done");
    expect(stored.sections[section2.id]?.answers[section2.questions[0]!.id]).toEqual({ value: "good", comment: "Transfer record names the unmet needs for the school." });

    const mine = await sayAndRead(h, u.asha, "my audits");
    expect(cardText(mine)).toContain(caseRef);
    const open = (JSON.stringify(mine).match(new RegExp(`"title":"Open"[^}]*"verb":"startAudit","data":(\\{[^}]*"caseRef":"${caseRef}"[^}]*\\})`)) ?? [])[1];
    expect(open, "an Open button for the case").toBeDefined();
    const resumed = await act(h, u.asha, "startAudit", JSON.parse(open!) as Record<string, unknown>);
    expect(cardText(resumed.card)).toContain(`Section 2 of ${SECTIONS.length}`);
    expect(inputValue(resumed.card, `${section2.questions[0]!.id}.answer`)).toBe("good");
    expect(inputValue(resumed.card, `${section2.questions[0]!.id}.comment`)).toBe("Transfer record names the unmet needs for the school.");
    expect(inputValue(resumed.card, "overview")).toBe("Half done");
  });

  it("sends each FSM exactly one escalation card with the details, and the LP and their manager a notice without them", async () => {
    await h.connector.waitFor(() => escalationCardsTo(h, u.lena, caseRef).length > 0 && escalationCardsTo(h, u.olu, caseRef).length > 0);
    const title = `A safeguarding concern on case ${caseRef}`;
    await h.connector.waitFor(() => noticesTo(h, lp, title).length > 0 && noticesTo(h, lpManager, title).length > 0);
    await settle();

    const lenas = escalationCardsTo(h, u.lena, caseRef);
    const olus = escalationCardsTo(h, u.olu, caseRef);
    expect(lenas).toHaveLength(1);
    expect(olus).toHaveLength(1);
    lenaCard = lenas[0]!;
    oluCard = olus[0]!;
    const card = activityCard(lenaCard.activity);
    const text = cardText(card);
    expect(text).toContain(SEEN);
    expect(fact(card, "Case")).toBe(caseRef);
    expect(fact(card, "Service area")).toBe((await h.core.cases.all()).find((c) => c.caseRef === caseRef)!.serviceArea);
    expect(fact(card, "Lead professional")).toContain(lp.name);
    expect(fact(card, "Current or past")).toBe("Current");
    expect(fact(card, "Raised by")).toBe("Asha Patel");
    expect(fact(card, "Raised at")).toBe("10:00 on Tuesday 1 December 2026");
    expect(fact(card, "Status")).toBe("Waiting for acknowledgement");
    expect(buttons(card)).toEqual(["Acknowledge", "MASH conversation held", "Resolved"]);
    expect(String(lenaCard.activity.summary)).not.toContain(SEEN);

    for (const who of [lp, lpManager]) {
      const notices = noticesTo(h, who, title);
      expect(notices, who.name).toHaveLength(1);
      const notice = JSON.stringify(notices[0]!.activity);
      expect(notice).not.toContain(SEEN);
      expect(notice).not.toContain("bruising");
      expect(escalationCardsTo(h, who, caseRef)).toHaveLength(0);
    }
    // Nobody else heard about it yet: not the Service Leader, not the QA team.
    expect(escalationCardsTo(h, u.morgan, caseRef)).toHaveLength(0);
    // The month's plan (case references and auditors, for QA) is not about the concern.
    expect(JSON.stringify(sentTo(h, u.kit).filter((s) => !String(s.activity.summary ?? "").startsWith("Audit plan")).map((s) => s.activity))).not.toContain(caseRef);
  });

  it("the text command gives a form; an unknown case or a too-short description comes back with the error and stores nothing", async () => {
    const form = await sayAndRead(h, u.ben, "unsafe practice");
    expect(heading(form)).toBe("Report unsafe practice");
    expect(element(form, "unsafe.caseRef")).toBeDefined();
    expect(element(form, "unsafe.seen")).toBeDefined();
    expect(buttons(form)).toEqual(["Escalate now"]);
    const data = actionData(form, "raiseUnsafe");
    const before = await h.core.escalations.listMonth(MONTH);
    const rowsBefore: string[] = [];
    for await (const row of h.tables.table("Escalations").listEntities()) rowsBefore.push(`${row.rowKey}|${row.etag}`);

    const unknown = await act(h, u.ben, "raiseUnsafe", { ...data, "unsafe.caseRef": "CAF-9999", "unsafe.seen": COMMAND_SEEN, "unsafe.when": "current", "unsafe.urgency": "today" });
    expect(heading(unknown.card)).toBe("Report unsafe practice");
    expect(errorBeside(unknown.card, "unsafe.caseRef")).toContain("There is no case CAF-9999 in the register");
    expect(inputValue(unknown.card, "unsafe.seen")).toBe(COMMAND_SEEN);
    expect(cardText(unknown.card)).toContain("Nothing has been sent yet");

    const short = await act(h, u.ben, "raiseUnsafe", { ...data, "unsafe.caseRef": commandCase, "unsafe.seen": "  bad LP ", "unsafe.when": "past", "unsafe.urgency": "today" });
    expect(heading(short.card)).toBe("Report unsafe practice");
    expect(errorBeside(short.card, "unsafe.seen")).toContain("at least 10 characters");
    expect(fact(short.card, "Case")).toBe(commandCase);

    const missing = await act(h, u.ben, "raiseUnsafe", { ...data, "unsafe.caseRef": "", "unsafe.seen": COMMAND_SEEN });
    expect(errorBeside(missing.card, "unsafe.caseRef")).toContain("Give the case reference");

    expect(await h.core.escalations.listMonth(MONTH)).toEqual(before);
    const rowsAfter: string[] = [];
    for await (const row of h.tables.table("Escalations").listEntities()) rowsAfter.push(`${row.rowKey}|${row.etag}`);
    expect(rowsAfter.sort()).toEqual(rowsBefore.sort());

    // Fixed: the form on the error card (case now shown as a fact) raises it.
    const fixedData = actionData(short.card, "raiseUnsafe");
    expect(fixedData.caseRef).toBe(commandCase);
    const raised = await act(h, u.ben, "raiseUnsafe", { ...fixedData, "unsafe.seen": COMMAND_SEEN, "unsafe.when": "past", "unsafe.urgency": "today" });
    expect(heading(raised.card)).toBe(`Unsafe practice raised on ${commandCase}`);
    expect(cardText(raised.card)).not.toContain("Your audit is saved");
    const { escalation } = await escalationOf(h, commandCase);
    expect(escalation).toMatchObject({ seen: COMMAND_SEEN, when: "past", urgency: "today", raisedBy: PEOPLE.ben.email, auditMonth: null, status: "raised" });
    await h.connector.waitFor(() => escalationCardsTo(h, u.lena, commandCase).length > 0);
    expect(fact(activityCard(escalationCardsTo(h, u.lena, commandCase)[0]!.activity), "Current or past")).toBe("In the past");

    // Pressed again (a double click or a retried request): the same concern, stored once, sent once.
    const again = await act(h, u.ben, "raiseUnsafe", { ...fixedData, "unsafe.seen": COMMAND_SEEN, "unsafe.when": "past", "unsafe.urgency": "today" });
    expect(heading(again.card)).toBe(`Unsafe practice raised on ${commandCase}`);
    await settle();
    expect((await h.core.escalations.listMonth(MONTH)).filter((e) => e.caseRef === commandCase)).toHaveLength(1);
    expect(escalationCardsTo(h, u.lena, commandCase)).toHaveLength(1);
  });

  it("refuses Acknowledge from anyone the concern was not sent to, and changes nothing", async () => {
    const before = await escalationOf(h, caseRef);
    const eventsBefore = (await h.core.events.listMonth(MONTH)).length;
    for (const who of [u.asha, u.morgan, u.kit, lp]) {
      for (const [verb, extra] of [
        ["acknowledgeEscalation", {}],
        ["recordMash", { mashOutcome: "I spoke to MASH about this already." }],
        ["resolveEscalation", { resolvedOutcome: "Nothing to worry about here at all." }],
      ] as const) {
        const res = await act(h, who, verb, { escalationId: before.escalation.id, ...extra });
        expect(heading(res.card), `${who.name} ${verb}`).toBe("You cannot act on this concern");
        expect(cardText(res.card)).toContain("Nothing has changed");
        expect(cardText(res.card)).not.toContain(SEEN);
      }
    }
    // A made-up id gets the same answer: a stranger learns nothing about which concerns exist.
    const madeUp = await act(h, u.asha, "acknowledgeEscalation", { escalationId: "esc-2026-12-0000000000" });
    expect(heading(madeUp.card)).toBe("You cannot act on this concern");

    const after = await escalationOf(h, caseRef);
    expect(after.version).toBe(before.version);
    expect(after.escalation).toEqual(before.escalation);
    expect((await h.core.events.listMonth(MONTH)).length).toBe(eventsBefore);
  });

  it("an FSM acknowledges: their card shows it, the other FSM's card is updated in place, and the ladder stops climbing", async () => {
    h.clock.set("2026-12-01T10:20:00Z");
    const acked = await act(h, u.lena, "acknowledgeEscalation", { escalationId: (await escalationOf(h, caseRef)).escalation.id }, lenaCard.id);
    expect(acked.inPlace).toBe(true);
    expect(fact(acked.card, "Status")).toBe("Acknowledged by Lena Fisher at 10:20 on Tuesday 1 December 2026");
    expect(buttons(acked.card)).toEqual(["MASH conversation held", "Resolved"]);
    expect(cardText(acked.card)).toContain("Acknowledged by Lena Fisher");

    const [update] = await h.connector.waitForUpdates((x) => x.activityId === oluCard.id);
    expect(update!.conversationId).toBe(personalConversationId(u.olu));
    const olus = activityCard(update!.activity);
    expect(fact(olus, "Status")).toBe("Acknowledged by Lena Fisher at 10:20 on Tuesday 1 December 2026");
    expect(buttons(olus)).toEqual(["MASH conversation held", "Resolved"]);
    expect(cardText(olus)).toContain(SEEN);

    // Olu presses Acknowledge on the card too (it had not refreshed yet): shown the card as it is, nothing changes.
    const late = await act(h, u.olu, "acknowledgeEscalation", { escalationId: (await escalationOf(h, caseRef)).escalation.id }, oluCard.id);
    expect(late.inPlace).toBe(true);
    expect(fact(late.card, "Status")).toContain("Acknowledged by Lena Fisher");

    const { escalation } = await escalationOf(h, caseRef);
    expect(escalation).toMatchObject({ status: "acknowledged", acknowledgedBy: PEOPLE.lena.email, level: 0, nextCheckAt: "2026-12-03T09:00:00.000Z" });
    expect((await h.core.events.listMonth(MONTH)).filter((e) => e.type === "escalation_acknowledgeEscalation" && e.data.escalationId === escalation.id)).toHaveLength(1);

    // Past the reminder (12:00) and the escalation (16:00): nothing for this case.
    h.clock.set("2026-12-01T16:30:00Z");
    await settle();
    expect((await escalationOf(h, caseRef)).escalation).toMatchObject({ status: "acknowledged", level: 0 });
    expect(escalationCardsTo(h, u.morgan, caseRef)).toHaveLength(0);
    expect(noticesTo(h, u.lena, `Reminder: unsafe practice on ${caseRef} needs acknowledging`)).toHaveLength(0);
    expect(escalationCardsTo(h, u.lena, caseRef)).toHaveLength(1);
    expect(escalationCardsTo(h, u.olu, caseRef)).toHaveLength(1);
    // The concern nobody acknowledged did climb: both FSMs were reminded about it.
    await h.connector.waitFor(() => noticesTo(h, u.lena, `Reminder: unsafe practice on ${commandCase} needs acknowledging`).length > 0);
  });

  it("acknowledged but not resolved after 2 working days: the FSM is reminded; MASH and Resolved update every card; then silence", async () => {
    const notResolved = `Not resolved yet: ${caseRef}`;
    h.clock.set("2026-12-03T08:59:00Z");
    await settle();
    expect(noticesTo(h, u.lena, notResolved)).toHaveLength(0);
    h.clock.set("2026-12-03T09:00:00Z");
    await h.connector.waitFor(() => noticesTo(h, u.lena, notResolved).length > 0);
    await settle();
    expect(noticesTo(h, u.lena, notResolved)).toHaveLength(1);
    // The other Family Support Manager holding the card hears too; the Service Leader never had it.
    expect(noticesTo(h, u.olu, notResolved)).toHaveLength(1);
    expect(noticesTo(h, u.morgan, notResolved)).toHaveLength(0);
    expect(cardText(activityCard(noticesTo(h, u.lena, notResolved)[0]!.activity))).not.toContain(SEEN);
    // The cards show it in their history, updated in place.
    const lenaUpdates = updatesOf(h, lenaCard.id);
    expect(cardText(activityCard(lenaUpdates.at(-1)!.activity))).toContain("Reminder: not resolved yet");
    expect(escalationCardsTo(h, u.lena, caseRef)).toHaveLength(1);

    const id = (await escalationOf(h, caseRef)).escalation.id;
    const tooShort = await act(h, u.lena, "recordMash", { escalationId: id, mashOutcome: "spoke" }, lenaCard.id);
    expect(heading(tooShort.card)).toBe("Add the outcome");
    expect(cardText(tooShort.card)).toContain("at least 10 characters");
    expect((await escalationOf(h, caseRef)).escalation.status).toBe("acknowledged");

    h.clock.set("2026-12-03T10:00:00Z");
    const mashOutcome = "MASH agreed a strategy discussion; social worker allocated today.";
    const mash = await act(h, u.lena, "recordMash", { escalationId: id, mashOutcome }, lenaCard.id);
    expect(mash.inPlace).toBe(true);
    expect(fact(mash.card, "Status")).toBe(`MASH conversation held: ${mashOutcome}`);
    await h.connector.waitFor(() => updatesOf(h, oluCard.id).some((x) => fact(activityCard(x.activity), "Status") === `MASH conversation held: ${mashOutcome}`));

    h.clock.set("2026-12-03T11:00:00Z");
    const resolvedOutcome = "LP removed from the case; new LP visited and the child is safe.";
    const resolved = await act(h, u.lena, "resolveEscalation", { escalationId: id, resolvedOutcome }, lenaCard.id);
    expect(resolved.inPlace).toBe(true);
    expect(fact(resolved.card, "Status")).toBe(`Resolved: ${resolvedOutcome}`);
    expect(buttons(resolved.card)).toEqual([]);
    await h.connector.waitFor(() => updatesOf(h, oluCard.id).some((x) => fact(activityCard(x.activity), "Status") === `Resolved: ${resolvedOutcome}`));
    const { escalation } = await escalationOf(h, caseRef);
    expect(escalation).toMatchObject({ status: "resolved", mashOutcome, resolvedOutcome, nextCheckAt: null });
    expect(escalation.history.map((x) => x.action)).toEqual(["raised", "acknowledged", "resolve_reminder", "mash_held", "resolved"]);
    const eventRows: string[] = [];
    for await (const row of h.tables.table("Escalations").listEntities({ queryOptions: { filter: `PartitionKey eq '${escalation.month}'` } })) {
      if (String(row.rowKey).startsWith(`event-${escalation.id}`)) eventRows.push(String(row.action));
    }
    expect(eventRows).toEqual(["raised", "acknowledged", "resolve_reminder", "mash_held", "resolved"]);

    // Days later: no more reminders, no more updates for this case.
    const updatesBefore = updatesOf(h, lenaCard.id).length + updatesOf(h, oluCard.id).length;
    h.clock.set("2026-12-08T12:00:00Z");
    await settle();
    h.clock.set("2026-12-15T12:00:00Z");
    await settle();
    expect(noticesTo(h, u.lena, notResolved)).toHaveLength(1);
    expect(updatesOf(h, lenaCard.id).length + updatesOf(h, oluCard.id).length).toBe(updatesBefore);
    expect(escalationCardsTo(h, u.morgan, caseRef)).toHaveLength(0);
  });

  it("keeps what was seen away from everyone it was not sent to, and out of every event row and the Events table", async () => {
    await expectSeenOnlyWithRecipients(h, users);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The ladder when nobody acknowledges
// ---------------------------------------------------------------------------------------------------------------

describe("Teams escalation: the ladder when nobody acknowledges", () => {
  let h: Harness;
  const u = {} as Record<keyof typeof PEOPLE, TeamsUser>;
  const users: Record<string, TeamsUser> = {};
  let caseRef: string;
  const SEEN = "Case notes copied between siblings' files; the younger child's safety plan is missing entirely.";

  beforeAll(async () => {
    h = await startHarness(ENV, RAISED_AT);
    await loadExamples(h);
    for (const key of ["ben", "lena", "morgan", "kit"] as const) {
      u[key] = h.user(PEOPLE[key].name, PEOPLE[key].email);
      users[PEOPLE[key].email] = u[key];
      await installAndRead(h, u[key]);
    }
    caseRef = (await caseAwayFrom(h, [PEOPLE.ben.email])).caseRef;
  });
  afterAll(async () => h?.close());

  it("reminds the FSM after 2 working hours, then sends it to the Service Leader with its history, repeating every 4 working hours", async () => {
    const raised = await raiseByCommand(h, u.ben, caseRef, SEEN);
    expect(heading(raised.card)).toBe(`Unsafe practice raised on ${caseRef}`);
    await h.connector.waitFor(() => escalationCardsTo(h, u.lena, caseRef).length > 0);
    const lenaCard = escalationCardsTo(h, u.lena, caseRef)[0]!;
    const reminder = `Reminder: unsafe practice on ${caseRef} needs acknowledging`;
    const escalated = `Escalated: unsafe practice on ${caseRef}`;

    h.clock.set("2026-12-01T11:59:00Z");
    await settle();
    expect(noticesTo(h, u.lena, reminder)).toHaveLength(0);

    h.clock.set("2026-12-01T12:00:00Z");
    await h.connector.waitFor(() => noticesTo(h, u.lena, reminder).length > 0);
    await h.connector.waitForUpdates((x) => x.activityId === lenaCard.id);
    expect(cardText(activityCard(updatesOf(h, lenaCard.id).at(-1)!.activity))).toContain("Reminder sent to the Family Support Manager");
    expect(cardText(activityCard(noticesTo(h, u.lena, reminder)[0]!.activity))).toContain("16:00 on Tuesday 1 December 2026");
    expect((await escalationOf(h, caseRef)).escalation.level).toBe(1);

    h.clock.set("2026-12-01T15:59:00Z");
    await settle();
    expect(escalationCardsTo(h, u.morgan, caseRef)).toHaveLength(0);

    h.clock.set("2026-12-01T16:00:00Z");
    await h.connector.waitFor(() => escalationCardsTo(h, u.morgan, caseRef).length > 0 && noticesTo(h, u.morgan, escalated).length > 0);
    await settle();
    const morganCards = escalationCardsTo(h, u.morgan, caseRef);
    expect(morganCards).toHaveLength(1);
    const morganCard = morganCards[0]!;
    const card = activityCard(morganCard.activity);
    const text = cardText(card);
    expect(text).toContain("Escalated to you as Service Leader for Early Help.");
    expect(text).toContain(SEEN);
    expect(text).toContain("10:00 on Tuesday 1 December 2026: Raised by Ben Okafor");
    expect(text).toContain("12:00 on Tuesday 1 December 2026: Reminder sent to the Family Support Manager");
    expect(text).toContain("16:00 on Tuesday 1 December 2026: Escalated to the Service Leader");
    expect(buttons(card)).toEqual(["Acknowledge", "MASH conversation held", "Resolved"]);
    expect(noticesTo(h, u.morgan, escalated)).toHaveLength(1);
    expect(JSON.stringify(noticesTo(h, u.morgan, escalated)[0]!.activity)).not.toContain(SEEN);
    // The FSM still holds the one card, updated in place; no second card.
    expect(escalationCardsTo(h, u.lena, caseRef)).toHaveLength(1);
    expect(cardText(activityCard(updatesOf(h, lenaCard.id).at(-1)!.activity))).toContain("Escalated to the Service Leader");
    expect((await escalationOf(h, caseRef)).escalation).toMatchObject({ level: 2, status: "raised", nextCheckAt: "2026-12-02T12:00:00.000Z" });

    // Still nobody: 4 working hours later (1 on Tuesday, 3 on Wednesday) the Service Leader is told again.
    h.clock.set("2026-12-02T11:59:00Z");
    await settle();
    expect(noticesTo(h, u.morgan, escalated)).toHaveLength(1);
    h.clock.set("2026-12-02T12:00:00Z");
    await h.connector.waitFor(() => noticesTo(h, u.morgan, escalated).length >= 2);
    await h.connector.waitForUpdates((x) => x.activityId === morganCard.id);
    await settle();
    expect(noticesTo(h, u.morgan, escalated)).toHaveLength(2);
    expect(escalationCardsTo(h, u.morgan, caseRef)).toHaveLength(1);
    expect((await escalationOf(h, caseRef)).escalation).toMatchObject({ level: 3, nextCheckAt: "2026-12-02T16:00:00.000Z" });

    // The Service Leader acknowledges: every holder's card shows it, and the climb stops.
    h.clock.set("2026-12-02T13:05:00Z");
    const id = (await escalationOf(h, caseRef)).escalation.id;
    const acked = await act(h, u.morgan, "acknowledgeEscalation", { escalationId: id }, morganCard.id);
    expect(fact(acked.card, "Status")).toBe("Acknowledged by Morgan Reid at 13:05 on Wednesday 2 December 2026");
    await h.connector.waitFor(() => updatesOf(h, lenaCard.id).some((x) => fact(activityCard(x.activity), "Status")?.startsWith("Acknowledged by Morgan Reid")));

    h.clock.set("2026-12-02T16:30:00Z");
    await settle();
    h.clock.set("2026-12-03T16:30:00Z");
    await settle();
    expect(noticesTo(h, u.morgan, escalated)).toHaveLength(2);
    expect((await escalationOf(h, caseRef)).escalation).toMatchObject({ status: "acknowledged", level: 3, acknowledgedBy: PEOPLE.morgan.email, nextCheckAt: "2026-12-04T09:00:00.000Z" });
    expect(escalationCardsTo(h, u.lena, caseRef)).toHaveLength(1);
    expect(escalationCardsTo(h, u.morgan, caseRef)).toHaveLength(1);

    // Acknowledged by the Service Leader and still not resolved 2 working days on: the FSM is reminded, as the card says.
    expect(fact(activityCard(updatesOf(h, lenaCard.id).at(-1)!.activity), "Status")).toContain("Acknowledged by Morgan Reid");
    expect(cardText(activityCard(updatesOf(h, lenaCard.id).at(-1)!.activity))).toContain("If it is not resolved by 09:00 on Friday 4 December 2026, the Family Support Manager is reminded.");
    const notResolved = `Not resolved yet: ${caseRef}`;
    h.clock.set("2026-12-04T09:00:00Z");
    await h.connector.waitFor(() => noticesTo(h, u.lena, notResolved).length > 0);
    await settle();
    expect(noticesTo(h, u.lena, notResolved)).toHaveLength(1);
    expect(noticesTo(h, u.morgan, notResolved)).toHaveLength(1);
    expect(escalationCardsTo(h, u.lena, caseRef)).toHaveLength(1);

    const ladderEvents = (await h.core.events.listMonth(MONTH)).filter((e) => e.subject === caseRef && e.actor === "ladder").map((e) => e.type);
    expect(ladderEvents).toEqual(["escalation_remind_fsm", "escalation_escalate", "escalation_escalate", "escalation_resolve_reminder"]);
    await expectSeenOnlyWithRecipients(h, users);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Delivery: 500s and the QA alert; a restart before the FSM can be reached
// ---------------------------------------------------------------------------------------------------------------

describe("Teams escalation: a restart before the FSM can be reached", () => {
  let h: Harness;
  const u = {} as Record<keyof typeof PEOPLE, TeamsUser>;
  const users: Record<string, TeamsUser> = {};

  beforeAll(async () => {
    h = await startHarness(ENV, RAISED_AT);
    await loadExamples(h);
    for (const key of ["ben", "lena", "kit"] as const) {
      u[key] = h.user(PEOPLE[key].name, PEOPLE[key].email);
      users[PEOPLE[key].email] = u[key];
    }
    await installAndRead(h, u.ben);
    await installAndRead(h, u.kit);
  });
  afterAll(async () => h?.close());

  it("the card waits through a restart and the ladder's updates, and arrives exactly once, up to date, when the FSM installs", async () => {
    const c = await caseAwayFrom(h, [PEOPLE.ben.email]);
    const seen = "The LP told the family the referral came from the school, putting the child at risk at home.";
    await raiseByCommand(h, u.ben, c.caseRef, seen);
    await settle();
    const waiting = (await h.core.outbox.waiting()).filter((m) => m.recipientEmail === PEOPLE.lena.email);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.view.template).toBe("escalation");

    await h.restart();

    // While the FSM cannot be reached, the ladder reminds them and then escalates: their card changes twice.
    h.clock.set("2026-12-01T12:00:00Z");
    await settle();
    h.clock.set("2026-12-01T16:00:00Z");
    await settle();
    expect((await escalationOf(h, c.caseRef)).escalation.level).toBe(2);
    expect(sentTo(h, u.lena)).toHaveLength(0);

    const welcome = await installAndRead(h, u.lena);
    expect(cardText(welcome)).toMatch(/\d+ messages? (was|were) waiting for you/);
    await h.connector.waitFor(() => escalationCardsTo(h, u.lena, c.caseRef).length > 0);
    await h.connector.waitFor(() => noticesTo(h, u.lena, `Reminder: unsafe practice on ${c.caseRef} needs acknowledging`).length > 0);
    await settle();
    const cards = escalationCardsTo(h, u.lena, c.caseRef);
    expect(cards).toHaveLength(1);
    expect(cardText(activityCard(cards[0]!.activity))).toContain(seen);
    // What the FSM sees on that one card is the latest state: the escalation is in its history.
    const latest = updatesOf(h, cards[0]!.id).at(-1)?.activity ?? cards[0]!.activity;
    expect(cardText(activityCard(latest))).toContain("Escalated to the Service Leader");
    expect(noticesTo(h, u.lena, `Reminder: unsafe practice on ${c.caseRef} needs acknowledging`)).toHaveLength(1);
    await expectSeenOnlyWithRecipients(h, users);
  });
});

describe("Teams escalation: delivery through failures", () => {
  let h: Harness;
  const u = {} as Record<keyof typeof PEOPLE, TeamsUser>;
  const users: Record<string, TeamsUser> = {};

  beforeAll(async () => {
    h = await startHarness({ ...ENV, CAF_ALERT_AFTER_ATTEMPTS: "3" }, RAISED_AT);
    await loadExamples(h);
    for (const key of ["ben", "lena", "kit"] as const) {
      u[key] = h.user(PEOPLE[key].name, PEOPLE[key].email);
      users[PEOPLE[key].email] = u[key];
      await installAndRead(h, u[key]);
    }
  });
  afterAll(async () => h?.close());

  it("retries through three 500s: exactly one card reaches the FSM, and the QA team is told without the details", async () => {
    const c = await caseAwayFrom(h, [PEOPLE.ben.email]);
    const seen = "Domestic abuse disclosure in the notes from October was never passed to MASH or children's social care.";
    const lenaConversation = personalConversationId(u.lena);

    // The raise and its answer to the auditor first, then the failures: only the card's sends meet them.
    const released = { value: false };
    const raised = await raiseWhileRelayHeld(h, () => raiseByCommand(h, u.ben, c.caseRef, seen), released);
    expect(heading(raised.card)).toBe(`Unsafe practice raised on ${c.caseRef}`);
    h.connector.failNext(3, { status: 500 });
    const requestsBefore = h.connector.requests.length;
    released.value = true;
    h.bot.relay.nudge();

    // The relay backs off on the harness clock: move it on until the card gets through.
    const start = h.clock.now().getTime();
    for (let i = 1; i <= 60 && escalationCardsTo(h, u.lena, c.caseRef).length === 0; i++) {
      await sleep(100);
      h.clock.set(new Date(start + i * 2_000).toISOString());
    }
    await h.connector.waitFor(() => escalationCardsTo(h, u.lena, c.caseRef).length > 0);
    const alertTitle = "A message is not getting through";
    await h.connector.waitFor(() => noticesTo(h, u.kit, alertTitle).length > 0);
    await settle();

    expect(escalationCardsTo(h, u.lena, c.caseRef)).toHaveLength(1);
    const toLena = h.connector.requests.slice(requestsBefore).filter((r) => r.method === "POST" && r.path.includes(lenaConversation));
    expect(toLena.map((r) => r.status)).toEqual([500, 500, 500, 201]);
    const alerts = noticesTo(h, u.kit, alertTitle);
    expect(alerts).toHaveLength(1);
    const alert = cardText(activityCard(alerts[0]!.activity));
    expect(alert).toContain(c.caseRef);
    expect(alert).toContain(PEOPLE.lena.email);
    expect(alert).toContain("3 times");
    expect(JSON.stringify(alerts[0]!.activity)).not.toContain(seen);
    await expectSeenOnlyWithRecipients(h, users);
  });
});

/** Holds the relay (it finds nothing due) while `raise` runs, until `released.value` is set. */
async function raiseWhileRelayHeld<T>(h: Harness, raise: () => Promise<T>, released: { value: boolean }): Promise<T> {
  const store = h.core.outbox;
  const due = store.due.bind(store);
  store.due = async (now) => (released.value ? due(now) : []);
  return raise();
}

// ---------------------------------------------------------------------------------------------------------------
// Nobody holds the FSM role
// ---------------------------------------------------------------------------------------------------------------

describe("Teams escalation: no Family Support Manager in the people list", () => {
  let h: Harness;
  const u = {} as Record<keyof typeof PEOPLE, TeamsUser>;
  const users: Record<string, TeamsUser> = {};

  beforeAll(async () => {
    h = await startHarness(ENV, RAISED_AT);
    await loadExamples(h, true);
    for (const key of ["ben", "morgan", "kit"] as const) {
      u[key] = h.user(PEOPLE[key].name, PEOPLE[key].email);
      users[PEOPLE[key].email] = u[key];
      await installAndRead(h, u[key]);
    }
  });
  afterAll(async () => h?.close());

  it("sends the card straight to the Service Leader, tells the QA team the role is empty, and the Service Leader can acknowledge", async () => {
    expect((await h.core.people.all()).some((p) => p.roles.includes("fsm"))).toBe(false);
    const c = await caseAwayFrom(h, [PEOPLE.ben.email]);
    const seen = "Nobody has seen the baby for six weeks and the LP closed the TAF without a review meeting.";
    const raised = await raiseByCommand(h, u.ben, c.caseRef, seen);
    expect(cardText(raised.card)).toContain("Morgan Reid");
    expect(cardText(raised.card)).toContain("Service Leader (nobody holds the Family Support Manager role)");

    const empty = "Nobody holds the Family Support Manager role";
    await h.connector.waitFor(() => escalationCardsTo(h, u.morgan, c.caseRef).length > 0 && noticesTo(h, u.kit, empty).length > 0);
    await settle();
    const cards = escalationCardsTo(h, u.morgan, c.caseRef);
    expect(cards).toHaveLength(1);
    const card = activityCard(cards[0]!.activity);
    expect(cardText(card)).toContain(seen);
    expect(cardText(card)).toContain("Escalated to you as Service Leader for Early Help.");
    expect(buttons(card)).toContain("Acknowledge");

    const notices = noticesTo(h, u.kit, empty);
    expect(notices).toHaveLength(1);
    const notice = cardText(activityCard(notices[0]!.activity));
    expect(notice).toContain(c.caseRef);
    expect(notice).toContain("fsm role");
    expect(JSON.stringify(notices[0]!.activity)).not.toContain(seen);

    const { escalation } = await escalationOf(h, c.caseRef);
    expect(escalation.recipients).toEqual([PEOPLE.morgan.email]);
    h.clock.set("2026-12-01T10:30:00Z");
    const acked = await act(h, u.morgan, "acknowledgeEscalation", { escalationId: escalation.id }, cards[0]!.id);
    expect(fact(acked.card, "Status")).toBe("Acknowledged by Morgan Reid at 10:30 on Tuesday 1 December 2026");
    expect((await escalationOf(h, c.caseRef)).escalation.status).toBe("acknowledged");
    await expectSeenOnlyWithRecipients(h, users);
  });

  it("a concern raised just after midnight on the 1st in summer time can still be acknowledged", async () => {
    // 00:30 on Thursday 1 July 2027 in London is 23:30 on 30 June in UTC: the concern belongs to July.
    h.clock.set("2027-06-30T23:30:00Z");
    const c = await caseAwayFrom(h, [PEOPLE.ben.email]);
    const seen = "Child left with an unassessed adult overnight; the LP recorded it as respite without checks.";
    await raiseByCommand(h, u.ben, c.caseRef, seen);
    const [escalation] = (await h.core.escalations.listMonth("2027-07")).filter((e) => e.caseRef === c.caseRef);
    expect(escalation, "stored in July").toBeDefined();
    await h.connector.waitFor(() => escalationCardsTo(h, u.morgan, c.caseRef).length > 0);
    const card = escalationCardsTo(h, u.morgan, c.caseRef)[0]!;
    h.clock.set("2027-07-01T08:10:00Z");
    const acked = await act(h, u.morgan, "acknowledgeEscalation", { escalationId: escalation!.id }, card.id);
    expect(acked.inPlace).toBe(true);
    expect(fact(acked.card, "Status")).toBe("Acknowledged by Morgan Reid at 09:10 on Thursday 1 July 2027");
    expect((await h.core.escalations.get(escalation!.id))?.escalation.status).toBe("acknowledged");
  });
});

describe("Teams escalation: the only Family Support Manager is the case's lead professional", () => {
  let h: Harness;
  const u = {} as Record<keyof typeof PEOPLE, TeamsUser>;

  beforeAll(async () => {
    h = await startHarness(ENV, RAISED_AT);
    await loadExamples(h);
    // Lena, the one FSM, becomes the lead professional of one case.
    const c = await caseAwayFrom(h, [PEOPLE.ben.email, PEOPLE.lena.email, PEOPLE.morgan.email]);
    const register = (await readFile("examples/cases.csv", "utf8")).split("\n");
    const rewritten = register.map((line) => (line.startsWith(`${c.caseRef},`) ? line.replace(c.leadProfessionalEmail!, PEOPLE.lena.email) : line)).join("\n");
    expect((await importCases(h.core, Buffer.from(rewritten), "test")).ok).toBe(true);
    expect((await h.core.cases.all()).find((x) => x.caseRef === c.caseRef)?.leadProfessionalEmail).toBe(PEOPLE.lena.email);
    for (const key of ["ben", "lena", "morgan", "kit"] as const) {
      u[key] = h.user(PEOPLE[key].name, PEOPLE[key].email);
      await installAndRead(h, u[key]);
    }
  });
  afterAll(async () => h?.close());

  it("passes her over: the concern goes to the Service Leader, the QA team is told why, and she sees only the LP's notice", async () => {
    const c = (await h.core.cases.all()).find((x) => x.leadProfessionalEmail === PEOPLE.lena.email)!;
    const seen = "The LP recorded home visits that the family say never happened, and the child's GP was not told.";
    const raised = await raiseByCommand(h, u.ben, c.caseRef, seen);
    expect(cardText(raised.card)).toContain("Service Leader (every Family Support Manager is involved in this case)");
    const why = "Every Family Support Manager is involved in this case";
    await h.connector.waitFor(() => escalationCardsTo(h, u.morgan, c.caseRef).length > 0 && noticesTo(h, u.kit, why).length > 0);
    await settle();
    const { escalation } = await escalationOf(h, c.caseRef);
    expect(escalation.recipients).toEqual([PEOPLE.morgan.email]);
    expect(escalationCardsTo(h, u.lena, c.caseRef)).toHaveLength(0);
    for (const s of sentTo(h, u.lena)) expect(JSON.stringify(s.activity)).not.toContain(seen);
    expect(JSON.stringify(noticesTo(h, u.kit, why)[0]!.activity)).not.toContain(seen);
  });
});
