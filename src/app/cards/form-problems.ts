// The problems a form shows, each with the input it is shown beside, read from the view's own data: the same data
// that fills the card's template, so a channel that marks inputs (Slack's modal errors) says what the card says.
import type { View } from "./views";

/** One sentence to fix, beside its input; `input` is null for a problem of the whole form (only a redraw shows it). */
export interface FormProblem {
  input: string | null;
  sentence: string;
}

export function problemsOf(view: View): FormProblem[] {
  const out: FormProblem[] = [];
  const add = (input: string | null, sentence: string) => {
    if (sentence.trim()) out.push({ input, sentence });
  };
  switch (view.template) {
    case "section": {
      for (const q of view.data.questions) {
        add(`${q.id}.answer`, q.answerError);
        add(`${q.id}.comment`, q.commentError);
      }
      add("overview", view.data.overviewError);
      break;
    }
    case "final": {
      add("grade", view.data.gradeError);
      add("justification", view.data.justificationError);
      // A row's problem is shown under its last input, whichever of its three fields it is about.
      for (const a of view.data.actions) add(`actions.${a.index}.byWhen`, a.error);
      add(null, view.data.actionsError);
      break;
    }
    case "raise-unsafe":
      add("unsafe.caseRef", view.data.caseRefError);
      add("unsafe.seen", view.data.seenError);
      break;
    case "moderation":
      add(view.data.canAgree ? "agreeReason" : null, view.data.error);
      break;
    case "recheck":
      for (const q of view.data.questions) add(q.inputId, q.error);
      add("recheck.outcome", view.data.outcomeError);
      add("recheck.evidence", view.data.evidenceError);
      add("recheck.action", view.data.actionError);
      break;
    case "self-assessment":
      for (const q of view.data.questions) add(q.inputId, q.error);
      add("self.overall", view.data.overallError);
      add("self.comment", view.data.commentError);
      break;
    case "stale-case":
      add("stale.outcome", view.data.outcomeError);
      add("stale.closedOn", view.data.closedOnError);
      add("stale.reason", view.data.reasonError);
      break;
    case "supervision":
      for (const i of view.data.items) add(i.inputId, i.error);
      add("sup.comment", view.data.commentError);
      break;
    case "tier1-check":
      for (const c of view.data.checks) add(c.inputId, c.error);
      add("tier1.comment", view.data.commentError);
      break;
    default:
      break;
  }
  return out;
}
