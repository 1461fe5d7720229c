// Use case: an auditor raises unsafe practice. Stored first (escalation, event, every message in one
// transaction), then delivered by the relay. It never waits for the audit and never loses the auditor's place.
import { createHash } from "node:crypto";
import { raise, MIN_SEEN, type Urgency, type WhenSeen } from "../../domain/escalation";
import { addWorkingHours } from "../../domain/working-days";
import { hasRole, type Person } from "../../domain/person";
import { londonDate } from "../../domain/working-days";
import { conflictedEmails } from "../../domain/case-file";
import { noticeView } from "../cards/audit-views";
import { auditRefSchema } from "../cards/card-input";
import type { ChatDeps, ChatReply } from "../chat-deps";
import { cardMessages } from "../cards/escalation-views";
import { timeAndDate } from "../cards/format";
import type { OutboxMessage } from "../delivery/outbox";
import type { View } from "../cards/views";
import { workOnAudit } from "../audit/work-on-audit";

const WHEN: readonly string[] = ["current", "past"];
const URGENCY: readonly string[] = ["immediate", "today", "this-week"];

export function raiseForm(month: string, caseRef: string, seen = "", problems: { seen?: string; caseRef?: string } = {}): View {
  const count = Object.values(problems).filter(Boolean).length;
  return {
    template: "raise-unsafe",
    data: {
      month,
      caseRef,
      seen,
      seenError: problems.seen ?? "",
      caseRefError: problems.caseRef ?? "",
      errorSummary: count > 0 ? "Nothing has been sent yet. Fix the field below and press Escalate now again." : "",
    },
  };
}

export async function raiseEscalation(deps: ChatDeps, actor: Person, data: Record<string, unknown>): Promise<ChatReply> {
  const text = (k: string) => (typeof data[k] === "string" ? (data[k] as string) : "");
  const ref = auditRefSchema.safeParse({ month: text("month"), caseRef: text("caseRef") || text("unsafe.caseRef").trim() });
  const seen = text("unsafe.seen");
  const when = (WHEN.includes(text("unsafe.when")) ? text("unsafe.when") : "current") as WhenSeen;
  const urgency = (URGENCY.includes(text("unsafe.urgency")) ? text("unsafe.urgency") : "immediate") as Urgency;
  const caseRef = ref.success ? ref.data.caseRef : text("caseRef") || text("unsafe.caseRef").trim();
  const month = text("month");

  if (!hasRole(actor, "auditor") && !hasRole(actor, "qa")) {
    return { view: noticeView("Tell the Family Support Manager directly", "Only auditors and the QA team raise unsafe practice here. If a child may be at risk, contact the Family Support Manager or MASH now."), inPlace: false, code: "raise_not_allowed" };
  }
  // From an audit the service area is known, so the case is one read; from the command, the register is searched.
  const audit = ref.success ? await deps.allocations.get(ref.data.month, ref.data.caseRef) : undefined;
  const caseFile = audit
    ? await deps.cases.get(audit.audit.serviceArea, caseRef)
    : caseRef
      ? (await deps.cases.all()).find((c) => c.caseRef === caseRef)
      : undefined;
  const problems = {
    seen: seen.trim().length < MIN_SEEN ? `Describe what you saw (at least ${MIN_SEEN} characters).` : seen.length > 3000 ? "Shorten this to 3,000 characters or fewer." : undefined,
    caseRef: !caseFile ? (caseRef ? `There is no case ${caseRef.slice(0, 100)} in the register. Check the reference.` : "Give the case reference.") : undefined,
  };
  if (problems.seen || problems.caseRef) {
    return { view: raiseForm(month, problems.caseRef ? "" : caseRef, seen.slice(0, 3000), problems), inPlace: false, code: "raise_invalid" };
  }


  const people = await deps.people.all();
  const names = new Map(people.map((p) => [p.email, p]));
  // Nobody judges a concern about a case they are part of: an FSM or Service Leader who is its lead professional, the
  // LP's manager or recorded as involved is passed over, as if they did not hold the role.
  const involved = conflictedEmails(caseFile!);
  const allFsms = people.filter((p) => hasRole(p, "fsm")).map((p) => p.email);
  const fsms = allFsms.filter((e) => !involved.has(e.toLowerCase()));
  const leaders = people.filter((p) => hasRole(p, "service_leader") && !involved.has(p.email.toLowerCase())).map((p) => p.email);
  const qa = people.filter((p) => hasRole(p, "qa")).map((p) => p.email);
  // Never dropped: no FSM means straight to the Service Leader; no Service Leader either means the QA team.
  const first = fsms.length > 0 ? fsms : leaders.length > 0 ? leaders : qa;
  const now = deps.clock.now();
  const at = now.toISOString();
  // The id names the month partition the escalation is stored in (London time, as raise() decides), so get(id) finds it.
  const id = `esc-${londonDate(now).slice(0, 7)}-${createHash("sha256").update([londonDate(now), actor.email, caseFile!.caseRef, seen.trim(), when, urgency].join("|")).digest("hex").slice(0, 20)}`;
  const escalation = { ...raise({ id, caseRef: caseFile!.caseRef, serviceArea: caseFile!.serviceArea, auditMonth: ref.success ? ref.data.month : null, leadProfessionalEmail: caseFile!.leadProfessionalEmail, lpManagerEmail: caseFile!.lpManagerEmail, raisedBy: actor.email, at: now, seen, when, urgency, firstRecipients: first, rules: deps.ladder }), ...(fsms.length === 0 ? { level: 2, nextCheckAt: addWorkingHours(now, deps.ladder.escalateAfterHours, deps.ladder.workingHours).toISOString() } : {}) };

  const outbox: OutboxMessage[] = [
    ...cardMessages(escalation, escalation.recipients, names, at, new Set()),
    // The lead professional and their manager hear that a concern was raised, and nothing more.
    ...[caseFile!.leadProfessionalEmail, caseFile!.lpManagerEmail]
      .filter((e): e is string => !!e && !escalation.recipients.includes(e))
      .map((email) => ({
        id: `esc:${id}:lp:${email}`,
        recipientEmail: email,
        view: noticeView(`A safeguarding concern on case ${caseFile!.caseRef}`, "An auditor has raised a safeguarding concern about this case during a quality audit. The Family Support Manager will contact you. You do not need to do anything until then."),
        createdAt: at,
      })),
    ...(fsms.length === 0
      ? qa.map((email) => ({
          id: `esc:${id}:no-fsm:${email}`,
          recipientEmail: email,
          view:
            allFsms.length > 0
              ? noticeView("Every Family Support Manager is involved in this case", `An unsafe practice concern on case ${caseFile!.caseRef} went to ${leaders.length > 0 ? "the Service Leader" : "the QA team"} because each Family Support Manager is the case's lead professional, their manager or recorded as involved.`)
              : noticeView("Nobody holds the Family Support Manager role", `An unsafe practice concern on case ${caseFile!.caseRef} went to ${leaders.length > 0 ? "the Service Leader" : "the QA team"} because no one in the people list has the fsm role. Add one.`),
          createdAt: at,
        }))
      : []),
  ];
  // A concern sent twice (a double click) stores nothing the second time, so the trail records it once.
  const raised = { at, actor: actor.email, type: "unsafe_practice_raised", subject: caseFile!.caseRef, data: { escalationId: id, urgency } };
  const stored = await deps.escalations.create(escalation, { outbox, events: [raised] });
  // Raised from a section or final card: keep what the auditor had typed there, so their place is not lost. The
  // concern is stored first: a failure here must never cost the escalation.
  const fromCard = ref.success && Object.keys(data).some((k) => k.endsWith(".answer") || k === "grade" || k === "overview");
  let draftSaved = true;
  if (fromCard && audit && audit.audit.auditorEmail === actor.email) {
    draftSaved = await workOnAudit(deps, actor, "saveAndLeave", ref.data!, data).then(() => true, () => false);
  }

  const whom = escalation.recipients.map((e) => `${names.get(e)?.name ?? e}`).join(", ");
  const noFsm = allFsms.length > 0 ? "every Family Support Manager is involved in this case" : "nobody holds the Family Support Manager role";
  const role = fsms.length > 0 ? "Family Support Manager" : leaders.length > 0 ? `Service Leader (${noFsm})` : `QA team (${noFsm}, and no Service Leader can take it)`;
  const until = escalation.nextCheckAt ? timeAndDate(new Date(escalation.nextCheckAt)) : "";
  return {
    view: noticeView(
      `Unsafe practice raised on ${caseFile!.caseRef}`,
      `Sent to ${whom} (${role}) at ${timeAndDate(now)}. If nobody has acknowledged it by ${until}, they are reminded, then it goes to the Service Leader. The lead professional and their manager are told a concern was raised. ${fromCard ? (draftSaved ? "Your audit is saved where you were." : "Your latest answers on the audit card could not be saved: press Save and finish later on it.") : ""}`.trim(),
    ),
    inPlace: false,
    code: stored === "exists" ? "raise_duplicate" : undefined,
  };
}
