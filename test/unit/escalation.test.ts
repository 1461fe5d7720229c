// The unsafe-practice escalation as pure rules: raise, the ladder (remind, escalate, repeat), acknowledge,
// MASH conversation, resolve, who may act. Times are fixed London wall-clock instants (December is GMT).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_LADDER,
  acknowledge,
  applyLadderStep,
  ladderStep,
  mayAct,
  raise,
  recordMash,
  resolve,
  type ActionRefusal,
  type Escalation,
  type LadderRules,
} from "../../src/domain/escalation";
import { londonDateTime } from "../../src/domain/working-days";

const FSM = "lena.fisher@example.gov.uk";
const FSM2 = "olu.adeyemi@example.gov.uk";
const LEADER = "morgan.reid@example.gov.uk";
const AUDITOR = "asha.patel@example.gov.uk";
const SEEN = "The LP recorded a home visit that the school says never happened; child seen with bruising.";
const rules: LadderRules = DEFAULT_LADDER;

/** A London wall-clock instant: "2026-12-04 16:00". */
const london = (dateTime: string) => {
  const [date, time] = dateTime.split(" ");
  return londonDateTime(date!, time!);
};
const iso = (dateTime: string) => london(dateTime).toISOString();

function raisedAt(dateTime: string | Date, overrides: Partial<Parameters<typeof raise>[0]> = {}): Escalation {
  return raise({
    id: "esc-2026-12-abc",
    caseRef: "CAF-1002",
    serviceArea: "Early Help South",
    auditMonth: "2026-12",
    leadProfessionalEmail: "george.lee@example.gov.uk",
    lpManagerEmail: "ben.okafor@example.gov.uk",
    raisedBy: AUDITOR,
    at: typeof dateTime === "string" ? london(dateTime) : dateTime,
    seen: SEEN,
    when: "current",
    urgency: "immediate",
    firstRecipients: [FSM],
    rules,
    ...overrides,
  });
}

function ok(result: Escalation | ActionRefusal): Escalation {
  if ("code" in result && !("id" in result)) throw new Error(`refused: ${result.code} ${result.message}`);
  return result as Escalation;
}

function refused(result: Escalation | ActionRefusal): ActionRefusal {
  expect("id" in result, "expected a refusal").toBe(false);
  return result as ActionRefusal;
}

/** Runs the ladder at `dateTime` as the job would: one step if due, with the leaders as the people above. */
function tick(e: Escalation, at: Date, leaders: string[] = [LEADER]): Escalation {
  const step = ladderStep(e, at);
  return applyLadderStep(e, step, at, rules, step.kind === "escalate" ? leaders : []);
}

describe("raising unsafe practice", () => {
  it("stores what was seen, who raised it and when, waiting for acknowledgement at level 0 with the FSM as the only recipient", () => {
    const e = raisedAt("2026-12-01 10:00", { seen: `  ${SEEN}\n`, firstRecipients: [FSM, FSM2, FSM] });
    expect(e).toMatchObject({
      month: "2026-12",
      caseRef: "CAF-1002",
      raisedBy: AUDITOR,
      raisedAt: iso("2026-12-01 10:00"),
      seen: SEEN,
      status: "raised",
      level: 0,
      recipients: [FSM, FSM2],
      acknowledgedBy: null,
      acknowledgedAt: null,
      mashOutcome: null,
      resolvedOutcome: null,
    });
    expect(e.history).toEqual([{ at: iso("2026-12-01 10:00"), by: AUDITOR, action: "raised" }]);
  });

  it("checks again 2 working hours after a raise inside working hours", () => {
    expect(raisedAt("2026-12-01 10:00").nextCheckAt).toBe(iso("2026-12-01 12:00"));
    expect(raisedAt("2026-12-01 09:00").nextCheckAt).toBe(iso("2026-12-01 11:00"));
  });

  it("carries the 2 working hours over the weekend: raised Friday 16:00 is checked Monday 10:00", () => {
    expect(raisedAt("2026-12-04 16:00").nextCheckAt).toBe(iso("2026-12-07 10:00"));
  });

  it("starts counting at the next opening when raised out of hours: Saturday is checked Monday 11:00, a Tuesday evening on Wednesday 11:00", () => {
    expect(raisedAt("2026-12-05 12:00").nextCheckAt).toBe(iso("2026-12-07 11:00"));
    expect(raisedAt("2026-12-01 19:30").nextCheckAt).toBe(iso("2026-12-02 11:00"));
    expect(raisedAt("2026-12-02 07:00").nextCheckAt).toBe(iso("2026-12-02 11:00"));
  });

  it("counts the month it lives in by London time, not UTC (00:30 BST on 1 July is July)", () => {
    const e = raisedAt(new Date("2026-06-30T23:30:00Z"));
    expect(e.month).toBe("2026-07");
  });
});

describe("the ladder when nobody acknowledges", () => {
  it("reminds the FSM at +2 working hours, escalates to the Service Leader 4 working hours later, then repeats every 4 working hours", () => {
    let e = raisedAt("2026-12-01 10:00");

    expect(ladderStep(e, london("2026-12-01 11:59"))).toEqual({ kind: "none" });
    expect(ladderStep(e, london("2026-12-01 12:00"))).toEqual({ kind: "remind_fsm" });
    e = tick(e, london("2026-12-01 12:00"));
    expect(e).toMatchObject({ level: 1, status: "raised", recipients: [FSM], nextCheckAt: iso("2026-12-01 16:00") });

    expect(ladderStep(e, london("2026-12-01 15:59"))).toEqual({ kind: "none" });
    expect(ladderStep(e, london("2026-12-01 16:00"))).toEqual({ kind: "escalate", level: 2 });
    e = tick(e, london("2026-12-01 16:00"));
    // 1 hour left on Tuesday, 3 on Wednesday.
    expect(e).toMatchObject({ level: 2, recipients: [FSM, LEADER], nextCheckAt: iso("2026-12-02 12:00") });

    expect(ladderStep(e, london("2026-12-02 11:59"))).toEqual({ kind: "none" });
    expect(ladderStep(e, london("2026-12-02 12:00"))).toEqual({ kind: "escalate", level: 3 });
    e = tick(e, london("2026-12-02 12:00"));
    expect(e).toMatchObject({ level: 3, recipients: [FSM, LEADER], nextCheckAt: iso("2026-12-02 16:00") });

    e = tick(e, london("2026-12-02 16:00"));
    expect(e).toMatchObject({ level: 4, recipients: [FSM, LEADER], nextCheckAt: iso("2026-12-03 12:00") });

    expect(e.history.map((h) => [h.action, h.by, h.at])).toEqual([
      ["raised", AUDITOR, iso("2026-12-01 10:00")],
      ["reminded", "ladder", iso("2026-12-01 12:00")],
      ["escalated", "ladder", iso("2026-12-01 16:00")],
      ["escalated", "ladder", iso("2026-12-02 12:00")],
      ["escalated", "ladder", iso("2026-12-02 16:00")],
    ]);
  });

  it("steps once per run even when the job was away for days, and counts the next wait from when it ran", () => {
    let e = raisedAt("2026-12-01 10:00");
    e = tick(e, london("2026-12-03 10:00"));
    expect(e).toMatchObject({ level: 1, nextCheckAt: iso("2026-12-03 14:00") });
    expect(tick(e, london("2026-12-03 13:00"))).toBe(e);
  });

  it("does nothing at all when it is not due", () => {
    const e = raisedAt("2026-12-01 10:00");
    expect(tick(e, london("2026-12-01 11:00"))).toBe(e);
  });

  it("never fires on a bank holiday: raised 24 Dec 2026 16:30, the check counts across Christmas Day and the Boxing Day substitute", () => {
    let e = raisedAt("2026-12-24 16:30");
    // Half an hour on Thursday 24th; Friday 25th, the weekend and Monday 28th (Boxing Day substitute) are not working days.
    expect(e.nextCheckAt).toBe(iso("2026-12-29 10:30"));
    for (const quiet of ["2026-12-24 17:00", "2026-12-25 12:00", "2026-12-26 12:00", "2026-12-28 16:59", "2026-12-29 10:29"]) {
      expect(ladderStep(e, london(quiet)), quiet).toEqual({ kind: "none" });
    }
    e = tick(e, london("2026-12-29 10:30"));
    expect(e).toMatchObject({ level: 1, nextCheckAt: iso("2026-12-29 14:30") });
    e = tick(e, london("2026-12-29 14:30"));
    // 2.5 hours on the 29th, 1.5 on the 30th.
    expect(e).toMatchObject({ level: 2, nextCheckAt: iso("2026-12-30 10:30") });
  });
});

describe("acknowledging, the MASH conversation and resolving", () => {
  it("acknowledging stops the climb and schedules the resolve reminder 2 working days later at 09:00", () => {
    let e = raisedAt("2026-12-01 10:00");
    e = tick(e, london("2026-12-01 12:00"));
    e = ok(acknowledge(e, FSM, london("2026-12-01 14:20"), rules));
    expect(e).toMatchObject({
      status: "acknowledged",
      level: 1,
      acknowledgedBy: FSM,
      acknowledgedAt: iso("2026-12-01 14:20"),
      nextCheckAt: iso("2026-12-03 09:00"),
    });
    // The time the escalation would have come due passes without a step.
    expect(ladderStep(e, london("2026-12-01 16:00"))).toEqual({ kind: "none" });
    expect(ladderStep(e, london("2026-12-02 16:59"))).toEqual({ kind: "none" });
    expect(ladderStep(e, london("2026-12-03 09:00"))).toEqual({ kind: "resolve_reminder" });
    const reminded = tick(e, london("2026-12-03 09:00"));
    expect(reminded).toMatchObject({ status: "acknowledged", level: 1, recipients: [FSM], nextCheckAt: iso("2026-12-07 09:00") });
    expect(reminded.history.at(-1)).toEqual({ at: iso("2026-12-03 09:00"), by: "ladder", action: "resolve_reminder" });
  });

  it("counts the resolve reminder in working days: acknowledged on Thursday 24 Dec, reminded Wednesday 30 Dec at 09:00", () => {
    const e = ok(acknowledge(raisedAt("2026-12-24 10:00"), FSM, london("2026-12-24 11:00"), rules));
    expect(e.nextCheckAt).toBe(iso("2026-12-30 09:00"));
  });

  it("the Service Leader may acknowledge once it has been escalated to them", () => {
    let e = raisedAt("2026-12-01 10:00");
    e = tick(tick(e, london("2026-12-01 12:00")), london("2026-12-01 16:00"));
    expect(mayAct(e, LEADER)).toBeNull();
    e = ok(acknowledge(e, LEADER, london("2026-12-02 09:15"), rules));
    expect(e).toMatchObject({ status: "acknowledged", acknowledgedBy: LEADER, level: 2 });
    expect(ladderStep(e, london("2026-12-02 16:00"))).toEqual({ kind: "none" });
  });

  it("refuses to acknowledge twice and names who acknowledged first", () => {
    const e = ok(acknowledge(raisedAt("2026-12-01 10:00"), FSM, london("2026-12-01 10:30"), rules));
    const second = refused(acknowledge(e, FSM2, london("2026-12-01 10:31"), rules));
    expect(second.code).toBe("already_acknowledged");
    expect(second.message).toContain(FSM);
  });

  it("needs an outcome of at least 10 characters for the MASH conversation and for resolving", () => {
    const e = ok(acknowledge(raisedAt("2026-12-01 10:00"), FSM, london("2026-12-01 10:30"), rules));
    for (const outcome of ["", "   ", "too short", "  123456789  "]) {
      expect(refused(recordMash(e, FSM, london("2026-12-01 11:00"), outcome, rules)).code, JSON.stringify(outcome)).toBe("outcome_missing");
      expect(refused(resolve(e, FSM, london("2026-12-01 11:00"), outcome)).code, JSON.stringify(outcome)).toBe("outcome_missing");
    }
    expect(ok(recordMash(e, FSM, london("2026-12-01 11:00"), "1234567890", rules)).mashOutcome).toBe("1234567890");
    expect(ok(resolve(e, FSM, london("2026-12-01 11:00"), " 1234567890 ")).resolvedOutcome).toBe("1234567890");
  });

  it("a MASH conversation keeps the resolve reminder going; resolving ends the ladder for good", () => {
    let e = ok(acknowledge(raisedAt("2026-12-01 10:00"), FSM, london("2026-12-01 10:30"), rules));
    e = ok(recordMash(e, FSM, london("2026-12-02 15:00"), "MASH agreed a strategy discussion today.", rules));
    expect(e).toMatchObject({ status: "mash_held", acknowledgedBy: FSM, nextCheckAt: iso("2026-12-04 09:00") });
    expect(ladderStep(e, london("2026-12-04 09:00"))).toEqual({ kind: "resolve_reminder" });

    e = ok(resolve(e, FSM, london("2026-12-03 11:00"), "Child protection enquiry opened; LP replaced."));
    expect(e).toMatchObject({ status: "resolved", resolvedOutcome: "Child protection enquiry opened; LP replaced.", nextCheckAt: null });
    for (const later of ["2026-12-04 09:00", "2026-12-10 12:00", "2027-06-01 10:00"]) {
      expect(ladderStep(e, london(later))).toEqual({ kind: "none" });
      expect(tick(e, london(later))).toBe(e);
    }
    expect(refused(resolve(e, FSM, london("2026-12-03 12:00"), "Resolved again, twice over.")).code).toBe("already_resolved");
    expect(refused(recordMash(e, FSM, london("2026-12-03 12:00"), "Another MASH conversation.", rules)).code).toBe("already_resolved");
    expect(refused(acknowledge(e, FSM, london("2026-12-03 12:00"), rules)).code).toBe("already_acknowledged");
    expect(e.history.map((h) => h.action)).toEqual(["raised", "acknowledged", "mash_held", "resolved"]);
  });

  it("a MASH conversation or a resolution without a separate acknowledgement counts as acknowledging", () => {
    const mash = ok(recordMash(raisedAt("2026-12-01 10:00"), FSM, london("2026-12-01 10:45"), "Spoke to MASH, no further action.", rules));
    expect(mash).toMatchObject({ status: "mash_held", acknowledgedBy: FSM, acknowledgedAt: iso("2026-12-01 10:45") });
    expect(ladderStep(mash, london("2026-12-01 12:00"))).toEqual({ kind: "none" });

    const resolved = ok(resolve(raisedAt("2026-12-01 10:00"), FSM, london("2026-12-01 10:50"), "Spoke to the LP; visit was recorded on the wrong case."));
    expect(resolved).toMatchObject({ status: "resolved", acknowledgedBy: FSM, nextCheckAt: null });
  });
});

describe("who may act", () => {
  it("only the people the concern was sent to, whatever the case of their email", () => {
    const e = raisedAt("2026-12-01 10:00", { firstRecipients: [FSM, FSM2] });
    expect(mayAct(e, FSM)).toBeNull();
    expect(mayAct(e, FSM2)).toBeNull();
    expect(mayAct(e, FSM.toUpperCase())).toBeNull();
    for (const stranger of [AUDITOR, LEADER, "george.lee@example.gov.uk", "someone@elsewhere.example.org", ""]) {
      const refusal = mayAct(e, stranger);
      expect(refusal?.code, stranger).toBe("not_an_escalation_recipient");
      expect(refusal?.message).toContain("Nothing has changed");
    }
  });
});

describe("property: the ladder never climbs past an acknowledgement", () => {
  type Op = { kind: "advance"; minutes: number } | { kind: "tick" } | { kind: "ack" } | { kind: "mash" } | { kind: "resolve" };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 3 * 24 * 60 }).map((minutes) => ({ kind: "advance" as const, minutes })) },
    { weight: 6, arbitrary: fc.constant({ kind: "tick" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "ack" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "mash" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "resolve" as const }) },
  );
  const raiseTime = fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2027-12-31T00:00:00Z"), noInvalidDate: true });

  it("for any raise time and clock advances, levels only increase and an acknowledged or resolved concern is never stepped up", () => {
    fc.assert(
      fc.property(raiseTime, fc.array(op, { maxLength: 40 }), (start, ops) => {
        let now = start;
        let e = raisedAt(start);
        expect(new Date(e.nextCheckAt!).getTime()).toBeGreaterThan(start.getTime());
        for (const o of ops) {
          const before = e;
          switch (o.kind) {
            case "advance":
              now = new Date(now.getTime() + o.minutes * 60_000);
              continue;
            case "tick": {
              const step = ladderStep(e, now);
              e = applyLadderStep(e, step, now, rules, step.kind === "escalate" ? [LEADER] : []);
              if (before.status !== "raised") {
                expect(e.level).toBe(before.level);
                expect(e.status).toBe(before.status);
                expect(step.kind === "none" || step.kind === "resolve_reminder").toBe(true);
              }
              if (before.status === "resolved") expect(e).toBe(before);
              if (step.kind !== "none") {
                // A step always pushes the next check into the future, so the same run never repeats it.
                expect(new Date(e.nextCheckAt!).getTime()).toBeGreaterThan(now.getTime());
                expect(e.level).toBeLessThanOrEqual(before.level + 1);
              }
              break;
            }
            case "ack": {
              const r = acknowledge(e, FSM, now, rules);
              if ("id" in r) e = r;
              break;
            }
            case "mash": {
              const r = recordMash(e, FSM, now, "MASH conversation held with the duty social worker.", rules);
              if ("id" in r) e = r;
              break;
            }
            case "resolve": {
              const r = resolve(e, FSM, now, "Resolved with the lead professional and their manager.");
              if ("id" in r) e = r;
              break;
            }
          }
          expect(e.level).toBeGreaterThanOrEqual(before.level);
          if (before.status !== "raised") expect(e.status).not.toBe("raised");
          if (before.status === "resolved") expect(e.status).toBe("resolved");
          if (e.status === "resolved") expect(e.nextCheckAt).toBeNull();
          expect(e.history.length).toBeGreaterThanOrEqual(before.history.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
