// The "Still open?" card: to the case's lead professional while unanswered, or as answered.
import type { Problem } from "../../domain/feedback";
import type { StaleCheck, StaleInput, StaleRules } from "../../domain/stale-case";
import { longDate } from "./format";
import type { View } from "./views";

export function staleStatus(c: StaleCheck): string {
  if (!c.answer) return "Waiting for your answer";
  if (c.answer.outcome === "still_open") return "Answered: still open";
  return `Answered: closed on ${longDate(c.answer.closedOn)} (${c.answer.reason})`;
}

export interface StaleForm {
  input?: StaleInput;
  problems?: Problem[];
}

export function staleCaseView(c: StaleCheck, rules: StaleRules, form: StaleForm = {}): View {
  const problems = form.problems ?? [];
  const errorOf = (field: string) => problems.find((p) => p.field === field)?.message ?? "";
  const input = form.input ?? { outcome: "", closedOn: "", reason: "" };
  const canAnswer = c.answer === null;
  return {
    template: "stale-case",
    data: {
      month: c.month,
      caseRef: c.caseRef,
      serviceArea: c.serviceArea,
      title: `Is case ${c.caseRef} still open?`,
      openedOn: longDate(c.openedOn),
      lastActivity: longDate(c.lastActivityOn),
      status: staleStatus(c),
      intro: canAnswer
        ? `You are the lead professional for this case on the register. It has been open a long time with no change recorded for ${rules.ageMonths} months. Is it still open? Your answer goes to the QA team, who update the case system.`
        : "Thank you. The QA team takes this answer to the case system; nothing else changes here.",
      errorSummary: problems.length > 0 ? "Some answers need another look: see the notes below." : "",
      outcome: input.outcome,
      outcomeError: errorOf("stale.outcome"),
      closedOn: input.closedOn,
      closedOnError: errorOf("stale.closedOn"),
      reasonChoices: rules.closureReasons.map((r) => ({ title: r, value: r })),
      reason: input.reason,
      reasonError: errorOf("stale.reason"),
      canAnswer,
    },
  };
}
