// Which chat a message goes to. An update goes where its card landed. Otherwise the person's own choice (the chat
// column of the people file), else the organisation's default, and if they cannot be reached there, the other chat:
// a card never waits for one chat while the person can be reached in the other. A group channel's message is pinned
// to its chat.
import type { Chat } from "../../domain/person";
import type { DeliveryResult, Messenger } from "./outbox-relay";
import { groupChat } from "./outbox";

export function routeByChat(messengers: Partial<Record<Chat, Messenger>>, defaultChat: Chat): Messenger {
  return {
    async deliver(message, recipient, replacing, attempt): Promise<DeliveryResult> {
      const landed = replacing?.deliveredTo?.channel;
      const landedMessenger = landed === "teams" || landed === "slack" ? messengers[landed] : undefined;
      if (landedMessenger) return landedMessenger.deliver(message, recipient, replacing, attempt);
      const pinned = groupChat(recipient.email);
      if (pinned) return messengers[pinned]?.deliver(message, recipient, replacing, attempt) ?? { kind: "unreachable" };
      const first = recipient.chat ?? defaultChat;
      const order: Chat[] = first === "teams" ? ["teams", "slack"] : ["slack", "teams"];
      for (const chat of order) {
        const messenger = messengers[chat];
        if (!messenger) continue;
        const result = await messenger.deliver(message, recipient, replacing, attempt);
        if (result.kind !== "unreachable") return result;
      }
      return { kind: "unreachable" };
    },
  };
}
