// Hardening (issue 10): who may do what, through the real bot (HTTP /api/messages, CloudAdapter, Azurite).
// One literal table says, for every action a card offers, which of nine people may do it. Each cell runs on its own
// fresh case, audit, escalation or feedback, so cells cannot lean on each other:
// - allowed: the person's press changes what is stored (the audit, escalation or feedback moves on);
// - refused: a card with a clear sentence comes back, and every row of every table is exactly as it was
//   (keys and ETags), so nothing was stored half-way and no message was queued.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newAudit } from "../../src/domain/audit";
import { newModeration } from "../../src/domain/moderation";
import { sendRecheck } from "../../src/domain/recheck";
import { requested } from "../../src/domain/self-assessment";
import { supervisionsDue } from "../../src/domain/supervision";
import { staleChecksDue } from "../../src/domain/stale-case";
import { importTier1Events } from "../../src/app/allocation/import-tier1-events";
import type { CaseFile } from "../../src/domain/case-file";
import type { Person } from "../../src/domain/person";
import { sectionAnswers, SECTIONS } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import { aCase } from "../support/builders";
import type { TeamsUser } from "../support/teams-activities";
import { act, cardText, heading, sayAndRead, snapshot, type Card } from "../support/teams-cards";

const MONTH = "2026-12";
/** Thursday 10 December 2026, 10:00 in London: November's audits are overdue, December's are not. */
const NOW = "2026-12-10T10:00:00.000Z";

// ---------------------------------------------------------------------------------------------------------------
// The people
// ---------------------------------------------------------------------------------------------------------------

type Role = "auditor" | "otherAuditor" | "qa" | "fsm" | "serviceLeader" | "lp" | "lpManager" | "champion" | "stranger";
const ROLES: readonly Role[] = ["auditor", "otherAuditor", "qa", "fsm", "serviceLeader", "lp", "lpManager", "champion", "stranger"];

/** One role each, so every cell is about that role. The stranger is known to Teams but not in the people list. */
const PEOPLE: Record<Role, Person> = {
  auditor: person("ada.allocated@council.gov.uk", "Ada Allocated", "auditor"),
  otherAuditor: person("bo.other@council.gov.uk", "Bo Other", "auditor"),
  qa: person("quinn.qa@council.gov.uk", "Quinn QA", "qa"),
  fsm: person("faye.fsm@council.gov.uk", "Faye FSM", "fsm"),
  serviceLeader: person("sol.leader@council.gov.uk", "Sol Leader", "service_leader"),
  lp: person("lee.lp@council.gov.uk", "Lee LP", "lead_professional"),
  lpManager: person("max.manager@council.gov.uk", "Max Manager", "manager"),
  champion: person("cam.champion@council.gov.uk", "Cam Champion", "champion"),
  stranger: person("sam.stranger@elsewhere.example.org", "Sam Stranger", "auditor"),
};

function person(email: string, name: string, role: Person["roles"][number]): Person {
  return { email, name, roles: [role], serviceArea: "North", managerEmail: null, monthlyCapacity: role === "auditor" ? 3 : 0 };
}

// ---------------------------------------------------------------------------------------------------------------
// THE MATRIX: who may do what. Y = allowed (the state changes), - = refused (a sentence, nothing stored).
// ---------------------------------------------------------------------------------------------------------------

type Action =
  | "open audit (startAudit)"
  | "submit section (saveSection)"
  | "submit audit (submitAudit)"
  | "raise unsafe practice (raiseUnsafe)"
  | "acknowledge escalation (acknowledgeEscalation)"
  | "resolve escalation (resolveEscalation)"
  | "reply to feedback as LP (replyFeedback)"
  | "confirm action done (confirmActions)"
  | "release feedback (releaseFeedback)"
  | "extend overdue audit (extendAudit)"
  | "reallocate overdue audit (reallocateAudit)"
  | "agree a moderated grade (agreeGrade)"
  | "answer a re-check (submitRecheck)"
  | "answer Still open? (answerStaleCase)"
  | "send a self-assessment (submitSelfAssessment)"
  | "save a supervision checklist (submitSupervision)"
  | "answer a Tier 1 check (submitTier1Check)"
  | "answer a Tier 1 check in the QA pool (submitTier1Check)";

const Y = true;
const _ = false;

// prettier-ignore
const MATRIX: Record<Action, readonly boolean[]> = {
  //                                                auditor other  qa   fsm  leader  lp  lpMgr champ stranger
  "open audit (startAudit)":                        [Y,      _,     _,   _,   _,      _,  _,    _,    _],
  "submit section (saveSection)":                   [Y,      _,     _,   _,   _,      _,  _,    _,    _],
  "submit audit (submitAudit)":                     [Y,      _,     _,   _,   _,      _,  _,    _,    _],
  // Any auditor or QA, on any case in the register: a concern must never wait for the allocation.
  "raise unsafe practice (raiseUnsafe)":            [Y,      Y,     Y,   _,   _,      _,  _,    _,    _],
  // Only the people it was sent to: the FSM; the Service Leader only once the ladder has climbed to them.
  "acknowledge escalation (acknowledgeEscalation)": [_,      _,     _,   Y,   _,      _,  _,    _,    _],
  "resolve escalation (resolveEscalation)":         [_,      _,     _,   Y,   _,      _,  _,    _,    _],
  "reply to feedback as LP (replyFeedback)":        [_,      _,     _,   _,   _,      Y,  _,    _,    _],
  "confirm action done (confirmActions)":           [_,      _,     _,   _,   _,      _,  Y,    _,    _],
  "release feedback (releaseFeedback)":             [_,      _,     Y,   _,   _,      _,  _,    _,    _],
  "extend overdue audit (extendAudit)":             [_,      _,     Y,   _,   _,      _,  _,    _,    _],
  "reallocate overdue audit (reallocateAudit)":     [_,      _,     Y,   _,   _,      _,  _,    _,    _],
  // Not even the case's two auditors (here "auditor" and "other"): the QA team settles a moderated grade.
  "agree a moderated grade (agreeGrade)":           [_,      _,     Y,   _,   _,      _,  _,    _,    _],
  // Only the auditor the re-check was sent to: not the QA team, another auditor, or the case's own people.
  "answer a re-check (submitRecheck)":              [Y,      _,     _,   _,   _,      _,  _,    _,    _],
  // Only the case's lead professional, whom it was sent to: not their manager, the QA team or an auditor.
  "answer Still open? (answerStaleCase)":           [_,      _,     _,   _,   _,      Y,  _,    _,    _],
  // Only the lead professional it was sent to: not their manager, the auditor or the QA team.
  "send a self-assessment (submitSelfAssessment)":  [_,      _,     _,   _,   _,      Y,  _,    _,    _],
  // Only the case's manager: not the lead professional, the QA team or the Service Leader.
  "save a supervision checklist (submitSupervision)": [_,    _,     _,   _,   _,      _,  Y,    _,    _],
  // Only the LP's manager it was addressed to: never the LP, and not the QA team while a manager has it.
  "answer a Tier 1 check (submitTier1Check)":       [_,      _,     _,   _,   _,      _,  Y,    _,    _],
  // No separate manager recorded: the QA team's pool, still never the LP.
  "answer a Tier 1 check in the QA pool (submitTier1Check)": [_, _, Y,   _,   _,      _,  _,    _,    _],
};

// Not in the matrix because no chat user can trigger them: the monthly allocation and the digest and report data are
// CLI-only (`caf-audit allocate`, `caf-audit digest`, `caf-audit report`, run by the QA team against the tables) or
// scheduled jobs. The last describe block checks that no verb or words in the chat reach them.

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: each cell gets its own case in the state the action needs
// ---------------------------------------------------------------------------------------------------------------

const SEEN = "The home visit recorded on 3 November never happened, according to the school nurse.";
const JUSTIFICATION = "The assessment is sound but the plan is not reviewed often enough, and the child's voice fades later on.";

interface Fixture {
  /** What the card's button sends (ids and inputs). */
  data: Record<string, unknown>;
  /** What an allowed press must change, read from storage. */
  state(): Promise<unknown>;
  /** Text on the case that a refused person must never be shown. */
  secret?: string;
}

interface Scene {
  h: Harness;
  users: Record<Role, TeamsUser>;
}

let nextCase = 0;
async function newCase(s: Scene): Promise<CaseFile> {
  const c = aCase({ caseRef: `AUTH-${String(++nextCase).padStart(3, "0")}`, serviceArea: "North", leadProfessionalEmail: PEOPLE.lp.email, lpManagerEmail: PEOPLE.lpManager.email });
  await s.h.core.cases.saveMany([c], new Map());
  return c;
}

/** An audit of a new case allocated to the allocated auditor, due on `dueOn`. */
async function allocated(s: Scene, month = MONTH, dueOn = "2026-12-31"): Promise<CaseFile> {
  const c = await newCase(s);
  const audit = newAudit({ caseRef: c.caseRef, serviceArea: c.serviceArea, auditorEmail: PEOPLE.auditor.email, month, dueOn, toolkitId: "tier2-caf", allocatedAt: "2026-12-01T09:00:00.000Z" });
  await s.h.core.allocations.createAudits(month, [{ audit, outbox: [] }]);
  return c;
}

const ref = (c: CaseFile, month = MONTH) => ({ month, caseRef: c.caseRef });
const auditState = (s: Scene, c: CaseFile, month = MONTH) => async () => {
  const found = await s.h.core.allocations.get(month, c.caseRef);
  return found && { ...found.audit, etag: found.version };
};

/** The allocated auditor fills every section: the next card is the final one. */
async function allSectionsDone(s: Scene, c: CaseFile): Promise<void> {
  await act(s.h, s.users.auditor, "startAudit", ref(c));
  for (const section of SECTIONS) await act(s.h, s.users.auditor, "saveSection", { ...ref(c), sectionId: section.id, ...sectionAnswers(section.id) });
}

const finalInputs = (grade: string) => ({
  grade,
  justification: JUSTIFICATION,
  "actions.0.action": "Hold a TAF review and record the child's views in it",
  "actions.0.byWhom": "Lead professional",
  "actions.0.byWhen": "2027-01-15",
});

/** A submitted audit below good, its feedback waiting for the QA team (or released by them). */
async function submitted(s: Scene, release: boolean): Promise<CaseFile> {
  const c = await allocated(s);
  await allSectionsDone(s, c);
  const done = await act(s.h, s.users.auditor, "submitAudit", { ...ref(c), ...finalInputs("requires-improvement") });
  expect(heading(done.card)).toBe("Audit submitted");
  if (release) await act(s.h, s.users.qa, "releaseFeedback", { ...ref(c), auditVersion: 1 });
  expect((await s.h.core.feedback.get(MONTH, c.caseRef))?.feedback.status).toBe(release ? "released" : "awaiting_review");
  return c;
}

const feedbackState = (s: Scene, c: CaseFile) => async () => {
  const found = await s.h.core.feedback.get(MONTH, c.caseRef);
  return found && { ...found.feedback, etag: found.version };
};

/** A concern raised by the allocated auditor on a new case: it goes to the FSM. */
async function raised(s: Scene): Promise<{ c: CaseFile; escalationId: string }> {
  const c = await newCase(s);
  const r = await act(s.h, s.users.auditor, "raiseUnsafe", { month: "", caseRef: "", "unsafe.caseRef": c.caseRef, "unsafe.seen": SEEN, "unsafe.when": "current", "unsafe.urgency": "immediate" });
  expect(heading(r.card)).toBe(`Unsafe practice raised on ${c.caseRef}`);
  const escalation = (await s.h.core.escalations.listMonth(MONTH)).find((e) => e.caseRef === c.caseRef)!;
  expect(escalation.recipients).toEqual([PEOPLE.fsm.email]);
  return { c, escalationId: escalation.id };
}

const escalationState = (s: Scene, id: string) => async () => {
  const found = await s.h.core.escalations.get(id);
  return found && { ...found.escalation, etag: found.version };
};

/** A moderated case: the allocated auditor graded it Good, the other auditor (its second auditor) Requires Improvement. */
async function moderatedAndDiffering(s: Scene): Promise<CaseFile> {
  const c = await newCase(s);
  const base = { caseRef: c.caseRef, serviceArea: c.serviceArea, month: MONTH, dueOn: "2026-12-31", toolkitId: "tier2-caf", allocatedAt: "2026-12-01T09:00:00.000Z", moderated: true };
  const first = newAudit({ ...base, auditorEmail: PEOPLE.auditor.email, pass: "first" });
  const second = newAudit({ ...base, auditorEmail: PEOPLE.otherAuditor.email, pass: "second" });
  await s.h.core.allocations.createAudits(MONTH, [{ audit: first, outbox: [], moderation: newModeration(first, second) }, { audit: second, outbox: [] }]);
  for (const [user, grade] of [[s.users.auditor, "good"], [s.users.otherAuditor, "requires-improvement"]] as const) {
    await act(s.h, user, "startAudit", ref(c));
    for (const section of SECTIONS) await act(s.h, user, "saveSection", { ...ref(c), sectionId: section.id, ...sectionAnswers(section.id) });
    expect(heading((await act(s.h, user, "submitAudit", { ...ref(c), ...finalInputs(grade) })).card)).toBe("Audit submitted");
  }
  expect((await s.h.core.allocations.getModeration(MONTH, c.caseRef))?.moderation.status).toBe("awaiting_agreement");
  return c;
}

/** A released audit below good whose action the manager confirmed: its re-check is with the allocated auditor. */
async function recheckSent(s: Scene): Promise<CaseFile> {
  const c = await submitted(s, true);
  await act(s.h, s.users.lpManager, "confirmActions", { ...ref(c), auditVersion: 1, "action.a1.done": "done", "action.a1.note": "Review held on 12 January with the child's views." });
  const found = (await s.h.core.feedback.get(MONTH, c.caseRef))!;
  expect(found.feedback.rechecks?.[0]?.status).toBe("scheduled");
  // As the reminder job does on its day (the job itself is held off while the matrix runs).
  await s.h.core.feedback.update(sendRecheck(found.feedback, PEOPLE.auditor.email, s.h.clock.now()), found.version, {});
  return c;
}

/** A case open since 2024 with nothing recorded since: the month's run has put it to its LP. */
async function staleAsked(s: Scene): Promise<CaseFile> {
  const c = await newCase(s);
  const [check] = staleChecksDue([c], [], s.h.clock.now(), MONTH, s.h.core.staleRules);
  expect(await s.h.core.staleChecks.create(check!, [])).toBe("created");
  return c;
}

/** A Tier 1 event on a new case, recorded as the import does: its check waits for the case's checker. */
async function tier1Waiting(s: Scene, withManager: boolean): Promise<Fixture> {
  const c = await newCase(s);
  if (!withManager) await s.h.core.cases.saveMany([{ ...c, lpManagerEmail: null }], new Map([[c.caseRef, c.serviceArea]]));
  const r = await importTier1Events(s.h.core, Buffer.from(`case_ref,event,event_date\n${c.caseRef},closure,01/12/2026\n`), "test");
  expect(r).toMatchObject({ ok: true, value: { added: 1 } });
  const key = `${c.caseRef}|closure|2026-12-01`;
  const answers = Object.fromEntries((await s.h.core.tier1.get("2026-12-01", key))!.check.checkIds.map((id) => [`tier1.${id}`, "yes"]));
  return { data: { eventOn: "2026-12-01", key, ...answers }, state: async () => (await s.h.core.tier1.get("2026-12-01", key))?.check };
}

const FIXTURES: Record<Action, (s: Scene) => Promise<Fixture>> = {
  "open audit (startAudit)": async (s) => {
    const c = await allocated(s);
    return { data: ref(c), state: auditState(s, c) };
  },
  "submit section (saveSection)": async (s) => {
    const c = await allocated(s);
    await act(s.h, s.users.auditor, "startAudit", ref(c));
    return { data: { ...ref(c), sectionId: SECTIONS[0]!.id, ...sectionAnswers(SECTIONS[0]!.id) }, state: auditState(s, c) };
  },
  "submit audit (submitAudit)": async (s) => {
    const c = await allocated(s);
    await allSectionsDone(s, c);
    return { data: { ...ref(c), ...finalInputs("good") }, state: auditState(s, c), secret: sectionAnswers(SECTIONS[0]!.id).overview };
  },
  "raise unsafe practice (raiseUnsafe)": async (s) => {
    const c = await newCase(s);
    return {
      data: { month: "", caseRef: "", "unsafe.caseRef": c.caseRef, "unsafe.seen": SEEN, "unsafe.when": "current", "unsafe.urgency": "immediate" },
      state: async () => (await s.h.core.escalations.listMonth(MONTH)).filter((e) => e.caseRef === c.caseRef),
    };
  },
  "acknowledge escalation (acknowledgeEscalation)": async (s) => {
    const { escalationId } = await raised(s);
    return { data: { escalationId }, state: escalationState(s, escalationId), secret: SEEN };
  },
  "resolve escalation (resolveEscalation)": async (s) => {
    const { escalationId } = await raised(s);
    return { data: { escalationId, resolvedOutcome: "Spoke to the lead professional and MASH; a safety plan is in place." }, state: escalationState(s, escalationId), secret: SEEN };
  },
  "reply to feedback as LP (replyFeedback)": async (s) => {
    const c = await submitted(s, true);
    return {
      data: { ...ref(c), auditVersion: 1, "action.a1.response": "accept", "action.a1.date": "2027-01-14", lpComment: "Thank you, I will hold the review with the family next month." },
      state: feedbackState(s, c),
      secret: JUSTIFICATION,
    };
  },
  "confirm action done (confirmActions)": async (s) => {
    const c = await submitted(s, true);
    return { data: { ...ref(c), auditVersion: 1, "action.a1.done": "done", "action.a1.note": "Review held on 12 January with the child's views." }, state: feedbackState(s, c), secret: JUSTIFICATION };
  },
  "release feedback (releaseFeedback)": async (s) => {
    const c = await submitted(s, false);
    return { data: { ...ref(c), auditVersion: 1 }, state: feedbackState(s, c), secret: JUSTIFICATION };
  },
  "extend overdue audit (extendAudit)": async (s) => {
    const c = await allocated(s, "2026-11", "2026-11-30");
    return { data: { ...ref(c, "2026-11"), newDueOn: "2026-12-17" }, state: auditState(s, c, "2026-11") };
  },
  "reallocate overdue audit (reallocateAudit)": async (s) => {
    const c = await allocated(s, "2026-11", "2026-11-30");
    return { data: { ...ref(c, "2026-11"), newDueOn: "2026-12-17" }, state: auditState(s, c, "2026-11") };
  },
  "agree a moderated grade (agreeGrade)": async (s) => {
    const c = await moderatedAndDiffering(s);
    const state = async () => ({ moderation: await s.h.core.allocations.getModeration(MONTH, c.caseRef), feedback: await s.h.core.feedback.get(MONTH, c.caseRef) });
    return { data: { ...ref(c), agreedGrade: "requires-improvement", agreeReason: "The plan does not show the child's voice at all." }, state };
  },
  "send a self-assessment (submitSelfAssessment)": async (s) => {
    const c = await allocated(s);
    const audit = (await s.h.core.allocations.get(MONTH, c.caseRef))!.audit;
    expect(await s.h.core.selfAssessments.create(requested(audit, PEOPLE.lp.email, s.h.core.selfAssessment.stage, s.h.clock.now()), [])).toBe("created");
    const grades = Object.fromEntries(s.h.core.selfAssessment.stage.questions.map((q) => [`self.${q.section}.${q.question}`, "good"]));
    const state = async () => {
      const found = await s.h.core.selfAssessments.get(MONTH, c.caseRef);
      return found && { ...found.selfAssessment, etag: found.version };
    };
    return { data: { ...ref(c), ...grades, "self.overall": "good" }, state };
  },
  "save a supervision checklist (submitSupervision)": async (s) => {
    const c = await newCase(s);
    const [due] = supervisionsDue([c], "2026-10", s.h.core.supervision.stage, s.h.clock.now());
    expect(await s.h.core.supervisions.create(due!)).toBe("created");
    const answers = Object.fromEntries(s.h.core.supervision.stage.items.map((i) => [`sup.${i.id}`, "yes"]));
    const state = async () => {
      const found = await s.h.core.supervisions.get("2026-10", c.caseRef);
      return found && { ...found.supervision, etag: found.version };
    };
    return { data: { quarter: "2026-10", caseRef: c.caseRef, ...answers }, state };
  },
  "answer a re-check (submitRecheck)": async (s) => {
    const c = await recheckSent(s);
    return { data: { ...ref(c), round: "1", "recheck.outcome": "yes", "recheck.evidence": "The January TAF review recorded the child's views in full." }, state: feedbackState(s, c), secret: JUSTIFICATION };
  },
  "answer Still open? (answerStaleCase)": async (s) => {
    const c = await staleAsked(s);
    return { data: { ...ref(c), "stale.outcome": "closed", "stale.closedOn": "2026-11-30", "stale.reason": "Needs met" }, state: async () => s.h.core.staleChecks.get(MONTH, c.caseRef) };
  },
  "answer a Tier 1 check (submitTier1Check)": (s) => tier1Waiting(s, true),
  "answer a Tier 1 check in the QA pool (submitTier1Check)": (s) => tier1Waiting(s, false),
};

/** The verb each action's button sends. */
const verbOf = (action: Action) => /\((\w+)\)$/.exec(action)![1]!;

/** The heading of the card a refused person gets, by the kind of action (a stranger is always told whom to ask). */
function refusalHeading(action: Action, role: Role): string {
  if (role === "stranger") return "I don't know you yet";
  const verb = verbOf(action);
  if (["startAudit", "saveSection", "submitAudit"].includes(verb)) return "You cannot open this audit";
  if (verb === "raiseUnsafe") return "Tell the Family Support Manager directly";
  if (verb.endsWith("Escalation")) return "You cannot act on this concern";
  if (["replyFeedback", "confirmActions", "releaseFeedback"].includes(verb)) return "You cannot do that on this feedback";
  if (verb === "submitRecheck") return "You cannot answer this re-check";
  if (verb === "submitSelfAssessment") return "You cannot send this self-assessment";
  if (verb === "submitSupervision") return "You cannot open this checklist";
  if (verb === "answerStaleCase") return "You cannot answer this";
  if (verb === "submitTier1Check") return "You cannot answer this check";
  return "Only the QA team can do that";
}

function expectClearRefusal(card: Card, expectedHeading: string, secret: string | undefined) {
  expect(heading(card)).toBe(expectedHeading);
  const text = cardText(card);
  // A sentence a person can act on: more than the heading, ending like a sentence, no error codes.
  expect(text.replace(expectedHeading, "").trim()).toMatch(/[A-Za-z][^.]{15,}\./);
  expect(text).not.toMatch(/internal_error|undefined|\[object Object\]/);
  // Nothing confidential about the case reaches someone who may not act on it.
  if (secret) expect(text).not.toContain(secret);
}

// ---------------------------------------------------------------------------------------------------------------
// The cells
// ---------------------------------------------------------------------------------------------------------------

describe("authorisation matrix over /api/messages", () => {
  const s = {} as Scene;

  beforeAll(async () => {
    // No ladder steps or reminders while the matrix runs: every change to a row is the press under test.
    s.h = await startHarness({ CAF_LADDER_INTERVAL_MS: "600000", CAF_RELAY_INTERVAL_MS: "100" }, NOW);
    await s.h.core.people.saveMany(ROLES.filter((r) => r !== "stranger").map((r) => PEOPLE[r]));
    s.users = {} as Record<Role, TeamsUser>;
    for (const role of ROLES) {
      s.users[role] = s.h.user(PEOPLE[role].name, PEOPLE[role].email);
      expect((await s.h.install(s.users[role])).status).toBe(200);
    }
  }, 60_000);
  afterAll(async () => s.h?.close());

  const cells = (Object.keys(MATRIX) as Action[]).flatMap((action) => ROLES.map((role, i) => ({ action, role, allowed: MATRIX[action][i]! })));

  it.each(cells)("$action by $role: allowed=$allowed", async ({ action, role, allowed }) => {
    const fixture = await FIXTURES[action](s);
    const before = await fixture.state();
    const rows = await snapshot(s.h);

    const pressed = await act(s.h, s.users[role], verbOf(action), fixture.data);

    if (allowed) {
      expect(heading(pressed.card)).not.toBe(refusalHeading(action, role));
      expect(await fixture.state(), `${role} may ${action}: what is stored moves on`).not.toEqual(before);
      return;
    }
    expectClearRefusal(pressed.card, refusalHeading(action, role), fixture.secret);
    expect(await fixture.state(), `${role} may not ${action}`).toEqual(before);
    expect(await snapshot(s.h), `${role}'s refused ${action} stored nothing anywhere`).toEqual(rows);
  });

  it("the matrix covers every role for every action, and each action has someone allowed", () => {
    for (const [action, row] of Object.entries(MATRIX)) {
      expect(row, action).toHaveLength(ROLES.length);
      expect(row.some(Boolean), `${action} has someone allowed`).toBe(true);
    }
  });

  // Reads: the list of overdue corrective actions (case references and counts) is for the Service Leader and QA.
  // prettier-ignore
  const OVERDUE_LIST: Record<Role, boolean> = { auditor: _, otherAuditor: _, qa: Y, fsm: _, serviceLeader: Y, lp: _, lpManager: _, champion: _, stranger: _ };
  it.each(ROLES.map((role) => ({ role, allowed: OVERDUE_LIST[role] })))("typing overdue actions as $role: shown=$allowed", async ({ role, allowed }) => {
    const rows = await snapshot(s.h);
    const card = await sayAndRead(s.h, s.users[role], "overdue actions");
    if (role === "stranger") expect(heading(card)).toBe("I don't know you yet");
    else if (allowed) expect(heading(card)).toMatch(/overdue actions|No overdue actions/);
    else expect(cardText(card)).toContain("This list is for the Service Leader and the QA team.");
    expect(await snapshot(s.h)).toEqual(rows);
  });

  // CLI-only: the monthly allocation and the digest and report data have no button and no words in the chat. Even
  // the QA team and the Service Leader, who run them from the command line, get the "out of date" or help card.
  it.each((["qa", "serviceLeader", "champion", "auditor"] as const).map((role) => ({ role })))("$role cannot allocate a month or pull digest data from the chat", async ({ role }) => {
    const rows = await snapshot(s.h);
    for (const verb of ["allocate", "allocateMonth", "runAllocation", "monthly-allocation", "digest", "postDigest", "digestFigures", "report", "importCases", "importPeople", "importEvents", "importTier1Events"]) {
      const pressed = await act(s.h, s.users[role], verb, { month: "2027-01", from: "2026-01", to: "2026-12" });
      expect(heading(pressed.card), verb).toBe("That button no longer works");
    }
    for (const words of ["allocate", "allocate --month 2027-01", "caf-audit allocate --month 2027-01", "digest", "caf-audit digest --month 2026-11 --json", "report"]) {
      const card = await sayAndRead(s.h, s.users[role], words);
      expect(heading(card), words).toBe("What I can do");
      expect(cardText(card)).not.toMatch(/completion rate|coverage/i);
    }
    expect(await s.h.core.allocations.getPlan("2027-01")).toBeUndefined();
    expect(await snapshot(s.h)).toEqual(rows);
  });
});
