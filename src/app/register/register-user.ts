// Use case: someone reaches the bot for the first time (installs it, or writes to it). Known people are linked
// to their channel identity and get whatever was waiting for them; strangers are told whom to ask, and nothing else.
import { hasRole } from "../../domain/person";
import { noticeView } from "../cards/audit-views";
import type { ChatDeps, ChatReply } from "../chat-deps";
import type { ChannelIdentity } from "../ports";

/**
 * `installKey` names one install of the bot for this person (in Teams, the 1:1 conversation's id; in Slack, the
 * user): the channel knows what an install is, the core only that two announcements of one install welcome once.
 */
export async function registerUser(deps: ChatDeps, email: string | undefined, identity: ChannelIdentity, installKey: string = identity.userKey): Promise<ChatReply> {
  const person = email ? await deps.people.get(email) : undefined;
  if (!person) {
    const qa = (await deps.people.all()).filter((p) => hasRole(p, "qa")).map((p) => p.email);
    const whom = qa.length > 0 ? `the CAF QA team (${qa.join(", ")})` : "your council's CAF QA team";
    return {
      view: noticeView("I don't know you yet", `Hello. This bot is for the CAF case file audits. To use it, ask ${whom} to add you to the people list${email ? ` as ${email}` : ""}.`),
      inPlace: false,
      code: "user_unknown",
    };
  }
  const at = deps.clock.now().toISOString();
  await deps.directory.saveIdentity(person.email, identity, { events: [{ at, actor: person.email, type: "channel_linked", subject: identity.channel, data: {} }] });
  const released = await deps.outbox.release(person.email, deps.clock.now());
  // Messages across many partitions, released one by one: no single transaction holds them, so their count is a summary.
  if (released > 0) await deps.events.append({ at, actor: person.email, type: "waiting_messages_released", subject: identity.channel, data: { released } });
  // Teams announces one install twice, at the same moment (installationUpdate and conversationUpdate): the first to
  // claim this person's install welcomes them, the other stays quiet. Both release, so nothing waits for a welcome.
  const first = await deps.directory.claimWelcome(person.email, identity.channel, installKey);
  if (!first) return { view: noticeView(`Welcome back, ${person.name}`, "Type my audits to see yours."), inPlace: false, code: "already_linked" };
  const waiting = released > 0 ? ` ${released} message${released === 1 ? " was" : "s were"} waiting for you and will arrive in a moment.` : "";
  return { view: noticeView(`Welcome, ${person.name}`, `You are set up for CAF audits.${waiting} Type my audits at any time to see yours.`), inPlace: false };
}
