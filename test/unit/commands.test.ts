// The core's door reads each button's ids once: a card whose ids are wrong never reaches a use case.
import { describe, expect, it } from "vitest";
import { parseButton, parseWords } from "../../src/app/commands";

const ref = { month: "2026-12", caseRef: "CAF-1001" };

describe("parseWords", () => {
  it("reads the phrases people type, whatever their case and spacing", () => {
    expect(parseWords("  My   Audits ")).toEqual({ verb: "myAudits" });
    expect(parseWords("overdue")).toEqual({ verb: "overdueActions" });
    expect(parseWords("Away until 24/12/2026")).toEqual({ verb: "away", words: "away until 24/12/2026" });
    expect(parseWords("unsafe")).toEqual({ verb: "raiseForm" });
    expect(parseWords("away")).toEqual({ verb: "away", words: "away" });
    expect(parseWords("awayday tomorrow")).toEqual({ verb: "help", understood: false });
    expect(parseWords("help")).toEqual({ verb: "help", understood: true });
    expect(parseWords("what is this")).toEqual({ verb: "help", understood: false });
  });
});

describe("parseButton", () => {
  it("gives each known button its typed ids and keeps the card's fields for the use case", () => {
    const form = { verb: "saveSection", ...ref, "q1.answer": "good" };
    expect(parseButton(form)).toEqual({ verb: "saveSection", ref, form });
    expect(parseButton({ verb: "declareInvolved", ...ref, reason: "I know the family" })).toEqual({ verb: "declareInvolved", ref, reason: "I know the family" });
    expect(parseButton({ verb: "submitTier1Check", eventOn: "2026-11-30", key: "CAF-1|caf" })).toMatchObject({ verb: "submitTier1Check", ref: { eventOn: "2026-11-30", key: "CAF-1|caf" } });
    expect(parseButton({ verb: "openSupervision", quarter: "2026-10", caseRef: "CAF-1" })).toMatchObject({ verb: "openSupervision", ref: { quarter: "2026-10", caseRef: "CAF-1" } });
  });

  it("reads a re-check's round as Teams (a number) and Slack (text) send it", () => {
    expect(parseButton({ verb: "submitRecheck", ...ref, round: 2 })).toMatchObject({ verb: "submitRecheck", ref, round: 2 });
    expect(parseButton({ verb: "submitRecheck", ...ref, round: "2" })).toMatchObject({ verb: "submitRecheck", ref, round: 2 });
  });

  it("calls a known button with wrong ids out of date, naming the button so its stage can say what to do", () => {
    expect(parseButton({ verb: "startAudit", month: "2026-13", caseRef: "CAF-1" })).toEqual({ verb: "outOfDate", of: "startAudit" });
    expect(parseButton({ verb: "startAudit", month: "2026-12", caseRef: "CAF\u00001" })).toEqual({ verb: "outOfDate", of: "startAudit" });
    expect(parseButton({ verb: "submitRecheck", ...ref, round: "" })).toEqual({ verb: "outOfDate", of: "submitRecheck" });
    expect(parseButton({ verb: "submitRecheck", ...ref, round: 1.5 })).toEqual({ verb: "outOfDate", of: "submitRecheck" });
    expect(parseButton({ verb: "openSupervision", quarter: "2026-11", caseRef: "CAF-1" })).toEqual({ verb: "outOfDate", of: "openSupervision" });
    expect(parseButton({ verb: "submitSupervision", quarter: "2026-10", caseRef: "x".repeat(101) })).toEqual({ verb: "outOfDate", of: "submitSupervision" });
    expect(parseButton({ verb: "submitTier1Check", eventOn: "30/11/2026", key: "k" })).toEqual({ verb: "outOfDate", of: "submitTier1Check" });
  });

  it("knows no verb it did not put on a card", () => {
    for (const verb of [undefined, "", "deleteEverything", 5, "constructor", "__proto__"]) expect(parseButton({ verb, ...ref })).toEqual({ verb: "unknownButton" });
  });

  it("passes an escalation id at most 100 characters long, and none when it is not text", () => {
    expect(parseButton({ verb: "acknowledgeEscalation", escalationId: "e".repeat(150) })).toMatchObject({ escalationId: "e".repeat(100) });
    expect(parseButton({ verb: "resolveEscalation", escalationId: 7 })).toMatchObject({ escalationId: "" });
  });
});
