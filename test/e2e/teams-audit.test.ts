// An auditor's month in Teams, end to end over real HTTP: install, allocation cards, the whole Tier 2 toolkit,
// validation, save and resume across a restart, locking, duplicate submits, conflicts of interest, strangers,
// the Action.Submit fallback, delivery through 429s and 500s, and garbage. Azurite holds the data; the bot is
// the real server with botbuilder's CloudAdapter; Teams is the loopback connector.
import { afterAll, beforeAll, describe, expect, it, type ExpectStatic } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import type { Assignment } from "../../src/domain/allocation";
import type { AllocationPlan } from "../../src/domain/allocation-plan";
import { conflictedEmails } from "../../src/domain/case-file";
import { hasRole } from "../../src/domain/person";
import { finalInputs, JUSTIFICATION, loadExamples, sectionAnswers, SECTIONS, TOOLKIT } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import { personalConversationId, personalMessage, postToBot, type TeamsUser } from "../support/teams-activities";
import { act, activityCard, buttons, cardsTo, cardText, element, errorBeside, fact, heading, inputValue, installAndRead, isTurnReply, sayAndRead, sentTo, sleep, snapshot, type Card } from "../support/teams-cards";

// ---------------------------------------------------------------------------------------------------------------
// Builders and helpers (the card readers are in test/support/teams-cards.ts)
// ---------------------------------------------------------------------------------------------------------------

const MONTH = "2026-12";
const DUE = "Thursday 31 December 2026";
const QA_EMAIL = "kit.morris@example.gov.uk";

const AUDITORS = {
  asha: { name: "Asha Patel", email: "asha.patel@example.gov.uk" },
  ben: { name: "Ben Okafor", email: "ben.okafor@example.gov.uk" },
  carys: { name: "Carys Jones", email: "carys.jones@example.gov.uk" },
  dev: { name: "Dev Sharma", email: "dev.sharma@example.gov.uk" },
  ella: { name: "Ella Wright", email: "ella.wright@example.gov.uk" },
} as const;
type AuditorKey = keyof typeof AUDITORS;

/** A step-down section marked not applicable: the toggle on, every other input left blank. */
function notApplicableAnswers(sectionId: string): Record<string, string> {
  const section = SECTIONS.find((s) => s.id === sectionId)!;
  const inputs: Record<string, string> = { notApplicable: "true", overview: "" };
  for (const q of section.questions) {
    inputs[`${q.id}.answer`] = "";
    inputs[`${q.id}.comment`] = "";
  }
  return inputs;
}


const isAllocationCard = (card: Card) => heading(card).startsWith("You have a case to audit for");
const allocationCardsTo = (h: Harness, user: TeamsUser) => cardsTo(h, user).filter(isAllocationCard);

/** Start audit, then Save and continue through all five sections with valid answers: ends on the final card. */
async function answerWholeToolkit(h: Harness, user: TeamsUser, caseRef: string, stepDown: "answer" | "notApplicable"): Promise<Card> {
  const ref = { month: MONTH, caseRef };
  const opened = await act(h, user, "startAudit", ref);
  expect(cardText(opened.card)).toContain(`Section 1 of ${SECTIONS.length}`);
  let card = opened.card;
  for (const [i, section] of SECTIONS.entries()) {
    expect(element(card, "overview"), `section ${i + 1} card`).toBeDefined();
    expect(cardText(card)).toContain(`Section ${i + 1} of ${SECTIONS.length}`);
    const inputs = section.appliesWhen === "step_down" && stepDown === "notApplicable" ? notApplicableAnswers(section.id) : sectionAnswers(section.id);
    const saved = await act(h, user, "saveSection", { ...ref, sectionId: section.id, ...inputs });
    expect(saved.inPlace).toBe(true);
    card = saved.card;
  }
  expect(heading(card)).toBe("Check your answers and grade the case");
  return card;
}

const audit = async (h: Harness, caseRef: string) => {
  const found = await h.core.allocations.get(MONTH, caseRef);
  if (!found) throw new Error(`no audit ${caseRef}`);
  return found;
};

async function allocate(h: Harness, seed: number): Promise<AllocationPlan> {
  const r = await allocateMonth(h.core, { month: MONTH, seed, actor: "test", dryRun: false });
  if (!r.ok) throw new Error(r.problem.message);
  return r.value.plan;
}

const casesOf = (plan: AllocationPlan, email: string): Assignment[] => plan.assignments.filter((a) => a.auditorEmail === email);

// ---------------------------------------------------------------------------------------------------------------
// One month with every auditor at capacity (8 cases, 8 places): each test works on its own auditor's cases
// ---------------------------------------------------------------------------------------------------------------

describe("Teams audit: an auditor's month", () => {
  let h: Harness;
  let plan: AllocationPlan;
  const u = {} as Record<AuditorKey, TeamsUser>;
  let kit: TeamsUser;
  let stranger: TeamsUser;
  const caseOf = (who: AuditorKey, i = 0) => {
    const c = casesOf(plan, AUDITORS[who].email)[i];
    if (!c) throw new Error(`${who} has no case ${i} in the plan`);
    return c.caseRef;
  };

  beforeAll(async () => {
    h = await startHarness();
    await loadExamples(h);
    for (const key of Object.keys(AUDITORS) as AuditorKey[]) u[key] = h.user(AUDITORS[key].name, AUDITORS[key].email);
    kit = h.user("Kit Morris", QA_EMAIL);
    stranger = h.user("Sam Stranger", "sam.stranger@elsewhere.example.org");
  });
  afterAll(async () => h?.close());

  it("welcomes a known person who installs the app, and tells a stranger whom to ask without storing anything about them", async () => {
    const welcome = await installAndRead(h, u.asha);
    expect(heading(welcome)).toBe("Welcome, Asha Patel");
    expect(cardText(welcome)).toContain("my audits");
    expect(await h.core.directory.findByChannelUser("teams", u.asha.aadObjectId)).toMatchObject({ email: AUDITORS.asha.email });

    const before = await snapshot(h);
    const refusal = await installAndRead(h, stranger);
    expect(heading(refusal)).toBe("I don't know you yet");
    expect(cardText(refusal)).toContain(QA_EMAIL);
    expect(sentTo(h, stranger)).toHaveLength(1);
    expect(await h.core.directory.findByChannelUser("teams", stranger.aadObjectId)).toBeUndefined();
    expect(await snapshot(h)).toEqual(before);

    // Writing to the bot does not get them any further, and still stores nothing.
    const again = await sayAndRead(h, stranger, "my audits");
    expect(heading(again)).toBe("I don't know you yet");
    expect(await h.core.directory.findByChannelUser("teams", stranger.aadObjectId)).toBeUndefined();
    expect(await snapshot(h)).toEqual(before);
  });

  it("sends each installed auditor one allocation card per case, and holds a not-yet-installed auditor's cards until they install", async () => {
    for (const user of [u.ben, u.carys, u.dev, kit]) await installAndRead(h, user);
    plan = await allocate(h, 1);
    const capacity = (await h.core.people.all()).filter((p) => hasRole(p, "auditor")).reduce((sum, p) => sum + p.monthlyCapacity, 0);
    expect(plan.assignments).toHaveLength(capacity); // every place taken: a decline later has nowhere to go
    for (const key of Object.keys(AUDITORS) as AuditorKey[]) expect(casesOf(plan, AUDITORS[key].email).length, key).toBeGreaterThan(0);

    const installed: AuditorKey[] = ["asha", "ben", "carys", "dev"];
    for (const key of installed) {
      await h.connector.waitFor(() => allocationCardsTo(h, u[key]).length >= casesOf(plan, AUDITORS[key].email).length);
    }
    await sleep(400); // several relay passes: nothing more may arrive
    for (const key of installed) {
      const expected = casesOf(plan, AUDITORS[key].email);
      const cards = allocationCardsTo(h, u[key]);
      expect(cards.map((c) => fact(c, "Case")).sort(), key).toEqual(expected.map((a) => a.caseRef).sort());
      for (const card of cards) {
        const assignment = expected.find((a) => a.caseRef === fact(card, "Case"))!;
        expect(heading(card)).toBe("You have a case to audit for December 2026");
        expect(fact(card, "Service area")).toBe(assignment.serviceArea);
        expect(fact(card, "Due")).toBe(DUE);
        expect(fact(card, "Toolkit")).toBe(TOOLKIT.name);
        expect(buttons(card)).toEqual(["Start audit", "I was involved in this case"]);
      }
    }

    // Ella has not installed: nothing reached her, and the QA team can see her cards waiting.
    const ellas = casesOf(plan, AUDITORS.ella.email);
    expect(sentTo(h, u.ella)).toHaveLength(0);
    expect((await h.core.outbox.waiting()).filter((m) => m.recipientEmail === AUDITORS.ella.email)).toHaveLength(ellas.length);

    const welcome = await installAndRead(h, u.ella);
    expect(cardText(welcome)).toContain(`${ellas.length} messages were waiting for you`);
    await h.connector.waitFor(() => allocationCardsTo(h, u.ella).length >= ellas.length);
    await sleep(400);
    const cards = allocationCardsTo(h, u.ella);
    expect(cards.map((c) => fact(c, "Case")).sort()).toEqual(ellas.map((a) => a.caseRef).sort());
    expect(cards.every((c) => fact(c, "Due") === DUE)).toBe(true);
  });

  it("takes an auditor through all five sections of the Tier 2 toolkit to a submitted, stored audit", async () => {
    const caseRef = caseOf("asha", 0);
    const final = await answerWholeToolkit(h, u.asha, caseRef, "answer");
    const text = cardText(final);
    for (const s of SECTIONS) expect(text).toContain(`Section ${s.number}: ${s.title}`);
    expect(buttons(final)).toContain("Submit audit");

    const submitted = await act(h, u.asha, "submitAudit", { month: MONTH, caseRef, ...finalInputs() });
    expect(submitted.inPlace).toBe(true);
    expect(heading(submitted.card)).toBe("Audit submitted");
    expect(fact(submitted.card, "Case")).toBe(caseRef);
    expect(fact(submitted.card, "Overall grade")).toBe("Requires Improvement");
    expect(fact(submitted.card, "Version")).toBe("1");

    const { audit: stored } = await audit(h, caseRef);
    expect(stored.status).toBe("submitted");
    expect(stored.version).toBe(1);
    expect(stored.submittedAt).toBe(h.clock.now().toISOString());
    for (const s of SECTIONS) {
      const expected = sectionAnswers(s.id);
      const saved = stored.sections[s.id]!;
      expect(saved.overview, s.id).toBe(expected.overview);
      for (const q of s.questions) {
        expect(saved.answers[q.id], `${s.id}/${q.id}`).toEqual({ value: "good", comment: expected[`${q.id}.comment`] });
      }
    }
    expect(stored.final).toEqual({
      overallGrade: "requires-improvement",
      justification: JUSTIFICATION,
      actions: [
        { action: "Hold a TAF review and record the child's views in it", byWhom: "Lead professional", byWhen: "2027-01-29" },
        { action: "", byWhom: "", byWhen: "" },
        { action: "", byWhom: "", byWhen: "" },
      ],
    });
  });

  it("keeps a step-down section marked not applicable and still submits", async () => {
    const caseRef = caseOf("ben", 1);
    await answerWholeToolkit(h, u.ben, caseRef, "notApplicable");
    const submitted = await act(h, u.ben, "submitAudit", { month: MONTH, caseRef, ...finalInputs("good") });
    expect(heading(submitted.card)).toBe("Audit submitted");
    const { audit: stored } = await audit(h, caseRef);
    expect(stored.status).toBe("submitted");
    expect(stored.sections["step-down"]?.notApplicable).toBe(true);
  });

  it("shows every problem beside its field on the same section card, keeps what was typed, and does not move on", async () => {
    const caseRef = caseOf("asha", 1);
    const ref = { month: MONTH, caseRef };
    await act(h, u.asha, "startAudit", ref);

    const inputs = { ...sectionAnswers("consent"), "consents-obtained.comment": "Too few", overview: "Short" };
    const res = await act(h, u.asha, "saveSection", { ...ref, sectionId: "consent", ...inputs }, "asha-section-1");
    expect(res.inPlace).toBe(true);
    const card = res.card;
    expect(cardText(card)).toContain("Section 1 of 5");
    expect(element(card, "consents-obtained.comment")).toBeDefined();
    expect(errorBeside(card, "consents-obtained.comment")).toContain("at least 20 characters");
    expect(errorBeside(card, "consents-obtained.comment")).toContain("(you have 7)");
    expect(errorBeside(card, "overview")).toContain("at least 20 characters");
    expect(errorBeside(card, "consents-obtained.answer")).toBe("");
    expect(cardText(card)).toContain("2 things to fix before you continue");
    // What they typed is still there, so they can fix it rather than start again.
    expect(inputValue(card, "consents-obtained.comment")).toBe("Too few");
    expect(inputValue(card, "consents-obtained.answer")).toBe("good");
    expect(inputValue(card, "overview")).toBe("Short");

    const { audit: stored } = await audit(h, caseRef);
    expect(stored.sectionIndex).toBe(0);
    expect(stored.status).toBe("in_progress");

    // Fixed, it moves on.
    const fixed = await act(h, u.asha, "saveSection", { ...ref, sectionId: "consent", ...sectionAnswers("consent") });
    expect(cardText(fixed.card)).toContain("Section 2 of 5");
    expect((await audit(h, caseRef)).audit.sectionIndex).toBe(1);
  });

  it("resumes after Save and finish later and a restart of the bot exactly where the auditor left off, answers filled in", async () => {
    const caseRef = caseOf("carys", 0);
    const ref = { month: MONTH, caseRef };
    await act(h, u.carys, "startAudit", ref);
    const second = await act(h, u.carys, "saveSection", { ...ref, sectionId: "consent", ...sectionAnswers("consent") });
    expect(cardText(second.card)).toContain("Section 2 of 5");

    const partial = { ...notApplicableAnswers("step-down"), notApplicable: "false", "unmet-needs.answer": "good", "unmet-needs.comment": "Unmet needs are set out in the transfer record.", overview: "Half done" };
    const left = await act(h, u.carys, "saveAndLeave", { ...ref, sectionId: "step-down", ...partial });
    expect(left.inPlace).toBe(true);
    expect(heading(left.card)).toBe(`Saved: ${caseRef}`);
    expect(cardText(left.card)).toContain("section 2 of 5");

    await h.restart();

    const mine = await sayAndRead(h, u.carys, "my audits");
    expect(heading(mine)).toBe("1 of 1 audit to do");
    const text = cardText(mine);
    expect(text).toContain(caseRef);
    expect(text).toContain("1 of 5 sections done");
    const open = (JSON.stringify(mine).match(/"title":"Open"[^}]*"verb":"startAudit","data":(\{[^}]*\})/) ?? [])[1];
    expect(open).toBeDefined();
    const data = JSON.parse(open!) as Record<string, unknown>;
    expect(data).toMatchObject(ref);

    const resumed = await act(h, u.carys, "startAudit", data);
    expect(cardText(resumed.card)).toContain("Section 2 of 5");
    expect(inputValue(resumed.card, "unmet-needs.answer")).toBe("good");
    expect(inputValue(resumed.card, "unmet-needs.comment")).toBe("Unmet needs are set out in the transfer record.");
    expect(inputValue(resumed.card, "overview")).toBe("Half done");
    expect(inputValue(resumed.card, "case-overview.answer")).toBe("");
  });

  it("locks a submitted audit: Save and continue on an old section card changes nothing and shows the submitted card", async () => {
    const caseRef = caseOf("asha", 0);
    const before = await audit(h, caseRef);
    expect(before.audit.status).toBe("submitted");
    const res = await act(h, u.asha, "saveSection", { month: MONTH, caseRef, sectionId: "consent", ...sectionAnswers("consent", "inadequate") });
    expect(res.inPlace).toBe(true);
    expect(heading(res.card)).toBe("Audit submitted");
    const after = await audit(h, caseRef);
    expect(after.version).toBe(before.version);
    expect(after.audit).toEqual(before.audit);
  });

  it("stores one result when Submit audit is pressed twice, one after the other or both at once", async () => {
    const submittedEvents = async (caseRef: string) =>
      (await h.core.events.listMonth(MONTH)).filter((e) => e.type === "audit_submitted" && e.subject === `${MONTH}/${caseRef}`);

    // One after the other: the audit submitted earlier is pressed again.
    const first = caseOf("asha", 0);
    const again = await act(h, u.asha, "submitAudit", { month: MONTH, caseRef: first, ...finalInputs() });
    expect(heading(again.card)).toBe("Audit submitted");
    expect(fact(again.card, "Version")).toBe("1");
    expect((await audit(h, first)).audit.version).toBe(1);
    expect(await submittedEvents(first)).toHaveLength(1);

    // Both at once, as from a double tap or a second device.
    const caseRef = caseOf("ben", 0);
    await answerWholeToolkit(h, u.ben, caseRef, "answer");
    const both = await Promise.all([
      act(h, u.ben, "submitAudit", { month: MONTH, caseRef, ...finalInputs() }),
      act(h, u.ben, "submitAudit", { month: MONTH, caseRef, ...finalInputs() }),
    ]);
    for (const r of both) expect(heading(r.card)).toBe("Audit submitted");
    const { audit: stored } = await audit(h, caseRef);
    expect(stored.status).toBe("submitted");
    expect(stored.version).toBe(1);
    expect(await submittedEvents(caseRef)).toHaveLength(1);
  });

  it("refuses I was involved in this case without a reason, with a sentence, and changes nothing", async () => {
    const caseRef = caseOf("dev", 0);
    const before = await snapshot(h);
    for (const reason of [undefined, "", "   "]) {
      const res = await act(h, u.dev, "declareInvolved", { month: MONTH, caseRef, ...(reason === undefined ? {} : { reason }) });
      expect(heading(res.card)).toBe("Say why you cannot audit this case");
      expect(cardText(res.card)).toMatch(/Add a short reason .*\./);
    }
    expect(await snapshot(h)).toEqual(before);
    expect((await audit(h, caseRef)).audit.auditorEmail).toBe(AUDITORS.dev.email);
  });

  it("returns a declared case to the QA team when no other eligible auditor has capacity, and tells every QA person", async () => {
    const caseRef = caseOf("dev", 0);
    const reason = "I supervised the lead professional on this case";
    const res = await act(h, u.dev, "declareInvolved", { month: MONTH, caseRef, reason });
    expect(res.inPlace).toBe(true);
    expect(heading(res.card)).toBe(`${caseRef} is back with the QA team`);

    const { audit: stored } = await audit(h, caseRef);
    expect(stored.status).toBe("unallocated");
    expect(stored.auditorEmail).toBe("");
    expect(stored.declines).toEqual([{ by: AUDITORS.dev.email, reason, at: h.clock.now().toISOString() }]);

    const qa = (await h.core.people.all()).filter((p) => hasRole(p, "qa"));
    expect(qa.map((p) => p.email)).toEqual([QA_EMAIL]);
    await h.connector.waitFor(() => cardsTo(h, kit).some((c) => heading(c) === `${caseRef} needs an auditor`));
    await sleep(300);
    const toKit = cardsTo(h, kit).filter((c) => heading(c) === `${caseRef} needs an auditor`);
    expect(toKit).toHaveLength(1);
    expect(cardText(toKit[0]!)).toContain(`due ${stored.dueOn}`);

    const mine = await sayAndRead(h, u.dev, "my audits");
    expect(cardText(mine)).not.toContain(caseRef);
    const blocked = await act(h, u.dev, "startAudit", { month: MONTH, caseRef });
    expect(heading(blocked.card)).toBe("You cannot open this audit");
  });

  it("refuses Start audit and Save on someone else's case, to a known auditor, a non-auditor and a stranger, and stores nothing", async () => {
    const caseRef = caseOf("asha", 1);
    const ref = { month: MONTH, caseRef };
    const before = await audit(h, caseRef);
    const rows = await snapshot(h);

    for (const user of [u.ben, kit]) {
      for (const [verb, data] of [
        ["startAudit", ref],
        ["saveSection", { ...ref, sectionId: "consent", ...sectionAnswers("consent", "inadequate") }],
        ["submitAudit", { ...ref, ...finalInputs() }],
      ] as const) {
        const res = await act(h, user, verb, data);
        expect(heading(res.card), `${user.name} ${verb}`).toBe("You cannot open this audit");
        expect(cardText(res.card)).toContain(`Case ${caseRef} is not allocated to you`);
        expect(cardText(res.card)).not.toContain(AUDITORS.asha.email);
      }
    }
    const res = await act(h, stranger, "startAudit", ref);
    expect(heading(res.card)).toBe("I don't know you yet");
    expect(cardText(res.card)).not.toContain(caseRef);
    const save = await act(h, stranger, "saveSection", { ...ref, sectionId: "consent", ...sectionAnswers("consent") });
    expect(heading(save.card)).toBe("I don't know you yet");
    expect(await h.core.directory.findByChannelUser("teams", stranger.aadObjectId)).toBeUndefined();

    const after = await audit(h, caseRef);
    expect(after.version).toBe(before.version);
    expect(after.audit).toEqual(before.audit);
    expect(await snapshot(h)).toEqual(rows);
  });

  it("works the same with the Action.Submit fallback: the card the button was on is updated in place", async () => {
    const caseRef = caseOf("ella", 0);
    const ref = { month: MONTH, caseRef };
    const before = new Set(h.connector.sent);
    const started = await h.submit(u.ella, { verb: "startAudit", ...ref }, "ella-allocation-card");
    expect(started.status).toBeLessThan(300);
    // Start audit turns the allocation card itself into section 1, so no stale "Not started" card is left behind.
    const [opened] = await h.connector.waitForUpdates((x) => x.activityId === "ella-allocation-card");
    expect(cardText(activityCard(opened!.activity))).toContain("Section 1 of 5");

    const saved = await h.submit(u.ella, { verb: "saveSection", ...ref, sectionId: "consent", ...sectionAnswers("consent") }, "ella-section-1");
    expect(saved.status).toBeLessThan(300);
    const [update] = await h.connector.waitForUpdates((x) => x.activityId === "ella-section-1");
    expect(update!.conversationId).toBe(personalConversationId(u.ella));
    expect(cardText(activityCard(update!.activity))).toContain("Section 2 of 5");
    expect((await audit(h, caseRef)).audit.sectionIndex).toBe(1);

    const bad = { ...sectionAnswers("step-down"), "unmet-needs.comment": "Too few" };
    await h.submit(u.ella, { verb: "saveSection", ...ref, sectionId: "step-down", ...bad }, "ella-section-2");
    const [fix] = await h.connector.waitForUpdates((x) => x.activityId === "ella-section-2");
    const card = activityCard(fix!.activity);
    expect(cardText(card)).toContain("Section 2 of 5");
    expect(errorBeside(card, "unmet-needs.comment")).toContain("at least 20 characters");
    expect(inputValue(card, "unmet-needs.comment")).toBe("Too few");
    expect((await audit(h, caseRef)).audit.sectionIndex).toBe(1);
    // Nothing was sent as a new message: start and every save updated the card in place.
    expect(sentTo(h, u.ella).filter((s) => !before.has(s) && isTurnReply(s))).toHaveLength(0);
  });

  it("answers garbage with a sentence card, never a 5xx, and stores nothing", async () => {
    const caseRef = caseOf("ben", 0);
    const before = await snapshot(h);
    const cases: [string, Record<string, unknown>][] = [
      ["deleteEverything", { month: MONTH, caseRef }],
      ["startAudit", { month: MONTH, caseRef: "X".repeat(100_000) }],
      ["saveSection", { month: MONTH, caseRef: "X".repeat(100_000), sectionId: "consent", ...sectionAnswers("consent") }],
      ["startAudit", { month: "../../x", caseRef }],
      ["saveSection", { month: "../../x", caseRef, sectionId: "consent" }],
    ];
    for (const [verb, data] of cases) {
      const res = await act(h, u.ben, verb, data);
      expect(res.status).toBeLessThan(500);
      expect(heading(res.card), verb).toBe("That button no longer works");
      expect(cardText(res.card)).toMatch(/Type my audits to get a fresh one\./);
    }

    const sentBefore = new Set(h.connector.sent);
    const attachmentOnly = personalMessage({ from: u.ben, serviceUrl: h.connector.url, text: "" }) as unknown as Record<string, unknown>;
    delete attachmentOnly.text;
    delete attachmentOnly.textFormat;
    attachmentOnly.attachments = [
      { contentType: "application/vnd.microsoft.teams.file.download.info", name: "case-notes.pdf", content: { downloadUrl: "https://example.invalid/x", fileType: "pdf" } },
    ];
    const posted = await postToBot(`${h.bot.url}/api/messages`, attachmentOnly as unknown as Parameters<typeof postToBot>[1]);
    expect(posted.status).toBeLessThan(500);
    const replies = sentTo(h, u.ben).filter((s) => !sentBefore.has(s) && isTurnReply(s));
    expect(replies).toHaveLength(1);
    const card = activityCard(replies[0]!.activity);
    expect(heading(card)).toBe("I cannot read that");
    expect(cardText(card)).toMatch(/my audits or help\./);

    expect(await snapshot(h)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A month with places to spare: a declared case goes to another eligible auditor
// ---------------------------------------------------------------------------------------------------------------

describe("Teams audit: I was involved in this case, with spare capacity", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CAF_SAMPLE_SIZE: "4" });
    await loadExamples(h);
  });
  afterAll(async () => h?.close());

  it("moves the case to another eligible auditor, who gets the card; the declaring auditor gets a notice and no longer sees it", async () => {
    const users = Object.fromEntries(
      (Object.keys(AUDITORS) as AuditorKey[]).map((k) => [AUDITORS[k].email, h.user(AUDITORS[k].name, AUDITORS[k].email)]),
    ) as Record<string, TeamsUser>;
    for (const user of Object.values(users)) await installAndRead(h, user);
    const plan = await allocate(h, 1);
    await h.connector.waitFor(() => plan.assignments.every((a) => allocationCardsTo(h, users[a.auditorEmail]!).some((c) => fact(c, "Case") === a.caseRef)));

    const people = await h.core.people.all();
    const load = (email: string) => plan.assignments.filter((a) => a.auditorEmail === email).length;
    const cases = await h.core.cases.all();
    // The first allocated case that someone else could take: not its LP, the LP's manager, anyone involved, nor the decliner.
    const pick = plan.assignments
      .map((a) => {
        const c = cases.find((x) => x.caseRef === a.caseRef)!;
        const conflicted = conflictedEmails(c);
        const eligible = people
          .filter((p) => hasRole(p, "auditor") && p.email !== a.auditorEmail && !conflicted.has(p.email) && p.monthlyCapacity - load(p.email) > 0)
          .map((p) => p.email);
        return { assignment: a, eligible, conflicted };
      })
      .find((x) => x.eligible.length > 0);
    expect(pick, "a case with another eligible auditor").toBeDefined();
    const { assignment, eligible, conflicted } = pick!;
    const decliner = users[assignment.auditorEmail]!;
    const reason = "I was the lead professional's supervisor last year";

    const res = await act(h, decliner, "declareInvolved", { month: MONTH, caseRef: assignment.caseRef, reason });
    expect(res.inPlace).toBe(true);
    expect(heading(res.card)).toBe(`${assignment.caseRef} has gone to another auditor`);

    const { audit: stored } = await audit(h, assignment.caseRef);
    expect(stored.status).toBe("allocated");
    expect(eligible).toContain(stored.auditorEmail);
    expect(conflicted.has(stored.auditorEmail)).toBe(false);
    expect(stored.auditorEmail).not.toBe(assignment.auditorEmail);
    expect(stored.declines).toEqual([{ by: assignment.auditorEmail, reason, at: h.clock.now().toISOString() }]);

    const receiver = users[stored.auditorEmail]!;
    await h.connector.waitFor(() => allocationCardsTo(h, receiver).some((c) => fact(c, "Case") === assignment.caseRef));
    await sleep(300);
    const theirs = allocationCardsTo(h, receiver).filter((c) => fact(c, "Case") === assignment.caseRef);
    expect(theirs).toHaveLength(1);
    expect(buttons(theirs[0]!)).toEqual(["Start audit", "I was involved in this case"]);
    // Only the new auditor got a card for it: the decliner had theirs already and got nothing new.
    expect(allocationCardsTo(h, decliner).filter((c) => fact(c, "Case") === assignment.caseRef)).toHaveLength(1);

    const mine = await sayAndRead(h, decliner, "my audits");
    expect(cardText(mine)).not.toContain(assignment.caseRef);
    const theirsNow = await sayAndRead(h, receiver, "my audits");
    expect(cardText(theirsNow)).toContain(assignment.caseRef);
    const opened = await act(h, receiver, "startAudit", { month: MONTH, caseRef: assignment.caseRef });
    expect(cardText(opened.card)).toContain("Section 1 of 5");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Delivery through Teams' refusals: the relay retries on its own schedule, the card arrives once
// ---------------------------------------------------------------------------------------------------------------

describe("Teams audit: delivery of allocation cards", () => {
  /** One case, every auditor installed; the harness clock follows real time so the relay's backoff can elapse. */
  async function deliveryRun(expect: ExpectStatic, failure: { status: number; retryAfterSeconds?: number }) {
    const h = await startHarness({ CAF_SAMPLE_SIZE: "1" });
    const start = h.clock.now().getTime();
    const t0 = Date.now();
    const ticker = setInterval(() => h.clock.set(new Date(start + (Date.now() - t0)).toISOString()), 20);
    try {
      await loadExamples(h);
      const users = (Object.keys(AUDITORS) as AuditorKey[]).map((k) => h.user(AUDITORS[k].name, AUDITORS[k].email));
      for (const user of users) await installAndRead(h, user);
      h.connector.failNext(2, failure);
      const requestsBefore = h.connector.requests.length;
      const allocatedAt = Date.now();
      const plan = await allocate(h, 1);
      expect(plan.assignments).toHaveLength(1);
      const arrived = await h.connector.waitForActivities((s) => isAllocationCard(activityCard(s.activity)), { timeoutMs: 12_000 });
      await sleep(500);
      const cards = h.connector.sent.filter((s) => isAllocationCard(activityCard(s.activity)));
      expect(cards).toHaveLength(1);
      expect(fact(activityCard(cards[0]!.activity), "Case")).toBe(plan.assignments[0]!.caseRef);
      const attempts = h.connector.requests.slice(requestsBefore).filter((r) => r.method === "POST" && r.path.endsWith("/activities"));
      expect(attempts.map((r) => r.status)).toEqual([failure.status, failure.status, 201]);
      for (let i = 1; i < attempts.length; i++) expect(attempts[i]!.at - attempts[i - 1]!.at).toBeGreaterThanOrEqual(1_000);
      expect(arrived[0]!.at - allocatedAt).toBeGreaterThanOrEqual(2_000);
    } finally {
      clearInterval(ticker);
      await h.close();
    }
  }

  it.concurrent("delivers exactly one card after two 429s with Retry-After, waiting before each retry", async ({ expect }) => {
    await deliveryRun(expect, { status: 429, retryAfterSeconds: 1 });
  });

  it.concurrent("delivers exactly one card after two 500s, backing off before each retry", async ({ expect }) => {
    await deliveryRun(expect, { status: 500 });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// After submission: a correction is a new version with who and why; one welcome per install
// ---------------------------------------------------------------------------------------------------------------

describe("Teams audit: corrections and repeat announcements", () => {
  let h: Harness;
  let plan: AllocationPlan;
  let asha: TeamsUser;
  beforeAll(async () => {
    h = await startHarness();
    await loadExamples(h);
    asha = h.user(AUDITORS.asha.name, AUDITORS.asha.email);
    await installAndRead(h, asha);
    plan = await allocate(h, 1);
  });
  afterAll(async () => h?.close());

  it("welcomes once when Teams announces the same install twice (installationUpdate and conversationUpdate)", async () => {
    const before = new Set(sentTo(h, asha));
    const again = await h.install(asha);
    expect(again.status).toBeLessThan(300);
    expect(sentTo(h, asha).filter((s) => !before.has(s) && isTurnReply(s))).toEqual([]);
  });

  it("never shows less progress after Back: my audits counts the sections done", async () => {
    const caseRef = casesOf(plan, AUDITORS.asha.email)[1]!.caseRef;
    const ref = { month: MONTH, caseRef };
    await act(h, asha, "startAudit", ref);
    await act(h, asha, "saveSection", { ...ref, sectionId: SECTIONS[0]!.id, ...sectionAnswers(SECTIONS[0]!.id) });
    await act(h, asha, "previousSection", { ...ref, sectionId: SECTIONS[1]!.id });
    const list = await sayAndRead(h, asha, "my audits");
    expect(cardText(list)).toContain("1 of 5 sections done");
  });

  it("reopens a submitted audit only with a reason, keeps version 1 as submitted, and submits the correction as version 2", async () => {
    const caseRef = casesOf(plan, AUDITORS.asha.email)[0]!.caseRef;
    const ref = { month: MONTH, caseRef };
    await answerWholeToolkit(h, asha, caseRef, "answer");
    const submitted = await act(h, asha, "submitAudit", { ...ref, ...finalInputs("requires-improvement") });
    expect(heading(submitted.card)).toBe("Audit submitted");
    expect(buttons(submitted.card)).toContain("Correct this audit");

    const refused = await act(h, asha, "correctAudit", { ...ref, correctionReason: "typo" });
    expect(cardText(refused.card)).toContain("at least 10 characters");
    expect((await audit(h, caseRef)).audit.status).toBe("submitted");

    const reopened = await act(h, asha, "correctAudit", { ...ref, correctionReason: "Grade was entered wrongly; it should be Good." });
    expect(heading(reopened.card)).toBe("Check your answers and grade the case");
    expect((await audit(h, caseRef)).audit).toMatchObject({ status: "in_progress", corrections: [{ by: AUDITORS.asha.email, why: "Grade was entered wrongly; it should be Good.", fromVersion: 1 }] });

    const resubmitted = await act(h, asha, "submitAudit", { ...ref, ...finalInputs("good") });
    expect(heading(resubmitted.card)).toBe("Audit submitted");
    expect(cardText(resubmitted.card)).toContain("version 2");
    const versions = await h.core.allocations.versions(MONTH, caseRef);
    expect(versions.map((v) => [v.version, v.final?.overallGrade])).toEqual([
      [1, "requires-improvement"],
      [2, "good"],
    ]);
  });

  it("refuses a correction from anyone but the auditor, and changes nothing", async () => {
    const caseRef = casesOf(plan, AUDITORS.asha.email)[0]!.caseRef;
    const ben = h.user(AUDITORS.ben.name, AUDITORS.ben.email);
    await installAndRead(h, ben);
    const before = await audit(h, caseRef);
    const refused = await act(h, ben, "correctAudit", { month: MONTH, caseRef, correctionReason: "I would like to change this audit please" });
    expect(cardText(refused.card)).toContain("not allocated to you");
    expect((await audit(h, caseRef)).version).toBe(before.version);
  });
});
