// "My audits": the audits allocated to this person in the current and neighbouring months, unfinished first.
import { progressLine } from "../../domain/audit";
import { addMonths } from "../../domain/months";
import type { Person } from "../../domain/person";
import { londonDate } from "../../domain/working-days";
import type { ChatDeps, ChatReply } from "../chat-deps";
import { longDate } from "../cards/format";
import { quarterLabel } from "../../domain/supervision";
import { supervisionsFor } from "../stages/supervision";

export async function myAuditsView(deps: ChatDeps, actor: Person): Promise<ChatReply> {
  const thisMonth = londonDate(deps.clock.now()).slice(0, 7);
  const months = [addMonths(thisMonth, -1), thisMonth, addMonths(thisMonth, 1)];
  // A second (moderation) audit is listed like any other: its auditor is not told that the case has a first one.
  // The manager's supervision checklists are read beside the audits, not after them: "my audits" is typed on a phone.
  const [listed, supervisions] = await Promise.all([Promise.all(months.flatMap((m) => [deps.allocations.listMonth(m), deps.allocations.listSeconds(m)])), supervisionsFor(deps, actor)]);
  const audits = listed
    .flat()
    .filter((a) => a.auditorEmail === actor.email.toLowerCase() && a.status !== "withdrawn")
    .sort((a, b) => Number(a.status === "submitted") - Number(b.status === "submitted") || a.dueOn.localeCompare(b.dueOn));
  const open = audits.filter((a) => a.status !== "submitted").length;
  const done = supervisions.filter((s) => s.status === "done").length;
  return {
    view: {
      template: "my-audits",
      data: {
        heading: audits.length === 0 ? "You have no audits allocated" : `${open} of ${audits.length} audit${audits.length === 1 ? "" : "s"} to do`,
        audits: audits.map((a) => {
          const toolkit = deps.toolkits.get(a.toolkitId);
          return {
            month: a.month,
            caseRef: a.caseRef,
            serviceArea: a.serviceArea,
            dueOn: longDate(a.dueOn),
            progress: toolkit ? progressLine(a, toolkit) : a.status,
            canOpen: true,
          };
        }),
        empty: audits.length === 0 && supervisions.length === 0,
        supervisionHeading: supervisions.length === 0 ? "" : `Supervision checklists, ${quarterLabel(supervisions[0]!.quarter)}: ${done} of ${supervisions.length} done`,
        supervision: supervisions.map((s) => ({ quarter: s.quarter, caseRef: s.caseRef, serviceArea: s.serviceArea, status: s.status === "done" ? "Done" : "Due", canOpen: true })),
      },
    },
    inPlace: false,
  };
}
