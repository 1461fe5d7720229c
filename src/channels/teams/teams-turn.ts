// One Teams turn: who is this, what did they do, and the core's reply shown the Teams way
// (a card replaced in place for Action.Execute, a new message otherwise). No audit rules live here.
import { ActivityTypes, TeamsInfo, TurnContext, type Activity } from "botbuilder";
import type { ChatDeps, ChatReply } from "../../app/chat-deps";
import { StorageError, type LogCode } from "../../app/errors";
import { handleTurn, type Inbound } from "../../app/handle-turn";
import { noticeView } from "../../app/cards/audit-views";
import { registerUser } from "../../app/register/register-user";
import { linkChampionsChannel } from "../../app/register/link-group-channel";
import type { ChannelIdentity } from "../../app/ports";
import type { Person } from "../../domain/person";
import type { Logger } from "../../logger";
import { cardAttachment, summaryOf } from "./render";

const CARD_ACTION = "adaptiveCard/action";

export interface TeamsTurnDeps {
  core: ChatDeps;
  log: Logger;
  /** Called when someone became reachable, so their waiting messages go out now. */
  onReachable(): void;
}

export function createTeamsTurnHandler(deps: TeamsTurnDeps) {
  return async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    try {
      if (isInstall(activity) && activity.conversation.conversationType === "channel") {
        // Added to a team: whether its channel gets the Champions Group's digests is the core's rule.
        const linked = await linkChampionsChannel(deps.core, await addedBy(deps, context), {
          channel: "teams",
          userKey: activity.conversation.id,
          address: TurnContext.getConversationReference(activity) as unknown as Record<string, unknown>,
          learntAt: deps.core.clock.now().toISOString(),
        });
        if (linked.linked) deps.log.info({ code: "teams_group_channel_linked" }, "digests will be posted to this team channel");
        else deps.log.warn({ code: "teams_group_channel_refused" }, "the bot was added to a team by someone who is not a champion or QA; digests stay where they are");
        await send(context, { view: linked.view, inPlace: false });
        if (linked.linked) deps.onReachable();
        return;
      }
      if (isInstall(activity)) {
        const linked = await link(deps, context);
        // The second announcement of the same install: the person was welcomed a moment ago.
        if (linked.reply.code !== "already_linked") await send(context, linked.reply);
        return;
      }
      if (activity.type === ActivityTypes.Message || (activity.type === ActivityTypes.Invoke && activity.name === CARD_ACTION)) {
        const person = await identify(deps, context);
        if (!person) return;
        const reply = await handleTurn(deps.core, person, inboundOf(activity));
        logReply(deps, activity, person, reply);
        await answer(context, reply);
        return;
      }
      if (activity.type === ActivityTypes.Invoke) {
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: {} } });
      }
    } catch (err) {
      const code = err instanceof StorageError ? err.code : "internal_error";
      deps.log.error({ code, activityType: activity.type, err: err instanceof StorageError ? undefined : err, cause: err instanceof StorageError ? String((err.cause as Error | undefined)?.message ?? "") : undefined }, "teams turn failed");
      const text =
        err instanceof StorageError
          ? "I could not save that just now because storage is not answering. Nothing you typed was stored half-way. Please press the button again in a minute."
          : `Something went wrong on our side (${code}). Nothing was stored half-way. Please try again; if it keeps happening, tell the QA team.`;
      try {
        await answer(context, { view: noticeView("Please try again", text), inPlace: false, code });
      } catch (replyErr) {
        // The reply cannot go out either (an activity whose fields cannot be echoed back): the invoke response is set.
        deps.log.error({ code: "teams_reply_failed", activityType: activity.type, error: String((replyErr as Error)?.message ?? replyErr).slice(0, 300) }, "teams reply failed");
      }
    }
  };
}

function isInstall(activity: Activity): boolean {
  if (activity.type === ActivityTypes.InstallationUpdate) return activity.action === "add" || activity.action === "add-upgrade";
  return activity.type === ActivityTypes.ConversationUpdate && (activity.membersAdded ?? []).some((m) => m.id === activity.recipient.id);
}

/** Teams sends card inputs and the button's data together: in `value.action.data` (Execute) or `value` (Submit). */
function inboundOf(activity: Activity): Inbound {
  if (activity.type === ActivityTypes.Invoke) {
    const action = (activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
    const data = isRecord(action?.data) ? action.data : {};
    return { kind: "action", data: { ...data, verb: typeof action?.verb === "string" ? action.verb : data.verb } };
  }
  if (isRecord(activity.value)) return { kind: "action", data: activity.value };
  if (typeof activity.text === "string") return { kind: "text", text: stripMention(activity.text) };
  return { kind: "unsupported", what: activity.type };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const stripMention = (text: string) => text.replace(/<at>[^<]*<\/at>/g, "").trim();

/** The person behind the activity, linking them on first contact; null when a reply was already sent. */
/** The person behind the activity when the bot has met their Teams account before. */
async function knownPerson(deps: TeamsTurnDeps, context: TurnContext): Promise<Person | undefined> {
  const aad = context.activity.from.aadObjectId;
  return aad ? deps.core.directory.findByChannelUser("teams", aad) : undefined;
}

async function identify(deps: TeamsTurnDeps, context: TurnContext): Promise<Person | null> {
  const known = await knownPerson(deps, context);
  if (known) return known;
  const linked = await link(deps, context);
  if (!linked.person) {
    await answer(context, linked.reply);
    return null;
  }
  await send(context, linked.reply);
  return linked.person;
}

async function link(deps: TeamsTurnDeps, context: TurnContext): Promise<{ person: Person | undefined; reply: ChatReply }> {
  const activity = context.activity;
  const email = await memberEmail(context);
  const identity: ChannelIdentity = {
    channel: "teams",
    userKey: activity.from.aadObjectId ?? activity.from.id,
    address: TurnContext.getConversationReference(activity) as unknown as Record<string, unknown>,
    learntAt: deps.core.clock.now().toISOString(),
  };
  // Teams announces one install twice (installationUpdate and conversationUpdate), both in the 1:1 conversation.
  const reply = await registerUser(deps.core, email, identity, activity.conversation.id);
  deps.log.info({ code: reply.code ?? "teams_user_linked", conversationType: activity.conversation.conversationType }, "teams user reached the bot");
  const person = reply.code === "user_unknown" ? undefined : email ? await deps.core.people.get(email) : undefined;
  if (person) deps.onReachable();
  return { person, reply };
}

/** The person who added the bot to a team, when they are in the people list. */
async function addedBy(deps: TeamsTurnDeps, context: TurnContext): Promise<Person | undefined> {
  const known = await knownPerson(deps, context);
  if (known) return known;
  const email = await memberEmail(context);
  return email ? deps.core.people.get(email) : undefined;
}

async function memberEmail(context: TurnContext): Promise<string | undefined> {
  try {
    const member = await TeamsInfo.getMember(context, context.activity.from.id);
    return member.email ?? member.userPrincipalName ?? undefined;
  } catch {
    // A member Teams cannot look up is treated as unknown: they are told whom to ask.
    return undefined;
  }
}

async function answer(context: TurnContext, reply: ChatReply): Promise<void> {
  const activity = context.activity;
  if (activity.type === ActivityTypes.Invoke) {
    if (reply.inPlace) {
      await invokeResponse(context, { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: cardAttachment(reply.view).content });
      return;
    }
    // The invoke response first: Teams waits for it, and it must not depend on the chat message going out.
    await invokeResponse(context, { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: summaryOf(reply.view) });
    await send(context, reply);
    return;
  }
  if (reply.inPlace && activity.replyToId) {
    await context.updateActivity({ id: activity.replyToId, type: ActivityTypes.Message, attachments: [cardAttachment(reply.view)] });
    return;
  }
  await send(context, reply);
}

async function send(context: TurnContext, reply: ChatReply): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.Message, summary: summaryOf(reply.view), attachments: [cardAttachment(reply.view)] });
}

async function invokeResponse(context: TurnContext, body: Record<string, unknown>): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}

function logReply(deps: TeamsTurnDeps, activity: Activity, person: Person, reply: ChatReply): void {
  const data = isRecord(activity.value) ? ((activity.value.action as { data?: Record<string, unknown> } | undefined)?.data ?? activity.value) : {};
  // Ids only, cut short: these came from the client and may be anything.
  const id = (v: unknown) => (typeof v === "string" ? v.slice(0, 100) : undefined);
  const code: LogCode = reply.code ?? "ok";
  const fields = { code, actor: person.email, verb: id(data.verb), caseRef: id(data.caseRef), month: id(data.month), template: reply.view.template };
  if (reply.code) deps.log.warn(fields, "teams turn refused or needs input");
  else deps.log.info(fields, "teams turn");
}
