// Once a month, with the digest: an auditor whose overall grades over the last six months run systematically above
// or below their moderation partners' (gradingDrift's rule) is named to the QA team, each QA member in their own
// chat, never in a channel. The ids carry the month, so a re-run of the job tells nobody twice.
import { gradingDrift, periodsFor } from "../../domain/moderation-figures";
import { hasRole } from "../../domain/person";
import { noticeView } from "../cards/audit-views";
import type { ChatDeps } from "../chat-deps";
import { monthLabel } from "../cards/format";
import { monthsOf } from "./make-digest";
import { moderationPairs } from "../audit/moderation-pairs";
import type { OutboxMessage } from "../delivery/outbox";

/** Tells the QA team of drift over the six months to `month`; returns how many auditors were named. */
export async function alertGradingDrift(deps: ChatDeps, month: string): Promise<number> {
  const window = periodsFor(month).lastSixMonths;
  const { pairs } = await moderationPairs(deps.allocations, deps.toolkits, monthsOf(window.from, window.to));
  const drift = gradingDrift(pairs);
  if (drift.length === 0) return 0;
  const people = await deps.people.all();
  const nameOf = (email: string) => people.find((p) => p.email.toLowerCase() === email.toLowerCase())?.name ?? email;
  const at = deps.clock.now().toISOString();
  const qa = people.filter((p) => hasRole(p, "qa"));
  const messages: OutboxMessage[] = drift.flatMap((d) => {
    const who = nameOf(d.auditorEmail);
    const how = d.direction === "more-generous" ? "more generous" : "harsher";
    const text =
      `From ${monthLabel(window.from)} to ${monthLabel(window.to)}, ${who}'s overall grades were ${how} than their moderation partners' ` +
      `by ${Math.abs(d.meanSignedDifference).toFixed(2)} steps on average, over ${d.pairs} cases graded twice. ` +
      `This is for the QA team only: worth a conversation in supervision, and more of their cases in moderation. \`caf-audit moderation\` has the figures.`;
    return qa
      .filter((q) => q.email.toLowerCase() !== d.auditorEmail.toLowerCase())
      .map((q) => ({ id: `drift:${month}:${d.auditorEmail}:${q.email}`, recipientEmail: q.email, view: noticeView(`Grading drift: ${who}`, text), createdAt: at }));
  });
  await deps.allocations.createMessages(month, messages);
  await deps.events.append({ at, actor: "moderation", type: "grading_drift_told", subject: month, data: { auditors: drift.length } });
  return drift.length;
}
