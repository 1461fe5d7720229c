// "away until DATE" and "back": a person pauses their reminders; the QA team decides on audits due meanwhile.
import type { Person } from "../../domain/person";
import { isValidIsoDate, londonDate } from "../../domain/working-days";
import { noticeView } from "../cards/audit-views";
import type { ChatDeps, ChatReply } from "../chat-deps";
import { longDate } from "../cards/format";

export async function setAway(deps: ChatDeps, actor: Person, words: string): Promise<ChatReply> {
  if (words === "back" || words === "away off") {
    // Logged like "away until", so the trail shows when reminders were on again.
    await deps.people.setAway(actor.email, null, { events: [{ at: deps.clock.now().toISOString(), actor: actor.email, type: "away_cleared", subject: actor.email, data: {} }] });
    return { view: noticeView("Welcome back", "Your reminders are on again."), inPlace: false };
  }
  const raw = words.replace(/^away( until)?/, "").trim();
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  const date = uk ? `${uk[3]}-${uk[2]!.padStart(2, "0")}-${uk[1]!.padStart(2, "0")}` : raw;
  const today = londonDate(deps.clock.now());
  if (!isValidIsoDate(date) || date < today) {
    return { view: noticeView("When are you back?", "Type away until and the last day you are away, for example: away until 24/12/2026. Type back when you return early."), inPlace: false, code: "away_date_invalid" };
  }
  await deps.people.setAway(actor.email, date, { events: [{ at: deps.clock.now().toISOString(), actor: actor.email, type: "away_set", subject: actor.email, data: { until: date } }] });
  return { view: noticeView(`Away until ${longDate(date)}`, "No reminders until then. Audits due while you are away go to the QA team to extend or reallocate. Type back to turn reminders on sooner."), inPlace: false };
}
