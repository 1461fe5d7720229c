// The QA team's moderation card: a moderated case's two audits side by side, section by section, with each auditor's
// evidence, to agree the grade; or, at the deadline, a second audit still missing, to decide without it.
import type { Audit } from "../../domain/audit";
import type { Moderation } from "../../domain/moderation";
import type { Person } from "../../domain/person";
import { findScale, optionLabel, type Toolkit } from "../../domain/toolkit";
import { noticeView } from "./audit-views";
import type { OutboxMessage } from "../delivery/outbox";
import type { View } from "./views";

export type ModerationCardMode = "agree" | "missing" | "decided";

export interface ModerationCard {
  moderation: Moderation;
  first: Audit;
  second: Audit;
  toolkit: Toolkit;
  people: readonly Person[];
  mode: ModerationCardMode;
  error?: string;
}

const gradeLabel = (toolkit: Toolkit, value: string | null | undefined) =>
  value ? (optionLabel(toolkit, toolkit.overall.scale, value) ?? value) : "not submitted";

function sectionText(audit: Audit, toolkit: Toolkit, sectionId: string): string {
  if (audit.status !== "submitted") return "Not submitted.";
  const section = toolkit.sections.find((s) => s.id === sectionId)!;
  const saved = audit.sections[sectionId];
  if (saved?.notApplicable) return "Not applicable.";
  const answers = section.questions.map((q) => {
    const value = saved?.answers[q.id]?.value ?? "";
    return `${q.number} ${optionLabel(toolkit, q.scale, value) ?? "not answered"}`;
  });
  return `${answers.join("; ")}. ${saved?.overview ?? ""}`.trim();
}

export function statusLine(m: Moderation, toolkit: Toolkit, people: readonly Person[]): string {
  const who = (email: string | null) => people.find((p) => p.email === email)?.name ?? email ?? "";
  switch (m.status) {
    case "awaiting_audits":
      return m.deadlineAskedFor ? "Second audit missing: waiting for a decision" : "Waiting for both audits";
    case "awaiting_agreement":
      return "Waiting for an agreed grade";
    case "agreed":
      return m.decidedBy === "moderation" ? `Both audits gave ${gradeLabel(toolkit, m.agreedGrade)}` : `Agreed as ${gradeLabel(toolkit, m.agreedGrade)} by ${who(m.decidedBy)}`;
    case "single_audit":
      return `First audit used alone (${gradeLabel(toolkit, m.agreedGrade)}), decided by ${who(m.decidedBy)}`;
    default: {
      const never: never = m.status;
      throw new Error(`unknown moderation status ${String(never)}`);
    }
  }
}

export function moderationView(c: ModerationCard): View {
  const { moderation: m, first, second, toolkit, people } = c;
  const name = (email: string) => people.find((p) => p.email === email)?.name ?? email;
  const reason =
    c.mode === "missing"
      ? `The second audit of ${m.caseRef} is not submitted and the moderation deadline has passed. Decide without it, or give it to another auditor.`
      : `The two audits of ${m.caseRef} differ: ${first.final?.overallGrade === second.final?.overallGrade ? "a section's grades are two or more steps apart" : "they give different overall grades"}. Agree the grade: the feedback to the lead professional waits for it and uses it.`;
  return {
    template: "moderation",
    data: {
      month: m.month,
      caseRef: m.caseRef,
      serviceArea: m.serviceArea,
      title: c.mode === "missing" ? `Moderation: ${m.caseRef} is missing its second audit` : `Moderation: ${m.caseRef} needs an agreed grade`,
      reason,
      firstSummary: `${name(first.auditorEmail)}: ${gradeLabel(toolkit, first.final?.overallGrade)}`,
      secondSummary: `${name(second.auditorEmail)}: ${second.status === "submitted" ? gradeLabel(toolkit, second.final?.overallGrade) : "not submitted"}`,
      status: statusLine(m, toolkit, people),
      sections: [
        ...toolkit.sections.map((s) => ({ heading: `${s.number} ${s.title}`, first: sectionText(first, toolkit, s.id), second: sectionText(second, toolkit, s.id) })),
        {
          heading: "Overall",
          first: `${gradeLabel(toolkit, first.final?.overallGrade)}. ${first.final?.justification ?? ""}`.trim(),
          second: second.status === "submitted" ? `${gradeLabel(toolkit, second.final?.overallGrade)}. ${second.final?.justification ?? ""}`.trim() : "Not submitted.",
        },
      ],
      gradeChoices: findScale(toolkit, toolkit.overall.scale).options.map((o) => ({ title: o.label, value: o.value })),
      canAgree: c.mode === "agree",
      canDecideMissing: c.mode === "missing",
      error: c.error ?? "",
    },
  };
}

/** The card for each QA member; `replacesId` turns a later one into an update of the card they already have. */
export function moderationCards(c: ModerationCard, qa: readonly string[], at: string, key: string, replaces?: string): OutboxMessage[] {
  return qa.map((email) => ({
    id: `moderation:${c.moderation.month}:${c.moderation.caseRef}:${key}:${email}`,
    recipientEmail: email,
    view: moderationView(c),
    createdAt: at,
    ...(replaces ? { replacesId: `moderation:${c.moderation.month}:${c.moderation.caseRef}:${replaces}:${email}` } : {}),
  }));
}

/** What both auditors hear once the case is settled: the blindness ends here, and only with the outcome. */
export function outcomeNotices(m: Moderation, toolkit: Toolkit, at: string, key: string, auditors: readonly string[]): OutboxMessage[] {
  const text =
    m.status === "single_audit"
      ? `Case ${m.caseRef} was moderated but its second audit was not completed in time, so the QA team used the first audit alone. Its grade, ${gradeLabel(toolkit, m.agreedGrade)}, goes into the feedback.`
      : m.decidedBy === "moderation"
        ? `Case ${m.caseRef} was also audited by a second auditor to check that grading is consistent. Both audits gave ${gradeLabel(toolkit, m.agreedGrade)}, so that grade goes into the feedback.`
        : `Case ${m.caseRef} was also audited by a second auditor to check that grading is consistent. The grades differed and the QA team agreed ${gradeLabel(toolkit, m.agreedGrade)}: ${m.reason ?? ""}`;
  return auditors.map((email) => ({ id: `moderated:${m.month}:${m.caseRef}:${key}:${email}`, recipientEmail: email, view: noticeView(`Moderation of ${m.caseRef}: ${gradeLabel(toolkit, m.agreedGrade)}`, text), createdAt: at }));
}
