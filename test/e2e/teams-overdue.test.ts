// The QA team's decision on an overdue audit (or one due while its auditor is away), end to end over real HTTP: the
// reminders job sends the QA team a card; from it they extend the due date (the auditor hears the new date) or
// reallocate (another eligible auditor gets the allocation card, the previous one a notice), or the case goes back
// to the pool when nobody can take it. Nobody else may press it; a bad date gets a sentence; nothing is half done.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import { runAuditReminders } from "../../src/app/audit/run-audit-reminders";
import type { AllocationPlan } from "../../src/domain/allocation-plan";
import { conflictedEmails } from "../../src/domain/case-file";
import { hasRole } from "../../src/domain/person";
import { startHarness, type Harness } from "../support/bot-harness";
import type { RecordedActivity } from "../support/loopback-connector";
import type { TeamsUser } from "../support/teams-activities";
import { act, activityCard, buttons, cardsTo, cardText, heading, sentTo, sleep, snapshot, type Card } from "../support/teams-cards";

const MONTH = "2026-12";
const QA = { name: "Kit Morris", email: "kit.morris@example.gov.uk" };
const AUDITORS = [
  { name: "Asha Patel", email: "asha.patel@example.gov.uk" },
  { name: "Ben Okafor", email: "ben.okafor@example.gov.uk" },
  { name: "Carys Jones", email: "carys.jones@example.gov.uk" },
  { name: "Dev Sharma", email: "dev.sharma@example.gov.uk" },
  { name: "Ella Wright", email: "ella.wright@example.gov.uk" },
];
const LENA = { name: "Lena Fisher", email: "lena.fisher@example.gov.uk" }; // the FSM: known, but not in the QA team

/** The value of the fact with this title in the card's first fact set (the other card readers are in test/support/teams-cards.ts). */
const fact = (card: Card, title: string) => ((card.body as Card[]).find((b) => b.type === "FactSet")?.facts as Card[] | undefined)?.find((f) => f.title === title)?.value as string | undefined;
const dateInput = (card: Card) => (card.body as Card[]).find((b) => b.id === "newDueOn");

describe("Teams: the QA team decides on overdue audits", () => {
  let h: Harness;
  let plan: AllocationPlan;
  let kit: TeamsUser;
  let lena: TeamsUser;
  const users = new Map<string, TeamsUser>();
  const nameOf = (email: string) => AUDITORS.find((a) => a.email === email)!.name;
  const userOf = (email: string) => users.get(email)!;
  const audit = async (caseRef: string) => (await h.core.allocations.get(MONTH, caseRef))!;
  const decisionCardsTo = (user: TeamsUser, caseRef: string) => cardsTo(h, user).filter((c) => fact(c, "Case") === caseRef && buttons(c).includes("Extend due date"));
  /** Each person's new messages since `before`, as cards. */
  const newCards = (before: Set<RecordedActivity>, user: TeamsUser) => sentTo(h, user).filter((s) => !before.has(s)).map((s) => activityCard(s.activity));

  /** Auditors who could take this case now: not on it, not conflicted, not declined, not away, with a place free. */
  async function eligibleFor(caseRef: string): Promise<string[]> {
    const { audit: a } = await audit(caseRef);
    const caseFile = (await h.core.cases.all()).find((c) => c.caseRef === caseRef)!;
    const conflicted = conflictedEmails(caseFile);
    const month = await h.core.allocations.listMonth(MONTH);
    const load = (email: string) => month.filter((x) => x.auditorEmail === email).length;
    const today = h.clock.now().toISOString().slice(0, 10);
    return (await h.core.people.all())
      .filter((p) => hasRole(p, "auditor") && p.email !== a.auditorEmail && !conflicted.has(p.email) && !a.declines.some((d) => d.by === p.email))
      .filter((p) => !(p.awayUntil && p.awayUntil >= today) && p.monthlyCapacity - load(p.email) > 0)
      .map((p) => p.email);
  }

  // Cases picked as the story goes: one reallocated while its auditor is away, one extended, one reallocated
  // overdue, one with nobody to take it; the rest stay overdue.
  let awayCase = "";
  let extended = "";
  let reallocated = "";

  beforeAll(async () => {
    // Tuesday 1 December 2026: four cases, eight places, so a reallocated case has somewhere to go.
    h = await startHarness({ CAF_SAMPLE_SIZE: "4" }, "2026-12-01T09:30:00Z");
    await importPeople(h.core, await readFile("examples/people.csv"), "test");
    await importCases(h.core, await readFile("examples/cases.csv"), "test");
    for (const a of AUDITORS) users.set(a.email, h.user(a.name, a.email));
    kit = h.user(QA.name, QA.email);
    lena = h.user(LENA.name, LENA.email);
    for (const user of [...users.values(), kit, lena]) expect((await h.install(user)).status).toBeLessThan(300);
    const r = await allocateMonth(h.core, { month: MONTH, seed: 1, actor: "test", dryRun: false });
    if (!r.ok) throw new Error(r.problem.message);
    plan = r.value.plan;
    expect(plan.assignments).toHaveLength(4);
    await h.connector.waitFor(() => plan.assignments.every((a) => cardsTo(h, userOf(a.auditorEmail)).some((c) => fact(c, "Case") === a.caseRef)));
  });
  afterAll(async () => h?.close());

  it("sends the QA team a decision card for an audit due while its auditor is away, and reallocates it from there", async () => {
    // Tuesday 29 December, two working days before the due date (31 December); one auditor is away until 5 January.
    h.clock.set("2026-12-29T09:30:00Z");
    const candidates = [];
    for (const a of plan.assignments) if ((await eligibleFor(a.caseRef)).length > 0) candidates.push(a);
    const away = candidates[0]!;
    awayCase = away.caseRef;
    await h.core.people.setAway(away.auditorEmail, "2027-01-05");

    const before = new Set(h.connector.sent);
    await runAuditReminders(h.core);
    await h.connector.waitFor(() => decisionCardsTo(kit, awayCase).length > 0);
    const [card] = decisionCardsTo(kit, awayCase);
    expect(heading(card!)).toBe(`Audit of ${awayCase} needs a decision`);
    expect(cardText(card!)).toContain(`The audit is due on Thursday 31 December 2026 and ${nameOf(away.auditorEmail)} is away until Tuesday 5 January 2027.`);
    expect(fact(card!, "Status")).toBe("Waiting for a decision");
    // Five working days after the last day away.
    expect(dateInput(card!)).toMatchObject({ type: "Input.Date", label: "New due date", value: "2027-01-12" });
    // The away auditor hears nothing; the others are reminded as before.
    await sleep(300);
    expect(newCards(before, userOf(away.auditorEmail))).toEqual([]);

    const eligible = await eligibleFor(awayCase);
    const res = await act(h, kit, "reallocateAudit", { month: MONTH, caseRef: awayCase, newDueOn: dateInput(card!)!.value });
    expect(res.inPlace).toBe(true);
    expect(fact(res.card, "Status")).toBe(`Reallocated to another auditor by ${QA.name}`);
    expect(buttons(res.card)).toEqual([]);
    const { audit: stored } = await audit(awayCase);
    expect(eligible).toContain(stored.auditorEmail);
    expect(stored).toMatchObject({ status: "allocated", dueOn: "2027-01-12" });
    expect(stored.declines).toEqual([{ by: away.auditorEmail, reason: "Reallocated by the QA team: away", at: h.clock.now().toISOString() }]);
    expect(fact(res.card, "Auditor")).toBe(nameOf(stored.auditorEmail));

    await h.connector.waitFor(() => cardsTo(h, userOf(stored.auditorEmail)).some((c) => heading(c).startsWith("You have a case to audit") && fact(c, "Case") === awayCase));
    const allocation = cardsTo(h, userOf(stored.auditorEmail)).find((c) => fact(c, "Case") === awayCase && heading(c).startsWith("You have a case to audit"))!;
    expect(fact(allocation, "Due")).toBe("Tuesday 12 January 2027");
    await h.connector.waitFor(() => cardsTo(h, userOf(away.auditorEmail)).some((c) => heading(c) === `${awayCase} has gone to another auditor`));
    await h.core.people.setAway(away.auditorEmail, null);
  });

  it("sends the QA team one decision card per overdue audit, the day after the due date, and never twice", async () => {
    // Monday 4 January 2027, the first working day after the due date.
    h.clock.set("2027-01-04T09:30:00Z");
    const overdue = plan.assignments.filter((a) => a.caseRef !== awayCase);
    const result = await runAuditReminders(h.core);
    expect(result.overdue).toBe(overdue.length);
    await h.connector.waitFor(() => overdue.every((a) => decisionCardsTo(kit, a.caseRef).length > 0));
    for (const a of overdue) {
      const [card] = decisionCardsTo(kit, a.caseRef);
      expect(heading(card!)).toBe(`Audit of ${a.caseRef} needs a decision`);
      expect(cardText(card!)).toContain("The audit was due on Thursday 31 December 2026 and is not submitted.");
      expect(fact(card!, "Service area")).toBe(a.serviceArea);
      expect(fact(card!, "Auditor")).toBe(nameOf(a.auditorEmail));
      expect(fact(card!, "Due")).toBe("Thursday 31 December 2026");
      expect(fact(card!, "Status")).toBe("Waiting for a decision");
      expect(dateInput(card!)).toMatchObject({ value: "2027-01-11" });
      expect(buttons(card!)).toEqual(["Extend due date", "Reallocate to another auditor"]);
    }
    // The reallocated case is due on the 12th: not overdue.
    expect(decisionCardsTo(kit, awayCase)).toHaveLength(1);

    await runAuditReminders(h.core);
    await sleep(400);
    for (const a of overdue) expect(decisionCardsTo(kit, a.caseRef), a.caseRef).toHaveLength(1);
  });

  it("refuses anyone outside the QA team, the auditor included, and changes nothing", async () => {
    const target = plan.assignments.find((a) => a.caseRef !== awayCase)!;
    const rows = await snapshot(h);
    for (const user of [userOf(target.auditorEmail), lena]) {
      for (const verb of ["extendAudit", "reallocateAudit"]) {
        const res = await act(h, user, verb, { month: MONTH, caseRef: target.caseRef, newDueOn: "2027-01-11" });
        expect(res.inPlace, `${user.name} ${verb}`).toBe(false);
        expect(heading(res.card)).toBe("Only the QA team can do that");
        expect(cardText(res.card)).toMatch(/is for the QA team\. Nothing has changed\.$/m);
      }
    }
    expect(await snapshot(h)).toEqual(rows);
  });

  it("refuses a Saturday, a bank holiday, a past date, a date that does not exist and nonsense with a sentence, and changes nothing", async () => {
    const target = plan.assignments.find((a) => a.caseRef !== awayCase)!;
    const rows = await snapshot(h);
    const cases: [string, string, RegExp][] = [
      ["extendAudit", "2027-01-09", /^Saturday 9 January 2027 is not a working day\. .*Nothing has changed\.$/m],
      ["reallocateAudit", "2027-01-09", /^Saturday 9 January 2027 is not a working day\. .*Nothing has changed\.$/m],
      ["extendAudit", "2027-05-03", /^Monday 3 May 2027 is not a working day\./m], // early May bank holiday
      ["extendAudit", "2026-12-30", /^Wednesday 30 December 2026 has already passed\. Choose today or a later working day/m],
      ["extendAudit", "2027-02-30", /^That is not a date\. .*Nothing has changed\.$/m],
      ["extendAudit", "next week", /^That is not a date\. .*Nothing has changed\.$/m],
      ["reallocateAudit", "x".repeat(5000), /^That is not a date\./m],
      ["extendAudit", "", /^Choose the new due date on the card, then press Extend due date again\. Nothing has changed\.$/m],
    ];
    for (const [verb, newDueOn, sentence] of cases) {
      const res = await act(h, kit, verb, { month: MONTH, caseRef: target.caseRef, newDueOn });
      expect(res.inPlace, `${verb} ${newDueOn.slice(0, 20)}`).toBe(false);
      expect(heading(res.card)).toBe("Choose another due date");
      expect(cardText(res.card), `${verb} ${newDueOn.slice(0, 20)}`).toMatch(sentence);
      expect(cardText(res.card)).not.toContain("xxxxxxxx");
    }
    expect(await snapshot(h)).toEqual(rows);
    expect((await audit(target.caseRef)).audit.dueOn).toBe("2026-12-31");
  });

  it("extends the due date: stored with the audit, the auditor hears the new date, the card in place shows it, and a second press changes nothing", async () => {
    const target = plan.assignments.find((a) => a.caseRef !== awayCase)!;
    extended = target.caseRef;
    const before = new Set(h.connector.sent);
    const res = await act(h, kit, "extendAudit", { month: MONTH, caseRef: extended, newDueOn: "2027-01-08" });
    expect(res.inPlace).toBe(true);
    expect(heading(res.card)).toBe(`Audit of ${extended}`);
    expect(fact(res.card, "Status")).toBe(`Due date moved to Friday 8 January 2027 by ${QA.name}`);
    expect(fact(res.card, "Due")).toBe("Friday 8 January 2027");
    expect(fact(res.card, "Auditor")).toBe(nameOf(target.auditorEmail));
    expect(buttons(res.card)).toEqual([]);
    expect(dateInput(res.card)).toBeUndefined();

    const { audit: stored } = await audit(extended);
    expect(stored).toMatchObject({ dueOn: "2027-01-08", auditorEmail: target.auditorEmail, status: "allocated", declines: [] });
    const auditor = userOf(target.auditorEmail);
    await h.connector.waitFor(() => newCards(before, auditor).some((c) => heading(c) === `New due date for ${extended}`));
    const notice = newCards(before, auditor).find((c) => heading(c) === `New due date for ${extended}`)!;
    expect(cardText(notice)).toContain(`${QA.name} in the QA team moved the due date of your audit of ${extended}`);
    expect(cardText(notice)).toContain("Friday 8 January 2027");
    const events = (await h.core.events.listMonth("2027-01")).filter((e) => e.subject === `${MONTH}/${extended}`);
    expect(events).toEqual([expect.objectContaining({ type: "audit_due_date_extended", actor: QA.email, data: { from: "2026-12-31", to: "2027-01-08", why: "overdue" } })]);

    // The same button again (a retry, or a second QA officer on their own card): the card as it stands, nothing stored.
    const rows = await snapshot(h);
    const again = await act(h, kit, "extendAudit", { month: MONTH, caseRef: extended, newDueOn: "2027-01-15" });
    expect(again.inPlace).toBe(true);
    expect(fact(again.card, "Status")).toBe(`Due date moved to Friday 8 January 2027 by ${QA.name}`);
    expect(buttons(again.card)).toEqual([]);
    expect(await snapshot(h)).toEqual(rows);
  });

  it("reminds the auditor again for the new due date, which the old reminders had used up", async () => {
    const { audit: a } = await audit(extended);
    // Wednesday 6 January: two working days before Friday 8 January.
    h.clock.set("2027-01-06T09:30:00Z");
    const before = new Set(h.connector.sent);
    await runAuditReminders(h.core);
    await h.connector.waitFor(() => newCards(before, userOf(a.auditorEmail)).some((c) => heading(c) === `Audit of ${extended} is due soon`));
    expect(cardText(newCards(before, userOf(a.auditorEmail)).find((c) => heading(c) === `Audit of ${extended} is due soon`)!)).toContain("Friday 8 January 2027");
    h.clock.set("2027-01-04T09:30:00Z");
  });

  it("reallocates an overdue audit to another eligible auditor: they get the card, the previous auditor a notice, the declines keep it", async () => {
    let target;
    for (const a of plan.assignments) {
      if (a.caseRef !== awayCase && a.caseRef !== extended && (await eligibleFor(a.caseRef)).length > 0) {
        target = a;
        break;
      }
    }
    expect(target, "an overdue case someone else could take").toBeDefined();
    reallocated = target!.caseRef;
    const eligible = await eligibleFor(reallocated);
    const before = new Set(h.connector.sent);

    const res = await act(h, kit, "reallocateAudit", { month: MONTH, caseRef: reallocated, newDueOn: "2027-01-11" });
    expect(res.inPlace).toBe(true);
    expect(fact(res.card, "Status")).toBe(`Reallocated to another auditor by ${QA.name}`);
    expect(buttons(res.card)).toEqual([]);

    const { audit: stored } = await audit(reallocated);
    expect(stored.status).toBe("allocated");
    expect(eligible).toContain(stored.auditorEmail);
    expect(stored.auditorEmail).not.toBe(target!.auditorEmail);
    expect(stored.dueOn).toBe("2027-01-11");
    expect(stored.declines).toEqual([{ by: target!.auditorEmail, reason: "Reallocated by the QA team: overdue", at: h.clock.now().toISOString() }]);
    expect(fact(res.card, "Auditor")).toBe(nameOf(stored.auditorEmail));

    const receiver = userOf(stored.auditorEmail);
    await h.connector.waitFor(() => newCards(before, receiver).some((c) => fact(c, "Case") === reallocated));
    const allocation = newCards(before, receiver).find((c) => fact(c, "Case") === reallocated)!;
    expect(heading(allocation)).toBe("You have a case to audit for December 2026");
    expect(fact(allocation, "Due")).toBe("Monday 11 January 2027");
    expect(buttons(allocation)).toEqual(["Start audit", "I was involved in this case"]);

    const previous = userOf(target!.auditorEmail);
    await h.connector.waitFor(() => newCards(before, previous).some((c) => heading(c) === `${reallocated} has gone to another auditor`));
    const notice = newCards(before, previous).find((c) => heading(c) === `${reallocated} has gone to another auditor`)!;
    expect(cardText(notice)).toContain("because it is overdue");
    await sleep(300);
    expect(newCards(before, previous)).toHaveLength(1);

    const events = (await h.core.events.listMonth("2027-01")).filter((e) => e.subject === `${MONTH}/${reallocated}`);
    expect(events).toEqual([expect.objectContaining({ type: "audit_reallocated_by_qa", actor: QA.email, data: { outcome: "reallocated", why: "overdue", declines: 1 } })]);

    // The previous auditor can no longer open it; the new one can.
    const blocked = await act(h, previous, "startAudit", { month: MONTH, caseRef: reallocated });
    expect(heading(blocked.card)).toBe("You cannot open this audit");
    const opened = await act(h, receiver, "startAudit", { month: MONTH, caseRef: reallocated });
    expect(cardText(opened.card)).toContain("Section 1 of 5");

    // A second press on the old card does not move it again.
    const rows = await snapshot(h);
    const again = await act(h, kit, "reallocateAudit", { month: MONTH, caseRef: reallocated, newDueOn: "2027-01-11" });
    expect(again.inPlace).toBe(true);
    expect(fact(again.card, "Status")).toBe(`Reallocated to another auditor by ${QA.name}`);
    expect(await snapshot(h)).toEqual(rows);
  });

  it("returns the case to the pool when no other eligible auditor can take it, and says so", async () => {
    const target = plan.assignments.find((a) => ![awayCase, extended, reallocated].includes(a.caseRef))!;
    const others = AUDITORS.map((a) => a.email).filter((e) => e !== target.auditorEmail);
    for (const email of others) await h.core.people.setAway(email, "2027-01-31");
    try {
      expect(await eligibleFor(target.caseRef)).toEqual([]);
      const res = await act(h, kit, "reallocateAudit", { month: MONTH, caseRef: target.caseRef, newDueOn: "2027-01-11" });
      expect(res.inPlace).toBe(true);
      expect(fact(res.card, "Status")).toBe(`Back with the QA team to allocate by hand: ${QA.name} reallocated it and no other eligible auditor could take it`);
      expect(fact(res.card, "Auditor")).toBe("Nobody yet: with the QA team");
      const { audit: stored } = await audit(target.caseRef);
      expect(stored).toMatchObject({ status: "unallocated", auditorEmail: "" });
      expect(stored.declines).toEqual([{ by: target.auditorEmail, reason: "Reallocated by the QA team: overdue", at: h.clock.now().toISOString() }]);
      await h.connector.waitFor(() => cardsTo(h, userOf(target.auditorEmail)).some((c) => heading(c) === `${target.caseRef} has gone to another auditor`));
    } finally {
      for (const email of others) await h.core.people.setAway(email, null);
    }
  });

  it("refuses to extend or reallocate a submitted audit, with a sentence", async () => {
    const { audit: a, version } = await audit(extended);
    await h.core.allocations.update({ ...a, status: "submitted", submittedAt: h.clock.now().toISOString(), version: 1 }, version, {});
    const rows = await snapshot(h);
    for (const verb of ["extendAudit", "reallocateAudit"]) {
      const res = await act(h, kit, verb, { month: MONTH, caseRef: extended, newDueOn: "2027-01-15" });
      expect(res.inPlace).toBe(false);
      expect(heading(res.card)).toBe(`${extended} is already submitted`);
      expect(cardText(res.card)).toContain(`The audit of ${extended} was submitted, so its due date cannot be moved and it cannot be reallocated.`);
    }
    expect(await snapshot(h)).toEqual(rows);
  });
});
