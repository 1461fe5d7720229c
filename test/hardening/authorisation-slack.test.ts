// Hardening (issue 10): who may do what, through Slack (signed requests to Bolt on /slack/events, the loopback Slack
// Web API, Azurite). The same kind of literal table as authorisation.test.ts, smaller: for each action a Slack message
// or modal offers, which of six people may do it, sent as a forged button press (block_actions with the button's
// value) or a forged modal submission (view_submission with the form's private_metadata). Each cell has its own case,
// audit, escalation or feedback:
// - allowed: what is stored moves on;
// - refused: the person reads a clear sentence (in their DM, or in the modal the submission's answer pushes), and every
//   row of every table is as it was (the bot's memory of the messages it posted aside), so nothing was stored half-way
//   and no message was queued;
// - a stranger (a Slack member whose email is not in the people list) is told "I don't know you yet" in their DM, and
//   nothing about them is stored anywhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleTurn } from "../../src/app/handle-turn";
import { newAudit } from "../../src/domain/audit";
import { newModeration } from "../../src/domain/moderation";
import { sendRecheck } from "../../src/domain/recheck";
import { requested } from "../../src/domain/self-assessment";
import { staleChecksDue } from "../../src/domain/stale-case";
import { importTier1Events } from "../../src/app/allocation/import-tier1-events";
import type { CaseFile } from "../../src/domain/case-file";
import type { Person } from "../../src/domain/person";
import { TABLE_NAMES } from "../../src/storage/tables";
import { sectionAnswers, SECTIONS } from "../support/audit-inputs";
import { aCase } from "../support/builders";
import { blocksText, dmOf, eventually, startSlackHarness, type PostedMessage, type SlackHarness } from "../support/slack-harness";
import type { OpenView, SlackTestUser } from "../support/slack-requests";

const MONTH = "2026-12";
/** Thursday 10 December 2026, 10:00 in London: November's audits are overdue, December's are not. */
const NOW = "2026-12-10T10:00:00.000Z";

// ---------------------------------------------------------------------------------------------------------------
// The people
// ---------------------------------------------------------------------------------------------------------------

type Role = "auditor" | "otherAuditor" | "fsm" | "lp" | "qa" | "stranger";
const ROLES: readonly Role[] = ["auditor", "otherAuditor", "fsm", "lp", "qa", "stranger"];

/** One role each. The stranger is a member of the Slack workspace whose email is not in the people list. */
const PEOPLE: Record<Role, Person> = {
  auditor: person("ada.allocated@council.gov.uk", "Ada Allocated", "auditor"),
  otherAuditor: person("bo.other@council.gov.uk", "Bo Other", "auditor"),
  fsm: person("faye.fsm@council.gov.uk", "Faye FSM", "fsm"),
  lp: person("lee.lp@council.gov.uk", "Lee LP", "lead_professional"),
  qa: person("quinn.qa@council.gov.uk", "Quinn QA", "qa"),
  stranger: person("sam.stranger@elsewhere.example.org", "Sam Stranger", "auditor"),
};
const MANAGER = person("max.manager@council.gov.uk", "Max Manager", "manager");

function person(email: string, name: string, role: Person["roles"][number]): Person {
  return { email, name, roles: [role], serviceArea: "North", managerEmail: null, monthlyCapacity: role === "auditor" ? 3 : 0 };
}

// ---------------------------------------------------------------------------------------------------------------
// THE MATRIX: who may do what. Y = allowed (the state changes), _ = refused (a sentence, nothing stored).
// ---------------------------------------------------------------------------------------------------------------

type Action =
  | "open audit (startAudit)"
  | "submit section (saveSection)"
  | "submit audit (submitAudit)"
  | "acknowledge escalation (acknowledgeEscalation)"
  | "reply to feedback (replyFeedback)"
  | "release feedback (releaseFeedback)"
  | "decide overdue audit (extendAudit)"
  | "agree a moderated grade (agreeGrade)"
  | "answer a re-check (submitRecheck)"
  | "answer Still open? (answerStaleCase)"
  | "send a self-assessment (submitSelfAssessment)"
  | "answer a Tier 1 check in the QA pool (submitTier1Check)";

const Y = true;
const _ = false;

// prettier-ignore
const MATRIX: Record<Action, readonly boolean[]> = {
  //                                                auditor other  fsm  lp   qa   stranger
  "open audit (startAudit)":                        [Y,      _,     _,   _,   _,   _],
  "submit section (saveSection)":                   [Y,      _,     _,   _,   _,   _],
  "submit audit (submitAudit)":                     [Y,      _,     _,   _,   _,   _],
  "acknowledge escalation (acknowledgeEscalation)": [_,      _,     Y,   _,   _,   _],
  "reply to feedback (replyFeedback)":              [_,      _,     _,   Y,   _,   _],
  "release feedback (releaseFeedback)":             [_,      _,     _,   _,   Y,   _],
  "decide overdue audit (extendAudit)":             [_,      _,     _,   _,   Y,   _],
  // Not even the case's two auditors (here "auditor" and "other"): the QA team settles a moderated grade.
  "agree a moderated grade (agreeGrade)":           [_,      _,     _,   _,   Y,   _],
  // Only the auditor the re-check was sent to.
  "answer a re-check (submitRecheck)":              [Y,      _,     _,   _,   _,   _],
  // Only the case's lead professional, whom it was sent to.
  "answer Still open? (answerStaleCase)":           [_,      _,     _,   Y,   _,   _],
  // Only the lead professional it was sent to: not the case's auditor or the QA team.
  "send a self-assessment (submitSelfAssessment)":  [_,      _,     _,   Y,   _,   _],
  // No separate manager recorded: the QA team's pool, never the LP. (The manager's own check is in the Teams matrix.)
  "answer a Tier 1 check in the QA pool (submitTier1Check)": [_, _,  _,   _,   Y,   _],
};

/** How each action reaches the bot from Slack: a button on a DM message, or the submit of a modal. */
const TRANSPORT: Record<Action, "button" | "modal"> = {
  "open audit (startAudit)": "button",
  "submit section (saveSection)": "modal",
  "submit audit (submitAudit)": "modal",
  "acknowledge escalation (acknowledgeEscalation)": "button",
  "reply to feedback (replyFeedback)": "modal",
  "release feedback (releaseFeedback)": "button",
  "decide overdue audit (extendAudit)": "modal",
  "agree a moderated grade (agreeGrade)": "modal",
  "answer a re-check (submitRecheck)": "modal",
  "answer Still open? (answerStaleCase)": "modal",
  "send a self-assessment (submitSelfAssessment)": "modal",
  "answer a Tier 1 check in the QA pool (submitTier1Check)": "modal",
};

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: each cell gets its own case in the state the action needs, arranged through the core
// ---------------------------------------------------------------------------------------------------------------

const SEEN = "The home visit recorded on 3 November never happened, according to the school nurse.";
const JUSTIFICATION = "The assessment is sound but the plan is not reviewed often enough, and the child's voice fades later on.";

interface Fixture {
  /** Ids the button's value or the modal's private_metadata carries (the verb is added). */
  ids: Record<string, unknown>;
  /** What the person typed into the modal (input id -> text). */
  typed?: Record<string, string>;
  /** What an allowed press must change, read from storage. */
  state(): Promise<unknown>;
  /** Text on the case that a refused person must never be shown. */
  secret?: string;
}

let h: SlackHarness;
const users = {} as Record<Role, SlackTestUser>;

let nextCase = 0;
async function newCase(): Promise<CaseFile> {
  const c = aCase({ caseRef: `SLAUTH-${String(++nextCase).padStart(3, "0")}`, serviceArea: "North", leadProfessionalEmail: PEOPLE.lp.email, lpManagerEmail: MANAGER.email });
  await h.core.cases.saveMany([c], new Map());
  return c;
}

async function allocated(month = MONTH, dueOn = "2026-12-31"): Promise<CaseFile> {
  const c = await newCase();
  const audit = newAudit({ caseRef: c.caseRef, serviceArea: c.serviceArea, auditorEmail: PEOPLE.auditor.email, month, dueOn, toolkitId: "tier2-caf", allocatedAt: "2026-12-01T09:00:00.000Z" });
  await h.core.allocations.createAudits(month, [{ audit, outbox: [] }]);
  return c;
}

/** A turn through the core as the given person (the arrangement, not the thing under test). */
async function core(role: Role | Person, data: Record<string, unknown>) {
  return handleTurn(h.core, typeof role === "string" ? PEOPLE[role] : role, { kind: "action", data });
}

const ref = (c: CaseFile, month = MONTH) => ({ month, caseRef: c.caseRef });
const auditState = (c: CaseFile, month = MONTH) => async () => {
  const found = await h.core.allocations.get(month, c.caseRef);
  return found && { ...found.audit, etag: found.version };
};

async function allSectionsDone(c: CaseFile): Promise<void> {
  await core("auditor", { verb: "startAudit", ...ref(c) });
  for (const s of SECTIONS) expect((await core("auditor", { verb: "saveSection", ...ref(c), sectionId: s.id, ...sectionAnswers(s.id) })).code).toBeUndefined();
}

const finalInputs = (grade: string) => ({
  grade,
  justification: JUSTIFICATION,
  "actions.0.action": "Hold a TAF review and record the child's views in it",
  "actions.0.byWhom": "Lead professional",
  "actions.0.byWhen": "2027-01-15",
});

async function submitted(release: boolean): Promise<CaseFile> {
  const c = await allocated();
  await allSectionsDone(c);
  const done = await core("auditor", { verb: "submitAudit", ...ref(c), ...finalInputs("requires-improvement") });
  expect(done.view.template).toBe("submitted");
  if (release) expect((await core("qa", { verb: "releaseFeedback", ...ref(c), auditVersion: 1 })).code).toBeUndefined();
  expect((await h.core.feedback.get(MONTH, c.caseRef))?.feedback.status).toBe(release ? "released" : "awaiting_review");
  return c;
}

const feedbackState = (c: CaseFile) => async () => {
  const found = await h.core.feedback.get(MONTH, c.caseRef);
  return found && { ...found.feedback, etag: found.version };
};

/** A moderated case: the allocated auditor graded it Good, the other auditor (its second auditor) Requires Improvement. */
async function moderatedAndDiffering(): Promise<CaseFile> {
  const c = await newCase();
  const base = { caseRef: c.caseRef, serviceArea: c.serviceArea, month: MONTH, dueOn: "2026-12-31", toolkitId: "tier2-caf", allocatedAt: "2026-12-01T09:00:00.000Z", moderated: true };
  const first = newAudit({ ...base, auditorEmail: PEOPLE.auditor.email, pass: "first" });
  const second = newAudit({ ...base, auditorEmail: PEOPLE.otherAuditor.email, pass: "second" });
  await h.core.allocations.createAudits(MONTH, [{ audit: first, outbox: [], moderation: newModeration(first, second) }, { audit: second, outbox: [] }]);
  for (const [role, grade] of [["auditor", "good"], ["otherAuditor", "requires-improvement"]] as const) {
    await core(role, { verb: "startAudit", ...ref(c) });
    for (const s of SECTIONS) await core(role, { verb: "saveSection", ...ref(c), sectionId: s.id, ...sectionAnswers(s.id) });
    expect((await core(role, { verb: "submitAudit", ...ref(c), ...finalInputs(grade) })).view.template).toBe("submitted");
  }
  expect((await h.core.allocations.getModeration(MONTH, c.caseRef))?.moderation.status).toBe("awaiting_agreement");
  return c;
}

/** A released audit below good whose action the manager confirmed, its re-check with the allocated auditor. */
async function recheckSent(): Promise<CaseFile> {
  const c = await submitted(true);
  expect((await core(MANAGER, { verb: "confirmActions", ...ref(c), auditVersion: 1, "action.a1.done": "done", "action.a1.note": "Review held on 12 January." })).code).toBeUndefined();
  const found = (await h.core.feedback.get(MONTH, c.caseRef))!;
  await h.core.feedback.update(sendRecheck(found.feedback, PEOPLE.auditor.email, h.clock.now()), found.version, {});
  return c;
}

/** A case open since 2024 with nothing recorded since: the month's run has put it to its LP. */
async function staleAsked(): Promise<CaseFile> {
  const c = await newCase();
  const [check] = staleChecksDue([c], [], h.clock.now(), MONTH, h.core.staleRules);
  expect(await h.core.staleChecks.create(check!, [])).toBe("created");
  return c;
}

const FIXTURES: Record<Action, () => Promise<Fixture>> = {
  "open audit (startAudit)": async () => {
    const c = await allocated();
    return { ids: ref(c), state: auditState(c) };
  },
  "submit section (saveSection)": async () => {
    const c = await allocated();
    await core("auditor", { verb: "startAudit", ...ref(c) });
    return { ids: { ...ref(c), sectionId: SECTIONS[0]!.id }, typed: sectionAnswers(SECTIONS[0]!.id), state: auditState(c) };
  },
  "submit audit (submitAudit)": async () => {
    const c = await allocated();
    await allSectionsDone(c);
    return { ids: ref(c), typed: finalInputs("good"), state: auditState(c), secret: sectionAnswers(SECTIONS[0]!.id).overview };
  },
  "acknowledge escalation (acknowledgeEscalation)": async () => {
    const c = await newCase();
    const r = await core("auditor", { verb: "raiseUnsafe", month: "", caseRef: "", "unsafe.caseRef": c.caseRef, "unsafe.seen": SEEN, "unsafe.when": "current", "unsafe.urgency": "immediate" });
    expect(r.code).toBeUndefined();
    const escalation = (await h.core.escalations.listMonth(MONTH)).find((e) => e.caseRef === c.caseRef)!;
    expect(escalation.recipients).toEqual([PEOPLE.fsm.email]);
    return {
      ids: { escalationId: escalation.id },
      state: async () => {
        const found = await h.core.escalations.get(escalation.id);
        return found && { ...found.escalation, etag: found.version };
      },
      secret: SEEN,
    };
  },
  "reply to feedback (replyFeedback)": async () => {
    const c = await submitted(true);
    return {
      ids: { ...ref(c), auditVersion: 1 },
      typed: { "action.a1.response": "accept", "action.a1.date": "2027-01-14", lpComment: "Thank you, I will hold the review with the family next month." },
      state: feedbackState(c),
      secret: JUSTIFICATION,
    };
  },
  "release feedback (releaseFeedback)": async () => {
    const c = await submitted(false);
    return { ids: { ...ref(c), auditVersion: 1 }, state: feedbackState(c), secret: JUSTIFICATION };
  },
  "decide overdue audit (extendAudit)": async () => {
    const c = await allocated("2026-11", "2026-11-30");
    return { ids: ref(c, "2026-11"), typed: { newDueOn: "2026-12-17" }, state: auditState(c, "2026-11") };
  },
  "agree a moderated grade (agreeGrade)": async () => {
    const c = await moderatedAndDiffering();
    const state = async () => ({ moderation: await h.core.allocations.getModeration(MONTH, c.caseRef), feedback: await h.core.feedback.get(MONTH, c.caseRef) });
    return { ids: ref(c), typed: { agreedGrade: "requires-improvement", agreeReason: "The plan does not show the child's voice at all." }, state };
  },
  "answer a re-check (submitRecheck)": async () => {
    const c = await recheckSent();
    return { ids: { ...ref(c), round: "1" }, typed: { "recheck.outcome": "yes", "recheck.evidence": "The January TAF review recorded the child's views in full." }, state: feedbackState(c), secret: JUSTIFICATION };
  },
  "answer Still open? (answerStaleCase)": async () => {
    const c = await staleAsked();
    return { ids: ref(c), typed: { "stale.outcome": "closed", "stale.closedOn": "2026-11-30", "stale.reason": "Needs met" }, state: async () => h.core.staleChecks.get(MONTH, c.caseRef) };
  },
  "send a self-assessment (submitSelfAssessment)": async () => {
    const c = await allocated();
    const audit = (await h.core.allocations.get(MONTH, c.caseRef))!.audit;
    expect(await h.core.selfAssessments.create(requested(audit, PEOPLE.lp.email, h.core.selfAssessment.stage, h.clock.now()), [])).toBe("created");
    const typed = { ...Object.fromEntries(h.core.selfAssessment.stage.questions.map((q) => [`self.${q.section}.${q.question}`, "good"])), "self.overall": "good" };
    return { ids: ref(c), typed, state: async () => h.core.selfAssessments.get(MONTH, c.caseRef) };
  },
  "answer a Tier 1 check in the QA pool (submitTier1Check)": async () => {
    const c = { ...(await newCase()), lpManagerEmail: null };
    await h.core.cases.saveMany([c], new Map([[c.caseRef, c.serviceArea]]));
    expect(await importTier1Events(h.core, Buffer.from(`case_ref,event,event_date\n${c.caseRef},assessment,01/12/2026\n`), "test")).toMatchObject({ ok: true, value: { added: 1 } });
    const key = `${c.caseRef}|assessment|2026-12-01`;
    const typed = Object.fromEntries((await h.core.tier1.get("2026-12-01", key))!.check.checkIds.map((id) => [`tier1.${id}`, "yes"]));
    return { ids: { eventOn: "2026-12-01", key }, typed, state: async () => (await h.core.tier1.get("2026-12-01", key))?.check };
  },
};

const verbOf = (action: Action) => /\((\w+)\)$/.exec(action)![1]!;

function refusalHeading(action: Action, role: Role): string {
  if (role === "stranger") return "I don't know you yet";
  const verb = verbOf(action);
  if (["startAudit", "saveSection", "submitAudit"].includes(verb)) return "You cannot open this audit";
  if (verb.endsWith("Escalation")) return "You cannot act on this concern";
  if (["replyFeedback", "releaseFeedback"].includes(verb)) return "You cannot do that on this feedback";
  if (verb === "submitRecheck") return "You cannot answer this re-check";
  if (verb === "answerStaleCase") return "You cannot answer this";
  if (verb === "submitSelfAssessment") return "You cannot send this self-assessment";
  if (verb === "submitTier1Check") return "You cannot answer this check";
  return "Only the QA team can do that";
}

// ---------------------------------------------------------------------------------------------------------------
// Forged Slack requests
// ---------------------------------------------------------------------------------------------------------------

let nextTs = 0;

/** A press of a button with this action id and value, on a message in the person's own DM. */
function pressButton(user: SlackTestUser, verb: string, value: Record<string, unknown>) {
  const message: PostedMessage = {
    channel: dmOf(user),
    ts: `1765000000.${String(++nextTs).padStart(6, "0")}`,
    text: "",
    how: "post",
    blocks: [{ type: "actions", block_id: "actions", elements: [{ type: "button", action_id: verb, text: { type: "plain_text", text: verb }, value: JSON.stringify({ verb, ...value }) }] }],
  };
  return h.click(user, message, verb);
}

/** The submit of a bot modal whose private_metadata carries this verb and these ids, with these inputs typed. */
function submitModal(user: SlackTestUser, verb: string, ids: Record<string, unknown>, typed: Record<string, string> = {}) {
  const blocks = Object.keys(typed).map((id) => ({ type: "input", block_id: id, label: { type: "plain_text", text: id }, element: { type: "plain_text_input", action_id: "value" } }));
  const open: OpenView = { id: `VFORGED${++nextTs}`, view: { callback_id: "caf-form", private_metadata: JSON.stringify({ d: { verb, ...ids } }), blocks, title: { type: "plain_text", text: "CAF audit" } } };
  return h.submitView(user, open, typed);
}

/** Every row of every table with its ETag; the bot's memory of the messages it posted, and outbox ETags, left out. */
async function snapshot(): Promise<string[]> {
  const rows: string[] = [];
  for (const name of TABLE_NAMES) {
    for await (const e of h.tables.table(name).listEntities()) {
      if (name === "ChannelState" && e.partitionKey === "card") continue;
      rows.push(`${name}|${e.partitionKey}|${e.rowKey}${String(e.rowKey).startsWith("outbox-") ? "" : `|${e.etag}`}`);
    }
  }
  return rows.sort();
}

/** Every stored row of every table, as text: nothing about a stranger may be in it. */
async function everyRow(): Promise<string> {
  const rows: string[] = [];
  for (const name of TABLE_NAMES) for await (const e of h.tables.table(name).listEntities()) rows.push(JSON.stringify(e));
  return rows.join("\n");
}

const posted = (user: SlackTestUser, since: number) => h.slack.calls.slice(since).filter((c) => c.method === "chat.postMessage" && c.args.channel === dmOf(user) && c.result?.ok);

function expectClearSentence(text: string, expectedHeading: string, secret: string | undefined) {
  expect(text).toContain(expectedHeading);
  // A sentence a person can act on: more than the heading, ending like a sentence, no error codes.
  expect(text.replace(expectedHeading, "").trim()).toMatch(/[A-Za-z][^.]{15,}\./);
  expect(text).not.toMatch(/internal_error|undefined|\[object Object\]/);
  if (secret) expect(text).not.toContain(secret);
}

// ---------------------------------------------------------------------------------------------------------------
// The cells
// ---------------------------------------------------------------------------------------------------------------

describe("authorisation matrix over Slack /slack/events", () => {
  beforeAll(async () => {
    // No ladder steps or reminders while the matrix runs: every change to a row is the press under test.
    h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack", CAF_LADDER_INTERVAL_MS: "600000", CAF_RELAY_INTERVAL_MS: "100" }, NOW);
    await h.core.people.saveMany([...ROLES.filter((r) => r !== "stranger").map((r) => PEOPLE[r]), MANAGER]);
    for (const role of ROLES) users[role] = h.member(PEOPLE[role].name, PEOPLE[role].email);
    // The LP's manager gets the released feedback too; they are in Slack but never press anything here.
    h.member(MANAGER.name, MANAGER.email);
    // Everyone known has written to the bot once: linked, welcomed, their DM channel kept.
    for (const role of ROLES.filter((r) => r !== "stranger")) {
      await h.dm(users[role], "help");
      await eventually(() => h.messagesIn(dmOf(users[role])).length >= 2, 10_000, `${role} welcomed`);
      await eventually(async () => (await h.core.directory.identity(PEOPLE[role].email, "slack"))?.address.dmChannel, 10_000, `${role}'s DM kept`);
    }
  }, 60_000);
  afterAll(async () => h?.close());

  const cells = (Object.keys(MATRIX) as Action[]).flatMap((action) => ROLES.map((role, i) => ({ action, role, allowed: MATRIX[action][i]! })));

  it.each(cells)("$action by $role: allowed=$allowed", async ({ action, role, allowed }) => {
    const fixture = await FIXTURES[action]();
    // Whatever the arrangement queued (cards to the FSM, the LP, QA) is delivered before the press.
    await eventually(async () => (await h.core.outbox.undelivered()).length === 0, 10_000, "outbox delivered");
    const before = await fixture.state();
    const rows = await snapshot();
    const since = h.slack.calls.length;
    const user = users[role];
    const verb = verbOf(action);

    const res = TRANSPORT[action] === "button" ? await pressButton(user, verb, fixture.ids) : await submitModal(user, verb, fixture.ids, fixture.typed);
    expect(res.status).toBe(200);
    if (TRANSPORT[action] === "modal") {
      // Slack accepts an empty body or one of these four answers to a submit, and nothing else.
      if (res.text !== "") expect(["errors", "update", "push", "clear"]).toContain(res.body.response_action);
    }

    if (allowed) {
      await eventually(async () => JSON.stringify(await fixture.state()) !== JSON.stringify(before), 10_000, `${role} may ${action}: what is stored moves on`);
      const answered = [res.body?.view?.blocks ?? [], ...posted(user, since).map((c) => c.args.blocks)].map((b) => blocksText(b)).join("\n");
      expect(answered).not.toContain(refusalHeading(action, role));
      return;
    }

    // Refused: a sentence in the modal the answer pushes, or in the person's DM.
    const heading = refusalHeading(action, role);
    const pushed = res.body?.response_action === "push" ? blocksText(res.body.view.blocks) : "";
    const told = pushed.includes(heading)
      ? pushed
      : await eventually(() => posted(user, since).map((c) => blocksText(c.args.blocks)).find((t) => t.includes(heading)), 10_000, `${role} told "${heading}"`);
    expectClearSentence(told, heading, fixture.secret);
    // Nothing else reached the person (a refused action never opens the form or shows the case).
    for (const c of h.slack.calls.slice(since)) if (c.method === "views.open" || c.method === "views.update" || c.method === "chat.update") throw new Error(`${role}'s refused ${action} caused ${c.method}`);
    await new Promise((r) => setTimeout(r, 150));
    expect(await fixture.state(), `${role} may not ${action}`).toEqual(before);
    expect(await snapshot(), `${role}'s refused ${action} stored nothing anywhere`).toEqual(rows);
    if (role === "stranger") {
      expect(await h.core.directory.findByChannelUser("slack", user.id)).toBeUndefined();
      const stored = await everyRow();
      expect(stored, "the stranger's email is stored").not.toContain("sam.stranger@");
      expect(stored, "the stranger's Slack id is stored").not.toContain(user.id);
    }
  });

  it("the matrix covers every role for every action, and each action has someone allowed", () => {
    for (const [action, row] of Object.entries(MATRIX)) {
      expect(row, action).toHaveLength(ROLES.length);
      expect(row.some(Boolean), `${action} has someone allowed`).toBe(true);
    }
  });
});
