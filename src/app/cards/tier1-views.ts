// The Tier 1 quality-control card: one short card with every mandatory-field check of the event, to its checker,
// or once answered, what was found. And the lead professional's notice: the case reference and the fields, no text.
import { checksFor, type Checklist } from "../../domain/tier1-checklist";
import { failedFields, type Tier1Check, type Tier1Input, type Tier1Problem } from "../../domain/tier1";
import { noticeView } from "./audit-views";
import { longDate } from "./format";
import type { View } from "./views";

// An import builds thousands of cards over a few dozen dates; formatting a date (luxon, Europe/London) is the costly
// part, so each date's words are kept. Bounded: a year of dates is a few hundred entries.
const dateWords = new Map<string, string>();
function eventDate(isoDate: string): string {
  let words = dateWords.get(isoDate);
  if (words === undefined) {
    if (dateWords.size > 1000) dateWords.clear();
    words = longDate(isoDate);
    dateWords.set(isoDate, words);
  }
  return words;
}

const ANSWER_TEXT = { yes: "Yes", no: "No", not_applicable: "Not applicable" } as const;

const POOL_NOTE = {
  manager: "",
  no_manager: "No line manager is recorded for this case's lead professional, so this check is with the QA team: any one of you may answer it.",
  manager_is_lp: "The lead professional is recorded as their own manager, and nobody checks their own work, so this check is with the QA team: any one of you may answer it.",
} as const;

export function tier1Status(check: Tier1Check, checklist: Checklist): string {
  if (!check.answer) return "Waiting for the check";
  const on = longDate(check.answer.at.slice(0, 10));
  const failed = failedFields(check, checklist);
  if (failed.length === 0) return `Checked on ${on}: every mandatory field is recorded`;
  return `Checked on ${on}: ${failed.length} field${failed.length === 1 ? "" : "s"} missing, the lead professional is told`;
}

export interface Tier1Form {
  input?: Tier1Input;
  problems?: Tier1Problem[];
}

export function tier1View(check: Tier1Check, checklist: Checklist, form: Tier1Form = {}): View {
  const problems = form.problems ?? [];
  const errorOf = (field: string) => problems.find((p) => p.field === field)?.message ?? "";
  const { label, checks } = checksFor(checklist, check.kind);
  const canAnswer = check.status === "waiting";
  const input = form.input ?? { answers: {}, comment: "" };
  return {
    template: "tier1-check",
    data: {
      eventOn: check.eventOn,
      key: check.key,
      caseRef: check.caseRef,
      serviceArea: check.serviceArea,
      title: `Quality control: case ${check.caseRef}`,
      event: `${label} on ${eventDate(check.eventOn)}`,
      status: tier1Status(check, checklist),
      intro: canAnswer ? checklist.intro : "The Tier 1 quality control check of this event.",
      poolNote: POOL_NOTE[check.checkerReason],
      errorSummary: problems.length > 0 ? "Some checks need an answer: see the notes below." : "",
      checks: check.checkIds.map((id) => {
        const c = checks.find((x) => x.id === id);
        const given = check.answer?.answers[id];
        return {
          label: c?.label ?? id,
          text: c?.text ?? "",
          inputId: `tier1.${id}`,
          // The choices themselves are in the card: yes and no, and not applicable where the checklist allows it.
          notApplicableAllowed: c?.notApplicableAllowed ?? true,
          value: input.answers[id] ?? "",
          answer: given ? ANSWER_TEXT[given] : "",
          error: errorOf(`tier1.${id}`),
        };
      }),
      commentLabel: checklist.comment.label,
      commentMaxLength: checklist.comment.maxLength,
      comment: check.answer?.comment ?? input.comment,
      commentError: errorOf("tier1.comment"),
      canAnswer,
    },
  };
}

/** To the lead professional when a check fails: the case, the event and the missing fields' names; never the comment. */
export function tier1FailedNotice(check: Tier1Check, checklist: Checklist): View {
  const { label } = checksFor(checklist, check.kind);
  const fields = failedFields(check, checklist);
  return noticeView(
    `Quality control of case ${check.caseRef}: fields to complete`,
    `The quality control check of the ${label.toLowerCase()} of case ${check.caseRef} on ${longDate(check.eventOn)} found ${fields.length === 1 ? "this mandatory field" : "these mandatory fields"} not recorded on e-CAF: ${fields.join("; ")}. Please complete ${fields.length === 1 ? "it" : "them"}.`,
  );
}
