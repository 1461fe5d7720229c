// The one line a phone shows in its notification for a view, in every channel: case reference at most, never answers.
import type { View } from "./views";

/** The line a phone shows in its notification: case reference at most, never answers. */
export function summaryOf(view: View): string {
  switch (view.template) {
    case "allocation":
      return `New audit for ${view.data.monthLabel}: case ${view.data.caseRef}, due ${view.data.dueOn}`;
    case "section":
      return `Audit ${view.data.caseRef}: ${view.data.progress}`;
    case "final":
      return `Audit ${view.data.caseRef}: ready to submit`;
    case "submitted":
      return `Audit ${view.data.caseRef} submitted`;
    case "notice":
      return view.data.title;
    case "my-audits":
      return view.data.heading;
    case "escalation":
      // The notification line never carries what was seen: only that a concern needs them, and on which case.
      return `Unsafe practice raised on case ${view.data.caseRef}: ${view.data.status}`;
    case "raise-unsafe":
      return "Report unsafe practice";
    case "digest":
    case "review":
      return view.data.title;
    case "feedback":
      return `Audit feedback for case ${view.data.caseRef}: ${view.data.status}`;
    case "audit-decision":
      return view.data.canDecide ? `Audit of ${view.data.caseRef} needs a decision` : `Audit of ${view.data.caseRef}: ${view.data.status}`;
    case "supervision":
      return `Supervision checklist for case ${view.data.caseRef}: ${view.data.status}`;
    case "self-assessment":
      return `Self-assessment of case ${view.data.caseRef}: ${view.data.status}`;
    case "recheck":
      return `Re-check of case ${view.data.caseRef}: ${view.data.status}`;
    case "stale-case":
      return `Is case ${view.data.caseRef} still open? ${view.data.status}`;
    case "tier1-check":
      return `Quality control of case ${view.data.caseRef}: ${view.data.status}`;
    case "moderation":
      return `Moderation of case ${view.data.caseRef}: ${view.data.status}`;
    default: {
      const never: never = view;
      throw new Error(`unknown view ${JSON.stringify(never)}`);
    }
  }
}
