// The core's one door, driven directly (no HTTP, no channel): each command as a person would send it, answered
// on real storage (Azurite) with the example council loaded and December 2026 allocated.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import { VERBS, type View } from "../../src/app/cards/views";
import type { ChatReply } from "../../src/app/chat-deps";
import { handleTurn, type Inbound } from "../../src/app/handle-turn";
import type { Audit } from "../../src/domain/audit";
import type { Person } from "../../src/domain/person";
import { finalInputs, SECTIONS, sectionAnswers } from "../support/audit-inputs";
import { fixedClock, freshCore, withEventsUnavailable } from "../support/tables";
import { createCore } from "../../src/wiring";
import { loadConfig } from "../../src/config";

const MONTH = "2026-12";
const QA = "kit.morris@example.gov.uk";
const FSM = "lena.fisher@example.gov.uk";
const LP = "farah.khan@example.gov.uk";
const CHAMPION = "nia.hughes@example.gov.uk";

/** The example council on Tuesday 1 December 2026, with the month allocated, and ways to talk to its door. */
async function council() {
  // Moderation is off: a second, blind audit would hold back the feedback these tests need straight after submission.
  const { core, tables } = await freshCore({ CAF_MODERATION_SHARE: "0" }, fixedClock("2026-12-01T10:00:00Z"));
  const people = await importPeople(core, await readFile("examples/people.csv"), "test");
  const cases = await importCases(core, await readFile("examples/cases.csv"), "test");
  expect(people.ok && cases.ok).toBe(true);
  const allocated = await allocateMonth(core, { month: MONTH, seed: 1, actor: "test", dryRun: false });
  expect(allocated.ok).toBe(true);

  const person = async (email: string): Promise<Person> => (await core.people.get(email)) ?? expect.fail(`no person ${email}`);
  const audit = async (caseRef: string): Promise<Audit> => (await core.allocations.get(MONTH, caseRef))?.audit ?? expect.fail(`no audit of ${caseRef}`);
  const say = async (email: string, text: string) => handleTurn(core, await person(email), { kind: "text", text });
  const press = async (email: string, verb: string, data: Record<string, unknown> = {}) => handleTurn(core, await person(email), { kind: "action", data: { verb, ...data } });
  const turn = async (email: string, inbound: Inbound) => handleTurn(core, await person(email), inbound);

  const allocatedAudits = (await core.allocations.listMonth(MONTH)).filter((a) => a.status === "allocated").sort((a, b) => a.caseRef.localeCompare(b.caseRef));
  const first = allocatedAudits[0] ?? expect.fail("nothing was allocated");
  const ref = { month: MONTH, caseRef: first.caseRef };

  /** Everything a refused turn must leave alone: the audits, the outbox, the events and the escalations. */
  const snapshot = async () => ({
    audits: await core.allocations.listMonth(MONTH),
    outbox: (await core.outbox.undelivered()).map((m) => m.id).sort(),
    events: await core.events.listMonth(MONTH),
    escalations: await core.escalations.listMonth(MONTH),
  });

  return { core, tables, person, audit, say, press, turn, audits: allocatedAudits, first, ref, snapshot };
}

type Council = Awaited<ReturnType<typeof council>>;

type DataOf<T extends View["template"]> = Extract<View, { template: T }> extends { data: infer D } ? D : never;

/** The reply's card data, once it is known to be the template the test expects. */
function dataOf<T extends View["template"]>(reply: ChatReply, template: T): DataOf<T> {
  expect(reply.view.template).toBe(template);
  return reply.view.data as DataOf<T>;
}

/** The first audit, taken from start to submission by its auditor through the door. */
async function submitFirst(c: Council): Promise<ChatReply> {
  const auditor = c.first.auditorEmail;
  await c.press(auditor, VERBS.startAudit, c.ref);
  for (const s of SECTIONS) expect((await c.press(auditor, VERBS.saveSection, { ...c.ref, sectionId: s.id, ...sectionAnswers(s.id) })).code).toBeUndefined();
  return c.press(auditor, VERBS.submitAudit, { ...c.ref, ...finalInputs() });
}

/** An auditor with no part in the first audit's case: not its auditor, lead professional or the LP's manager. */
async function strangerTo(c: Council): Promise<string> {
  const caseFile = (await c.core.cases.get(c.first.serviceArea, c.first.caseRef)) ?? expect.fail("case not in the register");
  const onCase = new Set([c.first.auditorEmail, caseFile.leadProfessionalEmail, caseFile.lpManagerEmail]);
  const stranger = (await c.core.people.all()).find((p) => p.roles.includes("auditor") && !onCase.has(p.email));
  return stranger?.email ?? expect.fail("every auditor is on the case");
}

describe("handleTurn: typed text", () => {
  it('"my audits" lists the cases allocated to that auditor, and only theirs', async () => {
    const c = await council();
    const auditor = c.first.auditorEmail;
    const reply = await c.say(auditor, "  My   Audits ");
    const data = dataOf(reply, "my-audits");
    const theirs = c.audits.filter((a) => a.auditorEmail === auditor).map((a) => a.caseRef);
    expect(data.audits.map((a) => a.caseRef).sort()).toEqual(theirs.sort());
    expect(data.audits.every((a) => a.month === MONTH && a.progress === "Not started")).toBe(true);
    expect(data.heading).toBe(`${theirs.length} of ${theirs.length} audit${theirs.length === 1 ? "" : "s"} to do`);
    expect(reply.code).toBeUndefined();
  });

  it("the My audits button gives the same list as typing it", async () => {
    const c = await council();
    const typed = await c.say(c.first.auditorEmail, "my audits");
    expect(await c.press(c.first.auditorEmail, VERBS.myAudits)).toEqual(typed);
  });

  it('"my audits" from someone with nothing allocated says so', async () => {
    const c = await council();
    const data = dataOf(await c.say(LP, "my audits"), "my-audits");
    expect(data).toMatchObject({ heading: "You have no audits allocated", audits: [], empty: true });
  });

  it('"help" gives the help card and no code: it was understood', async () => {
    const c = await council();
    const reply = await c.say(LP, "help");
    expect(dataOf(reply, "notice")).toMatchObject({ title: "What I can do" });
    expect(dataOf(reply, "notice").text).toContain("Type **my audits**");
    expect(reply.code).toBeUndefined();
  });

  it("text it does not understand gives the same help, logged as text_not_understood", async () => {
    const c = await council();
    const reply = await c.say(LP, "what is the weather like");
    expect(dataOf(reply, "notice").title).toBe("What I can do");
    expect(reply.code).toBe("text_not_understood");
  });

  it('"unsafe practice" opens an empty raise form, to be filled in with the case', async () => {
    const c = await council();
    const reply = await c.say(c.first.auditorEmail, "unsafe practice");
    expect(dataOf(reply, "raise-unsafe")).toEqual({ month: "", caseRef: "", seen: "", seenError: "", caseRefError: "", errorSummary: "" });
    expect(reply.code).toBeUndefined();
    expect((await c.snapshot()).escalations).toEqual([]);
  });

  it('"away until <date>" stores the date and "back" clears it', async () => {
    const c = await council();
    const auditor = c.first.auditorEmail;
    const away = await c.say(auditor, "away until 24/12/2026");
    expect(dataOf(away, "notice").title).toBe("Away until Thursday 24 December 2026");
    expect((await c.person(auditor)).awayUntil).toBe("2026-12-24");

    const back = await c.say(auditor, "back");
    expect(dataOf(back, "notice")).toEqual({ title: "Welcome back", text: "Your reminders are on again." });
    expect((await c.person(auditor)).awayUntil ?? null).toBeNull();
    // Both at the same instant on the fixed clock: the log still has them in the order they happened.
    expect((await c.core.events.listMonth(MONTH)).filter((e) => e.actor === auditor).map((e) => e.type)).toEqual(["away_set", "away_cleared"]);
  });

  it('"away until" a day already gone is refused and nothing is stored', async () => {
    const c = await council();
    const auditor = c.first.auditorEmail;
    const reply = await c.say(auditor, "away until 30/11/2026");
    expect(reply.code).toBe("away_date_invalid");
    expect((await c.person(auditor)).awayUntil ?? null).toBeNull();
  });
});

describe("handleTurn: what it cannot read", () => {
  it("an unsupported inbound (a file, a sticker) is answered, not dropped", async () => {
    const c = await council();
    const reply = await c.turn(LP, { kind: "unsupported", what: "attachment" });
    expect(dataOf(reply, "notice").title).toBe("I cannot read that");
    expect(reply.code).toBe("inbound_unsupported");
  });

  it.each([
    ["an unknown verb", { verb: "frobnicate", month: MONTH }],
    ["no verb at all", {}],
    ["a month that is not a month", { verb: VERBS.startAudit, month: "2026-13" }],
    ["an empty case reference", { verb: VERBS.startAudit, caseRef: "" }],
    ["a case reference with a control character", { verb: VERBS.saveSection, caseRef: "CAF-1001\u0000" }],
    ["a moderation verb with no month", { verb: VERBS.agreeGrade, month: undefined }],
  ])("a button with %s gets the stale-card reply and stores nothing", async (_, data) => {
    const c = await council();
    const before = await c.snapshot();
    const reply = await handleTurn(c.core, await c.person(c.first.auditorEmail), { kind: "action", data: { ...c.ref, ...data } });
    expect(reply).toMatchObject({ code: "action_invalid", inPlace: false });
    expect(dataOf(reply, "notice").title).toBe("That button no longer works");
    expect(await c.snapshot()).toEqual(before);
  });
});

describe("handleTurn: working on an audit", () => {
  it("Start audit by the allocated auditor opens section 1 and marks the audit in progress", async () => {
    const c = await council();
    const reply = await c.press(c.first.auditorEmail, VERBS.startAudit, c.ref);
    const data = dataOf(reply, "section");
    expect(data).toMatchObject({ caseRef: c.first.caseRef, sectionId: SECTIONS[0]!.id, progress: `Section 1 of ${SECTIONS.length}`, errorSummary: "" });
    expect(reply.inPlace).toBe(true);
    expect(reply.code).toBeUndefined();
    expect(await c.audit(c.first.caseRef)).toMatchObject({ status: "in_progress", sectionIndex: 0 });
  });

  it("Start audit by someone without the auditor role is refused as not_an_auditor, even the case's own LP", async () => {
    const c = await council();
    const before = await c.snapshot();
    const reply = await c.press(LP, VERBS.startAudit, c.ref);
    expect(reply.code).toBe("not_an_auditor");
    expect(dataOf(reply, "notice").text).toContain(`Case ${c.first.caseRef} is not allocated to you`);
    expect(await c.snapshot()).toEqual(before);
  });

  it("Start audit by another auditor is refused as not_your_audit, with the same words as for no audit", async () => {
    const c = await council();
    const other = c.audits.find((a) => a.auditorEmail !== c.first.auditorEmail) ?? expect.fail("one auditor has every case");
    const before = await c.snapshot();
    const reply = await c.press(other.auditorEmail, VERBS.startAudit, c.ref);
    expect(reply.code).toBe("not_your_audit");
    const nothing = await c.press(other.auditorEmail, VERBS.startAudit, { month: MONTH, caseRef: "CAF-0000" });
    expect(nothing.code).toBe("not_your_audit");
    expect(dataOf(nothing, "notice").text).toBe(dataOf(reply, "notice").text.replace(c.first.caseRef, "CAF-0000"));
    expect(await c.snapshot()).toEqual(before);
  });

  it("saving a section with answers missing shows the same section with the fields to fix, and does not move on", async () => {
    const c = await council();
    await c.press(c.first.auditorEmail, VERBS.startAudit, c.ref);
    const section = SECTIONS[0]!;
    const reply = await c.press(c.first.auditorEmail, VERBS.saveSection, { ...c.ref, sectionId: section.id });
    const data = dataOf(reply, "section");
    expect(reply.code).toBe("section_invalid");
    expect(data.sectionId).toBe(section.id);
    expect(data.errorSummary).not.toBe("");
    expect(data.questions.every((q) => q.answerError !== "")).toBe(true);
    expect(data.overviewError).not.toBe("");
    expect((await c.audit(c.first.caseRef)).sectionIndex).toBe(0);
  });

  it("a valid section is stored and the next section opens", async () => {
    const c = await council();
    await c.press(c.first.auditorEmail, VERBS.startAudit, c.ref);
    const [one, two] = [SECTIONS[0]!, SECTIONS[1]!];
    const reply = await c.press(c.first.auditorEmail, VERBS.saveSection, { ...c.ref, sectionId: one.id, ...sectionAnswers(one.id) });
    expect(reply.code).toBeUndefined();
    expect(dataOf(reply, "section")).toMatchObject({ sectionId: two.id, progress: `Section 2 of ${SECTIONS.length}` });
    const stored = await c.audit(c.first.caseRef);
    expect(stored.sectionIndex).toBe(1);
    expect(stored.sections[one.id]!.answers[one.questions[0]!.id]!.value).toBe("good");
  });

  it("a section saved from the card of an audit never started starts it, and the trail says so once", async () => {
    const c = await council();
    const one = SECTIONS[0]!;
    const startedBy = async () => (await c.core.events.listMonth(MONTH)).filter((e) => e.type === "audit_started" && e.subject === `${MONTH}/${c.first.caseRef}`).map((e) => e.actor);
    expect(await startedBy()).toEqual([]);
    await c.press(c.first.auditorEmail, VERBS.saveSection, { ...c.ref, sectionId: one.id, ...sectionAnswers(one.id) });
    expect(await c.audit(c.first.caseRef)).toMatchObject({ status: "in_progress", sectionIndex: 1 });
    await c.press(c.first.auditorEmail, VERBS.startAudit, c.ref);
    expect(await startedBy()).toEqual([c.first.auditorEmail]);
  });

  it("a whole audit saved section by section and submitted is stored as submitted, with its feedback", async () => {
    const c = await council();
    const reply = await submitFirst(c);
    expect(dataOf(reply, "submitted")).toMatchObject({ caseRef: c.first.caseRef, grade: expect.stringMatching(/requires improvement/i), version: 1 });
    expect(reply.code).toBeUndefined();
    expect(await c.audit(c.first.caseRef)).toMatchObject({ status: "submitted", version: 1 });
    expect((await c.core.feedback.get(MONTH, c.first.caseRef))?.feedback.status).toBe("awaiting_review");
  });

  it("I was involved in this case passes it to someone else and keeps the reason", async () => {
    const c = await council();
    const auditor = c.first.auditorEmail;
    const reply = await c.press(auditor, VERBS.declareInvolved, { ...c.ref, reason: "I supervised the lead professional" });
    expect(reply.inPlace).toBe(true);
    expect(reply.code).toBeUndefined();
    expect(dataOf(reply, "notice").title).toMatch(new RegExp(`^${c.first.caseRef} (has gone to another auditor|is back with the QA team)$`));
    const stored = await c.audit(c.first.caseRef);
    expect(stored.auditorEmail).not.toBe(auditor);
    expect(stored.declines).toEqual([expect.objectContaining({ by: auditor, reason: "I supervised the lead professional" })]);
    expect(dataOf(await c.say(auditor, "my audits"), "my-audits").audits.map((a) => a.caseRef)).not.toContain(c.first.caseRef);
  });

  it("I was involved with no reason is refused and the case stays with the auditor", async () => {
    const c = await council();
    const before = await c.snapshot();
    const reply = await c.press(c.first.auditorEmail, VERBS.declareInvolved, { ...c.ref, reason: " " });
    expect(reply.code).toBe("reason_missing");
    expect(await c.snapshot()).toEqual(before);
  });
});

describe("handleTurn: raising unsafe practice", () => {
  const concern = (caseRef: string) => ({ "unsafe.caseRef": caseRef, "unsafe.seen": "The child told the school they were left alone overnight several times.", "unsafe.when": "current", "unsafe.urgency": "immediate" });

  it("from an auditor, stores the escalation and the FSM's card before answering", async () => {
    const c = await council();
    const reply = await c.press(c.first.auditorEmail, VERBS.raiseUnsafe, concern(c.first.caseRef));
    expect(reply.code).toBeUndefined();
    expect(dataOf(reply, "notice").title).toBe(`Unsafe practice raised on ${c.first.caseRef}`);
    expect(dataOf(reply, "notice").text).toContain("Lena Fisher (Family Support Manager)");

    const [escalation, ...more] = await c.core.escalations.listMonth(MONTH);
    expect(more).toEqual([]);
    expect(escalation).toMatchObject({ caseRef: c.first.caseRef, raisedBy: c.first.auditorEmail, recipients: [FSM] });
    const toFsm = (await c.core.outbox.undelivered()).filter((m) => m.recipientEmail === FSM);
    expect(toFsm.map((m) => m.view.template)).toEqual(["escalation"]);
    expect(toFsm[0]!.view.data).toMatchObject({ escalationId: escalation!.id, caseRef: c.first.caseRef });
  });

  it("is kept, with its line of the audit trail, when the event log cannot be written; the line reaches the log once it can", async () => {
    const c = await council();
    const cut = createCore(withEventsUnavailable(c.tables), loadConfig({ CAF_MODERATION_SHARE: "0" }), c.core.clock);
    const reply = await handleTurn(cut, await c.person(c.first.auditorEmail), { kind: "action", data: { verb: VERBS.raiseUnsafe, ...concern(c.first.caseRef) } });
    expect(reply.code).toBeUndefined();
    expect(dataOf(reply, "notice").title).toBe(`Unsafe practice raised on ${c.first.caseRef}`);
    const [escalation, ...more] = await c.core.escalations.listMonth(MONTH);
    expect(more).toEqual([]);
    expect((await c.core.outbox.undelivered()).some((m) => m.recipientEmail === FSM && m.view.template === "escalation")).toBe(true);
    const raised = async () => (await c.core.events.listMonth(MONTH)).filter((e) => e.type === "unsafe_practice_raised");
    expect(await raised()).toEqual([]);

    expect(await c.core.events.catchUp(0)).toBe(1);
    expect(await raised()).toEqual([expect.objectContaining({ actor: c.first.auditorEmail, subject: c.first.caseRef, data: { escalationId: escalation!.id, urgency: "immediate" } })]);
    expect(await c.core.events.catchUp(0)).toBe(0);
    expect(await raised()).toHaveLength(1);
  });

  it("the same concern pressed twice is stored once", async () => {
    const c = await council();
    await c.press(c.first.auditorEmail, VERBS.raiseUnsafe, concern(c.first.caseRef));
    const again = await c.press(c.first.auditorEmail, VERBS.raiseUnsafe, concern(c.first.caseRef));
    expect(again.code).toBe("raise_duplicate");
    expect(await c.core.escalations.listMonth(MONTH)).toHaveLength(1);
  });

  it("from someone who is neither auditor nor QA, is refused and nothing is sent", async () => {
    const c = await council();
    const before = await c.snapshot();
    const reply = await c.press(CHAMPION, VERBS.raiseUnsafe, concern(c.first.caseRef));
    expect(reply.code).toBe("raise_not_allowed");
    expect(await c.snapshot()).toEqual(before);
  });

  it("for a case not in the register, gives the form back with the reason and sends nothing", async () => {
    const c = await council();
    const before = await c.snapshot();
    const reply = await c.press(c.first.auditorEmail, VERBS.raiseUnsafe, concern("CAF-0000"));
    expect(reply.code).toBe("raise_invalid");
    expect(dataOf(reply, "raise-unsafe").caseRefError).toContain("There is no case CAF-0000 in the register");
    expect(await c.snapshot()).toEqual(before);
  });
});

describe("handleTurn: buttons for the QA team only", () => {
  it.each([
    [VERBS.extendAudit, { newDueOn: "2027-01-15" }],
    [VERBS.reallocateAudit, {}],
    [VERBS.agreeGrade, { grade: "good", agreeReason: "Both audits read the plan the same way." }],
    [VERBS.useSingleAudit, {}],
    [VERBS.reallocateSecond, {}],
  ])("%s from a plain auditor is refused as not_qa and nothing changes", async (verb, extra) => {
    const c = await council();
    const before = await c.snapshot();
    const reply = await c.press(c.first.auditorEmail, verb, { ...c.ref, ...extra });
    expect(reply.code).toBe("not_qa");
    expect(dataOf(reply, "notice").title).toBe("Only the QA team can do that");
    expect(await c.snapshot()).toEqual(before);
  });
});

describe("handleTurn: feedback buttons", () => {
  it.each([VERBS.releaseFeedback, VERBS.replyFeedback, VERBS.managerComment, VERBS.updateRag, VERBS.closeFeedback])(
    "%s from someone not on the case is refused as feedback_not_yours and the feedback is unchanged",
    async (verb) => {
      const c = await council();
      await submitFirst(c);
      const stranger = await strangerTo(c);
      const before = await c.snapshot();
      const feedback = await c.core.feedback.get(MONTH, c.first.caseRef);
      const reply = await c.press(stranger, verb, { ...c.ref, managerComment: "Looks fine to me", closeReason: "Done and dusted, closing this." });
      expect(reply.code).toBe("feedback_not_yours");
      expect(dataOf(reply, "notice").text).toBe(`The feedback on case ${c.first.caseRef} is only for its lead professional, their manager, the auditor and the QA team.`);
      expect(await c.core.feedback.get(MONTH, c.first.caseRef)).toEqual(feedback);
      expect(await c.snapshot()).toEqual(before);
    },
  );

  it("the auditor, who is on the case, still cannot release their own feedback", async () => {
    const c = await council();
    await submitFirst(c);
    const reply = await c.press(c.first.auditorEmail, VERBS.releaseFeedback, c.ref);
    expect(reply.code).toBe("feedback_role_refused");
    expect((await c.core.feedback.get(MONTH, c.first.caseRef))?.feedback.status).toBe("awaiting_review");
  });

  it("the QA team can release it: the refusals above are about who, not the button", async () => {
    const c = await council();
    await submitFirst(c);
    const reply = await c.press(QA, VERBS.releaseFeedback, c.ref);
    expect(reply.code).toBeUndefined();
    expect(dataOf(reply, "feedback").caseRef).toBe(c.first.caseRef);
    expect((await c.core.feedback.get(MONTH, c.first.caseRef))?.feedback.status).not.toBe("awaiting_review");
  });
});
