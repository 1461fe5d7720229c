// Job: audit reminders. The auditor hears 5 and 2 working days before the due date and on the day; an overdue
// audit goes to the QA team. Nobody is reminded while marked away; their audits due meanwhile go to QA to decide.
// Each message id carries the audit and the day, so a rerun of the same day sends nothing twice; once the QA team
// has moved the due date, the ids carry the new date too, so the new date gets its own reminders.
import { addMonths } from "../../domain/months";
import { secondMissingAtDeadline } from "../../domain/moderation";
import { hasRole, type Person } from "../../domain/person";
import { lastWorkingDay, londonDate, workingDaysBetween } from "../../domain/working-days";
import { auditDecisionView, decisionReason, suggestedDueOn, WAITING_FOR_DECISION } from "../cards/audit-decision-views";
import { noticeView } from "../cards/audit-views";
import type { ChatDeps } from "../chat-deps";
import { longDate } from "../cards/format";
import type { OutboxMessage } from "../delivery/outbox";
import { moderationCards } from "../cards/moderation-views";
import { StorageError } from "../errors";

const REMIND_AT = [5, 2, 0];

export async function runAuditReminders(deps: ChatDeps): Promise<{ reminded: number; overdue: number; moderation: number }> {
  const now = deps.clock.now();
  const today = londonDate(now);
  const at = now.toISOString();
  const people = await deps.people.all();
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const qa = people.filter((p) => hasRole(p, "qa")).map((p) => p.email);
  let reminded = 0;
  let overdue = 0;
  for (const month of [addMonths(today.slice(0, 7), -1), today.slice(0, 7)]) {
    const messages: OutboxMessage[] = [];
    const plannedDue = (await deps.allocations.getPlan(month))?.plan.dueOn ?? lastWorkingDay(month);
    const [firsts, seconds] = await Promise.all([deps.allocations.listMonth(month), deps.allocations.listSeconds(month)]);
    for (const audit of [...firsts, ...seconds]) {
      if (audit.status === "submitted" || audit.status === "withdrawn" || !audit.auditorEmail) continue;
      // A second audit past its due date is the moderation deadline's business (below), not the overdue card's.
      if (audit.pass === "second" && workingDaysBetween(today, audit.dueOn) < 0) continue;
      // A due date the QA team moved starts a new round of reminders and, if missed again, a new decision card.
      const round = audit.dueOn === plannedDue ? "" : `:${audit.dueOn}`;
      const left = workingDaysBetween(today, audit.dueOn);
      const auditor = byEmail.get(audit.auditorEmail);
      const away = auditor?.awayUntil && auditor.awayUntil >= today;
      // Due while they are away (on or before their last day away): one back before the due date keeps it.
      const dueWhileAway = away && audit.dueOn <= auditor!.awayUntil!;
      if (left < 0 || (dueWhileAway && left <= 2)) {
        // Overdue, or due while the auditor is away: the QA team decides on the card (extend or reallocate). Once per audit.
        const need = left < 0 ? "overdue" : "away";
        const view = auditDecisionView({
          audit,
          auditor,
          reason: decisionReason(need, audit, auditor),
          suggestedDueOn: suggestedDueOn(need, auditor, today),
          status: WAITING_FOR_DECISION,
          canDecide: true,
        });
        messages.push(...qa.map((email) => ({ id: `overdue:${audit.month}:${audit.caseRef}:${left < 0 ? "late" : "away"}:${email}${round}`, recipientEmail: email, view, createdAt: at })));
        overdue++;
      } else if (!away && REMIND_AT.includes(left)) {
        const when = left === 0 ? "today" : `in ${left} working days, on ${longDate(audit.dueOn)}`;
        messages.push({ id: `reminder:${audit.month}:${audit.caseRef}:${audit.auditorEmail}:${left}${round}`, recipientEmail: audit.auditorEmail, view: noticeView(`Audit of ${audit.caseRef} is due ${left === 0 ? "today" : "soon"}`, `Your audit of ${audit.caseRef} is due ${when}. Type my audits to carry on where you left off.`), createdAt: at });
        reminded++;
      }
    }
    if (messages.length > 0) await deps.allocations.createMessages(month, messages);
  }
  const moderation = await askAboutMissingSeconds(deps, today, at, people, qa);
  return { reminded, overdue, moderation };
}

/**
 * A moderated case whose first audit is in and whose second is still out at the deadline: the QA team decides from
 * the card (use the first alone, or reallocate the second). Asked once per due date of the second audit, stored
 * with the question, so a rerun asks nothing twice and a reallocated second audit gets its own deadline.
 */
async function askAboutMissingSeconds(deps: ChatDeps, today: string, at: string, people: readonly Person[], qa: readonly string[]): Promise<number> {
  let asked = 0;
  for (const month of [-2, -1, 0].map((n) => addMonths(today.slice(0, 7), n))) {
    for (const { moderation, version } of await deps.allocations.listModerations(month)) {
      if (moderation.status !== "awaiting_audits") continue;
      const [first, second] = await Promise.all([deps.allocations.get(month, moderation.caseRef), deps.allocations.get(month, moderation.caseRef, "second")]);
      if (!first || !second || !secondMissingAtDeadline(moderation, first.audit, second.audit, today, deps.moderationDeadlineDays)) continue;
      if (moderation.deadlineAskedFor === second.audit.dueOn) continue;
      const toolkit = deps.toolkits.get(first.audit.toolkitId);
      if (!toolkit) continue;
      const askedNow = { ...moderation, deadlineAskedFor: second.audit.dueOn };
      const cards = moderationCards({ moderation: askedNow, first: first.audit, second: second.audit, toolkit, people, mode: "missing" }, qa, at, `missing:${second.audit.dueOn}`);
      try {
        await deps.allocations.decideModeration(askedNow, version, { outbox: cards });
        asked++;
      } catch (err) {
        // The case changed meanwhile (the second audit came in, or another run asked): the next run looks again.
        if (!(err instanceof StorageError && err.code === "storage_precondition_failed")) throw err;
      }
    }
  }
  return asked;
}
