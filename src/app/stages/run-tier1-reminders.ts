// Job: a Tier 1 check still waiting on its day is sent to its checker again, every CAF_TIER1_REMINDER_DAYS working
// days until it is answered. Each step is an ETag update with its messages, so it happens once across instances.
import { hasRole } from "../../domain/person";
import { reminderAfter } from "../../domain/tier1";
import { londonDate } from "../../domain/working-days";
import type { ChatDeps } from "../chat-deps";
import { StorageError } from "../errors";
import { tier1View } from "../cards/tier1-views";

export async function runTier1Reminders(deps: ChatDeps): Promise<{ reminded: number }> {
  const now = deps.clock.now();
  const due = await deps.tier1.due(now);
  if (due.length === 0) return { reminded: 0 };
  const qa = (await deps.people.all()).filter((p) => hasRole(p, "qa")).map((p) => p.email.toLowerCase());
  const today = londonDate(now);
  let reminded = 0;
  for (const { check, version } of due) {
    const next = { ...check, nextReminderAt: check.status === "waiting" ? reminderAfter(now, deps.tier1ReminderDays) : null };
    const to = check.status !== "waiting" ? [] : check.checkerEmail ? [check.checkerEmail] : qa.filter((e) => e !== check.leadProfessionalEmail);
    const view = tier1View(next, deps.checklist);
    const outbox = to.map((email) => ({ id: `t1:${check.eventOn}:${check.key}:remind:${today}:${email}`, recipientEmail: email, view, createdAt: now.toISOString() }));
    try {
      await deps.tier1.update(next, version, { outbox });
      if (outbox.length > 0) reminded++;
    } catch (err) {
      // Answered or reminded by someone else meanwhile: their change stands, and this one is not needed.
      if (!(err instanceof StorageError && err.code === "storage_precondition_failed")) throw err;
    }
  }
  return { reminded };
}
