// Closing the loop in Teams, end to end over real HTTP: a submitted audit goes to the QA team for review, QA
// releases it, the lead professional and their manager each get their feedback card, the LP replies (once, however
// often the button is pressed, across a restart), the manager comments, the manager is reminded through the month
// after the audit, the QA team hears when confirmations are overdue and the Service Leader can list them, the manager
// confirms, the audit closes and the reminders stop. Also: strangers, the QA review reminder, a corrected audit, and
// automatic release. The harness clock drives the reminder job (every 100 ms, with the ladder) and the relay.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import type { Assignment } from "../../src/domain/allocation";
import type { CaseFile } from "../../src/domain/case-file";
import { hasRole, type Person } from "../../src/domain/person";
import { addWorkingDays, londonDateTime } from "../../src/domain/working-days";
import { pad, SECTIONS } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import type { TeamsUser } from "../support/teams-activities";
import { act, actionData, activityCard, buttons, cardText, fact, heading, isTurnReply, sayAndRead, sentTo, sleep, type Card } from "../support/teams-cards";

// ---------------------------------------------------------------------------------------------------------------
// Helpers (the card readers are in test/support/teams-cards.ts, shared with teams-audit.test.ts)
// ---------------------------------------------------------------------------------------------------------------

const MONTH = "2026-12";
/** Tuesday 1 December 2026, 09:30 in London (GMT). */
const START = "2026-12-01T09:30:00.000Z";
const ENV = { CAF_LADDER_INTERVAL_MS: "100", CAF_RELAY_INTERVAL_MS: "100" };
const REMINDER_DAYS = 4;
const QA_EMAIL = "kit.morris@example.gov.uk";
const LEADER_EMAIL = "morgan.reid@example.gov.uk";

/** Valid answers for a section; the overview names the case, so a card showing another case's answers is caught. */
function sectionAnswers(sectionId: string, caseRef: string): Record<string, string> {
  const section = SECTIONS.find((s) => s.id === sectionId)!;
  const inputs: Record<string, string> = {};
  for (const q of section.questions) {
    inputs[`${q.id}.answer`] = "good";
    inputs[`${q.id}.comment`] = pad(`Question ${q.number}: the file shows what was done for the child and why.`, Math.max(20, q.comment.minLength));
  }
  inputs.overview = pad(`Section ${section.number} overview of ${caseRef}: the child's voice is clear here.`, Math.max(20, section.overview.minLength));
  if (section.appliesWhen === "step_down") inputs.notApplicable = "false";
  return inputs;
}

const JUSTIFICATION = "The assessment is sound but the TAF plan is not reviewed often enough and the child's voice fades later on.";
const ACTION_1 = "Hold a TAF review and record the child's views in it";
const ACTION_2 = "Rewrite the plan with SMART outcomes agreed with the family";

function finalInputs(grade: string, justification = JUSTIFICATION): Record<string, string> {
  return {
    grade,
    justification,
    "actions.0.action": ACTION_1,
    "actions.0.byWhom": "Lead professional",
    "actions.0.byWhen": "2027-01-15",
    "actions.1.action": ACTION_2,
    "actions.1.byWhom": "Lead professional",
    "actions.1.byWhen": "2027-01-22",
    "actions.2.action": "",
    "actions.2.byWhom": "",
    "actions.2.byWhen": "",
  };
}

/** Ids of every input on the card. */
function inputIds(card: Card): string[] {
  const ids: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== "object" || node === null) return;
    const n = node as Card;
    if (typeof n.type === "string" && n.type.startsWith("Input.") && typeof n.id === "string") ids.push(n.id);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return ids;
}

const feedbackHeading = (caseRef: string) => `Audit feedback: case ${caseRef}`;
/** Cards with this heading that reached the user as new messages (not in-turn replies). */
const cardsTitled = (h: Harness, user: TeamsUser, title: string) =>
  sentTo(h, user)
    .filter((s) => !isTurnReply(s))
    .map((s) => activityCard(s.activity))
    .filter((c) => heading(c) === title);

async function install(h: Harness, user: TeamsUser): Promise<void> {
  const res = await h.install(user);
  expect(res.status).toBeLessThan(300);
}

/** Several reminder-job and relay passes (both every 100 ms): anything due would have gone. */
const settle = () => sleep(400);

/** A case to audit with the people around it, every one of them installed in Teams. */
interface Scene {
  caseRef: string;
  caseFile: CaseFile;
  auditor: TeamsUser;
  lp: TeamsUser;
  manager: TeamsUser;
  kit: TeamsUser;
  morgan: TeamsUser;
  /** Another auditor, nothing to do with this case. */
  otherAuditor: TeamsUser;
  /** Someone the bot does not know. */
  stranger: TeamsUser;
  people: Map<string, Person>;
  assignments: Assignment[];
  userOf(email: string): TeamsUser;
}

async function scene(h: Harness, pick = 0): Promise<Scene> {
  expect((await importPeople(h.core, await readFile("examples/people.csv"), "test")).ok).toBe(true);
  await importCases(h.core, await readFile("examples/cases.csv"), "test");
  const allocated = await allocateMonth(h.core, { month: MONTH, seed: 1, actor: "test", dryRun: false });
  if (!allocated.ok) throw new Error(allocated.problem.message);
  const assignments = allocated.value.plan.assignments;
  const people = new Map((await h.core.people.all()).map((p) => [p.email, p]));
  const cases = await h.core.cases.all();
  const assignment = assignments[pick]!;
  const caseFile = cases.find((c) => c.caseRef === assignment.caseRef)!;
  const users = new Map<string, TeamsUser>();
  const userOf = (email: string) => {
    let u = users.get(email);
    if (!u) {
      u = h.user(people.get(email)?.name ?? email, email);
      users.set(email, u);
    }
    return u;
  };
  const otherAuditor = [...people.values()].find(
    (p) => hasRole(p, "auditor") && ![assignment.auditorEmail, caseFile.leadProfessionalEmail, caseFile.lpManagerEmail].includes(p.email),
  )!;
  const s: Scene = {
    caseRef: assignment.caseRef,
    caseFile,
    auditor: userOf(assignment.auditorEmail),
    lp: userOf(caseFile.leadProfessionalEmail!),
    manager: userOf(caseFile.lpManagerEmail!),
    kit: userOf(QA_EMAIL),
    morgan: userOf(LEADER_EMAIL),
    otherAuditor: userOf(otherAuditor.email),
    stranger: h.user("Sam Stranger", "sam.stranger@elsewhere.example.org"),
    people,
    assignments,
    userOf,
  };
  for (const u of [s.auditor, s.lp, s.manager, s.kit, s.morgan, s.otherAuditor]) await install(h, u);
  return s;
}

/** Start audit, all five sections, then Submit audit with two actions. */
async function submitAudit(h: Harness, auditor: TeamsUser, caseRef: string, grade: string, justification = JUSTIFICATION): Promise<Card> {
  const ref = { month: MONTH, caseRef };
  await act(h, auditor, "startAudit", ref);
  for (const section of SECTIONS) await act(h, auditor, "saveSection", { ...ref, sectionId: section.id, ...sectionAnswers(section.id, caseRef) });
  const submitted = await act(h, auditor, "submitAudit", { ...ref, ...finalInputs(grade, justification) });
  expect(heading(submitted.card)).toBe("Audit submitted");
  return submitted.card;
}

async function feedbackOf(h: Harness, caseRef: string) {
  const found = await h.core.feedback.get(MONTH, caseRef);
  if (!found) throw new Error(`no feedback for ${caseRef}`);
  return found;
}

/** What the lead professional's card sends back: a1 accepted with a date, a2 changed with a reason, one own action. */
const LP_COMMENT = "Thank you. I had not seen that the plan had drifted; I will put it right with the family.";
const PROPOSAL = "Rewrite the plan at the January TAF with the family present";
const WHY = "The family want to agree the outcomes themselves";
const OWN_ACTION = "Visit the school to hear the child's views directly";
const lpInputs = (): Record<string, string> => ({
  "action.a1.response": "accept",
  "action.a1.date": "2027-01-14",
  "action.a1.proposal": "",
  "action.a1.reason": "",
  "action.a2.response": "change",
  "action.a2.date": "",
  "action.a2.proposal": PROPOSAL,
  "action.a2.reason": WHY,
  lpComment: LP_COMMENT,
  "own.0.action": OWN_ACTION,
  "own.0.byWhom": "Lead professional",
  "own.0.byWhen": "2027-01-08",
  "own.1.action": "",
  "own.1.byWhom": "",
  "own.1.byWhen": "",
});

const REFUSED = "You cannot do that on this feedback";

// ---------------------------------------------------------------------------------------------------------------
// The whole loop on one Requires Improvement audit
// ---------------------------------------------------------------------------------------------------------------

describe("Teams feedback: from submission to closure", () => {
  let h: Harness;
  let s: Scene;
  let otherCase: string;
  let lpCard: Card;
  let managerCard: Card;

  beforeAll(async () => {
    h = await startHarness({ ...ENV, CAF_CORRECTIVE_REMINDER_DAYS: String(REMINDER_DAYS) }, START);
    s = await scene(h);
  });
  afterAll(async () => h?.close());

  it("sends the submitted audit to the QA team for review, and nothing yet to the lead professional or manager", async () => {
    await submitAudit(h, s.auditor, s.caseRef, "requires-improvement");
    // A second audit of another case, graded Good: its answers must never show on the first case's cards.
    const other = s.assignments.find((a) => a.caseRef !== s.caseRef)!;
    otherCase = other.caseRef;
    const otherAuditor = s.userOf(other.auditorEmail);
    await install(h, otherAuditor);
    await submitAudit(h, otherAuditor, otherCase, "good");

    await h.connector.waitFor(() => cardsTitled(h, s.kit, feedbackHeading(s.caseRef)).length === 1 && cardsTitled(h, s.kit, feedbackHeading(otherCase)).length === 1);
    const [review] = cardsTitled(h, s.kit, feedbackHeading(s.caseRef));
    expect(cardText(review!)).toContain("QA review: check the audit, then release the feedback");
    expect(cardText(review!)).toContain("Waiting for QA review");
    expect(fact(review!, "Overall grade")).toBe("Requires Improvement");
    expect(fact(review!, "Audit version")).toBe("1");
    expect(buttons(review!)).toEqual(["Release feedback", "Close this audit"]);
    expect(inputIds(review!)).toEqual(["closeReason"]);

    await settle();
    expect(cardsTitled(h, s.lp, feedbackHeading(s.caseRef))).toEqual([]);
    expect(cardsTitled(h, s.manager, feedbackHeading(s.caseRef))).toEqual([]);
    const { feedback } = await feedbackOf(h, s.caseRef);
    expect(feedback).toMatchObject({ status: "awaiting_review", auditVersion: 1, belowGood: true, correctiveDueOn: "2027-01-29", leadProfessionalEmail: s.caseFile.leadProfessionalEmail, managerEmail: s.caseFile.lpManagerEmail });
    expect(feedback.actions.map((a) => [a.id, a.action])).toEqual([
      ["a1", ACTION_1],
      ["a2", ACTION_2],
    ]);
  });

  it("refuses Release feedback from another auditor, the case's auditor, the LP and an unknown person, and changes nothing", async () => {
    const [review] = cardsTitled(h, s.kit, feedbackHeading(s.caseRef));
    const data = actionData(review!, "releaseFeedback");
    expect(data).toEqual({ verb: "releaseFeedback", month: MONTH, caseRef: s.caseRef, auditVersion: "1" });
    const before = await feedbackOf(h, s.caseRef);

    const stranger = await act(h, s.otherAuditor, "releaseFeedback", data);
    expect(heading(stranger.card)).toBe(REFUSED);
    expect(cardText(stranger.card)).toContain(`The feedback on case ${s.caseRef} is only for its lead professional, their manager, the auditor and the QA team.`);
    // Nothing about the audit: no grade, no justification, no names.
    expect(cardText(stranger.card)).not.toContain("Requires Improvement");
    expect(cardText(stranger.card)).not.toContain(s.caseFile.leadProfessionalEmail!);
    // A case that does not exist gets the very same words: a stranger learns nothing about which cases exist.
    const none = await act(h, s.otherAuditor, "releaseFeedback", { ...data, caseRef: "CAF-9999" });
    expect(cardText(none.card)).toBe(cardText(stranger.card).replaceAll(s.caseRef, "CAF-9999"));

    for (const user of [s.auditor, s.lp, s.manager]) {
      const res = await act(h, user, "releaseFeedback", data);
      expect(heading(res.card), user.name).toBe(REFUSED);
      expect(cardText(res.card)).toContain("That button is not for you on this feedback.");
    }
    const unknown = await act(h, s.stranger, "releaseFeedback", data);
    expect(heading(unknown.card)).toBe("I don't know you yet");

    const after = await feedbackOf(h, s.caseRef);
    expect(after.version).toBe(before.version);
    expect(after.feedback).toEqual(before.feedback);
    await settle();
    expect(cardsTitled(h, s.lp, feedbackHeading(s.caseRef))).toEqual([]);
    expect(cardsTitled(h, s.manager, feedbackHeading(s.caseRef))).toEqual([]);
  });

  it("QA releases: the LP and manager each get their own card for this case only, and the auditor is told", async () => {
    const [review] = cardsTitled(h, s.kit, feedbackHeading(s.caseRef));
    h.clock.set("2026-12-01T11:00:00.000Z");
    const released = await act(h, s.kit, "releaseFeedback", actionData(review!, "releaseFeedback"));
    expect(released.inPlace).toBe(true);
    expect(cardText(released.card)).toContain("Feedback sent on Tuesday 1 December 2026");
    expect(buttons(released.card)).toEqual(["Close this audit"]);
    const [otherReview] = cardsTitled(h, s.kit, feedbackHeading(otherCase));
    await act(h, s.kit, "releaseFeedback", actionData(otherReview!, "releaseFeedback"));

    await h.connector.waitFor(
      () =>
        cardsTitled(h, s.lp, feedbackHeading(s.caseRef)).length === 1 &&
        cardsTitled(h, s.manager, feedbackHeading(s.caseRef)).length === 1 &&
        cardsTitled(h, s.auditor, `Feedback sent: ${s.caseRef}`).length === 1,
    );
    expect(await feedbackOf(h, s.caseRef)).toMatchObject({ feedback: { status: "released", releasedBy: QA_EMAIL, releasedAt: "2026-12-01T11:00:00.000Z" } });

    lpCard = cardsTitled(h, s.lp, feedbackHeading(s.caseRef))[0]!;
    managerCard = cardsTitled(h, s.manager, feedbackHeading(s.caseRef))[0]!;
    for (const [who, card] of [
      ["lp", lpCard],
      ["manager", managerCard],
    ] as const) {
      const text = cardText(card);
      expect(fact(card, "Overall grade"), who).toBe("Requires Improvement");
      expect(fact(card, "Service area")).toBe(s.caseFile.serviceArea);
      expect(text).toContain("Confirm corrective action by Friday 29 January 2027");
      for (const section of SECTIONS) {
        expect(text).toContain(`Section ${section.number}: ${section.title} — Good`);
        expect(text).toContain(sectionAnswers(section.id, s.caseRef).overview);
      }
      expect(text).toContain(JUSTIFICATION);
      expect(text).toContain(`Action 1: ${ACTION_1}`);
      expect(text).toContain(`Action 2: ${ACTION_2}`);
      expect(text).toContain("By whom: Lead professional, by when: Friday 15 January 2027");
      // Never another case's answers.
      expect(JSON.stringify(card)).not.toContain(otherCase);
    }
    expect(cardText(lpCard)).toContain("You are the lead professional.");
    expect(buttons(lpCard)).toEqual(["Send my reply", "Update progress"]);
    expect(inputIds(lpCard)).toEqual([
      ...["a1", "a2"].flatMap((id) => [`action.${id}.response`, `action.${id}.date`, `action.${id}.proposal`, `action.${id}.reason`, `action.${id}.rag`]),
      "lpComment",
      ...[0, 1].flatMap((i) => [`own.${i}.action`, `own.${i}.byWhom`, `own.${i}.byWhen`]),
    ]);
    expect(cardText(managerCard)).toContain("You manage the lead professional.");
    expect(buttons(managerCard)).toEqual(["Send comment", "Confirm actions", "Update progress"]);
    expect(inputIds(managerCard)).toEqual([...["a1", "a2"].flatMap((id) => [`action.${id}.done`, `action.${id}.note`, `action.${id}.newDate`, `action.${id}.rag`]), "managerComment"]);

    const [notice] = cardsTitled(h, s.auditor, `Feedback sent: ${s.caseRef}`);
    expect(cardText(notice!)).toContain("The QA team has sent your audit's feedback to the lead professional and their manager.");
  });

  it("stores the LP's reply with who and when, and tells the auditor and QA that a reply came but not what it says", async () => {
    h.clock.set("2026-12-02T14:00:00.000Z");
    const data = actionData(lpCard, "replyFeedback");
    expect(data).toEqual({ verb: "replyFeedback", month: MONTH, caseRef: s.caseRef, auditVersion: "1" });

    // An incomplete reply is refused with a sentence and stores nothing.
    const incomplete = await act(h, s.lp, "replyFeedback", { ...data, ...lpInputs(), "action.a1.date": "", "action.a2.reason": "" });
    expect(heading(incomplete.card)).toBe("Please complete the card");
    expect(cardText(incomplete.card)).toContain("Give the date you will complete action 1 by.");
    expect(cardText(incomplete.card)).toContain("Say what change you propose to action 2, and why.");
    expect((await feedbackOf(h, s.caseRef)).feedback.replyIds).toEqual([]);

    const replied = await act(h, s.lp, "replyFeedback", { ...data, ...lpInputs() });
    expect(replied.inPlace).toBe(true);
    const text = cardText(replied.card);
    expect(text).toContain("Reply: Accepted: done by Thursday 14 January 2027");
    expect(text).toContain(`Reply: Change proposed: ${PROPOSAL} (why: ${WHY})`);
    expect(text).toContain(`Action 3: ${OWN_ACTION}`);
    expect(text).toContain("Added by the lead professional");
    expect(text).toContain(`Lead professional: ${LP_COMMENT}`);

    const at = "2026-12-02T14:00:00.000Z";
    const lpEmail = s.caseFile.leadProfessionalEmail!;
    const { feedback } = await feedbackOf(h, s.caseRef);
    expect(feedback.lpComment).toEqual({ text: LP_COMMENT, at, by: lpEmail });
    expect(feedback.replyIds).toHaveLength(1);
    expect(feedback.actions).toMatchObject([
      { id: "a1", source: "audit", response: { accepted: true, date: "2027-01-14", at, by: lpEmail } },
      { id: "a2", source: "audit", response: { accepted: false, proposal: PROPOSAL, reason: WHY, at, by: lpEmail } },
      { id: "l3", source: "lead_professional", action: OWN_ACTION, byWhom: "Lead professional", byWhen: "2027-01-08", rag: "red", response: null },
    ]);
    const events = (await h.core.events.listMonth(MONTH)).filter((e) => e.type === "feedback_replyFeedback");
    expect(events).toMatchObject([{ actor: lpEmail, at, subject: `${MONTH}/${s.caseRef}` }]);

    const title = `The lead professional replied on ${s.caseRef}`;
    await h.connector.waitFor(() => cardsTitled(h, s.auditor, title).length === 1 && cardsTitled(h, s.kit, title).length === 1);
    for (const user of [s.auditor, s.kit]) {
      const notice = JSON.stringify(cardsTitled(h, user, title)[0]);
      for (const secret of [LP_COMMENT, PROPOSAL, WHY, OWN_ACTION]) expect(notice, `${user.name} notice`).not.toContain(secret);
    }
  });

  it("stores one reply when Send my reply is pressed again, twice at once, and after a restart", async () => {
    const title = `The lead professional replied on ${s.caseRef}`;
    const data = { ...actionData(lpCard, "replyFeedback"), ...lpInputs() };
    const before = await feedbackOf(h, s.caseRef);
    h.clock.set("2026-12-02T14:00:30.000Z");

    const again = await act(h, s.lp, "replyFeedback", data);
    expect(again.inPlace).toBe(true);
    expect(cardText(again.card)).toContain(`Action 3: ${OWN_ACTION}`);
    expect(cardText(again.card)).not.toContain("Action 4");
    await Promise.all([act(h, s.lp, "replyFeedback", data), act(h, s.lp, "replyFeedback", data)]);
    await h.restart();
    await act(h, s.lp, "replyFeedback", data);

    const after = await feedbackOf(h, s.caseRef);
    expect(after.version).toBe(before.version);
    expect(after.feedback.replyIds).toHaveLength(1);
    expect(after.feedback.actions).toHaveLength(3);
    expect(after.feedback.lpComment).toEqual(before.feedback.lpComment);
    await settle();
    expect(cardsTitled(h, s.auditor, title)).toHaveLength(1);
    expect(cardsTitled(h, s.kit, title)).toHaveLength(1);
  });

  it("refuses Send my reply from another auditor, the manager, the auditor, QA and an unknown person, and changes nothing", async () => {
    const data = { ...actionData(lpCard, "replyFeedback"), ...lpInputs(), lpComment: "Someone else's words on this case" };
    const before = await feedbackOf(h, s.caseRef);

    const stranger = await act(h, s.otherAuditor, "replyFeedback", data);
    expect(heading(stranger.card)).toBe(REFUSED);
    expect(cardText(stranger.card)).not.toContain(LP_COMMENT);
    for (const user of [s.manager, s.auditor, s.kit]) {
      const res = await act(h, user, "replyFeedback", data);
      expect(heading(res.card), user.name).toBe(REFUSED);
      expect(cardText(res.card)).toContain("That button is not for you on this feedback.");
    }
    expect(heading((await act(h, s.stranger, "replyFeedback", data)).card)).toBe("I don't know you yet");

    const after = await feedbackOf(h, s.caseRef);
    expect(after.version).toBe(before.version);
    expect(after.feedback).toEqual(before.feedback);
  });

  it("stores the manager's comment with who and when, and tells the auditor and QA", async () => {
    h.clock.set("2026-12-03T10:00:00.000Z");
    const comment = "I will go through the plan with Farah in supervision next week.";
    const res = await act(h, s.manager, "managerComment", { ...actionData(managerCard, "managerComment"), managerComment: comment });
    expect(res.inPlace).toBe(true);
    expect(cardText(res.card)).toContain(`Manager: ${comment}`);
    expect(cardText(res.card)).toContain(`Lead professional: ${LP_COMMENT}`);
    const { feedback } = await feedbackOf(h, s.caseRef);
    expect(feedback.managerComment).toEqual({ text: comment, at: "2026-12-03T10:00:00.000Z", by: s.caseFile.lpManagerEmail });
    const title = `The lead professional's manager replied on ${s.caseRef}`;
    await h.connector.waitFor(() => cardsTitled(h, s.auditor, title).length === 1 && cardsTitled(h, s.kit, title).length === 1);
    expect(JSON.stringify(cardsTitled(h, s.kit, title))).not.toContain(comment);
  });

  it("keeps each RAG change by the LP or manager with who and when", async () => {
    h.clock.set("2026-12-03T11:00:00.000Z");
    const res = await act(h, s.lp, "updateRag", { ...actionData(lpCard, "updateRag"), "action.a1.rag": "amber", "action.a2.rag": "red" });
    expect(cardText(res.card)).toContain("Progress: Amber: in progress");
    const { feedback } = await feedbackOf(h, s.caseRef);
    expect(feedback.actions[0]!.ragHistory).toEqual([{ at: "2026-12-03T11:00:00.000Z", by: s.caseFile.leadProfessionalEmail, rag: "amber" }]);
    expect(feedback.actions[1]!.ragHistory).toEqual([]);
    expect(feedback.status).toBe("released");
  });

  it("reminds the manager every 4 working days; after the due date QA hears and the Service Leader sees the overdue list", async () => {
    const managerCards = () => cardsTitled(h, s.manager, feedbackHeading(s.caseRef)).length;
    const overdueTitle = `Overdue: corrective action on ${s.caseRef}`;
    const reminderDays: string[] = [];
    for (let d = addWorkingDays("2026-12-01", REMINDER_DAYS); ; d = addWorkingDays(d, REMINDER_DAYS)) {
      reminderDays.push(d);
      if (d > "2027-01-29") break;
    }
    // Over Christmas the bank holidays are skipped: 23 December, then 31 December. The last is after the due date.
    expect(reminderDays).toEqual(["2026-12-07", "2026-12-11", "2026-12-17", "2026-12-23", "2026-12-31", "2027-01-07", "2027-01-13", "2027-01-19", "2027-01-25", "2027-01-29", "2027-02-04"]);

    for (const day of reminderDays) {
      const nine = londonDateTime(day, "09:00").getTime();
      const count = managerCards();
      h.clock.set(new Date(nine - 60_000).toISOString());
      await sleep(250);
      expect(managerCards(), `no reminder before 09:00 on ${day}`).toBe(count);
      h.clock.set(new Date(nine).toISOString());
      await h.connector.waitFor(() => managerCards() === count + 1);
      if (day === "2027-01-29") {
        // Up to and on the due date nothing is overdue: no notice to QA, an empty list for the Service Leader.
        h.clock.set("2027-01-29T16:00:00.000Z");
        await settle();
        expect(cardsTitled(h, s.kit, overdueTitle)).toEqual([]);
        expect(heading(await sayAndRead(h, s.morgan, "overdue actions"))).toBe("No overdue actions");
      }
    }

    // The reminder on 4 February came after the due date: the QA team hears.
    await h.connector.waitFor(() => cardsTitled(h, s.kit, overdueTitle).length === 1);
    const overdue = cardsTitled(h, s.kit, overdueTitle)[0]!;
    expect(cardText(overdue)).toContain("3 actions are not confirmed and the date (Friday 29 January 2027) has passed.");
    const reminder = cardsTitled(h, s.manager, feedbackHeading(s.caseRef)).at(-1)!;
    expect(cardText(reminder)).toContain(`Lead professional: ${LP_COMMENT}`);
    expect(buttons(reminder)).toContain("Confirm actions");
    expect(inputIds(reminder)).toContain("action.l3.done");

    const list = await sayAndRead(h, s.morgan, "overdue actions");
    expect(heading(list)).toBe("1 audit has overdue actions");
    const listed = cardText(list);
    expect(listed).toContain(`${s.caseRef} (${s.caseFile.serviceArea}): 3 actions not confirmed, due Friday 29 January 2027`);
    // Case reference and count only: no action text, no comments, no names.
    for (const secret of [ACTION_1, ACTION_2, OWN_ACTION, LP_COMMENT, s.caseFile.leadProfessionalEmail!, otherCase]) expect(listed).not.toContain(secret);

    const refused = await sayAndRead(h, s.lp, "overdue actions");
    expect(cardText(refused)).toContain("This list is for the Service Leader and the QA team.");
    expect(cardText(refused)).not.toContain(s.caseRef);
  });

  it("closes the audit when the manager confirms every action done, and the reminders stop", async () => {
    h.clock.set("2027-02-04T11:00:00.000Z");
    const latest = cardsTitled(h, s.manager, feedbackHeading(s.caseRef)).at(-1)!;
    const data = actionData(latest, "confirmActions");
    const before = await feedbackOf(h, s.caseRef);

    const incomplete = await act(h, s.manager, "confirmActions", { ...data, "action.a1.done": "done", "action.a1.note": "Review held", "action.a2.done": "not-done", "action.a2.note": "", "action.a2.newDate": "" });
    expect(heading(incomplete.card)).toBe("Please complete the card");
    expect(cardText(incomplete.card)).toContain("For action 2, say why it is not done and give a new date.");
    expect((await feedbackOf(h, s.caseRef)).version).toBe(before.version);

    const confirmed = await act(h, s.manager, "confirmActions", {
      ...data,
      "action.a1.done": "done",
      "action.a1.note": "TAF review held on 2 February with the child's views recorded.",
      "action.a2.done": "done",
      "action.a2.note": "Plan rewritten with the family at the TAF.",
      "action.l3.done": "done",
      "action.l3.note": "School visit done; the child's views are on file.",
    });
    expect(confirmed.inPlace).toBe(true);
    expect(cardText(confirmed.card)).toContain("Closed: Every action is done (Green).");
    expect(buttons(confirmed.card)).toEqual([]);

    const { feedback } = await feedbackOf(h, s.caseRef);
    const manager = s.caseFile.lpManagerEmail!;
    // Below good, closing out schedules the re-check of the change for the child: the working day after 20 more.
    expect(feedback).toMatchObject({ status: "closed", closedBy: manager, closedReason: "Every action is done (Green).", nextReminderAt: "2027-03-05T09:00:00.000Z" });
    expect(feedback.rechecks).toMatchObject([{ round: 1, status: "scheduled", dueOn: "2027-03-05" }]);
    expect(cardText(confirmed.card)).toContain("An auditor re-checks the change for the child on");
    expect(feedback.actions.map((a) => a.rag)).toEqual(["green", "green", "green"]);
    expect(feedback.actions[0]!.confirmation).toEqual({ done: true, note: "TAF review held on 2 February with the child's views recorded.", at: "2027-02-04T11:00:00.000Z", by: manager });
    expect(feedback.actions[0]!.ragHistory.map((r) => [r.by, r.rag])).toEqual([
      [s.caseFile.leadProfessionalEmail, "amber"],
      [manager, "green"],
    ]);
    expect(heading(await sayAndRead(h, s.morgan, "overdue actions"))).toBe("No overdue actions");

    // Weeks later: nothing more for the manager or QA on this case.
    const managerCount = cardsTitled(h, s.manager, feedbackHeading(s.caseRef)).length;
    const kitCount = sentTo(h, s.kit).length;
    for (const day of ["2027-02-10", "2027-02-16", "2027-03-01"]) {
      h.clock.set(londonDateTime(day, "09:30").toISOString());
      await sleep(250);
    }
    expect(cardsTitled(h, s.manager, feedbackHeading(s.caseRef))).toHaveLength(managerCount);
    expect(sentTo(h, s.kit)).toHaveLength(kitCount);

    // A late reply on the closed audit changes nothing.
    const late = await act(h, s.lp, "replyFeedback", { ...actionData(lpCard, "replyFeedback"), ...lpInputs(), lpComment: "One more thing" });
    expect(cardText(late.card)).toContain("Closed: Every action is done (Green).");
    expect((await feedbackOf(h, s.caseRef)).feedback.replyIds).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The QA review reminder, and a corrected audit
// ---------------------------------------------------------------------------------------------------------------

describe("Teams feedback: review reminders and corrections", () => {
  let h: Harness;
  let s: Scene;

  beforeAll(async () => {
    h = await startHarness(ENV, START);
    s = await scene(h);
    await submitAudit(h, s.auditor, s.caseRef, "requires-improvement");
    await h.connector.waitFor(() => cardsTitled(h, s.kit, feedbackHeading(s.caseRef)).length === 1);
  });
  afterAll(async () => h?.close());

  it("reminds the QA team when the feedback has waited 2 working days for review, and again 2 working days later", async () => {
    const title = `Feedback on ${s.caseRef} is waiting for review`;
    h.clock.set("2026-12-03T08:59:00.000Z");
    await settle();
    expect(cardsTitled(h, s.kit, title)).toEqual([]);
    h.clock.set("2026-12-03T09:00:00.000Z");
    await h.connector.waitFor(() => cardsTitled(h, s.kit, title).length === 1);
    expect(cardText(cardsTitled(h, s.kit, title)[0]!)).toContain(`The audit of ${s.caseRef} was submitted on Tuesday 1 December 2026.`);
    // Friday 4th is one working day on; Monday 7th is the second.
    h.clock.set("2026-12-04T09:30:00.000Z");
    await settle();
    expect(cardsTitled(h, s.kit, title)).toHaveLength(1);
    h.clock.set("2026-12-07T09:00:00.000Z");
    await h.connector.waitFor(() => cardsTitled(h, s.kit, title).length === 2);
    // Nothing reached the lead professional or manager while the feedback waited.
    expect(cardsTitled(h, s.lp, feedbackHeading(s.caseRef))).toEqual([]);
    expect(cardsTitled(h, s.manager, feedbackHeading(s.caseRef))).toEqual([]);
  });

  it("makes a new feedback version when the audit is corrected: the old card shows the newer version and stores nothing", async () => {
    h.clock.set("2026-12-07T10:00:00.000Z");
    const [review] = cardsTitled(h, s.kit, feedbackHeading(s.caseRef));
    await act(h, s.kit, "releaseFeedback", actionData(review!, "releaseFeedback"));
    await h.connector.waitFor(() => cardsTitled(h, s.lp, feedbackHeading(s.caseRef)).length === 1);
    const oldCard = cardsTitled(h, s.lp, feedbackHeading(s.caseRef))[0]!;
    const oldReply = { ...actionData(oldCard, "replyFeedback"), ...lpInputs() };
    expect(oldReply.auditVersion).toBe("1");

    // The auditor corrects the audit and submits version 2, graded Inadequate with a new justification.
    const corrected = "On a second look the plan has not been reviewed at all since March and the child was never seen alone.";
    const ref = { month: MONTH, caseRef: s.caseRef };
    const reopened = await act(h, s.auditor, "correctAudit", { ...ref, correctionReason: "The grade was entered wrongly; it is Inadequate." });
    expect(heading(reopened.card)).toBe("Check your answers and grade the case");
    const resubmitted = await act(h, s.auditor, "submitAudit", { ...ref, ...finalInputs("inadequate", corrected) });
    expect(fact(resubmitted.card, "Version")).toBe("2");
    const v2 = await feedbackOf(h, s.caseRef);
    expect(v2.feedback).toMatchObject({ auditVersion: 2, status: "awaiting_review", grade: "inadequate", replyIds: [], lpComment: null });
    await h.connector.waitFor(() => cardsTitled(h, s.kit, feedbackHeading(s.caseRef)).some((c) => fact(c, "Audit version") === "2"));

    // Before QA has reviewed version 2, the old card shows nothing of it and stores nothing.
    const waiting = await act(h, s.lp, "replyFeedback", oldReply);
    expect(heading(waiting.card)).toBe(`Feedback on ${s.caseRef} is being reviewed`);
    expect(cardText(waiting.card)).not.toContain(corrected);
    expect(cardText(waiting.card)).not.toContain("Inadequate");
    expect((await feedbackOf(h, s.caseRef)).version).toBe(v2.version);

    // QA releases version 2; the LP's old card now shows the newer version, and still stores nothing.
    const review2 = cardsTitled(h, s.kit, feedbackHeading(s.caseRef)).find((c) => fact(c, "Audit version") === "2")!;
    await act(h, s.kit, "releaseFeedback", actionData(review2, "releaseFeedback"));
    await h.connector.waitFor(() => cardsTitled(h, s.lp, feedbackHeading(s.caseRef)).length === 2);
    const released = await feedbackOf(h, s.caseRef);

    const shown = await act(h, s.lp, "replyFeedback", oldReply);
    expect(shown.inPlace).toBe(true);
    expect(fact(shown.card, "Audit version")).toBe("2");
    expect(fact(shown.card, "Overall grade")).toBe("Inadequate");
    expect(cardText(shown.card)).toContain(corrected);
    expect(actionData(shown.card, "replyFeedback").auditVersion).toBe("2");
    const after = await feedbackOf(h, s.caseRef);
    expect(after.version).toBe(released.version);
    expect(after.feedback.replyIds).toEqual([]);
    expect(after.feedback.actions.every((a) => a.response === null)).toBe(true);

    // On the new card, the reply is stored against version 2.
    const newCard = cardsTitled(h, s.lp, feedbackHeading(s.caseRef))[1]!;
    await act(h, s.lp, "replyFeedback", { ...actionData(newCard, "replyFeedback"), ...lpInputs() });
    expect((await feedbackOf(h, s.caseRef)).feedback).toMatchObject({ auditVersion: 2, replyIds: [expect.any(String)] });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Automatic release
// ---------------------------------------------------------------------------------------------------------------

describe("Teams feedback: CAF_FEEDBACK_RELEASE automatic", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ...ENV, CAF_FEEDBACK_RELEASE: "automatic" }, START);
  });
  afterAll(async () => h?.close());

  it("sends the LP and manager their cards straight after submit, with no QA review", async () => {
    const s = await scene(h);
    await submitAudit(h, s.auditor, s.caseRef, "requires-improvement");
    await h.connector.waitFor(() => cardsTitled(h, s.lp, feedbackHeading(s.caseRef)).length === 1 && cardsTitled(h, s.manager, feedbackHeading(s.caseRef)).length === 1);
    expect(buttons(cardsTitled(h, s.lp, feedbackHeading(s.caseRef))[0]!)).toEqual(["Send my reply", "Update progress"]);
    expect(buttons(cardsTitled(h, s.manager, feedbackHeading(s.caseRef))[0]!)).toEqual(["Send comment", "Confirm actions", "Update progress"]);
    expect((await feedbackOf(h, s.caseRef)).feedback).toMatchObject({ status: "released", releasedBy: "automatic", nextReminderAt: "2026-12-08T09:00:00.000Z" });
    await settle();
    expect(cardsTitled(h, s.kit, feedbackHeading(s.caseRef))).toEqual([]);
  });
});
