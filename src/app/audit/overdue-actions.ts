// "overdue actions": the corrective-action confirmations past their date, for the service leader and the QA team.
// Case references and counts only: the actions' text stays with the people on the case.
import { overdueActions } from "../../domain/feedback";
import { addMonths } from "../../domain/months";
import { hasRole, type Person } from "../../domain/person";
import { londonDate } from "../../domain/working-days";
import { noticeView } from "../cards/audit-views";
import type { ChatDeps, ChatReply } from "../chat-deps";
import { longDate } from "../cards/format";

export async function overdueActionsView(deps: ChatDeps, actor: Person): Promise<ChatReply> {
  if (!hasRole(actor, "service_leader") && !hasRole(actor, "qa")) {
    return { view: noticeView("Overdue actions", "This list is for the Service Leader and the QA team."), inPlace: false, code: "overdue_not_allowed" };
  }
  const today = londonDate(deps.clock.now());
  const all = await deps.feedback.listSince(addMonths(today.slice(0, 7), -3));
  const overdue = all.map((f) => ({ f, n: overdueActions(f, today).length })).filter((x) => x.n > 0);
  if (overdue.length === 0) return { view: noticeView("No overdue actions", "Every corrective action due so far has been confirmed."), inPlace: false };
  const lines = overdue.map(({ f, n }) => `${f.caseRef} (${f.serviceArea}): ${n} action${n === 1 ? "" : "s"} not confirmed, due ${longDate(f.correctiveDueOn!)}`);
  return { view: noticeView(`${overdue.length} audit${overdue.length === 1 ? " has" : "s have"} overdue actions`, lines.join("\n\n")), inPlace: false };
}
