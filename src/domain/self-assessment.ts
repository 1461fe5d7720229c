// Practitioner self-assessment (seed 000: self-assessment, then supervision, then audit). An optional stage: the lead
// professional grades a few questions of their own case file, taken from the audit toolkit, before the audit; the
// auditor sees it only once their own audit is submitted, and the report says how far the two agree.
// Pure: the stage file's rules, the record, its checks and the comparison.
import { z } from "zod";
import { gradeScore } from "./answers";
import type { Audit } from "./audit";
import { documentHeader, findScale, type Toolkit } from "./toolkit";

export const selfAssessmentStageSchema = z.object({
  ...documentHeader,
  /** The audit toolkit the questions come from: the comparison needs the same questions and scales. */
  toolkit: z.string().min(1),
  intro: z.string().min(1),
  questions: z.array(z.object({ section: z.string().min(1), question: z.string().min(1) })).min(1).max(12),
  overallPrompt: z.string().min(1),
  commentPrompt: z.string().min(1),
});
export type SelfAssessmentStage = z.infer<typeof selfAssessmentStageSchema>;

/** Problems with a stage file against its toolkit, in words for the council's IT team; empty when it fits. */
export function stageProblems(stage: SelfAssessmentStage, toolkits: ReadonlyMap<string, Toolkit>): string[] {
  const toolkit = toolkits.get(stage.toolkit);
  if (!toolkit) return [`the toolkit "${stage.toolkit}" is not one of the loaded toolkits`];
  return stage.questions.flatMap((q) => (toolkit.sections.find((s) => s.id === q.section)?.questions.some((x) => x.id === q.question) ? [] : [`question ${q.section}/${q.question} is not in ${toolkit.id}`]));
}

export const questionKey = (q: { section: string; question: string }) => `${q.section}.${q.question}`;

export interface SelfAssessment {
  month: string;
  caseRef: string;
  serviceArea: string;
  leadProfessionalEmail: string;
  stageId: string;
  toolkitId: string;
  status: "requested" | "submitted";
  requestedAt: string;
  /** questionKey -> option value; the overall self-grade; an optional comment. Null until submitted. */
  answers: Record<string, string> | null;
  overallGrade: string | null;
  comment: string;
  submittedAt: string | null;
}

export function requested(audit: Audit, lp: string, stage: SelfAssessmentStage, now: Date): SelfAssessment {
  return { month: audit.month, caseRef: audit.caseRef, serviceArea: audit.serviceArea, leadProfessionalEmail: lp, stageId: stage.id, toolkitId: stage.toolkit, status: "requested", requestedAt: now.toISOString(), answers: null, overallGrade: null, comment: "", submittedAt: null };
}

export interface SelfAssessmentInput {
  answers: Record<string, string>;
  overallGrade: string;
  comment: string;
}

export function selfAssessmentProblems(stage: SelfAssessmentStage, toolkit: Toolkit, input: SelfAssessmentInput): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const q of stage.questions) {
    const question = toolkit.sections.find((s) => s.id === q.section)!.questions.find((x) => x.id === q.question)!;
    if (!findScale(toolkit, question.scale).options.some((o) => o.value === input.answers[questionKey(q)])) {
      problems.push({ field: `self.${questionKey(q)}`, message: `Choose a grade for question ${question.number}.` });
    }
  }
  if (!findScale(toolkit, toolkit.overall.scale).options.some((o) => o.value === input.overallGrade)) problems.push({ field: "self.overall", message: "Choose your overall grade." });
  if (input.comment.length > 3000) problems.push({ field: "self.comment", message: "Keep the comment under 3,000 characters." });
  return problems;
}

export function submitSelfAssessment(s: SelfAssessment, input: SelfAssessmentInput, now: Date): SelfAssessment {
  return { ...s, status: "submitted", answers: { ...input.answers }, overallGrade: input.overallGrade, comment: input.comment.trim(), submittedAt: now.toISOString() };
}

export interface SelfAgreement {
  /** Audit score less self score on the overall grade: positive when the auditor graded higher. Null if either has no score. */
  overallSteps: number | null;
  questions: number;
  sameGrade: number;
}

/** How far a submitted self-assessment and the submitted audit agree, overall and question by question. */
export function selfAgreement(s: SelfAssessment, audit: Audit, toolkit: Toolkit, stage: SelfAssessmentStage): SelfAgreement {
  const score = (value: string | null | undefined) => (value ? gradeScore(toolkit, toolkit.overall.scale, value) : null);
  const self = score(s.overallGrade);
  const audited = score(audit.final?.overallGrade);
  let questions = 0;
  let sameGrade = 0;
  for (const q of stage.questions) {
    const mine = s.answers?.[questionKey(q)];
    const theirs = audit.sections[q.section]?.notApplicable ? undefined : audit.sections[q.section]?.answers[q.question]?.value;
    if (!mine || !theirs) continue;
    questions++;
    if (mine === theirs) sameGrade++;
  }
  return { overallSteps: self === null || audited === null ? null : audited - self, questions, sameGrade };
}
