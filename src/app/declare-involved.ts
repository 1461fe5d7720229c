// Use case: "I was involved in this case". The case goes at once to another eligible auditor, or back to the
// QA team's pool, and the reason is kept on the audit. Same rules as the monthly allocation.
import { allocateCases } from "../domain/allocation";
import { mayWork, newAudit, type Audit } from "../domain/audit";
import { hasRole, type Person } from "../domain/person";
import { allocationMessage } from "./allocate-month";
import { noticeView } from "./audit-views";
import type { ChatDeps, ChatReply } from "./chat-deps";
import { StorageError } from "./errors";
import type { OutboxMessage } from "./outbox";
import { createSeededRandom } from "./seeded-random";

const MIN_REASON = 5;

export async function declareInvolved(deps: ChatDeps, actor: Person, ref: { month: string; caseRef: string }, reason: string): Promise<ChatReply> {
  if (reason.trim().length < MIN_REASON) {
    return { view: noticeView("Say why you cannot audit this case", `Add a short reason (at least ${MIN_REASON} characters), for example "I supervised the lead professional", and press Send to another auditor again.`), inPlace: false, code: "reason_missing" };
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await deps.allocations.get(ref.month, ref.caseRef);
    const refusal = found ? mayWork(found.audit, actor.email) : { code: "not_your_audit", message: `Case ${ref.caseRef} is not allocated to you.` };
    if (!found || refusal) return { view: noticeView("You cannot change this audit", refusal!.message), inPlace: false, code: refusal!.code };
    if (found.audit.status === "submitted") {
      return { view: noticeView("This audit is already submitted", `Case ${ref.caseRef} was submitted, so it cannot be passed on. Tell the QA team about your involvement.`), inPlace: false, code: "audit_submitted" };
    }
    try {
      return await reallocate(deps, actor, found.audit, found.version, reason.trim().slice(0, 1000));
    } catch (err) {
      if (!(err instanceof StorageError && err.code === "storage_precondition_failed")) throw err;
    }
  }
  return { view: noticeView("Please try again", "The audit changed while we were passing it on. Press the button again."), inPlace: false, code: "audit_conflict" };
}

async function reallocate(deps: ChatDeps, actor: Person, audit: Audit, version: string, reason: string): Promise<ChatReply> {
  const now = deps.clock.now().toISOString();
  const declines = [...audit.declines, { by: actor.email, reason, at: now }];
  const [caseFile, people, monthAudits] = await Promise.all([
    deps.cases.get(audit.serviceArea, audit.caseRef),
    deps.people.all(),
    deps.allocations.listMonth(audit.month),
  ]);
  const load = new Map<string, number>();
  for (const a of monthAudits) if (a.auditorEmail) load.set(a.auditorEmail, (load.get(a.auditorEmail) ?? 0) + 1);
  const slots = people
    .filter((p) => hasRole(p, "auditor"))
    .map((p) => ({ email: p.email, capacity: p.monthlyCapacity - (load.get(p.email) ?? 0) }))
    .filter((s) => s.capacity > 0);
  const involved = [...(caseFile?.involvedEmails ?? []), ...declines.map((d) => d.by)];
  const asCase = {
    ...(caseFile ?? { caseRef: audit.caseRef, serviceArea: audit.serviceArea, status: "open" as const, openedOn: null, closedOn: null, leadProfessionalEmail: null, lpManagerEmail: null, stepDown: false, ageBand: null, primaryNeed: null, lastAuditedOn: null, missingFromRegisterSince: null }),
    involvedEmails: involved,
  };
  // Seeded by the case and how often it was passed on, so a retry of the same press picks the same auditor.
  const random = createSeededRandom(hash(`${audit.month}/${audit.caseRef}/${declines.length}`));
  const [assignment] = allocateCases([asCase], slots, random).assignments;
  const toolkit = deps.toolkits.get(audit.toolkitId)!;

  // The previous auditor's draft answers go: they came from someone involved in the case.
  const base = newAudit({ ...audit, auditorEmail: assignment?.auditorEmail ?? "" });
  const next: Audit = { ...base, status: assignment ? "allocated" : "unallocated", declines };
  const outbox: OutboxMessage[] = assignment
    ? [allocationMessage(next, toolkit, now)]
    : people.filter((p) => hasRole(p, "qa")).map((qa) => ({
        id: `unallocated:${audit.month}:${audit.caseRef}:${declines.length}:${qa.email}`,
        recipientEmail: qa.email,
        view: noticeView(`${audit.caseRef} needs an auditor`, `The auditor of ${audit.caseRef} (${audit.serviceArea}, due ${audit.dueOn}) was involved in the case, and no other eligible auditor has capacity this month. Please allocate it by hand.`),
        createdAt: now,
      }));
  await deps.allocations.update(next, version, outbox);
  await deps.events.append({
    at: now,
    actor: actor.email,
    type: "audit_declined_involved",
    subject: `${audit.month}/${audit.caseRef}`,
    data: { outcome: assignment ? "reallocated" : "returned_to_qa", declines: declines.length },
  });
  return assignment
    ? { view: noticeView(`${audit.caseRef} has gone to another auditor`, "Thank you for saying. It is no longer in your audits, and nothing you had started on it was kept."), inPlace: true }
    : { view: noticeView(`${audit.caseRef} is back with the QA team`, "Thank you for saying. No other auditor could take it this month, so the QA team will allocate it. It is no longer in your audits."), inPlace: true };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}
