// Grading drift, told to the QA team once a month: an auditor whose overall grades over six months run half a step or
// more away from their moderation partners' over 5 or more pairs is named to each QA member in their own chat, never
// to a channel, and a re-run tells nobody twice. Real storage (Azurite); the audits are built by the domain's rules.
import { describe, expect, it } from "vitest";
import { alertGradingDrift } from "../../../src/app/reporting/alert-drift";
import type { Person } from "../../../src/domain/person";
import { freshCore } from "../../support/tables";
import { submittedAudit } from "../../support/submitted-audits";

const person = (email: string, name: string, roles: Person["roles"]): Person => ({ email, name, roles, serviceArea: null, managerEmail: null, monthlyCapacity: 2 });
const PEOPLE = [
  person("kit.morris@example.gov.uk", "Kit Morris", ["qa"]),
  person("lee.hart@example.gov.uk", "Lee Hart", ["qa", "auditor"]),
  person("harsh@example.gov.uk", "Hal Harsh", ["auditor"]),
  person("even@example.gov.uk", "Eve Even", ["auditor"]),
  person("few@example.gov.uk", "Fay Few", ["auditor"]),
];

async function moderated(core: Awaited<ReturnType<typeof freshCore>>["core"], month: string, caseRef: string, first: [string, string], second: [string, string]) {
  const toolkit = core.toolkits.get("tier2-caf")!;
  const a = { ...submittedAudit(toolkit, { caseRef, serviceArea: "North", month, grade: first[1], auditorEmail: first[0] }), moderated: true };
  const b = { ...submittedAudit(toolkit, { caseRef, serviceArea: "North", month, grade: second[1], auditorEmail: second[0] }), pass: "second" as const };
  await core.allocations.createAudits(month, [{ audit: a, outbox: [] }, { audit: b, outbox: [] }]);
}

describe("alertGradingDrift", () => {
  it("names a harsher auditor to each QA member over 5 pairs in six months, once, and no one with fewer pairs", async () => {
    const { core, clock } = await freshCore({}, undefined);
    clock.set("2027-01-08T09:00:00Z");
    await core.people.saveMany(PEOPLE);
    // Hal grades one step harsher than Eve in 5 cases from August to December; Fay differs from Eve in only 2.
    const months = ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"];
    for (const [i, month] of months.entries()) await moderated(core, month, `CAF-${i + 1}`, ["even@example.gov.uk", "good"], ["harsh@example.gov.uk", "requires-improvement"]);
    await moderated(core, "2026-12", "CAF-20", ["few@example.gov.uk", "outstanding"], ["even@example.gov.uk", "good"]);
    await moderated(core, "2026-11", "CAF-21", ["few@example.gov.uk", "outstanding"], ["even@example.gov.uk", "good"]);
    // A pair from seven months before December is outside the window and must not count.
    await moderated(core, "2026-06", "CAF-30", ["few@example.gov.uk", "outstanding"], ["harsh@example.gov.uk", "inadequate"]);

    expect(await alertGradingDrift(core, "2026-12")).toBe(1);
    expect(await alertGradingDrift(core, "2026-12")).toBe(1);
    const told = (await core.outbox.due(new Date("2027-01-09T00:00:00Z"))).filter((m) => m.id.startsWith("drift:"));
    expect(told.map((m) => m.recipientEmail).sort()).toEqual(["kit.morris@example.gov.uk", "lee.hart@example.gov.uk"]);
    for (const m of told) {
      expect(m.view).toMatchObject({ template: "notice", data: { title: "Grading drift: Hal Harsh" } });
      const text = JSON.stringify(m.view);
      expect(text).toContain("harsher than their moderation partners' by 1.00 steps on average, over 5 cases graded twice");
      expect(text).toContain("From July 2026 to December 2026");
      expect(text).not.toMatch(/Eve Even|Fay Few|CAF-/);
    }
    // Never to a channel: every message goes to a person.
    expect(told.filter((m) => m.recipientEmail.startsWith("group:"))).toEqual([]);
  });

  it("tells nobody when no one drifts", async () => {
    const { core } = await freshCore();
    await core.people.saveMany(PEOPLE);
    for (const [i, month] of ["2026-10", "2026-11", "2026-12"].entries()) await moderated(core, month, `CAF-${i + 1}`, ["even@example.gov.uk", "good"], ["harsh@example.gov.uk", "good"]);
    expect(await alertGradingDrift(core, "2026-12")).toBe(0);
    expect((await core.outbox.due(new Date("2030-01-01T00:00:00Z"))).filter((m) => m.id.startsWith("drift:"))).toEqual([]);
  });
});
