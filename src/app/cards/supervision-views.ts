// The manager's supervision checklist card for one case and quarter.
import { quarterLabel, type Supervision, type SupervisionStage } from "../../domain/supervision";
import { timeAndDate } from "./format";
import type { View } from "./views";

export interface SupervisionForm {
  input?: { answers: Record<string, string>; comment: string };
  problems?: { field: string; message: string }[];
}

export function supervisionView(s: Supervision, stage: SupervisionStage, form: SupervisionForm = {}): View {
  const problems = form.problems ?? [];
  const errorOf = (field: string) => problems.find((p) => p.field === field)?.message ?? "";
  const canAnswer = s.status === "due";
  const input = form.input ?? { answers: {}, comment: "" };
  return {
    template: "supervision",
    data: {
      quarter: s.quarter,
      quarterLabel: quarterLabel(s.quarter),
      caseRef: s.caseRef,
      serviceArea: s.serviceArea,
      title: `Supervision checklist: case ${s.caseRef}`,
      status: s.status === "done" ? `Done at ${timeAndDate(new Date(s.doneAt!))}` : "Due this quarter",
      intro: canAnswer ? stage.intro : "Saved. The QA team sees it in the report.",
      errorSummary: problems.length > 0 ? "Some answers need another look: see the notes below." : "",
      items: stage.items.map((item, i) => {
        const given = s.answers?.[item.id];
        return { number: String(i + 1), text: item.text, given: given ? (given === "yes" ? "Yes" : "No") : "", inputId: `sup.${item.id}`, value: input.answers[item.id] ?? "", error: errorOf(`sup.${item.id}`) };
      }),
      commentPrompt: stage.commentPrompt,
      comment: input.comment,
      commentError: errorOf("sup.comment"),
      canAnswer,
    },
  };
}
