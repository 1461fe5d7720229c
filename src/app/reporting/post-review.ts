// Use case: the six-monthly service review (seed 003), posted to the CAF Champions Group in April and October for the
// six months before. Through the outbox with an id per period and chat, so a re-run posts nothing twice.
import { addMonths } from "../../domain/months";
import type { AreaReview, ServiceReview } from "../../domain/service-review";
import type { ChatDeps } from "../chat-deps";
import { monthLabel } from "../cards/format";
import type { DigestSettings } from "./make-digest";
import { makeServiceReview, REVIEW_COLUMNS, reviewCells } from "./make-review";
import { groupIn, type OutboxMessage } from "../delivery/outbox";
import type { View } from "../cards/views";

const CHAMPIONS = "champions";
/** A post names at most this many areas, so it stays within Slack's block limits; the rest are listed by name. */
export const MAX_REVIEW_AREAS = 8;
const REVIEW_MONTHS = [4, 10];

/** The review due on the digest day of `month`: in April and October, the six months before; otherwise none. */
export function reviewDueIn(month: string): { from: string; to: string } | null {
  if (!REVIEW_MONTHS.includes(Number(month.slice(5, 7)))) return null;
  return { from: addMonths(month, -6), to: addMonths(month, -1) };
}

export async function postServiceReview(deps: ChatDeps, settings: DigestSettings, fromMonth: string, toMonth: string): Promise<{ posted: string; areas: number }> {
  const review = await makeServiceReview(deps, fromMonth, toMonth, settings);
  const at = deps.clock.now().toISOString();
  const id = `review:${fromMonth}:${toMonth}`;
  const view = reviewView(review);
  const messages: OutboxMessage[] = deps.groupChats.map((chat) => ({ id: chat === "teams" ? id : `${id}:${chat}`, recipientEmail: groupIn(CHAMPIONS, chat), view, createdAt: at }));
  await deps.allocations.createMessages(toMonth, messages);
  await deps.events.append({ at, actor: "review", type: "review_posted", subject: id, data: { areas: review.areas.length } });
  return { posted: id, areas: review.areas.length };
}

export function reviewView(r: ServiceReview): View {
  const shown = r.areas.slice(0, MAX_REVIEW_AREAS);
  const rest = r.areas.slice(MAX_REVIEW_AREAS).map((a) => a.serviceArea);
  const command = `caf-audit review --from ${r.fromMonth} --to ${r.toMonth}`;
  return {
    template: "review",
    data: {
      title: `CAF service review: ${monthLabel(r.fromMonth)} to ${monthLabel(r.toMonth)}`,
      intro: `Per service area, this period against the one before it (in brackets). Evaluation threshold: ${r.scoreThreshold}.`,
      areas: shown.map((a) => ({ area: a.serviceArea, facts: areaFacts(a, r.scoreThreshold) })),
      more: rest.length === 0 ? "" : `And ${rest.length} more service area${rest.length === 1 ? "" : "s"}: ${rest.join(", ")}. All of them: ${command}.`,
      privacy: `Counts only. An area with fewer than ${r.anonymityFloor} audits in a period shows only that, so no case can be recognised. The full review: ${command}.`,
    },
  };
}

/** Each column that has something to say this period or the last, with last period's in brackets. */
function areaFacts(a: AreaReview, threshold: number): { title: string; value: string }[] {
  const now = reviewCells(a.period, threshold);
  const before = reviewCells(a.previous, threshold);
  return REVIEW_COLUMNS.filter((c) => c === "Audits" || now[c] !== "" || before[c] !== "").map((c) => ({
    title: c,
    value: `${now[c] === "" ? "none" : now[c]} (${before[c] === "" ? "none" : before[c]})`,
  }));
}
