// Use case: the QA team settles a moderated case from its moderation card: agree the grade when the two audits
// differ, or, when the second audit is missing at the deadline, use the first audit alone or reallocate the second.
// Only the QA team may. Each decision is stored, with its feedback and messages, before anyone is told.
import type { Audit } from "../../domain/audit";
import { secondMissingAtDeadline, type Moderation } from "../../domain/moderation";
import { hasRole, type Person } from "../../domain/person";
import { findScale, type Toolkit } from "../../domain/toolkit";
import { addWorkingDays, londonDate } from "../../domain/working-days";
import { noticeView } from "../cards/audit-views";
import type { AuditRef, Form, ModerationVerb } from "../commands";
import type { ChatDeps, ChatReply } from "../chat-deps";
import { retryOnLostRace } from "../etag-retry";
import { feedbackOnSubmit } from "../feedback/feedback-on-submit";
import { moderationCards, moderationView, outcomeNotices, type ModerationCardMode } from "../cards/moderation-views";
import { reallocate } from "../allocation/reallocate";
import type { AuditEvent } from "../ports";

export const MIN_AGREE_REASON = 10;

interface Loaded {
  moderation: Moderation;
  version: string;
  first: { audit: Audit; version: string };
  second: { audit: Audit; version: string };
  toolkit: Toolkit;
  people: Person[];
}

async function load(deps: ChatDeps, ref: { month: string; caseRef: string }): Promise<Loaded | undefined> {
  const [stored, first, second, people] = await Promise.all([
    deps.allocations.getModeration(ref.month, ref.caseRef),
    deps.allocations.get(ref.month, ref.caseRef),
    deps.allocations.get(ref.month, ref.caseRef, "second"),
    deps.people.all(),
  ]);
  if (!stored || !first || !second) return undefined;
  const toolkit = deps.toolkits.get(first.audit.toolkitId);
  if (!toolkit) throw new Error(`toolkit ${first.audit.toolkitId} of ${ref.month}/${ref.caseRef} is not loaded`);
  return { moderation: stored.moderation, version: stored.version, first, second, toolkit, people };
}

const card = (l: Loaded, mode: ModerationCardMode, error?: string): ChatReply["view"] =>
  moderationView({ moderation: l.moderation, first: l.first.audit, second: l.second.audit, toolkit: l.toolkit, people: l.people, mode, error });

const qaOf = (people: readonly Person[]) => people.filter((p) => hasRole(p, "qa")).map((p) => p.email);

export async function actOnModeration(deps: ChatDeps, actor: Person, verb: ModerationVerb, ref: AuditRef, data: Form): Promise<ChatReply> {
  if (!hasRole(actor, "qa")) {
    return { view: noticeView("Only the QA team can do that", `Settling the moderation of ${ref.caseRef} is for the QA team. Nothing has changed.`), inPlace: false, code: "not_qa" };
  }
  return retryOnLostRace<ChatReply>(async () => {
    const loaded = await load(deps, ref);
    if (!loaded) return { view: noticeView("No such moderation", `Case ${ref.caseRef} was not moderated in ${ref.month}. Nothing has changed.`), inPlace: false, code: "moderation_not_found" };
    if (verb === "agreeGrade") return await agree(deps, actor, loaded, data);
    return await decideMissing(deps, actor, verb, loaded);
  }, () => ({ view: noticeView("Please try again", "The case changed while we were storing your decision. Press the button again."), inPlace: false, code: "moderation_conflict" }));
}

async function agree(deps: ChatDeps, actor: Person, l: Loaded, data: Record<string, unknown>): Promise<ChatReply> {
  const m = l.moderation;
  if (m.status !== "awaiting_agreement") return { view: card(l, "decided"), inPlace: true, code: "moderation_already_settled" };
  const grade = typeof data.agreedGrade === "string" ? data.agreedGrade : "";
  const reason = typeof data.agreeReason === "string" ? data.agreeReason.trim().slice(0, 1000) : "";
  const scale = findScale(l.toolkit, l.toolkit.overall.scale);
  if (!scale.options.some((o) => o.value === grade)) return { view: card(l, "agree", "Choose the agreed overall grade, then press Agree grade."), inPlace: true, code: "agreed_grade_missing" };
  if (reason.length < MIN_AGREE_REASON) {
    return { view: card(l, "agree", `Say why this is the grade (at least ${MIN_AGREE_REASON} characters): both auditors will read it.`), inPlace: true, code: "agree_reason_missing" };
  }
  const at = deps.clock.now().toISOString();
  const agreed: Moderation = { ...m, status: "agreed", agreedGrade: grade, reason, decidedBy: actor.email, decidedAt: at };
  // The feedback is the first audit's (every feedback card reads the case's first audit) at the agreed grade. When
  // the first auditor saw no need for actions and the agreed grade is below good, the second auditor's actions go.
  const firstFinal = l.first.audit.final!;
  const hasActions = (a: Audit) => (a.final?.actions ?? []).some((x) => x.action.trim() !== "");
  const actions = !hasActions(l.first.audit) && hasActions(l.second.audit) ? l.second.audit.final!.actions : firstFinal.actions;
  const key = `v${m.compared?.first ?? l.first.audit.version}-${m.compared?.second ?? l.second.audit.version}`;
  const made = await feedbackOnSubmit(deps, { ...l.first.audit, final: { ...firstFinal, overallGrade: grade, actions } }, l.toolkit, `:agreed${key}`);
  const settled = { ...l, moderation: agreed };
  const outbox = [
    ...made.outbox,
    ...outcomeNotices(agreed, l.toolkit, at, key, [l.first.audit.auditorEmail, l.second.audit.auditorEmail]),
    ...moderationCards({ moderation: agreed, first: l.first.audit, second: l.second.audit, toolkit: l.toolkit, people: l.people, mode: "decided" }, qaOf(l.people).filter((e) => e !== actor.email), at, `${key}:agreed`, key),
  ];
  await deps.allocations.decideModeration(agreed, l.version, { outbox, events: [event(deps, actor, "moderation_grade_agreed", agreed)] }, made.feedback);
  return { view: card(settled, "decided"), inPlace: true };
}

async function decideMissing(deps: ChatDeps, actor: Person, verb: "useSingleAudit" | "reallocateSecond", l: Loaded): Promise<ChatReply> {
  const today = londonDate(deps.clock.now());
  if (!secondMissingAtDeadline(l.moderation, l.first.audit, l.second.audit, today, deps.moderationDeadlineDays)) return { view: card(l, "decided"), inPlace: true, code: "moderation_no_decision_needed" };
  const at = deps.clock.now().toISOString();
  if (verb === "useSingleAudit") {
    const grade = l.first.audit.final!.overallGrade;
    const single: Moderation = { ...l.moderation, status: "single_audit", agreedGrade: grade, reason: "The second audit was not completed by the moderation deadline.", decidedBy: actor.email, decidedAt: at };
    const made = await feedbackOnSubmit(deps, l.first.audit, l.toolkit, ":single");
    const withdrawn: Audit = { ...l.second.audit, status: "withdrawn" };
    const outbox = [...made.outbox, ...outcomeNotices(single, l.toolkit, at, "single", [l.first.audit.auditorEmail])];
    await deps.allocations.decideModeration(single, l.version, { outbox, events: [event(deps, actor, "moderation_single_audit_used", single)] }, made.feedback, { audit: withdrawn, version: l.second.version });
    return { view: card({ ...l, moderation: single, second: { ...l.second, audit: withdrawn } }, "decided"), inPlace: true };
  }
  const { next, newAuditor } = await reallocate(deps, l.second.audit, l.second.version, {
    actor,
    decline: { by: l.second.audit.auditorEmail, reason: "Second audit reallocated by the QA team: past the moderation deadline" },
    why: "did not complete it by the moderation deadline",
    dueOn: addWorkingDays(today, 5),
    event: () => event(deps, actor, "moderation_second_reallocated", l.moderation),
  });
  const who = newAuditor ? `${newAuditor.name}, due ${next.dueOn}` : "nobody: no other eligible auditor has room, so it is with the QA team";
  return { view: noticeView(`Second audit of ${l.moderation.caseRef} reallocated`, `It has gone to ${who}. The first auditor is not told.`), inPlace: true };
}

function event(deps: ChatDeps, actor: Person, type: string, m: Moderation): AuditEvent {
  return { at: deps.clock.now().toISOString(), actor: actor.email, type, subject: `${m.month}/${m.caseRef}`, data: { status: m.status } };
}
