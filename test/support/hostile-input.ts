// Hostile input for the fuzz tests of both chat doors (test/hardening/fuzz-*.test.ts): wrong types, strings that
// break keys, filters, URLs and logs, someone else's ids, and card data built from them.
import fc from "fast-check";
import { VERBS } from "../../src/app/views";
import { SECTIONS } from "./audit-inputs";

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
