// The re-check card: to its auditor with only the questions graded below good, or, once answered, what was found.
import type { Audit } from "../../domain/audit";
import type { Feedback, Problem, Recheck } from "../../domain/feedback";
import type { RecheckInput } from "../../domain/recheck";
import { findScale, optionLabel, type Toolkit } from "../../domain/toolkit";
import { longDate, monthLabel } from "./format";
import type { View } from "./views";

const OUTCOME_TEXT = { yes: "the change has happened for the child (verified)", partly: "the change has only partly happened: reopened with a new action", no: "the change has not happened: reopened with a new action" } as const;

export function recheckStatus(r: Recheck): string {
  switch (r.status) {
    case "scheduled":
      return `Due on ${longDate(r.dueOn)}`;
    case "unassigned":
      return "Waiting for an auditor";
    case "sent":
      return "Waiting for your answer";
    default:
      return `Answered: ${OUTCOME_TEXT[r.answer!.outcome]}`;
  }
}

export interface RecheckForm {
  input?: RecheckInput;
  problems?: Problem[];
}

export function recheckView(f: Feedback, r: Recheck, audit: Audit, toolkit: Toolkit, form: RecheckForm = {}): View {
  const problems = form.problems ?? [];
  const errorOf = (field: string) => problems.find((p) => p.field === field)?.message ?? "";
  const canAnswer = r.status === "sent";
  const questions = toolkit.sections.flatMap((s) => s.questions.filter((q) => r.questionIds.includes(q.id)).map((q) => ({ q, s })));
  const input = form.input ?? { outcome: "", evidence: "", grades: {}, action: { action: "", byWhom: "", byWhen: "" } };
  return {
    template: "recheck",
    data: {
      month: f.month,
      caseRef: f.caseRef,
      serviceArea: f.serviceArea,
      round: r.round,
      title: `Re-check: case ${f.caseRef}`,
      auditedIn: `${monthLabel(f.month)}, graded ${optionLabel(toolkit, toolkit.overall.scale, f.grade) ?? f.grade}`,
      status: recheckStatus(r),
      intro: canAnswer
        ? "Every action agreed after this audit is done and confirmed by the manager. Look at the case file now: grade again the questions that were below good, and say whether the agreed change has happened for the child."
        : "The re-check of the actions agreed after this audit.",
      errorSummary: problems.length > 0 ? "Some answers need another look: see the notes below." : "",
      questions: questions.map(({ q, s }) => {
        const scale = findScale(toolkit, q.scale);
        const was = audit.sections[s.id]?.answers[q.id]?.value;
        const now = r.answer?.grades[q.id];
        return {
          number: q.number,
          text: q.text,
          was: optionLabel(toolkit, q.scale, was) ?? "not answered",
          now: now ? (optionLabel(toolkit, q.scale, now) ?? now) : "",
          inputId: `recheck.${q.id}`,
          choices: scale.options.map((o) => ({ title: o.label, value: o.value })),
          value: input.grades[q.id] ?? "",
          error: errorOf(`recheck.${q.id}`),
        };
      }),
      outcome: input.outcome,
      outcomeError: errorOf("recheck.outcome"),
      evidence: input.evidence,
      evidenceError: errorOf("recheck.evidence"),
      action: input.action.action,
      byWhom: input.action.byWhom,
      byWhen: input.action.byWhen,
      actionError: errorOf("recheck.action"),
      canAnswer,
    },
  };
}
