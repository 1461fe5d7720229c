// Use case: post a digest to the CAF Champions Group's channel, and tell the Service Leader about any service area
// below the score threshold. Stored in the outbox with an id per period, so a rerun never posts twice.
import { addMonths } from "../../domain/months";
import { hasRole } from "../../domain/person";
import { noticeView } from "../cards/audit-views";
import type { ChatDeps } from "../chat-deps";
import { monthLabel } from "../cards/format";
import { digestFigures, digestView, type DigestSettings } from "./make-digest";
import { groupIn, type OutboxMessage } from "../delivery/outbox";

const CHAMPIONS = "champions";

export type DigestKind = "month" | "quarter" | "year-to-date";

export async function postDigest(deps: ChatDeps, settings: DigestSettings, kind: DigestKind, fromMonth: string, toMonth: string): Promise<{ posted: string; flagged: string[] }> {
  const figures = await digestFigures(deps, fromMonth, toMonth, settings);
  const previous = kind === "month" ? await digestFigures(deps, addMonths(fromMonth, -1), addMonths(toMonth, -1), settings) : null;
  const at = deps.clock.now().toISOString();
  const id = `digest:${kind}:${fromMonth}:${toMonth}`;
  // Every area below the threshold, including one the card hides to protect a smaller one: this goes to a person.
  const flagged = figures.areasBelowThreshold;
  const leaders = (await deps.people.all()).filter((p) => hasRole(p, "service_leader")).map((p) => p.email);
  const messages: OutboxMessage[] = [
    ...deps.groupChats.map((chat) => ({ id: chat === "teams" ? id : `${id}:${chat}`, recipientEmail: groupIn(CHAMPIONS, chat), view: digestView(figures, previous, settings), createdAt: at })),
    ...flagged.flatMap((area) =>
      leaders.map((email) => ({
        id: `${id}:below-threshold:${area}:${email}`,
        recipientEmail: email,
        view: noticeView(`${area}: average audit score below the threshold`, `In ${monthLabel(fromMonth)}${fromMonth === toMonth ? "" : ` to ${monthLabel(toMonth)}`}, ${area}'s average audit score was below the threshold of ${settings.scoreThreshold}. The evaluation team investigates services below it.`),
        createdAt: at,
      })),
    ),
  ];
  await deps.allocations.createMessages(toMonth, messages);
  await deps.events.append({ at, actor: "digest", type: "digest_posted", subject: id, data: { completed: figures.completed, flagged: flagged.length } });
  return { posted: id, flagged };
}

/** The digests due on the digest day of `month`: last month's, and after a quarter's end its overview and the year to date (from April). */
export function digestsDueIn(month: string): { kind: DigestKind; from: string; to: string }[] {
  const last = addMonths(month, -1);
  const due: { kind: DigestKind; from: string; to: string }[] = [{ kind: "month", from: last, to: last }];
  const m = Number(month.slice(5, 7));
  if ([1, 4, 7, 10].includes(m)) {
    due.push({ kind: "quarter", from: addMonths(month, -3), to: last });
    const year = Number(last.slice(0, 4)) - (Number(last.slice(5, 7)) < 4 ? 1 : 0);
    due.push({ kind: "year-to-date", from: `${year}-04`, to: last });
  }
  return due;
}
