// Hostile input for the fuzz tests of both chat doors (test/hardening/fuzz-*.test.ts): wrong types, strings that
// break keys, filters, URLs and logs, someone else's ids, and card data built from them.
import fc from "fast-check";
import { VERBS } from "../../src/app/cards/views";
import type { Assignment } from "../../src/domain/allocation";
import type { Core } from "../../src/wiring";
import { pad, sectionAnswers, SECTIONS } from "./audit-inputs";

/** 100,000 characters: well past every length limit the bot has, well under the 1 MB body limit. */
export const HUGE = 100_000;

/** Characters that break Azure Table keys, OData filters, URLs, log lines or terminals. */
export const BREAKERS = ["/", "\\", "#", "?", "%", "'", '"', "\u0000", "\u0001", "\u001f", "\u007f", "\u0085", "\u009f", "\n", "\r\n", "\t", "\ufeff", "\u202e", "\ud800", "😀"];

export const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

export const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...BREAKERS), fc.string({ maxLength: 8 })).map(([a, b, c]) => a + b + c),
  fc.constantFrom(...BREAKERS).map((c) => c.repeat(Math.ceil(HUGE / c.length)).slice(0, HUGE)),
  fc.constantFrom("", " ", "..", "../CAF-1003", "esc-2026-12-", "esc-2026-12-'or''='", "2026-13", "0000-00", "2026-12 ", "__proto__", "constructor", "PartitionKey eq 'x'"),
);

/** A real id (someone else's, or one the actor owns made different by a key-breaking character), or anything hostile. */
export function idFrom(others: readonly string[], own: readonly string[] = []) {
  const mutated = fc.tuple(fc.constantFrom(...others, ...own), fc.constantFrom(...BREAKERS), fc.boolean()).map(([id, c, front]) => (front ? c + id : id + c));
  return fc.oneof({ arbitrary: fc.constantFrom(...others), weight: 3 }, { arbitrary: mutated, weight: 2 }, { arbitrary: hostileString, weight: 2 }, { arbitrary: wrongType, weight: 1 });
}

/** Something that is never a valid "what was seen" (too short, too long or not text), so nothing is ever raised. */
export const neverValidSeen = fc.oneof(fc.constantFrom("", "short", "  a  "), fc.constant("y".repeat(HUGE)), wrongType);

export interface Targets {
  /** Ben's audits and another auditor's: another user's case ids. */
  othersCases: string[];
  /** Asha's own audits: only ever sent with a character that makes them a different id. */
  ownCases: string[];
  escalationId: string;
}

/** The data a button or a card carries: a verb and ids, any of them hostile, with stray extra fields. */
export function cardData(t: Targets, month: string) {
  const verb = fc.oneof({ arbitrary: fc.constantFrom(...Object.values(VERBS)), weight: 4 }, { arbitrary: hostileString, weight: 1 }, { arbitrary: wrongType, weight: 1 });
  const fields = fc.record(
    {
      month: fc.oneof({ arbitrary: fc.constantFrom(month, "2026-11"), weight: 3 }, hostileString, wrongType),
      caseRef: idFrom(t.othersCases, t.ownCases),
      escalationId: idFrom([t.escalationId]),
      sectionId: idFrom(SECTIONS.map((s) => s.id)),
      auditVersion: fc.oneof(fc.constantFrom("1", "0", 1), hostileString, wrongType),
      newDueOn: fc.oneof(fc.constantFrom("2026-12-15", "2027-01-04"), hostileString, wrongType),
      reason: fc.oneof(hostileString, wrongType),
      resolvedOutcome: fc.oneof(hostileString, wrongType),
      mashOutcome: fc.oneof(hostileString, wrongType),
      closeReason: fc.oneof(hostileString, wrongType),
      grade: fc.oneof(fc.constantFrom("good", "inadequate"), hostileString, wrongType),
      "unsafe.caseRef": idFrom(t.othersCases, t.ownCases),
      "unsafe.seen": neverValidSeen,
      "unsafe.when": fc.oneof(fc.constantFrom("current", "past"), hostileString),
      "action.a1.response": fc.oneof(fc.constantFrom("accept", "change"), hostileString),
      "action.a1.done": fc.oneof(fc.constantFrom("done", "not-done"), hostileString),
      lpComment: fc.oneof(hostileString, wrongType),
    },
    { requiredKeys: [] },
  );
  const extra = fc.dictionary(hostileString.filter((k) => k.length < 200), fc.oneof(hostileString, wrongType, fc.jsonValue({ maxDepth: 4 })), { maxKeys: 3 });
  return fc.tuple(verb, fields, extra).map(([v, f, x]) => ({ ...x, ...f, verb: v }) as Record<string, unknown>);
}

/** A JSON text nested `levels` deep, as a string (JSON.stringify of such an object would overflow). */
export const bomb = (levels: number) => '{"a":'.repeat(levels) + "1" + "}".repeat(levels);

/** The month a fuzz attacks, and the replies to the owner's submit and concern, for the caller to check. */
export interface StagedTargets<R> {
  targets: Targets;
  submitted: string;
  inProgress: string;
  final: R;
  raised: R;
}

const JUSTIFICATION = "The assessment is sound but the TAF plan is not reviewed often enough and the child's voice fades later on.";

/**
 * Stages the month a fuzz attacks through the chat it drives (`press` sends one card action as the owner): the owner
 * has one audit in progress, one submitted (its feedback waiting for QA) and a concern with the FSM; the attacker
 * has audits of their own.
 */
export async function stageTargets<R>(
  core: Core,
  month: string,
  assignments: readonly Assignment[],
  people: { attacker: string; owner: string },
  press: (data: Record<string, unknown>) => Promise<R>,
): Promise<StagedTargets<R>> {
  const own = assignments.filter((a) => a.auditorEmail === people.attacker).map((a) => a.caseRef);
  const owners = assignments.filter((a) => a.auditorEmail === people.owner).map((a) => a.caseRef);
  const cases = await core.cases.all();
  // The owner's audit to submit: one whose feedback the attacker has no part in (not its LP or their manager).
  const submitted = owners.find((ref) => {
    const c = cases.find((x) => x.caseRef === ref)!;
    return c.leadProfessionalEmail !== people.attacker && c.lpManagerEmail !== people.attacker;
  })!;
  const inProgress = owners.find((ref) => ref !== submitted)!;

  await press({ verb: "startAudit", month, caseRef: inProgress });
  const ref = { month, caseRef: submitted };
  await press({ verb: "startAudit", ...ref });
  for (const s of SECTIONS) await press({ verb: "saveSection", ...ref, sectionId: s.id, ...sectionAnswers(s.id) });
  const final = await press({ verb: "submitAudit", ...ref, grade: "requires-improvement", justification: pad(JUSTIFICATION, 50), "actions.0.action": "Hold a TAF review", "actions.0.byWhom": "Lead professional", "actions.0.byWhen": "2027-01-15" });
  const raised = await press({ verb: "raiseUnsafe", month, caseRef: inProgress, "unsafe.seen": "The home visit on the file never happened, according to the school.", "unsafe.when": "current", "unsafe.urgency": "immediate" });
  const escalation = (await core.escalations.listMonth(month)).find((e) => e.caseRef === inProgress)!;

  const otherAuditors = assignments.filter((a) => a.auditorEmail !== people.attacker && a.auditorEmail !== people.owner).map((a) => a.caseRef);
  const unallocated = cases.map((c) => c.caseRef).find((r) => !assignments.some((a) => a.caseRef === r))!;
  return { targets: { othersCases: [...owners, ...otherAuditors.slice(0, 2), unallocated], ownCases: own, escalationId: escalation.id }, submitted, inProgress, final, raised };
}
