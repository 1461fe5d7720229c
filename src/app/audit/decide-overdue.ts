// Use case: the QA team decides on an audit that is overdue, or due while its auditor is away, from the card the
// reminders job sent them: extend the due date (the auditor keeps it) or reallocate it (another eligible auditor,
// or the QA team's pool). Only the QA team may; every change is stored with the audit's ETag.
import type { Audit } from "../../domain/audit";
import { hasRole, type Person } from "../../domain/person";
import { addMonths } from "../../domain/months";
import { addWorkingDays, isValidIsoDate, isWorkingDay, londonDate } from "../../domain/working-days";
import { auditDecisionView, decisionNeeded, decisionReason, suggestedDueOn, type DecisionNeed } from "../cards/audit-decision-views";
import { noticeView } from "../cards/audit-views";
import type { AuditRef, DecisionVerb, Form } from "../commands";
import type { ChatDeps, ChatReply } from "../chat-deps";
import { retryOnLostRace } from "../etag-retry";
import { longDate } from "../cards/format";
import type { OutboxMessage } from "../delivery/outbox";
import { reallocate } from "../allocation/reallocate";


const EXTENDED = "audit_due_date_extended";
const REALLOCATED = "audit_reallocated_by_qa";

const DECLINE_REASON: Record<DecisionNeed, string> = {
  overdue: "Reallocated by the QA team: overdue",
  away: "Reallocated by the QA team: away",
};

interface Context {
  audit: Audit;
  version: string;
  people: Person[];
  today: string;
  name: (email: string) => string;
}

export async function decideOverdue(deps: ChatDeps, actor: Person, verb: DecisionVerb, ref: AuditRef, data: Form): Promise<ChatReply> {
  if (!hasRole(actor, "qa")) {
    return {
      view: noticeView("Only the QA team can do that", `Extending or reallocating the audit of ${ref.caseRef} is for the QA team. Nothing has changed.`),
      inPlace: false,
      code: "not_qa",
    };
  }
  const typed = typeof data.newDueOn === "string" ? data.newDueOn.trim() : "";
  return retryOnLostRace<ChatReply>(async () => {
    const found = await deps.allocations.get(ref.month, ref.caseRef);
    if (!found) {
      return { view: noticeView("No such audit", `There is no audit of case ${ref.caseRef} for ${ref.month}. Nothing has changed.`), inPlace: false, code: "audit_not_found" };
    }
    const { audit, version } = found;
    if (audit.status === "submitted") {
      return {
        view: noticeView(`${audit.caseRef} is already submitted`, `The audit of ${audit.caseRef} was submitted, so its due date cannot be moved and it cannot be reallocated. Nothing has changed.`),
        inPlace: false,
        code: "audit_submitted",
      };
    }
    const people = await deps.people.all();
    const byEmail = new Map(people.map((p) => [p.email.toLowerCase(), p]));
    const ctx: Context = { audit, version, people, today: londonDate(deps.clock.now()), name: (email) => byEmail.get(email.toLowerCase())?.name ?? email };
    const auditor = byEmail.get(audit.auditorEmail.toLowerCase());
    const need = decisionNeeded(audit, auditor, ctx.today);
    if (!need) {
      // Decided already (by this press a moment ago, or by someone else in the QA team), or no longer needed:
      // the card shows where things stand, and nothing changes.
      return { view: await currentCard(deps, ctx, auditor), inPlace: true, code: "decision_not_needed" };
    }

    const date = chosenDate(verb, typed, audit, need, auditor, ctx.today);
    if ("problem" in date) {
      return { view: noticeView("Choose another due date", date.problem), inPlace: false, code: "due_date_invalid" };
    }
    return verb === "extendAudit" ? await extend(deps, actor, ctx, need, date.dueOn) : await passOn(deps, actor, ctx, need, date.dueOn);
  }, () => ({ view: noticeView("Please try again", "The audit changed at the same moment. Press the button again."), inPlace: false, code: "audit_conflict" }));
}

/** The date from the card, checked: a real date, a working day, today or later. Reallocating may leave it out. */
function chosenDate(verb: DecisionVerb, typed: string, audit: Audit, need: DecisionNeed, auditor: Person | undefined, today: string): { dueOn: string } | { problem: string } {
  const button = verb === "extendAudit" ? "Extend due date" : "Reallocate to another auditor";
  if (typed === "") {
    if (verb === "reallocateAudit") return { dueOn: audit.dueOn >= today ? audit.dueOn : suggestedDueOn(need, auditor, today) };
    return { problem: `Choose the new due date on the card, then press ${button} again. Nothing has changed.` };
  }
  if (!isValidIsoDate(typed)) {
    return { problem: `That is not a date. Choose the new due date from the calendar on the card, for example ${suggestedDueOn(need, auditor, today)}, then press ${button} again. Nothing has changed.` };
  }
  if (typed < today) return { problem: `${longDate(typed)} has already passed. Choose today or a later working day, then press ${button} again. Nothing has changed.` };
  if (!isWorkingDay(typed)) return { problem: `${longDate(typed)} is not a working day. Choose a weekday that is not a bank holiday, then press ${button} again. Nothing has changed.` };
  if (verb === "extendAudit" && typed === audit.dueOn) return { problem: `The audit of ${audit.caseRef} is already due on ${longDate(typed)}. Choose a later date to extend it. Nothing has changed.` };
  return { dueOn: typed };
}

async function extend(deps: ChatDeps, actor: Person, ctx: Context, need: DecisionNeed, dueOn: string): Promise<ChatReply> {
  const { audit } = ctx;
  const at = deps.clock.now().toISOString();
  const auditor = ctx.people.find((p) => p.email.toLowerCase() === audit.auditorEmail.toLowerCase());
  const next: Audit = { ...audit, dueOn };
  const notice: OutboxMessage = {
    id: `extended:${audit.month}:${audit.caseRef}:${audit.auditorEmail}:${at}`,
    recipientEmail: audit.auditorEmail,
    view: noticeView(
      `New due date for ${audit.caseRef}`,
      `${actor.name} in the QA team moved the due date of your audit of ${audit.caseRef} (${audit.serviceArea}) to ${longDate(dueOn)}. Type my audits to carry on where you left off.`,
    ),
    createdAt: at,
  };
  const event = { at, actor: actor.email, type: EXTENDED, subject: `${audit.month}/${audit.caseRef}`, data: { from: audit.dueOn, to: dueOn, why: need } };
  await deps.allocations.update(next, ctx.version, { outbox: [notice], events: [event] });
  const still = decisionNeeded(next, auditor, ctx.today);
  return {
    view: auditDecisionView({
      audit: next,
      auditor,
      reason: decisionReason(need, audit, auditor),
      suggestedDueOn: suggestedDueOn(still ?? need, auditor, ctx.today),
      status: `Due date moved to ${longDate(dueOn)} by ${actor.name}`,
      canDecide: still !== null,
    }),
    inPlace: true,
  };
}

async function passOn(deps: ChatDeps, actor: Person, ctx: Context, need: DecisionNeed, dueOn: string): Promise<ChatReply> {
  const { audit } = ctx;
  const at = deps.clock.now().toISOString();
  const previous = audit.auditorEmail;
  const previousPerson = ctx.people.find((p) => p.email.toLowerCase() === previous.toLowerCase());
  const because = need === "overdue" ? "it is overdue" : "you are away";
  const { next, newAuditor } = await reallocate(deps, audit, ctx.version, {
    actor,
    decline: { by: previous, reason: DECLINE_REASON[need] },
    why: `was taken off it by ${actor.name} in the QA team because it is ${need === "overdue" ? "overdue" : "due while they are away"}`,
    dueOn,
    messages: (_next, declines) => [
      {
        id: `reallocated:${audit.month}:${audit.caseRef}:${declines}:${previous}`,
        recipientEmail: previous,
        view: noticeView(
          `${audit.caseRef} has gone to another auditor`,
          `${actor.name} in the QA team passed your audit of ${audit.caseRef} (${audit.serviceArea}) on because ${because}. It is no longer in your audits, and nothing more is needed from you on it.`,
        ),
        createdAt: at,
      },
    ],
    event: (passed) => ({
      at,
      actor: actor.email,
      type: REALLOCATED,
      subject: `${audit.month}/${audit.caseRef}`,
      data: { outcome: passed.status === "allocated" ? "reallocated" : "returned_to_qa", why: need, declines: passed.declines.length },
    }),
  });
  const moved = next.status === "allocated";
  return {
    view: auditDecisionView({
      audit: next,
      auditor: newAuditor,
      reason: decisionReason(need, audit, previousPerson),
      suggestedDueOn: suggestedDueOn(null, newAuditor, ctx.today),
      status: moved ? `Reallocated to another auditor by ${actor.name}` : `Back with the QA team to allocate by hand: ${actor.name} reallocated it and no other eligible auditor could take it`,
      canDecide: false,
    }),
    inPlace: true,
    code: moved ? undefined : "returned_to_qa",
  };
}

/** The card as things stand when no decision is needed now, with the last decision the QA team made if any. */
async function currentCard(deps: ChatDeps, ctx: Context, auditor: Person | undefined): Promise<ReturnType<typeof auditDecisionView>> {
  const { audit } = ctx;
  const subject = `${audit.month}/${audit.caseRef}`;
  const thisMonth = deps.clock.now().toISOString().slice(0, 7);
  const events = (await Promise.all([addMonths(thisMonth, -1), thisMonth].map((m) => deps.events.listMonth(m)))).flat();
  const last = events
    .filter((e) => e.subject === subject && (e.type === EXTENDED || e.type === REALLOCATED))
    .sort((a, b) => a.at.localeCompare(b.at))
    .at(-1);
  const status =
    audit.status === "unallocated"
      ? "Back with the QA team to allocate by hand"
      : last?.type === EXTENDED
        ? `Due date moved to ${longDate(String(last.data.to))} by ${ctx.name(last.actor)}`
        : last?.type === REALLOCATED
          ? `Reallocated to another auditor by ${ctx.name(last.actor)}`
          : `No decision needed now: due on ${longDate(audit.dueOn)}`;
  const why = last?.data.why === "away" ? "due while its auditor was away" : last?.data.why === "overdue" ? "overdue" : "";
  return auditDecisionView({
    audit,
    auditor,
    reason: why ? `It came to the QA team because it was ${why}.` : decisionReason(null, audit, auditor),
    suggestedDueOn: addWorkingDays(ctx.today, 5),
    status,
    canDecide: false,
  });
}
