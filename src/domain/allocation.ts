// Who audits which sampled case: never someone involved in it, never more than an auditor's monthly capacity.
import { conflictedEmails, type CaseFile } from "./case-file";
import { shuffled, type RandomSource } from "./random";

export interface AuditorSlot {
  email: string;
  capacity: number;
}

export interface Assignment {
  caseRef: string;
  serviceArea: string;
  auditorEmail: string;
}

export type UnallocatedReason = "every_auditor_involved" | "no_auditor_capacity";

export interface Unallocated {
  caseRef: string;
  serviceArea: string;
  reason: UnallocatedReason;
}

export const UNALLOCATED_REASON_TEXT: Record<UnallocatedReason, string> = {
  every_auditor_involved: "every auditor is involved in this case",
  no_auditor_capacity: "every eligible auditor is at their monthly capacity",
};

export function allocateCases(
  cases: readonly CaseFile[],
  auditors: readonly AuditorSlot[],
  random: RandomSource,
): { assignments: Assignment[]; unallocated: Unallocated[] } {
  // A random rank breaks ties between equally loaded auditors, so nobody is always first in line.
  // Sorted first so the rank depends on the seed alone, not on the order the auditors were listed in.
  const byEmail = [...auditors].sort((a, b) => a.email.localeCompare(b.email) || (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  const rank = new Map(shuffled(byEmail, random).map((a, i) => [a.email.toLowerCase(), i]));
  const pool = auditors.filter((a) => a.capacity > 0).map((a) => ({ ...a, email: a.email.toLowerCase() }));
  const held = new Map<string, string[]>(pool.map((a) => [a.email, []]));
  const byRef = new Map(cases.map((c) => [c.caseRef, c]));
  const candidates = new Map(
    cases.map((c) => {
      const conflicted = conflictedEmails(c);
      return [c.caseRef, pool.filter((a) => !conflicted.has(a.email))];
    }),
  );
  // "Every auditor is involved" only when nobody at all is free of conflict; an unconflicted auditor with no capacity left means "no capacity".
  const everyoneInvolved = new Set(
    cases.filter((c) => auditors.every((a) => conflictedEmails(c).has(a.email.toLowerCase()))).map((c) => c.caseRef),
  );
  const load = (email: string) => held.get(email)!.length;
  const ordered = (ref: string) =>
    [...candidates.get(ref)!].sort((a, b) => load(a.email) - load(b.email) || rank.get(a.email)! - rank.get(b.email)!);

  // Augmenting paths: a full auditor may hand one of their cases to someone else so this case fits.
  // Without this, an early greedy choice can leave a case unallocated that had a valid auditor.
  const place = (ref: string, visited: Set<string>): boolean => {
    const options = ordered(ref);
    const free = options.find((a) => load(a.email) < a.capacity);
    if (free) {
      held.get(free.email)!.push(ref);
      return true;
    }
    for (const a of options) {
      if (visited.has(a.email)) continue;
      visited.add(a.email);
      const mine = held.get(a.email)!;
      for (const other of [...mine]) {
        if (place(other, visited)) {
          mine.splice(mine.indexOf(other), 1, ref);
          return true;
        }
      }
    }
    return false;
  };

  // The most constrained cases go first; the shuffle keeps equal ones in a seed-determined order.
  const order = shuffled(
    [...cases].sort((a, b) => (a.caseRef < b.caseRef ? -1 : 1)),
    random,
  ).sort((a, b) => candidates.get(a.caseRef)!.length - candidates.get(b.caseRef)!.length);

  const unallocated: Unallocated[] = [];
  for (const c of order) {
    if (everyoneInvolved.has(c.caseRef)) {
      unallocated.push({ caseRef: c.caseRef, serviceArea: c.serviceArea, reason: "every_auditor_involved" });
    } else if (candidates.get(c.caseRef)!.length === 0) {
      unallocated.push({ caseRef: c.caseRef, serviceArea: c.serviceArea, reason: "no_auditor_capacity" });
    } else if (!place(c.caseRef, new Set())) {
      unallocated.push({ caseRef: c.caseRef, serviceArea: c.serviceArea, reason: "no_auditor_capacity" });
    }
  }

  const assignments: Assignment[] = [];
  for (const [email, refs] of held) {
    for (const ref of refs) assignments.push({ caseRef: ref, serviceArea: byRef.get(ref)!.serviceArea, auditorEmail: email });
  }
  const byAreaThenRef = (a: { serviceArea: string; caseRef: string }, b: { serviceArea: string; caseRef: string }) =>
    a.serviceArea.localeCompare(b.serviceArea) || a.caseRef.localeCompare(b.caseRef);
  return { assignments: assignments.sort(byAreaThenRef), unallocated: unallocated.sort(byAreaThenRef) };
}
