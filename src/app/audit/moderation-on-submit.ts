// What a moderated audit's submission starts. While the other audit is out, nothing anyone can see: neither auditor
// learns the other exists. Once both are in, the comparison: the same grade (and no section two steps apart) sends
// the feedback on at once; otherwise the QA team gets the moderation card and the feedback waits for its grade.
import type { Audit } from "../../domain/audit";
import type { Feedback } from "../../domain/feedback";
import { compareAudits, type Moderation } from "../../domain/moderation";
import { hasRole } from "../../domain/person";
import type { Toolkit } from "../../domain/toolkit";
import type { ChatDeps } from "../chat-deps";
import { feedbackOnSubmit } from "../feedback/feedback-on-submit";
import { moderationCards, outcomeNotices } from "../cards/moderation-views";
import type { OutboxMessage } from "../delivery/outbox";

export interface ModeratedSubmission {
  feedback?: Feedback;
  outbox: OutboxMessage[];
  moderation: { record: Moderation; version: string };
}

export async function moderationOnSubmit(deps: ChatDeps, submitted: Audit, toolkit: Toolkit): Promise<ModeratedSubmission | undefined> {
  const stored = await deps.allocations.getModeration(submitted.month, submitted.caseRef);
  if (!stored) return undefined;
  const m = stored.moderation;
  const at = deps.clock.now().toISOString();
  // Settled on one audit: a correction to that audit makes its feedback again, as for any single audit.
  if (m.status === "single_audit") return { ...(await feedbackOnSubmit(deps, submitted, toolkit, ":single")), moderation: { record: m, version: stored.version } };
  const other = await deps.allocations.get(m.month, m.caseRef, submitted.pass === "first" ? "second" : "first");
  // Written even when nothing changes: its ETag is what makes two submissions at once see each other.
  if (!other || other.audit.status !== "submitted") return { outbox: [], moderation: { record: { ...m, status: "awaiting_audits" }, version: stored.version } };

  const [first, second] = submitted.pass === "first" ? [submitted, other.audit] : [other.audit, submitted];
  const comparison = compareAudits(first, second, toolkit);
  const compared = { first: first.version, second: second.version };
  const auditors = { firstAuditorEmail: first.auditorEmail, secondAuditorEmail: second.auditorEmail };
  const key = `v${first.version}-${second.version}`;
  if (!comparison.needsAgreement) {
    const agreed: Moderation = { ...m, ...auditors, status: "agreed", agreedGrade: comparison.firstGrade, reason: "Both audits gave the same grade.", decidedBy: "moderation", decidedAt: at, compared };
    const made = await feedbackOnSubmit(deps, first, toolkit, `:m${key}`);
    return { feedback: made.feedback, outbox: [...made.outbox, ...outcomeNotices(agreed, toolkit, at, key, [first.auditorEmail, second.auditorEmail])], moderation: { record: agreed, version: stored.version } };
  }
  const waiting: Moderation = { ...m, ...auditors, status: "awaiting_agreement", agreedGrade: null, reason: null, decidedBy: null, decidedAt: null, compared };
  const people = await deps.people.all();
  const qa = people.filter((p) => hasRole(p, "qa")).map((p) => p.email);
  return { outbox: moderationCards({ moderation: waiting, first, second, toolkit, people, mode: "agree" }, qa, at, key), moderation: { record: waiting, version: stored.version } };
}
