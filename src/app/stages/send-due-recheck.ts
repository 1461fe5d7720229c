// The reminder job's part in verified close-out: on its day, a scheduled re-check goes to an auditor (the original
// one, or another eligible one), stored with its card in one transaction. With nobody eligible the QA team is told
// once, and the job tries again each working day.
import type { Feedback } from "../../domain/feedback";
import type { Person } from "../../domain/person";
import { latestRecheck, recheckAuditor, sendRecheck } from "../../domain/recheck";
import { londonDate } from "../../domain/working-days";
import { noticeView } from "../cards/audit-views";
import type { ChatDeps } from "../chat-deps";
import type { OutboxMessage } from "../delivery/outbox";
import { recheckView } from "../cards/recheck-views";

/** What one reminder pass reads once for all its re-checks: the people, the QA team, and each auditor's load this month. */
export interface RecheckPass {
  people: readonly Person[];
  qa: readonly string[];
  load(): Promise<ReadonlyMap<string, number>>;
}

export function recheckPass(deps: ChatDeps, people: readonly Person[], qa: readonly string[], today: string): RecheckPass {
  let load: Promise<Map<string, number>> | undefined;
  return {
    people,
    qa,
    // Read only when a re-check is due on this pass, and then once.
    load: () =>
      (load ??= deps.allocations.listMonth(today.slice(0, 7)).then((month) => {
        const counts = new Map<string, number>();
        for (const a of month) if (a.auditorEmail) counts.set(a.auditorEmail, (counts.get(a.auditorEmail) ?? 0) + 1);
        return counts;
      })),
  };
}

/** The feedback with its due re-check sent (or unassigned) and the messages that say so; null when none is due. */
export async function dueRecheckStep(deps: ChatDeps, f: Feedback, now: Date, pass: RecheckPass): Promise<{ next: Feedback; outbox: OutboxMessage[] } | null> {
  const r = latestRecheck(f);
  const today = londonDate(now);
  if (!r || (r.status !== "scheduled" && r.status !== "unassigned") || r.dueOn > today) return null;
  const [stored, caseFile, load] = await Promise.all([deps.allocations.get(f.month, f.caseRef), deps.cases.get(f.serviceArea, f.caseRef), pass.load()]);
  const toolkit = stored ? deps.toolkits.get(stored.audit.toolkitId) : undefined;
  if (!stored || !toolkit) return null;
  const qa = pass.qa;
  const auditor = recheckAuditor(f, caseFile, pass.people, load, today);
  const next = sendRecheck(f, auditor, now);
  const at = now.toISOString();
  const base = `fb:${f.month}:${f.caseRef}:v${f.auditVersion}:recheck:${r.round}`;
  if (auditor) return { next, outbox: [{ id: `${base}:card:${auditor}`, recipientEmail: auditor, view: recheckView(next, latestRecheck(next)!, stored.audit, toolkit), createdAt: at }] };
  if (r.status === "unassigned") return { next, outbox: [] };
  const notice = noticeView(`Re-check of ${f.caseRef}: no auditor`, `The re-check of case ${f.caseRef} is due, but every auditor is away or involved in the case. It goes out as soon as one is free; until then the audit stays closed but not verified.`);
  return { next, outbox: qa.map((email) => ({ id: `${base}:unassigned:${email}`, recipientEmail: email, view: notice, createdAt: at })) };
}
