// Closing the loop after an audit: QA review, feedback to the lead professional and their manager, their replies,
// the actions' RAG progress, corrective action below good, and closure. Pure: times and people are passed in.
import type { Audit } from "./audit";
import { isBelowGood } from "./answers";
import type { Toolkit } from "./toolkit";
import { addWorkingDays, isValidIsoDate, lastWorkingDay, londonDate, londonDateTime } from "./working-days";
import { addMonths } from "./months";

export type Rag = "red" | "amber" | "green";

export interface FeedbackAction {
  id: string;
  action: string;
  byWhom: string;
  byWhen: string;
  source: "audit" | "lead_professional";
  rag: Rag;
  ragHistory: { at: string; by: string; rag: Rag }[];
  response: { accepted: true; date: string; at: string; by: string } | { accepted: false; proposal: string; reason: string; at: string; by: string } | null;
  confirmation: { done: true; note: string; at: string; by: string } | { done: false; reason: string; newDate: string; at: string; by: string } | null;
}

export type FeedbackStatus = "awaiting_review" | "released" | "closed";

export interface Feedback {
  month: string;
  caseRef: string;
  serviceArea: string;
  auditVersion: number;
  auditorEmail: string;
  leadProfessionalEmail: string | null;
  managerEmail: string | null;
  grade: string;
  belowGood: boolean;
  status: FeedbackStatus;
  submittedAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
  actions: FeedbackAction[];
  lpComment: { text: string; at: string; by: string } | null;
  managerComment: { text: string; at: string; by: string } | null;
  /** Below good: the day by which the manager confirms corrective action (the end of the month after the audit). */
  correctiveDueOn: string | null;
  /** When the reminder job next looks at it; "~" when nothing is pending. */
  nextReminderAt: string | null;
  closedReason: string | null;
  closedBy: string | null;
  /** Ids of replies already stored, so a retried submit stores one reply. */
  replyIds: string[];
  /** The re-checks of a below-good audit's close-out, one per round (src/domain/recheck.ts); absent before the first. */
  rechecks?: Recheck[];
  /** The feedback on earlier versions of a corrected audit, kept with their replies. */
  earlierVersions?: Omit<Feedback, "earlierVersions">[];
}

export type RecheckOutcome = "yes" | "partly" | "no";

export interface RecheckAnswer {
  outcome: RecheckOutcome;
  evidence: string;
  /** Question id -> the grade the auditor gives it now. */
  grades: Record<string, string>;
  action: { action: string; byWhom: string; byWhen: string } | null;
  at: string;
  by: string;
}

export interface Recheck {
  round: number;
  /** scheduled: waiting for its day; sent: with an auditor; unassigned: nobody eligible, QA told, tried daily. */
  status: "scheduled" | "sent" | "unassigned" | "verified" | "reopened";
  dueOn: string;
  /** The questions graded below good in the audit: the only ones the card asks again. */
  questionIds: string[];
  auditorEmail: string | null;
  sentAt: string | null;
  answer: RecheckAnswer | null;
}

export interface FeedbackRules {
  /** Working days after submission before the QA team is reminded to review (default 2). */
  reviewReminderDays: number;
  /** Working days between reminders to the manager to confirm corrective action (default 5). */
  correctiveReminderDays: number;
  /** Working days after the last action is confirmed before its re-check goes to an auditor (default 20). */
  recheckDelayDays: number;
}

export function feedbackFor(audit: Audit, toolkit: Toolkit, people: { lp: string | null; manager: string | null }, rules: FeedbackRules, now: Date): Feedback {
  const final = audit.final!;
  const belowGood = isBelowGood(toolkit, toolkit.overall.scale, final.overallGrade);
  return {
    month: audit.month,
    caseRef: audit.caseRef,
    serviceArea: audit.serviceArea,
    auditVersion: audit.version,
    auditorEmail: audit.auditorEmail,
    leadProfessionalEmail: people.lp,
    managerEmail: people.manager,
    grade: final.overallGrade,
    belowGood,
    status: "awaiting_review",
    submittedAt: now.toISOString(),
    releasedAt: null,
    releasedBy: null,
    actions: final.actions
      .filter((a) => a.action && a.byWhom && a.byWhen)
      .map((a, i) => ({ id: `a${i + 1}`, ...a, source: "audit", rag: "red", ragHistory: [], response: null, confirmation: null })),
    lpComment: null,
    managerComment: null,
    correctiveDueOn: belowGood ? lastWorkingDay(addMonths(audit.month, 1)) : null,
    nextReminderAt: atNine(addWorkingDays(londonDate(now), rules.reviewReminderDays)),
    closedReason: null,
    closedBy: null,
    replyIds: [],
  };
}

const atNine = (date: string) => londonDateTime(date, "09:00").toISOString();

export function release(f: Feedback, by: string, now: Date, rules: FeedbackRules): Feedback {
  return {
    ...f,
    status: "released",
    releasedAt: now.toISOString(),
    releasedBy: by,
    nextReminderAt: f.belowGood ? atNine(addWorkingDays(londonDate(now), rules.correctiveReminderDays)) : null,
  };
}

export interface LpReply {
  replyId: string;
  comment: string;
  responses: Record<string, { accept: boolean; date: string; proposal: string; reason: string }>;
  ownActions: { action: string; byWhom: string; byWhen: string }[];
}

export type Problem = { field: string; message: string };

export function replyProblems(f: Feedback, reply: LpReply): Problem[] {
  const problems: Problem[] = [];
  for (const [id, r] of Object.entries(reply.responses)) {
    const n = f.actions.findIndex((a) => a.id === id) + 1;
    if (r.accept && !isValidIsoDate(r.date)) problems.push({ field: `action.${id}.date`, message: `Give the date you will complete action ${n} by.` });
    if (!r.accept && (r.proposal.trim().length < 5 || r.reason.trim().length < 5)) {
      problems.push({ field: `action.${id}.proposal`, message: `Say what change you propose to action ${n}, and why.` });
    }
  }
  reply.ownActions.forEach((a, i) => {
    const filled = [a.action, a.byWhom, a.byWhen].filter((x) => x.trim() !== "").length;
    if (filled > 0 && (filled < 3 || !isValidIsoDate(a.byWhen))) problems.push({ field: `own.${i}.action`, message: `Complete your own action ${i + 1}: the action, who, and a date.` });
  });
  return problems;
}

/** `by` is who sent the reply (the lead professional): stored beside what they said and when. */
export function applyLpReply(f: Feedback, reply: LpReply, now: Date, by: string = f.leadProfessionalEmail ?? ""): Feedback {
  if (f.replyIds.includes(reply.replyId)) return f;
  const at = now.toISOString();
  const answered = f.actions.map((a) => {
    const r = reply.responses[a.id];
    if (!r) return a;
    return { ...a, response: r.accept ? { accepted: true as const, date: r.date, at, by } : { accepted: false as const, proposal: r.proposal.trim(), reason: r.reason.trim(), at, by } };
  });
  const own = reply.ownActions
    .filter((a) => a.action.trim() !== "")
    .map((a, i) => ({ id: `l${f.actions.length + i + 1}`, action: a.action.trim(), byWhom: a.byWhom.trim(), byWhen: a.byWhen, source: "lead_professional" as const, rag: "red" as Rag, ragHistory: [], response: null, confirmation: null }));
  return {
    ...f,
    actions: [...answered, ...own],
    lpComment: reply.comment.trim() ? { text: reply.comment.trim(), at, by } : f.lpComment,
    replyIds: [...f.replyIds, reply.replyId],
  };
}

export function updateRag(f: Feedback, changes: Record<string, Rag>, by: string, now: Date): Feedback {
  const at = now.toISOString();
  const actions = f.actions.map((a) => {
    const rag = changes[a.id];
    return rag && rag !== a.rag ? { ...a, rag, ragHistory: [...a.ragHistory, { at, by, rag }] } : a;
  });
  // Below good, the manager's confirmation is part of done: Green alone leaves the corrective action to confirm.
  const allGreen = actions.length > 0 && actions.every((a) => a.rag === "green" && (!f.belowGood || a.confirmation?.done === true));
  // The audit is closed when every action is Green (and below good, confirmed): nothing is left to chase.
  return allGreen && f.status === "released"
    ? { ...f, actions, status: "closed", closedReason: "Every action is done (Green).", closedBy: by, nextReminderAt: null }
    : { ...f, actions };
}

export function confirmActions(
  f: Feedback,
  confirmations: Record<string, { done: boolean; note: string; newDate: string }>,
  by: string,
  now: Date,
): Feedback | Problem[] {
  const problems: Problem[] = [];
  for (const [id, c] of Object.entries(confirmations)) {
    const n = f.actions.findIndex((a) => a.id === id) + 1;
    if (c.done && c.note.trim().length < 3) problems.push({ field: `action.${id}.note`, message: `Add a short note on how action ${n} was done.` });
    if (!c.done && (c.note.trim().length < 3 || !isValidIsoDate(c.newDate))) problems.push({ field: `action.${id}.note`, message: `For action ${n}, say why it is not done and give a new date.` });
  }
  if (problems.length > 0) return problems;
  const at = now.toISOString();
  const actions = f.actions.map((a) => {
    const c = confirmations[a.id];
    if (!c) return a;
    const confirmation = c.done ? { done: true as const, note: c.note.trim(), at, by } : { done: false as const, reason: c.note.trim(), newDate: c.newDate, at, by };
    const rag: Rag = c.done ? "green" : a.rag === "red" ? "red" : "amber";
    return { ...a, confirmation, rag, ragHistory: rag !== a.rag ? [...a.ragHistory, { at, by, rag }] : a.ragHistory };
  });
  return updateRag({ ...f, actions }, {}, by, now);
}

export function close(f: Feedback, reason: string, by: string): Feedback | Problem[] {
  if (reason.trim().length < 10) return [{ field: "closeReason", message: "Say why this audit can be closed (at least 10 characters)." }];
  return { ...f, status: "closed", closedReason: reason.trim(), closedBy: by, nextReminderAt: null };
}

/** Actions the manager still has to confirm, past the corrective-action date: what the QA team and service leader see. */
export function overdueActions(f: Feedback, today: string): FeedbackAction[] {
  if (!f.belowGood || f.status !== "released" || !f.correctiveDueOn || today <= f.correctiveDueOn) return [];
  return f.actions.filter((a) => a.confirmation === null || (a.confirmation.done === false && a.confirmation.newDate < today));
}
