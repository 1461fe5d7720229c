// Which cases are moderated and by whom: 1 in 5 (at least one from 5 cases), a second auditor who is not the first,
// not involved, within capacity, spread across auditors, and the same draw from the same seed.
import { describe, expect, it } from "vitest";
import { createSeededRandom } from "../../src/app/allocation/seeded-random";
import { allocateCases, type AuditorSlot } from "../../src/domain/allocation";
import { moderatedCount, selectModeration } from "../../src/domain/moderation-selection";
import { aCase } from "../support/builders";

const auditors = (n: number, capacity = 3): AuditorSlot[] => Array.from({ length: n }, (_, i) => ({ email: `auditor${i}@example.gov.uk`, capacity }));
const cases = (n: number) => Array.from({ length: n }, (_, i) => aCase({ caseRef: `CAF-${100 + i}`, serviceArea: i % 2 ? "North" : "South" }));

function monthWith(caseCount: number, people: AuditorSlot[], seed = 7, share = 0.2) {
  const random = createSeededRandom(seed);
  const all = cases(caseCount);
  const { assignments } = allocateCases(all, people, random);
  return { all, assignments, ...selectModeration(assignments, all, people, share, random) };
}

describe("how many cases are moderated", () => {
  it("is one in five, rounded down, and at least one once the month has five cases", () => {
    expect([0, 1, 4, 5, 9, 10, 14, 15, 40].map((n) => moderatedCount(n, 0.2))).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 8]);
  });
  it("follows the council's share, and none when it is 0", () => {
    expect(moderatedCount(20, 0.5)).toBe(10);
    expect(moderatedCount(20, 0)).toBe(0);
  });
});

describe("selectModeration", () => {
  it("gives each moderated case a second auditor who is not its first auditor", () => {
    const { assignments, seconds } = monthWith(10, auditors(4));
    expect(seconds).toHaveLength(2);
    for (const s of seconds) expect(s.auditorEmail).not.toBe(assignments.find((a) => a.caseRef === s.caseRef)!.auditorEmail);
  });

  it("never gives the second audit to someone involved in the case", () => {
    const people = auditors(3, 5);
    const involvedAll = cases(5).map((c) => ({ ...c, involvedEmails: ["auditor1@example.gov.uk"] }));
    const random = createSeededRandom(3);
    const { assignments } = allocateCases(involvedAll, people, random);
    const { seconds } = selectModeration(assignments, involvedAll, people, 0.2, random);
    expect(seconds).toHaveLength(1);
    expect(seconds[0]!.auditorEmail).not.toBe("auditor1@example.gov.uk");
  });

  it("counts the second audit against the auditor's capacity, and passes over a case nobody has room for", () => {
    // Two auditors at capacity 3 with 5 cases: one has 3 (full), the other 2 and room for one more.
    const people = auditors(2, 3);
    const { assignments, seconds, unplaced } = monthWith(5, people);
    expect(seconds).toHaveLength(1);
    const load = (email: string) => assignments.filter((a) => a.auditorEmail === email).length + seconds.filter((s) => s.auditorEmail === email).length;
    for (const p of people) expect(load(p.email)).toBeLessThanOrEqual(p.capacity);
    expect(unplaced).toBe(0);

    // Five cases fill all five places: nobody has room for a second audit.
    const none = monthWith(5, [...auditors(2, 2), { email: "spare@example.gov.uk", capacity: 1 }], 7, 0.4);
    expect(none.seconds).toEqual([]);
    expect(none.unplaced).toBe(2);
  });

  it("spreads second audits across auditors rather than handing them all to one", () => {
    const { seconds } = monthWith(40, auditors(8, 10));
    const counts = new Map<string, number>();
    for (const s of seconds) counts.set(s.auditorEmail, (counts.get(s.auditorEmail) ?? 0) + 1);
    expect(seconds).toHaveLength(8);
    expect(Math.max(...counts.values())).toBe(1);
  });

  it("draws the same cases and auditors from the same seed, and others from another", () => {
    const a = monthWith(30, auditors(6, 8), 11).seconds;
    expect(monthWith(30, auditors(6, 8), 11).seconds).toEqual(a);
    expect(monthWith(30, auditors(6, 8), 12).seconds).not.toEqual(a);
  });
});
