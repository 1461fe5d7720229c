// Who is behind a Slack user id: the directory first; on first contact Slack's profile email (users:read.email) links
// them to the people list. Slack user ids are opaque (U..., W... on Enterprise Grid), so they are never parsed.
import type { webApi } from "@slack/bolt";
import type { ChatDeps, ChatReply } from "../../app/chat-deps";
import type { ChannelIdentity, Directory } from "../../app/ports";
import { registerUser } from "../../app/register/register-user";
import type { Person } from "../../domain/person";

export interface SlackUser {
  userId: string;
  teamId?: string;
  enterpriseId?: string;
}

export interface Identified {
  /** Undefined for a stranger: `reply` tells them whom to ask. */
  person: Person | undefined;
  /** How the bot reaches someone already known (their DM), read with them; undefined on first contact. */
  identity?: ChannelIdentity;
  /** A welcome (first contact) or the stranger's answer; undefined for someone already known. */
  reply: ChatReply | undefined;
}

export async function identifySlackUser(client: webApi.WebClient, core: ChatDeps, user: SlackUser): Promise<Identified> {
  const known = await core.directory.findWithIdentity("slack", user.userId);
  if (known) return { person: known.person, identity: known.identity, reply: undefined };
  const email = await emailOf(client, user.userId);
  const identity: ChannelIdentity = {
    channel: "slack",
    userKey: user.userId,
    address: { userId: user.userId, ...(user.teamId ? { teamId: user.teamId } : {}), ...(user.enterpriseId ? { enterpriseId: user.enterpriseId } : {}) },
    learntAt: core.clock.now().toISOString(),
  };
  const reply = await registerUser(core, email, identity);
  const person = reply.code === "user_unknown" || !email ? undefined : await core.people.get(email);
  return { person, reply };
}

async function emailOf(client: webApi.WebClient, userId: string): Promise<string | undefined> {
  try {
    const info = await client.users.info({ user: userId });
    return info.user?.is_bot ? undefined : (info.user?.profile?.email ?? undefined);
  } catch (err) {
    // A user Slack cannot describe (deleted, another workspace) is treated as unknown: they are told whom to ask.
    if ((err as { code?: string }).code === "slack_webapi_platform_error") return undefined;
    throw err;
  }
}

/** The direct message channel with the person behind a Slack identity: kept with it, opened the first time. */
export async function keptDirectChannel(client: webApi.WebClient, directory: Directory, email: string, identity: ChannelIdentity): Promise<string | undefined> {
  if (typeof identity.address.dmChannel === "string") return identity.address.dmChannel;
  const opened = await client.conversations.open({ users: String(identity.address.userId ?? identity.userKey) });
  const channel = opened.channel?.id;
  if (channel) await directory.saveIdentity(email, { ...identity, address: { ...identity.address, dmChannel: channel } });
  return channel;
}

/** The DM channel with whoever is taking a turn: their kept one, or (for a stranger, or another Slack account) opened now. */
export async function directChannel(client: webApi.WebClient, core: ChatDeps, email: string | undefined, userId: string, known?: ChannelIdentity): Promise<string> {
  const identity = known ?? (email ? await core.directory.identity(email, "slack") : undefined);
  const channel = email && identity?.userKey === userId ? await keptDirectChannel(client, core.directory, email, identity) : (await client.conversations.open({ users: userId })).channel?.id;
  if (!channel) throw new Error("conversations.open returned no channel");
  return channel;
}
