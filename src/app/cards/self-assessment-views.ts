// The self-assessment card for the lead professional, and the line the auditor reads once their own audit is in.
import type { Audit } from "../../domain/audit";
import { questionKey, selfAgreement, type SelfAssessment, type SelfAssessmentInput, type SelfAssessmentStage } from "../../domain/self-assessment";
import { findScale, optionLabel, type Toolkit } from "../../domain/toolkit";
import { timeAndDate } from "./format";
import type { View } from "./views";

export interface SelfAssessmentForm {
  input?: SelfAssessmentInput;
  problems?: { field: string; message: string }[];
  /** The audit was submitted first: the card says so and asks nothing. */
  closed?: boolean;
}

export function selfAssessmentView(s: SelfAssessment, stage: SelfAssessmentStage, toolkit: Toolkit, form: SelfAssessmentForm = {}): View {
  const problems = form.problems ?? [];
  const errorOf = (field: string) => problems.find((p) => p.field === field)?.message ?? "";
  const canAnswer = s.status === "requested" && !form.closed;
  const input = form.input ?? { answers: {}, overallGrade: "", comment: "" };
  const choices = (scaleId: string) => findScale(toolkit, scaleId).options.map((o) => ({ title: o.label, value: o.value }));
  const status = s.status === "submitted" ? `Sent at ${timeAndDate(new Date(s.submittedAt!))}` : form.closed ? "No longer needed: the audit is done" : "Waiting for your answers";
  return {
    template: "self-assessment",
    data: {
      month: s.month,
      caseRef: s.caseRef,
      serviceArea: s.serviceArea,
      title: `Self-assessment: case ${s.caseRef}`,
      status,
      intro: canAnswer ? stage.intro : s.status === "submitted" ? "Thank you. The auditor sees your answers once their own audit is submitted." : "The audit of this case was submitted before your self-assessment, so it is no longer needed.",
      errorSummary: problems.length > 0 ? "Some answers need another look: see the notes below." : "",
      questions: stage.questions.map((ref) => {
        const q = toolkit.sections.find((x) => x.id === ref.section)!.questions.find((x) => x.id === ref.question)!;
        const key = questionKey(ref);
        const given = s.answers?.[key];
        return { number: q.number, text: q.text, given: given ? (optionLabel(toolkit, q.scale, given) ?? given) : "", inputId: `self.${key}`, choices: choices(q.scale), value: input.answers[key] ?? "", error: errorOf(`self.${key}`) };
      }),
      overallPrompt: stage.overallPrompt,
      overallChoices: choices(toolkit.overall.scale),
      overall: input.overallGrade,
      overallGiven: s.overallGrade ? (optionLabel(toolkit, toolkit.overall.scale, s.overallGrade) ?? s.overallGrade) : "",
      overallError: errorOf("self.overall"),
      commentPrompt: stage.commentPrompt,
      comment: input.comment,
      commentError: errorOf("self.comment"),
      canAnswer,
    },
  };
}

/** For the auditor after submitting: the lead professional's grades beside theirs, and the comment; empty without one. */
export function selfAssessmentLine(s: SelfAssessment | undefined, audit: Audit, toolkit: Toolkit, stage: SelfAssessmentStage): string {
  if (!s || s.status !== "submitted" || audit.status !== "submitted") return "";
  const label = (v: string | null | undefined) => (v ? (optionLabel(toolkit, toolkit.overall.scale, v) ?? v) : "not given");
  const a = selfAgreement(s, audit, toolkit, stage);
  const comment = s.comment ? ` They wrote: "${s.comment}"` : "";
  return `The lead professional's self-assessment, sent before your audit: ${label(s.overallGrade)} overall (you: ${label(audit.final?.overallGrade)}). Of ${a.questions} question${a.questions === 1 ? "" : "s"}, ${a.sameGrade} have the same grade as yours.${comment}`;
}
