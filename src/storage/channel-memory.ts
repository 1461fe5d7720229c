// ChannelState table: partition "card" (row = a posted message's key, holding the view it shows) and partition
// "delivery" (row = an inbound delivery id, inserted once).
import type { ChannelMemory } from "../app/ports";
import type { View } from "../app/cards/views";
import { toKey } from "./keys";
import { getOrUndefined, guard, toStorageError, type Tables } from "./tables";
import { chunkedJson, readChunkedJson } from "./values";

const CARD = "card";
const DELIVERY = "delivery";

export function createChannelMemory(tables: Tables, now: () => Date): ChannelMemory {
  const client = tables.table("ChannelState");
  const endpoint = tables.endpoint;
  return {
    async rememberCard(messageKey, view) {
      await guard(endpoint, () => client.upsertEntity({ partitionKey: CARD, rowKey: toKey(messageKey, "message key"), ...chunkedJson(view, "view", 10) }, "Replace"));
    },
    async card(messageKey) {
      const row = await getOrUndefined(client, endpoint, CARD, toKey(messageKey, "message key"));
      return row ? (readChunkedJson(row, "view") as View) : undefined;
    },
    async firstDelivery(deliveryId) {
      try {
        await client.createEntity({ partitionKey: DELIVERY, rowKey: toKey(deliveryId, "delivery id"), at: now().toISOString() });
        return true;
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 409) return false;
        throw toStorageError(err, endpoint);
      }
    },
  };
}
