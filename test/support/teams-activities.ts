// Teams-shaped inbound activities for end-to-end tests, as Teams posts them to the bot's /api/messages,
// and postToBot() to post one the way Teams does (JSON, no Authorization header: the bot runs with auth off).
import { createHash } from "node:crypto";

export const BOT_ID = "28:bot-id";
export const BOT_NAME = "CAF Audit";
export const TENANT_ID = "00000000-0000-4000-8000-00000000cafe";
const LOCALE = "en-GB";

export interface TeamsUser {
  /** The Teams user id, "29:..." */
  id: string;
  aadObjectId: string;
  name: string;
}

/** A Teams activity as JSON on the wire. */
export interface TeamsInboundActivity {
  type: string;
  id: string;
  name?: string;
  /** installationUpdate: "add", "add-upgrade", "remove". */
  action?: string;
  timestamp: string;
  localTimestamp: string;
  localTimezone: string;
  serviceUrl: string;
  channelId: "msteams";
  from: TeamsUser;
  conversation: { conversationType: "personal"; tenantId: string; id: string };
  recipient: { id: string; name: string };
  locale: string;
  text?: string;
  textFormat?: string;
  value?: unknown;
  replyToId?: string;
  membersAdded?: { id: string; aadObjectId?: string }[];
  entities?: Record<string, unknown>[];
  channelData: { tenant: { id: string } } & Record<string, unknown>;
}

export interface Addressing {
  from: TeamsUser;
  serviceUrl: string;
  /** Defaults to personalConversationId(from). */
  conversationId?: string;
  tenantId?: string;
  /** Defaults to a fresh numeric id, like Teams' message ids. */
  id?: string;
  timestamp?: Date;
}

let nextActivityId = 1_700_000_000_000;

/** A Teams user with a stable 29: id and AAD object id derived from the name. */
export function teamsUser(name: string, aadObjectId?: string): TeamsUser {
  const hash = createHash("sha256").update(name).digest("hex");
  return {
    id: `29:1${Buffer.from(hash.slice(0, 30), "hex").toString("base64url")}`,
    aadObjectId: aadObjectId ?? `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`,
    name,
  };
}

/** The id Teams gives the 1:1 chat between the bot and this user: stable per user. */
export function personalConversationId(user: Pick<TeamsUser, "id">): string {
  return `a:1${createHash("sha256").update(`personal|${user.id}`).digest("base64url").slice(0, 40)}`;
}

function envelope(type: string, a: Addressing): TeamsInboundActivity {
  const tenantId = a.tenantId ?? TENANT_ID;
  const timestamp = (a.timestamp ?? new Date()).toISOString();
  return {
    type,
    id: a.id ?? String(++nextActivityId),
    timestamp,
    localTimestamp: timestamp.replace("Z", "+00:00"),
    localTimezone: "Europe/London",
    serviceUrl: a.serviceUrl,
    channelId: "msteams",
    from: { ...a.from },
    conversation: { conversationType: "personal", tenantId, id: a.conversationId ?? personalConversationId(a.from) },
    recipient: { id: BOT_ID, name: BOT_NAME },
    locale: LOCALE,
    channelData: { tenant: { id: tenantId } },
  };
}

/** A user types text in the 1:1 chat with the bot. */
export function personalMessage(a: Addressing & { text: string }): TeamsInboundActivity {
  return {
    ...envelope("message", a),
    text: a.text,
    textFormat: "plain",
    entities: [{ type: "clientInfo", locale: LOCALE, country: "GB", platform: "Web", timezone: "Europe/London" }],
  };
}

/** The user installs the app in personal scope: conversationUpdate with the bot among membersAdded. */
export function installUpdate(a: Addressing): TeamsInboundActivity {
  return { ...envelope("conversationUpdate", a), membersAdded: [{ id: BOT_ID }] };
}

/** Teams' other announcement of the same personal install, sent at the same moment as the conversationUpdate. */
export function installationUpdate(a: Addressing): TeamsInboundActivity {
  return { ...envelope("installationUpdate", a), action: "add" };
}

/** The user presses an Action.Execute button on a card the bot sent (replyToId = that card's activity id). */
export function invokeExecute(a: Addressing & { verb: string; data?: Record<string, unknown>; replyToId: string }): TeamsInboundActivity {
  const base = envelope("invoke", a);
  return {
    ...base,
    name: "adaptiveCard/action",
    replyToId: a.replyToId,
    value: { action: { type: "Action.Execute", verb: a.verb, data: a.data ?? {} }, trigger: "manual" },
    channelData: { ...base.channelData, source: { name: "message" }, legacy: { replyToId: a.replyToId } },
  };
}

/** Action.Submit (the fallback of clients without Action.Execute): a message with `value` and no text. */
export function submitMessage(a: Addressing & { value: Record<string, unknown>; replyToId: string }): TeamsInboundActivity {
  const base = envelope("message", a);
  return {
    ...base,
    replyToId: a.replyToId,
    value: a.value,
    channelData: { ...base.channelData, source: { name: "message" }, legacy: { replyToId: a.replyToId } },
  };
}

/** The conversation reference an install stores for the user's 1:1 chat (what TurnContext.getConversationReference gives). */
export function conversationReference(user: TeamsUser, serviceUrl: string, tenantId = TENANT_ID): Record<string, unknown> {
  return {
    channelId: "msteams",
    serviceUrl,
    user: { id: user.id, aadObjectId: user.aadObjectId, name: user.name },
    bot: { id: BOT_ID, name: BOT_NAME },
    conversation: { conversationType: "personal", tenantId, id: personalConversationId(user) },
    locale: LOCALE,
  };
}

export const teamsActivity = { personalMessage, installUpdate, installationUpdate, invokeExecute, submitMessage, teamsUser, personalConversationId };

/** Posts an activity to the bot like Teams does; the body is parsed as JSON when there is one. */
export async function postToBot(botUrl: string, activity: TeamsInboundActivity): Promise<{ status: number; body: unknown }> {
  const response = await fetch(botUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(activity) });
  const text = await response.text();
  let body: unknown = undefined;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, body };
}
