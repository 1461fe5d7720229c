// Which of the month's allocated cases are also audited, blind, by a second auditor, and by whom: the same rules as
// the first allocation (never someone involved, never past capacity, spread across auditors), drawn from the seed.
import type { Assignment, AuditorSlot } from "./allocation";
import { conflictedEmails, type CaseFile } from "./case-file";
import { shuffled, type RandomSource } from "./random";

export const DEFAULT_MODERATION_SHARE = 0.2;
/** Below this many allocated cases a month may have no moderated case; from it, at least one. */
export const MODERATION_MIN_SAMPLE = 5;

export interface SecondAssignment {
  caseRef: string;
  serviceArea: string;
  auditorEmail: string;
}

/** How many of `allocated` cases are moderated: the share, rounded down, and at least 1 from 5 cases. */
export function moderatedCount(allocated: number, share: number): number {
  if (share <= 0) return 0;
  const count = Math.floor(allocated * share);
  return allocated >= MODERATION_MIN_SAMPLE ? Math.max(1, count) : count;
}

/**
 * Picks the moderated cases at random and gives each the eligible auditor with the fewest second audits, then the
 * lightest month, then a seeded rank. Capacity counts first and second audits together. A picked case with no
 * eligible auditor is passed over for the next one, so the count is met whenever it can be; `unplaced` says how
 * many could not be.
 */
export function selectModeration(
  assignments: readonly Assignment[],
  cases: readonly CaseFile[],
  auditors: readonly AuditorSlot[],
  share: number,
  random: RandomSource,
): { seconds: SecondAssignment[]; unplaced: number } {
  const wanted = moderatedCount(assignments.length, share);
  if (wanted === 0) return { seconds: [], unplaced: 0 };
  const byRef = new Map(cases.map((c) => [c.caseRef, c]));
  const rank = new Map(shuffled([...auditors].map((a) => a.email.toLowerCase()).sort(), random).map((email, i) => [email, i]));
  const load = new Map(auditors.map((a) => [a.email.toLowerCase(), 0]));
  for (const a of assignments) load.set(a.auditorEmail, (load.get(a.auditorEmail) ?? 0) + 1);
  const seconds = new Map<string, number>();
  const capacity = new Map(auditors.map((a) => [a.email.toLowerCase(), a.capacity]));

  const order = shuffled([...assignments].sort((a, b) => (a.caseRef < b.caseRef ? -1 : 1)), random);
  const picked: SecondAssignment[] = [];
  for (const a of order) {
    if (picked.length === wanted) break;
    const conflicted = conflictedEmails(byRef.get(a.caseRef)!);
    const eligible = [...capacity.keys()].filter((email) => email !== a.auditorEmail && !conflicted.has(email) && load.get(email)! < capacity.get(email)!);
    if (eligible.length === 0) continue;
    eligible.sort((x, y) => (seconds.get(x) ?? 0) - (seconds.get(y) ?? 0) || load.get(x)! - load.get(y)! || rank.get(x)! - rank.get(y)!);
    const chosen = eligible[0]!;
    seconds.set(chosen, (seconds.get(chosen) ?? 0) + 1);
    load.set(chosen, load.get(chosen)! + 1);
    picked.push({ caseRef: a.caseRef, serviceArea: a.serviceArea, auditorEmail: chosen });
  }
  picked.sort((x, y) => x.serviceArea.localeCompare(y.serviceArea) || x.caseRef.localeCompare(y.caseRef));
  return { seconds: picked, unplaced: wanted - picked.length };
}
