// Job: reminders that keep feedback moving. QA review waiting too long; corrective action not yet confirmed;
// past its date, the overdue list goes to the QA team; on its day, a closed audit's re-check goes to an auditor.
// Each step is an ETag update, so it happens once.
import { overdueActions, type Feedback } from "../../domain/feedback";
import { hasRole } from "../../domain/person";
import { addWorkingDays, londonDate, londonDateTime } from "../../domain/working-days";
import { noticeView } from "../cards/audit-views";
import type { ChatDeps } from "../chat-deps";
import { lostRace } from "../etag-retry";
import { feedbackView } from "../cards/feedback-views";
import { longDate } from "../cards/format";
import type { OutboxMessage } from "../delivery/outbox";
import { dueRecheckStep, recheckPass } from "../stages/send-due-recheck";

export async function runFeedbackReminders(deps: ChatDeps): Promise<{ reminded: number }> {
  const now = deps.clock.now();
  const due = await deps.feedback.due(now);
  if (due.length === 0) return { reminded: 0 };
  const people = await deps.people.all();
  const qa = people.filter((p) => hasRole(p, "qa")).map((p) => p.email);
  const today = londonDate(now);
  const rechecks = recheckPass(deps, people, qa, today);
  let reminded = 0;
  for (const { feedback: f, version } of due) {
    const at = now.toISOString();
    const key = `fb:${f.month}:${f.caseRef}:v${f.auditVersion}:remind:${today}`;
    const outbox: OutboxMessage[] = [];
    let next: Feedback;
    if (f.status === "awaiting_review") {
      outbox.push(...qa.map((email) => ({ id: `${key}:${email}`, recipientEmail: email, view: noticeView(`Feedback on ${f.caseRef} is waiting for review`, `The audit of ${f.caseRef} was submitted on ${longDate(londonDate(new Date(f.submittedAt)))}. Review it and release the feedback so the lead professional hears what needs to happen next for the child.`), createdAt: at })));
      next = { ...f, nextReminderAt: nextAt(today, deps.feedbackRules.reviewReminderDays) };
    } else if (f.status === "released" && f.belowGood) {
      const audit = await deps.allocations.get(f.month, f.caseRef);
      const toolkit = audit ? deps.toolkits.get(audit.audit.toolkitId) : undefined;
      if (f.managerEmail && audit && toolkit) outbox.push({ id: `${key}:${f.managerEmail}`, recipientEmail: f.managerEmail, view: feedbackView(f, audit.audit, toolkit, "manager"), createdAt: at });
      const overdue = overdueActions(f, today);
      if (overdue.length > 0) {
        outbox.push(...qa.map((email) => ({ id: `${key}:overdue:${email}`, recipientEmail: email, view: noticeView(`Overdue: corrective action on ${f.caseRef}`, `${overdue.length} action${overdue.length === 1 ? " is" : "s are"} not confirmed and the date (${longDate(f.correctiveDueOn!)}) has passed. The Service Leader can see the list with: overdue actions.`), createdAt: at })));
      }
      next = { ...f, nextReminderAt: nextAt(today, deps.feedbackRules.correctiveReminderDays) };
    } else {
      const recheck = await dueRecheckStep(deps, f, now, rechecks);
      next = recheck?.next ?? { ...f, nextReminderAt: null };
      outbox.push(...(recheck?.outbox ?? []));
    }
    try {
      await deps.feedback.update(next, version, { outbox });
      reminded += outbox.length > 0 ? 1 : 0;
    } catch (err) {
      if (lostRace(err)) continue;
      throw err;
    }
  }
  return { reminded };
}

const nextAt = (today: string, days: number) => londonDateTime(addWorkingDays(today, days), "09:00").toISOString();
