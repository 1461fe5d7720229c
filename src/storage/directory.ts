// Channel identities beside the people: the person's row holds how to reach them; an index row finds them from a channel user id.
import type { ChannelIdentity, Directory, PeopleRepository } from "../app/ports";
import { toKey } from "./keys";
import { getOrUndefined, guard, toStorageError, type Entity, type Tables } from "./tables";
import { jsonProperty } from "./values";
import { submitDecision } from "./decision";
import { LRUCache } from "lru-cache";
import { toPerson } from "./people-repository";

function identityIn(row: Entity, channel: ChannelIdentity["channel"]): ChannelIdentity | undefined {
  const raw = row[`${channel}Identity`];
  return typeof raw === "string" && raw !== "" ? (JSON.parse(raw) as ChannelIdentity) : undefined;
}

const PEOPLE = "people";
const indexPartition = (channel: string) => `identity-${channel}`;
const welcomePartition = (channel: string) => `welcome-${channel}`;

/**
 * Which email a chat user id belongs to, kept for a while: every turn asks, and the answer only changes when someone
 * is linked again. Only the email is kept; the person (roles, away) is read fresh each turn.
 */
const INDEX_CACHE = { max: 5_000, ttl: 5 * 60_000 };

export function createDirectory(tables: Tables, people: PeopleRepository): Directory {
  const client = tables.table("People");
  const endpoint = tables.endpoint;
  const emails = new LRUCache<string, string>(INDEX_CACHE);
  const emailOf = async (channel: ChannelIdentity["channel"], userKey: string): Promise<string | undefined> => {
    const cacheKey = `${channel}:${userKey}`;
    const cached = emails.get(cacheKey);
    if (cached !== undefined) return cached;
    const index = await getOrUndefined(client, endpoint, indexPartition(channel), toKey(userKey, "channel user id"));
    if (!index) return undefined;
    emails.set(cacheKey, String(index.email));
    return String(index.email);
  };
  return {
    async findByChannelUser(channel, userKey) {
      const email = await emailOf(channel, userKey);
      return email === undefined ? undefined : people.get(email);
    },
    async findWithIdentity(channel, userKey) {
      const email = await emailOf(channel, userKey);
      const row = email === undefined ? undefined : await getOrUndefined(client, endpoint, PEOPLE, toKey(email.toLowerCase(), "email"));
      return row ? { person: toPerson(row), identity: identityIn(row, channel) } : undefined;
    },
    async identity(email, channel) {
      const row = await getOrUndefined(client, endpoint, PEOPLE, toKey(email.toLowerCase(), "email"));
      return row ? identityIn(row, channel) : undefined;
    },
    async saveGroupChannel(name, identity) {
      await guard(endpoint, () =>
        client.upsertEntity({ partitionKey: `group-${identity.channel}`, rowKey: toKey(name, "channel name"), identity: jsonProperty(identity, "channel identity") }, "Replace"),
      );
    },
    async groupChannel(name, channel) {
      const row = await getOrUndefined(client, endpoint, `group-${channel}`, toKey(name, "channel name"));
      return row ? (JSON.parse(String(row.identity)) as ChannelIdentity) : undefined;
    },
    async claimWelcome(email, channel, installKey) {
      const rowKey = toKey(`${email.toLowerCase()} ${installKey}`, "install");
      try {
        await client.createEntity({ partitionKey: welcomePartition(channel), rowKey, email: email.toLowerCase() });
        return true;
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 409) return false;
        throw toStorageError(err, endpoint);
      }
    },
    async saveIdentity(email, identity, effects = {}) {
      const address = email.toLowerCase();
      await guard(endpoint, () =>
        client.upsertEntity({ partitionKey: indexPartition(identity.channel), rowKey: toKey(identity.userKey, "channel user id"), email: address }, "Replace"),
      );
      emails.set(`${identity.channel}:${identity.userKey}`, address);
      // Merge keeps the directory fields an import wrote; only the identity property changes.
      const row = { partitionKey: PEOPLE, rowKey: toKey(address, "email"), [`${identity.channel}Identity`]: jsonProperty(identity, "channel identity") };
      await submitDecision(tables, "People", PEOPLE, [["update", row, "Merge"]], effects);
    },
  };
}
