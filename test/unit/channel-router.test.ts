// Which chat a card goes to: the person's choice, else the organisation's default, else the chat that can reach them;
// an update goes where its card landed; a group channel's message only to its own chat.
import { describe, expect, it } from "vitest";
import { routeByChat } from "../../src/app/delivery/channel-router";
import type { StoredOutbox } from "../../src/app/delivery/outbox";
import type { DeliveryAttempt, DeliveryResult, Messenger } from "../../src/app/delivery/outbox-relay";
import type { Person } from "../../src/domain/person";
import { anAuditor } from "../support/builders";

function messenger(chat: string, reachable: (email: string) => boolean, log: string[]): Messenger {
  return {
    async deliver(_m, recipient): Promise<DeliveryResult> {
      log.push(`${chat}:${recipient.email}`);
      return reachable(recipient.email) ? { kind: "sent", deliveredTo: { channel: chat, conversationId: "c", activityId: "a" } } : { kind: "unreachable" };
    },
  };
}

const message = { id: "m1" } as StoredOutbox;
/** Routing does not look at the attempt; the relay's own tests do. */
const attempt: DeliveryAttempt = { resent: false, async sending() {}, async landed() {} };
const landedIn = (channel: string) => ({ deliveredTo: { channel, conversationId: "c", activityId: "a" } }) as StoredOutbox;
const asha = anAuditor("Asha Patel");
const withChat = (p: Person, chat: Person["chat"]): Person => ({ ...p, chat });
const group = (recipient: string): Person => ({ ...asha, email: recipient });

describe("routeByChat", () => {
  const setup = (reach: { teams: boolean; slack: boolean }, defaultChat: "teams" | "slack" = "teams") => {
    const log: string[] = [];
    const router = routeByChat({ teams: messenger("teams", () => reach.teams, log), slack: messenger("slack", () => reach.slack, log) }, defaultChat);
    return { router, log };
  };

  it("uses the organisation's default when the person has no choice, and their own choice when they have one", async () => {
    const { router, log } = setup({ teams: true, slack: true }, "slack");
    expect((await router.deliver(message, asha, undefined, attempt)).kind).toBe("sent");
    expect((await router.deliver(message, withChat(asha, "teams"), undefined, attempt)).kind).toBe("sent");
    expect(log).toEqual([`slack:${asha.email}`, `teams:${asha.email}`]);
  });

  it("falls back to the other chat when the person cannot be reached in theirs, and waits only when neither reaches them", async () => {
    const only = setup({ teams: false, slack: true });
    const sent = await only.router.deliver(message, asha, undefined, attempt);
    expect(sent.kind === "sent" && sent.deliveredTo.channel).toBe("slack");
    const none = setup({ teams: false, slack: false });
    expect((await none.router.deliver(message, asha, undefined, attempt)).kind).toBe("unreachable");
    expect(none.log).toEqual([`teams:${asha.email}`, `slack:${asha.email}`]);
  });

  it("sends an update to the chat its card landed in, whatever the person's choice now", async () => {
    const { router, log } = setup({ teams: true, slack: true });
    await router.deliver(message, withChat(asha, "teams"), landedIn("slack"), attempt);
    expect(log).toEqual([`slack:${asha.email}`]);
  });

  it("sends a group channel's message to its own chat only", async () => {
    const { router, log } = setup({ teams: false, slack: true });
    expect((await router.deliver(message, group("group:champions"), undefined, attempt)).kind).toBe("unreachable");
    expect((await router.deliver(message, group("group:champions@slack"), undefined, attempt)).kind).toBe("sent");
    expect(log).toEqual(["teams:group:champions", "slack:group:champions@slack"]);
  });

  it("works with Slack off: everything goes to Teams", async () => {
    const log: string[] = [];
    const router = routeByChat({ teams: messenger("teams", () => true, log) }, "slack");
    expect((await router.deliver(message, asha, undefined, attempt)).kind).toBe("sent");
    expect((await router.deliver(message, group("group:champions@slack"), undefined, attempt)).kind).toBe("unreachable");
    expect(log).toEqual([`teams:${asha.email}`]);
  });
});
