// Use cases of the optional supervision stage: at the start of each quarter a checklist is due for every open case
// with a manager (created once, however often it runs) and each manager is told how many; the manager opens and
// saves each from "my audits". Only the case's manager may, and a saved checklist is not changed.
import { hasRole, type Person } from "../../domain/person";
import { completeSupervision, quarterLabel, quarterOf, supervisionProblems, supervisionsDue, type Supervision } from "../../domain/supervision";
import { londonDate } from "../../domain/working-days";
import { noticeView } from "../cards/audit-views";
import type { Form, SupervisionRef, SupervisionVerb } from "../commands";
import type { ChatDeps, ChatReply } from "../chat-deps";
import type { ErrorCode } from "../errors";
import { retryOnLostRace } from "../etag-retry";
import type { OutboxMessage } from "../delivery/outbox";
import { supervisionView } from "../cards/supervision-views";
import { stringInput } from "../cards/card-input";

/** On the first month of a quarter: the quarter's checklists, and one notice per manager; the number created now. */
export async function requestSupervisions(deps: ChatDeps, month: string): Promise<number> {
  if (!deps.supervision.enabled || quarterOf(month) !== month) return 0;
  const now = deps.clock.now();
  let created = 0;
  for (const s of supervisionsDue(await deps.cases.all(), month, deps.supervision.stage, now)) if ((await deps.supervisions.create(s)) === "created") created++;
  // From every checklist of the quarter, not only the new ones: a run that died after creating them still tells.
  const byManager = new Map<string, number>();
  for (const s of await deps.supervisions.listQuarter(month)) byManager.set(s.managerEmail, (byManager.get(s.managerEmail) ?? 0) + 1);
  const label = quarterLabel(month);
  const notices: OutboxMessage[] = [...byManager].map(([email, n]) => ({
    id: `sup:${month}:${email}:due`,
    recipientEmail: email,
    view: noticeView(`Supervision checklists for ${label}`, `${n} case${n === 1 ? "" : "s"} you manage ${n === 1 ? "needs a" : "need a"} supervision checklist this quarter. Type my audits to see them and fill each one in.`),
    createdAt: now.toISOString(),
  }));
  await deps.allocations.createMessages(month, notices);
  await deps.events.append({ at: now.toISOString(), actor: "supervision", type: "supervisions_due", subject: month, data: { created, managers: byManager.size } });
  return created;
}

/** The manager's checklists of this quarter, for "my audits": none when the stage is off. */
export async function supervisionsFor(deps: ChatDeps, actor: Person): Promise<Supervision[]> {
  if (!deps.supervision.enabled) return [];
  return (await deps.supervisions.listForManager(quarterOf(londonDate(deps.clock.now()).slice(0, 7)), actor.email)).sort((a, b) => Number(a.status === "done") - Number(b.status === "done") || a.caseRef.localeCompare(b.caseRef));
}


export async function actOnSupervision(deps: ChatDeps, actor: Person, verb: SupervisionVerb, { quarter, caseRef }: SupervisionRef, data: Form): Promise<ChatReply> {
  const refuse = (message: string, code: ErrorCode): ChatReply => ({ view: noticeView("You cannot open this checklist", message), inPlace: false, code });
  const { stage } = deps.supervision;
  return retryOnLostRace<ChatReply>(async () => {
    const found = await deps.supervisions.get(quarter, caseRef);
    // The same words whether there is none or it is another manager's: nobody learns which cases exist.
    if (!found || found.supervision.managerEmail !== actor.email.toLowerCase()) {
      return refuse(`The supervision checklist for case ${caseRef} is only for the lead professional's manager.`, hasRole(actor, "manager") ? "supervision_not_yours" : "supervision_not_a_manager");
    }
    const s = found.supervision;
    if (verb === "openSupervision" || s.status === "done") return { view: supervisionView(s, stage), inPlace: verb === "submitSupervision", code: verb === "submitSupervision" ? "supervision_already_done" : undefined };
    const input = { answers: Object.fromEntries(stage.items.map((i) => [i.id, stringInput(data, `sup.${i.id}`).trim()])), comment: stringInput(data, "sup.comment") };
    const problems = supervisionProblems(stage, input);
    if (problems.length > 0) return { view: supervisionView(s, stage, { input, problems }), inPlace: true, code: "supervision_invalid" };
    const now = deps.clock.now();
    const next = completeSupervision(s, input, now);
    const event = { at: now.toISOString(), actor: actor.email, type: "supervision_done", subject: `${quarter}/${caseRef}`, data: { no: Object.values(next.answers!).filter((a) => a === "no").length } };
    await deps.supervisions.update(next, found.version, { events: [event] });
    return { view: supervisionView(next, stage), inPlace: true };
  }, () => ({ view: noticeView("Please try again", "Someone changed this at the same moment. Press the button again."), inPlace: false, code: "supervision_conflict" }));
}
