// Builds the cards an auditor sees from an audit, its toolkit and any problems to show beside the fields.
import { findScale, optionLabel, type Toolkit } from "../../domain/toolkit";
import type { FieldProblem } from "../../domain/answers";
import { progressLine, type Audit } from "../../domain/audit";
import { longDate, monthLabel, timeAndDate } from "./format";
import type { View } from "./views";

const ACTION_ROWS = 3;

export function allocationView(audit: Audit, toolkit: Toolkit): View {
  return {
    template: "allocation",
    data: {
      month: audit.month,
      monthLabel: monthLabel(audit.month),
      caseRef: audit.caseRef,
      serviceArea: audit.serviceArea,
      dueOn: longDate(audit.dueOn),
      toolkitName: toolkit.name,
      sectionCount: toolkit.sections.length,
      progress: progressLine(audit, toolkit),
    },
  };
}

const problemFor = (problems: readonly FieldProblem[], field: string) =>
  problems.filter((p) => p.field === field).map((p) => p.message).join(" ");

function summary(problems: readonly FieldProblem[]): string {
  if (problems.length === 0) return "";
  return `${problems.length} thing${problems.length === 1 ? "" : "s"} to fix before you continue. Nothing you typed has been lost.`;
}

export function sectionView(audit: Audit, toolkit: Toolkit, index: number, problems: readonly FieldProblem[] = []): View {
  const section = toolkit.sections[index];
  if (!section) throw new Error(`toolkit ${toolkit.id} has no section at ${index}`);
  const saved = audit.sections[section.id] ?? { answers: {}, overview: "" };
  return {
    template: "section",
    data: {
      month: audit.month,
      caseRef: audit.caseRef,
      serviceArea: audit.serviceArea,
      toolkitName: toolkit.name,
      sectionId: section.id,
      sectionNumber: section.number,
      sectionCount: toolkit.sections.length,
      progress: `Section ${index + 1} of ${toolkit.sections.length}`,
      title: section.title,
      intro: section.intro,
      canMarkNotApplicable: section.appliesWhen !== "always",
      notApplicable: saved.notApplicable === true,
      questions: section.questions.map((q) => ({
        id: q.id,
        number: q.number,
        text: q.text,
        guidance: q.guidance,
        hasGuidance: q.guidance.trim() !== "",
        choices: findScale(toolkit, q.scale).options.map((o) => ({ title: o.label, value: o.value })),
        answer: saved.answers[q.id]?.value ?? "",
        comment: saved.answers[q.id]?.comment ?? "",
        commentLabel: `${q.comment.prompt} (question ${q.number})`,
        commentRequired: q.comment.required,
        commentMinLength: q.comment.minLength,
        answerError: problemFor(problems, `${q.id}.answer`),
        commentError: problemFor(problems, `${q.id}.comment`),
      })),
      overviewPrompt: section.overview.prompt,
      overviewGuidance: section.overview.guidance,
      overview: saved.overview,
      overviewError: problemFor(problems, "overview") || problemFor(problems, "notApplicable"),
      errorSummary: summary(problems),
      canGoBack: index > 0,
    },
  };
}

export function finalView(audit: Audit, toolkit: Toolkit, problems: readonly FieldProblem[] = []): View {
  const grades = findScale(toolkit, toolkit.overall.scale);
  const final = audit.final ?? { overallGrade: "", justification: "", actions: [] };
  const label = (scaleId: string, value: string) => optionLabel(toolkit, scaleId, value) ?? "Not answered";
  const rows = Array.from({ length: Math.max(ACTION_ROWS, final.actions.length) }, (_, i) => final.actions[i] ?? { action: "", byWhom: "", byWhen: "" });
  return {
    template: "final",
    data: {
      month: audit.month,
      caseRef: audit.caseRef,
      serviceArea: audit.serviceArea,
      toolkitName: toolkit.name,
      sections: toolkit.sections.map((s) => {
        const saved = audit.sections[s.id];
        return {
          number: s.number,
          title: s.title,
          answers: saved?.notApplicable
            ? [{ number: "All", answer: "Not applicable to this case" }]
            : s.questions.map((q) => ({ number: q.number, answer: label(q.scale, saved?.answers[q.id]?.value ?? "") })),
          overview: saved?.overview ?? "",
        };
      }),
      gradePrompt: toolkit.overall.prompt,
      gradeChoices: grades.options.map((o) => ({ title: o.label, value: o.value })),
      grade: final.overallGrade,
      gradeError: problemFor(problems, "overallGrade"),
      justification: final.justification,
      justificationMinLength: toolkit.overall.justification.minLength,
      justificationError: problemFor(problems, "justification"),
      actionsPrompt: toolkit.agreedActions.prompt,
      columns: toolkit.agreedActions.columns,
      actions: rows.map((r, index) => ({
        index,
        ...r,
        error: ["action", "byWhom", "byWhen"].map((c) => problemFor(problems, `actions.${index}.${c}`)).filter(Boolean).join(" "),
      })),
      actionsError: problemFor(problems, "actions"),
      errorSummary: summary(problems),
    },
  };
}

/** `selfAssessment`: the lead professional's own grades beside the auditor's, shown only once the audit is in. */
export function submittedView(audit: Audit, toolkit: Toolkit, selfAssessment = ""): View {
  const grade = optionLabel(toolkit, toolkit.overall.scale, audit.final?.overallGrade) ?? "";
  return {
    template: "submitted",
    data: {
      month: audit.month,
      caseRef: audit.caseRef,
      serviceArea: audit.serviceArea,
      toolkitName: toolkit.name,
      grade,
      submittedAt: audit.submittedAt ? timeAndDate(new Date(audit.submittedAt)) : "",
      version: audit.version,
      nextStep:
        audit.version > 1
          ? `This is version ${audit.version}; earlier versions are kept. The QA team will review it. The audit is locked again.`
          : "The QA team will review it and send feedback to the lead professional and their manager. The audit is now locked.",
      selfAssessment,
    },
  };
}

export function noticeView(title: string, text: string): View {
  return { template: "notice", data: { title, text } };
}

/** Where the auditor is in this audit: the section to resume, the final card, or the submitted summary. */
export function currentView(audit: Audit, toolkit: Toolkit): View {
  if (audit.status === "submitted") return submittedView(audit, toolkit);
  if (audit.sectionIndex >= toolkit.sections.length) return finalView(audit, toolkit);
  return sectionView(audit, toolkit, audit.sectionIndex);
}
