// The feedback card for each person who may see it: the lead professional, their manager, the auditor, the QA team.
import { optionLabel, type Toolkit } from "../../domain/toolkit";
import type { Audit } from "../../domain/audit";
import type { Feedback, FeedbackAction } from "../../domain/feedback";
import { latestRecheck } from "../../domain/recheck";
import { longDate } from "./format";
import type { View } from "./views";

export type FeedbackAudience = "lp" | "manager" | "auditor" | "qa";

const RAG_LABEL = { red: "Red: not started", amber: "Amber: in progress", green: "Green: done" } as const;

const AUDIENCE_LINE: Record<FeedbackAudience, string> = {
  lp: "You are the lead professional. Tell us what you think and what you will do next for the child.",
  manager: "You manage the lead professional. Add your comment, and for an audit below good confirm each action.",
  auditor: "You audited this case. This is what was sent and how the lead professional replied.",
  qa: "QA review: check the audit, then release the feedback to the lead professional and their manager.",
};

function response(a: FeedbackAction): string {
  if (!a.response) return "No reply yet";
  return a.response.accepted ? `Accepted: done by ${longDate(a.response.date)}` : `Change proposed: ${a.response.proposal} (why: ${a.response.reason})`;
}

function confirmation(a: FeedbackAction): string {
  if (!a.confirmation) return "";
  return a.confirmation.done ? `Confirmed done: ${a.confirmation.note}` : `Not done yet: ${a.confirmation.reason}. New date ${longDate(a.confirmation.newDate)}`;
}

export function feedbackView(f: Feedback, audit: Audit, toolkit: Toolkit, audience: FeedbackAudience): View {
  const label = (scaleId: string, value: string) => optionLabel(toolkit, scaleId, value) ?? value;
  const open = f.status === "released";
  const status =
    f.status === "awaiting_review" ? "Waiting for QA review" : f.status === "closed" ? `Closed: ${f.closedReason ?? ""}${recheckNote(f)}` : `Feedback sent on ${longDate(f.releasedAt!.slice(0, 10))}`;
  return {
    template: "feedback",
    data: {
      month: f.month,
      caseRef: f.caseRef,
      serviceArea: f.serviceArea,
      auditVersion: f.auditVersion,
      audience,
      audienceLine: AUDIENCE_LINE[audience],
      grade: label(toolkit.overall.scale, f.grade),
      belowGood: f.belowGood,
      sections: toolkit.sections.map((s) => {
        const saved = audit.sections[s.id];
        // The section's grade is its most common answer: the auditor's own overview says the rest.
        const counts = new Map<string, number>();
        for (const q of s.questions) {
          const v = saved?.answers[q.id]?.value;
          if (v && v !== "not-applicable") counts.set(v, (counts.get(v) ?? 0) + 1);
        }
        const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
        return { number: s.number, title: s.title, grade: saved?.notApplicable ? "Not applicable" : top ? label(s.questions[0]!.scale, top) : "Not graded", overview: saved?.overview ?? "" };
      }),
      justification: audit.final?.justification ?? "",
      actions: f.actions.map((a, index) => ({
        index,
        id: a.id,
        action: a.action,
        byWhom: a.byWhom,
        byWhen: a.byWhen ? longDate(a.byWhen) : "",
        source: a.source === "audit" ? "Agreed at audit" : "Added by the lead professional",
        rag: a.rag,
        ragLabel: RAG_LABEL[a.rag],
        response: response(a),
        confirmation: confirmation(a),
      })),
      lpComment: f.lpComment?.text ?? "",
      managerComment: f.managerComment?.text ?? "",
      status,
      correctiveDue: f.belowGood && open && f.correctiveDueOn ? `Confirm corrective action by ${longDate(f.correctiveDueOn)}` : "",
      canReply: audience === "lp" && open,
      canComment: audience === "manager" && open,
      canConfirm: audience === "manager" && open && f.belowGood,
      canUpdateRag: (audience === "lp" || audience === "manager") && open,
      canRelease: audience === "qa" && f.status === "awaiting_review",
      canClose: audience === "qa" && f.status !== "closed",
      ownActionRows: audience === "lp" && open ? [{ index: 0 }, { index: 1 }] : [],
    },
  };
}

/** Who this person is to this feedback; null for anyone who may not see it. */
export function audienceOf(f: Feedback, email: string, isQa: boolean): FeedbackAudience | null {
  const e = email.toLowerCase();
  if (e === f.leadProfessionalEmail) return "lp";
  if (e === f.managerEmail) return "manager";
  if (e === f.auditorEmail) return "auditor";
  return isQa ? "qa" : null;
}

/** On a closed audit: when its re-check is due, or that an auditor has it. Verified is in the closed reason. */
function recheckNote(f: Feedback): string {
  const r = latestRecheck(f);
  if (!r) return "";
  if (r.status === "scheduled") return ` An auditor re-checks the change for the child on ${longDate(r.dueOn)}.`;
  return r.status === "sent" || r.status === "unassigned" ? " An auditor is re-checking the change for the child." : "";
}
