// What a submitted audit starts: its feedback, waiting for QA review (or released at once when the council chose
// automatic release), and the cards that say so. Stored in the same transaction as the submission.
import { feedbackFor, release, type Feedback } from "../../domain/feedback";
import type { Audit } from "../../domain/audit";
import { hasRole } from "../../domain/person";
import type { Toolkit } from "../../domain/toolkit";
import type { ChatDeps } from "../chat-deps";
import { feedbackView } from "../cards/feedback-views";
import type { OutboxMessage } from "../delivery/outbox";

/** `idKey` tells apart feedback made from the same audit version more than once (a moderated case decided again). */
export async function feedbackOnSubmit(deps: ChatDeps, audit: Audit, toolkit: Toolkit, idKey = ""): Promise<{ feedback: Feedback; outbox: OutboxMessage[] }> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const caseFile = await deps.cases.get(audit.serviceArea, audit.caseRef);
  const base = `fb:${audit.month}:${audit.caseRef}:v${audit.version}${idKey}`;
  const fresh = feedbackFor(audit, toolkit, { lp: caseFile?.leadProfessionalEmail ?? null, manager: caseFile?.lpManagerEmail ?? null }, deps.feedbackRules, now);
  // A correction makes new feedback; the earlier version's replies and confirmations are kept inside it.
  const earlier = (await deps.feedback.get(audit.month, audit.caseRef))?.feedback;
  const { earlierVersions: older = [], ...previous } = earlier ?? { earlierVersions: [] };
  const waiting: Feedback = earlier ? { ...fresh, earlierVersions: [...older, previous as Omit<Feedback, "earlierVersions">] } : fresh;
  if (deps.feedbackRelease === "automatic") {
    const released = release(waiting, "automatic", now, deps.feedbackRules);
    const to = [
      ...(released.leadProfessionalEmail ? [{ email: released.leadProfessionalEmail, audience: "lp" as const }] : []),
      ...(released.managerEmail ? [{ email: released.managerEmail, audience: "manager" as const }] : []),
    ];
    return { feedback: released, outbox: to.map((r) => ({ id: `${base}:card:${r.email}`, recipientEmail: r.email, view: feedbackView(released, audit, toolkit, r.audience), createdAt: at })) };
  }
  const qa = (await deps.people.all()).filter((p) => hasRole(p, "qa")).map((p) => p.email);
  return { feedback: waiting, outbox: qa.map((email) => ({ id: `${base}:review:${email}`, recipientEmail: email, view: feedbackView(waiting, audit, toolkit, "qa"), createdAt: at })) };
}
