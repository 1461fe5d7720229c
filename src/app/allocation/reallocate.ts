// Passing an audit on: to another eligible auditor by the same rules as the monthly allocation, or back to the QA
// team's pool when nobody can take it. Shared by "I was involved in this case" and the QA team's reallocation of an
// overdue audit; the person taken off the case is kept in the audit's declines and never offered it again.
import { allocateCases } from "../../domain/allocation";
import { newAudit, type Audit } from "../../domain/audit";
import { hasRole, type Person } from "../../domain/person";
import { londonDate } from "../../domain/working-days";
import { allocationMessage } from "./allocate-month";
import { noticeView } from "../cards/audit-views";
import type { ChatDeps } from "../chat-deps";
import type { AuditEvent } from "../ports";
import type { OutboxMessage } from "../delivery/outbox";
import { createSeededRandom } from "./seeded-random";

export interface Reallocation {
  /** Who presses the button: they hear the outcome in their reply, so the QA pool's notice skips them. */
  actor: Person;
  /** The person taken off the case, and why. */
  decline: { by: string; reason: string };
  /** Finishes "The auditor of CAF-1 (area, due date) ...", for the QA team when nobody else can take it. */
  why: string;
  /** The due date the audit carries on with; the current one when left out. */
  dueOn?: string;
  /** More messages stored in the same transaction, once the outcome is known (a notice to the previous auditor). */
  messages?: (next: Audit, declineCount: number) => OutboxMessage[];
  /** The line of the audit trail that records it, stored in the same transaction once the outcome is known. */
  event?: (next: Audit) => AuditEvent;
}

export interface Reallocated {
  next: Audit;
  /** The auditor who has it now; undefined when it went back to the QA team's pool. */
  newAuditor: Person | undefined;
}

/**
 * Stores the audit with its new auditor (or none) and the messages that say so, with the ETag it was read with:
 * a StorageError storage_precondition_failed means someone changed it meanwhile, and the caller reads again.
 */
export async function reallocate(deps: ChatDeps, audit: Audit, version: string, r: Reallocation): Promise<Reallocated> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = londonDate(now);
  const declines = [...audit.declines, { by: r.decline.by, reason: r.decline.reason, at }];
  const [caseFile, people, firsts, seconds] = await Promise.all([
    deps.cases.get(audit.serviceArea, audit.caseRef),
    deps.people.all(),
    deps.allocations.listMonth(audit.month),
    deps.allocations.listSeconds(audit.month),
  ]);
  const load = new Map<string, number>();
  for (const a of [...firsts, ...seconds]) if (a.auditorEmail) load.set(a.auditorEmail, (load.get(a.auditorEmail) ?? 0) + 1);
  // A moderated case's two audits never go to one person: the other audit's auditor is out, as if involved.
  const otherAuditor = audit.moderated ? [...firsts, ...seconds].find((a) => a.caseRef === audit.caseRef && a.pass !== audit.pass)?.auditorEmail : undefined;
  const slots = people
    // Someone away today would only be the next overdue audit.
    .filter((p) => hasRole(p, "auditor") && !(p.awayUntil && p.awayUntil >= today))
    .map((p) => ({ email: p.email, capacity: p.monthlyCapacity - (load.get(p.email) ?? 0) }))
    .filter((s) => s.capacity > 0);
  const involved = [...(caseFile?.involvedEmails ?? []), ...declines.map((d) => d.by), ...(otherAuditor ? [otherAuditor] : [])];
  const asCase = {
    ...(caseFile ?? { caseRef: audit.caseRef, serviceArea: audit.serviceArea, status: "open" as const, openedOn: null, closedOn: null, leadProfessionalEmail: null, lpManagerEmail: null, stepDown: false, ageBand: null, primaryNeed: null, lastAuditedOn: null, missingFromRegisterSince: null }),
    involvedEmails: involved,
  };
  // Seeded by the case and how often it was passed on, so a retry of the same press picks the same auditor.
  const random = createSeededRandom(hash(`${audit.month}/${audit.caseRef}/${audit.pass === "second" ? "second/" : ""}${declines.length}`));
  const [assignment] = allocateCases([asCase], slots, random).assignments;
  const toolkit = deps.toolkits.get(audit.toolkitId);
  if (!toolkit) throw new Error(`toolkit ${audit.toolkitId} of ${audit.month}/${audit.caseRef} is not loaded`);

  // The previous auditor's draft answers go: the new auditor audits the case afresh. A correction under way keeps
  // its version and history, so the next submit is still version n + 1 beside the versions already stored.
  const base = newAudit({ ...audit, auditorEmail: assignment?.auditorEmail ?? "", dueOn: r.dueOn ?? audit.dueOn });
  const next: Audit = { ...base, status: assignment ? "allocated" : "unallocated", declines, version: audit.version, corrections: audit.corrections };
  const outbox: OutboxMessage[] = assignment
    ? [allocationMessage(next, toolkit, at)]
    : people
        .filter((p) => hasRole(p, "qa") && p.email !== r.actor.email)
        .map((qa) => ({
          id: `unallocated:${audit.month}:${audit.caseRef}:${audit.pass === "second" ? "second:" : ""}${declines.length}:${qa.email}`,
          recipientEmail: qa.email,
          view:
            audit.pass === "second"
              ? noticeView(`${audit.caseRef} needs a second auditor`, `The second (moderation) auditor of ${audit.caseRef} (${audit.serviceArea}, due ${next.dueOn}) ${r.why}, and no other eligible auditor has capacity this month. Allocate the second audit by hand, or use the first audit alone when the moderation deadline comes.`)
              : noticeView(`${audit.caseRef} needs an auditor`, `The auditor of ${audit.caseRef} (${audit.serviceArea}, due ${next.dueOn}) ${r.why}, and no other eligible auditor has capacity this month. Please allocate it by hand.`),
          createdAt: at,
        }));
  outbox.push(...(r.messages?.(next, declines.length) ?? []));
  await deps.allocations.update(next, version, { outbox, events: r.event ? [r.event(next)] : [] });
  return { next, newAuditor: assignment ? people.find((p) => p.email.toLowerCase() === assignment.auditorEmail.toLowerCase()) : undefined };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}
