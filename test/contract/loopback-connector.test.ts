// Proves the loopback Bot Connector fake against botbuilder's real CloudAdapter (auth off), and pins down
// the botbuilder behaviours the Teams adapter relies on: replies, invoke responses, proactive sends and
// updates, member look-ups, and how 429/5xx/hangs surface (including the connector client's own retries).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, TeamsInfo, TurnContext, type ConversationParameters, type ConversationReference } from "botbuilder";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLoopbackConnector, type LoopbackConnector } from "../support/loopback-connector";
import { CONNECTOR_TRY_TIMEOUT_MS, NoRetryBotFrameworkAuthentication } from "../../src/channels/teams/bot-authentication";
import { BOT_ID, TENANT_ID, installUpdate, invokeExecute, personalMessage, postToBot, submitMessage, teamsUser } from "../support/teams-activities";

type Logic = (context: TurnContext) => Promise<void>;
interface Bot {
  url: string;
  adapter: CloudAdapter;
  logic: Logic;
  close(): Promise<void>;
}

/** The bot as production will host it: CloudAdapter, auth off, behind express 5 with express.json(). */
async function startBot(adapter: CloudAdapter): Promise<Bot> {
  const app = express();
  app.use(express.json());
  const bot: Bot = { url: "", adapter, logic: async () => {}, close: async () => {} };
  app.post("/api/messages", (req, res) => adapter.process(req, res, (context) => bot.logic(context)));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  bot.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  bot.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    });
  return bot;
}

interface ConnectorCalls {
  conversations: {
    sendToConversation(conversationId: string, activity: Record<string, unknown>, options?: { abortSignal?: AbortSignal }): Promise<{ id?: string }>;
  };
}

/** The ConnectorClient the adapter put on the turn, for calls botbuilder does not offer options for (timeouts). */
function connectorOf(context: TurnContext): ConnectorCalls {
  return context.turnState.get(context.adapter.ConnectorClientKey) as ConnectorCalls;
}

async function caught(promise: Promise<unknown>): Promise<Record<string, unknown> & { response?: { status: number; headers: { get(name: string): string | undefined } } }> {
  try {
    await promise;
  } catch (err) {
    return err as Record<string, unknown> & { response?: { status: number; headers: { get(name: string): string | undefined } } };
  }
  throw new Error("expected a rejection");
}

const alice = teamsUser("Alice Auditor");
const card = { type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: "1.5", body: [{ type: "TextBlock", text: "Done" }] };

describe("loopback Bot Connector with botbuilder's CloudAdapter, auth off", () => {
  let connector: LoopbackConnector;
  let bot: Bot;
  let reference: Partial<ConversationReference>;

  beforeAll(async () => {
    connector = await startLoopbackConnector();
    // Auth off: no MicrosoftAppId/MicrosoftAppPassword. No credential factory needed: the default one sees no app id.
    bot = await startBot(new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})));
    // The conversation reference a real bot would have stored from an earlier message, for the proactive tests.
    bot.logic = async (context) => {
      reference = TurnContext.getConversationReference(context.activity);
    };
    await postToBot(bot.url, personalMessage({ text: "remember me", from: alice, serviceUrl: connector.url }));
    connector.clear();
  });
  afterAll(async () => {
    await bot.close();
    await connector.close();
  });
  afterEach(() => {
    connector.clear();
    bot.logic = async () => {};
  });

  it("delivers a personal message to the bot and its reply to the connector", async () => {
    bot.logic = async (context) => {
      if (context.activity.type === ActivityTypes.Message) {
        await context.sendActivity(`echo: ${context.activity.text}`);
      }
    };
    const inbound = personalMessage({ text: "hello", from: alice, serviceUrl: connector.url });

    const response = await postToBot(bot.url, inbound);

    expect(response.status).toBe(200);
    const [reply] = await connector.waitForActivities((a) => a.activity.text === "echo: hello");
    expect(reply).toMatchObject({ conversationId: inbound.conversation.id, recipientId: alice.id, replyToId: inbound.id, tenantId: TENANT_ID });
    expect(reply?.activity).toMatchObject({ type: "message", from: { id: BOT_ID }, conversation: { id: inbound.conversation.id, tenantId: TENANT_ID } });
    expect(connector.requests[0]?.path).toBe(`/v3/conversations/${inbound.conversation.id}/activities/${inbound.id}`);
  });

  it("answers an adaptiveCard/action invoke in the HTTP response, after the whole turn", async () => {
    bot.logic = async (context) => {
      if (context.activity.type === ActivityTypes.Invoke && context.activity.name === "adaptiveCard/action") {
        const body = { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: card };
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
      }
    };

    const response = await postToBot(bot.url, invokeExecute({ verb: "markDone", data: { caseRef: "CAF-00001" }, from: alice, serviceUrl: connector.url, replyToId: "1700000000999" }));

    expect(response).toEqual({ status: 200, body: { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: card } });
    expect(connector.sent).toEqual([]); // the invoke response is not a message to the connector
  });

  it("parses the install update and the Action.Submit fallback as Teams-shaped activities", async () => {
    const seen: { type: string; membersAdded?: unknown; value?: unknown; text?: string; tenant?: unknown }[] = [];
    bot.logic = async (context) => {
      const a = context.activity;
      seen.push({ type: a.type, membersAdded: a.membersAdded, value: a.value, text: a.text, tenant: a.channelData?.tenant?.id });
    };

    await postToBot(bot.url, installUpdate({ from: alice, serviceUrl: connector.url }));
    await postToBot(bot.url, submitMessage({ value: { verb: "markDone", caseRef: "CAF-00001" }, from: alice, serviceUrl: connector.url, replyToId: "1700000000999" }));

    expect(seen).toEqual([
      { type: "conversationUpdate", membersAdded: [{ id: BOT_ID }], value: undefined, text: undefined, tenant: TENANT_ID },
      { type: "message", membersAdded: undefined, value: { verb: "markDone", caseRef: "CAF-00001" }, text: undefined, tenant: TENANT_ID },
    ]);
  });

  it("answers 501 with no body when the bot sets no invoke response", async () => {
    const response = await postToBot(bot.url, invokeExecute({ verb: "ignored", from: alice, serviceUrl: connector.url, replyToId: "1" }));
    expect(response).toEqual({ status: 501, body: undefined });
  });

  it("sends proactively with continueConversationAsync and appId '', then updates the card in place", async () => {
    let cardId: string | undefined;

    await bot.adapter.continueConversationAsync("", reference, async (context) => {
      const sentCard = await context.sendActivity({ attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: card }] });
      cardId = sentCard?.id;
    });

    const [proactive] = await connector.waitForActivities((a) => a.activity.attachments?.[0]?.contentType === "application/vnd.microsoft.card.adaptive");
    expect(proactive?.id).toBe(cardId);
    expect(proactive?.conversationId).toBe(reference.conversation?.id);
    // A proactive send is a reply to the continuation activity's random uuid, not to the stored activityId.
    expect(proactive?.replyToId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(proactive?.replyToId).not.toBe(reference.activityId);

    const updated = { ...card, body: [{ type: "TextBlock", text: "Updated" }] };
    await bot.adapter.continueConversationAsync("", reference, async (context) => {
      await context.updateActivity({ id: cardId, type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: updated }] });
    });

    const [update] = await connector.waitForUpdates((u) => u.activityId === cardId);
    expect(update?.conversationId).toBe(reference.conversation?.id);
    expect(update?.activity.attachments?.[0]?.content).toEqual(updated);
  });

  it("creates a 1:1 conversation with createConversationAsync and sends into it", async () => {
    const bob = teamsUser("Bob Builder");
    let createdId: string | undefined;

    await bot.adapter.createConversationAsync(
      "",
      "msteams",
      connector.url,
      "",
      { isGroup: false, bot: { id: BOT_ID, name: "CAF Audit" }, members: [{ id: bob.id, name: bob.name }], tenantId: TENANT_ID, channelData: { tenant: { id: TENANT_ID } } } as ConversationParameters,
      async (context) => {
        createdId = context.activity.conversation.id;
        await context.sendActivity("You have a case to audit");
      },
    );

    expect(connector.conversations).toMatchObject([{ id: createdId, memberId: bob.id, tenantId: TENANT_ID }]);
    const [first] = await connector.waitForActivities((a) => a.conversationId === createdId);
    expect(first?.activity.text).toBe("You have a case to audit");
  });

  it("answers TeamsInfo.getMember from the members map, by 29: id or AAD object id, and 404s unknown members", async () => {
    connector.addMember({ id: alice.id, aadObjectId: alice.aadObjectId, name: alice.name, email: "alice@council.gov.uk" });
    const looked: unknown[] = [];
    bot.logic = async (context) => {
      looked.push(await TeamsInfo.getMember(context, context.activity.from.id));
      looked.push(await TeamsInfo.getMember(context, alice.aadObjectId));
      looked.push(await caught(TeamsInfo.getMember(context, "29:nobody")));
    };

    await postToBot(bot.url, personalMessage({ text: "who am i", from: alice, serviceUrl: connector.url }));

    expect(looked[0]).toMatchObject({ id: alice.id, email: "alice@council.gov.uk", userPrincipalName: "alice@council.gov.uk", aadObjectId: alice.aadObjectId, tenantId: TENANT_ID });
    expect(looked[1]).toMatchObject({ id: alice.id, email: "alice@council.gov.uk" });
    expect(looked[2]).toMatchObject({ statusCode: 404, code: "MemberNotFoundInConversation" });
  });

  describe("failures", () => {
    it("retries 429 and 5xx by itself: 3 retries, waiting Retry-After for 429", async () => {
      connector.failNext(1, { status: 429, retryAfterSeconds: 0 });
      connector.failNext(1, { status: 500 });

      await bot.adapter.continueConversationAsync("", reference, async (context) => {
        await context.sendActivity("survives");
      });

      expect(connector.requests.map((r) => r.status)).toEqual([429, 500, 201]);
      expect(connector.sent.map((r) => r.activity.text)).toEqual(["survives"]);

      connector.failNext(4, { status: 429, retryAfterSeconds: 0 });
      const err = await caught(
        bot.adapter.continueConversationAsync("", reference, async (context) => {
          await context.sendActivity("gives up");
        }),
      );
      expect(err).toMatchObject({ name: "RestError", statusCode: 429, code: "Throttled" });
      expect(connector.requests.filter((r) => r.status === 429)).toHaveLength(1 + 4);
    }, 10_000);

    describe("with the connector client's retry policy removed", () => {
      let noRetryBot: Bot;
      beforeAll(async () => {
        noRetryBot = await startBot(new CloudAdapter(new NoRetryBotFrameworkAuthentication({})));
      });
      afterAll(() => noRetryBot.close());

      it("surfaces a 429 at once as RestError with statusCode and the Retry-After header", async () => {
        connector.failNext(1, { status: 429, retryAfterSeconds: 7 });
        const started = Date.now();

        const err = await caught(
          noRetryBot.adapter.continueConversationAsync("", reference, async (context) => {
            await context.sendActivity("throttled");
          }),
        );

        expect(Date.now() - started).toBeLessThan(1_000);
        expect(err).toMatchObject({ statusCode: 429, code: "Throttled", details: { error: { code: "Throttled" } } });
        expect(err.response?.status).toBe(429);
        expect(err.response?.headers.get("retry-after")).toBe("7");
        expect(connector.requests).toHaveLength(1);
      });

      it("surfaces a 500 at once for a proactive send", async () => {
        connector.failNext(1, { status: 500 });
        const err = await caught(
          noRetryBot.adapter.continueConversationAsync("", reference, async (context) => {
            await context.sendActivity("not delivered");
          }),
        );
        expect(err).toMatchObject({ statusCode: 500, code: "ServiceError" });
        expect(connector.requests.map((r) => r.status)).toEqual([500]);
      });

      it("keeps the client's retries for a reply inside an inbound turn: a 429 there is retried after Retry-After and lands", async () => {
        connector.failNext(1, { status: 429, retryAfterSeconds: 1 });
        let sent = false;
        noRetryBot.logic = async (context) => {
          await context.sendActivity("welcome");
          sent = true;
        };

        await postToBot(noRetryBot.url, personalMessage({ text: "hi", from: alice, serviceUrl: connector.url }));

        expect(sent).toBe(true);
        expect(connector.requests.map((r) => r.status)).toEqual([429, 201]);
      }, 10_000);

      it("rejects with 403 BotNotInConversationRoster for a blocked conversation", async () => {
        connector.blockConversation(String(reference.conversation?.id));
        const err = await caught(
          noRetryBot.adapter.continueConversationAsync("", reference, async (context) => {
            await context.sendActivity("gone");
          }),
        );
        expect(err).toMatchObject({ statusCode: 403, code: "BotNotInConversationRoster" });
      });

      it("gives up on a reply inside a turn that Teams never answers, after CONNECTOR_TRY_TIMEOUT_MS, instead of holding the turn", async () => {
        connector.hangNext(1, { deliver: true });
        let failure: Record<string, unknown> | undefined;
        noRetryBot.logic = async (context) => {
          failure = await caught(context.sendActivity("lost answer"));
        };
        const started = Date.now();
        await postToBot(noRetryBot.url, personalMessage({ text: "hi", from: alice, serviceUrl: connector.url }));
        const took = Date.now() - started;
        expect(failure).toMatchObject({ name: "AbortError" });
        expect(took).toBeGreaterThanOrEqual(CONNECTOR_TRY_TIMEOUT_MS - 100);
        expect(took).toBeLessThan(CONNECTOR_TRY_TIMEOUT_MS + 3_000);
        expect(connector.requests.map((r) => r.status)).toEqual(["hung"]); // a timed-out try is not retried
      }, 20_000);
    });

    it("hangs a send until the caller aborts it; botbuilder itself has no timeout", async () => {
      connector.hangNext(1, { deliver: true });

      const err = await caught(
        bot.adapter.continueConversationAsync("", reference, async (context) => {
          const conversationId = context.activity.conversation.id;
          await connectorOf(context).conversations.sendToConversation(conversationId, { type: "message", text: "lost answer" }, { abortSignal: AbortSignal.timeout(200) });
        }),
      );

      expect(err).toMatchObject({ name: "AbortError" });
      expect(connector.requests.map((r) => r.status)).toEqual(["hung"]); // not retried
      expect(connector.sent.map((r) => r.activity.text)).toEqual(["lost answer"]); // delivered, answer never came
    });
  });

  it("simulates Teams' per-conversation rate limit with 429 and Retry-After", async () => {
    const limited = await startLoopbackConnector({ perConversationPerSecond: 2 });
    try {
      const post = () =>
        fetch(`${limited.url}v3/conversations/${encodeURIComponent("a:1x")}/activities`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ type: "message", text: "hi", conversation: { id: "a:1x", tenantId: TENANT_ID } }),
        });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await post()).status);
      const throttled = await post();

      expect(statuses).toEqual([201, 201, 429]);
      expect(throttled.headers.get("retry-after")).toBe("1");
      expect(await throttled.json()).toEqual({ error: { code: "Throttled", message: "Too many requests" } });
      expect(limited.sent).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });

  it("waitFor rejects with a clear message listing what was sent", async () => {
    await postToBot(bot.url, personalMessage({ text: "quiet", from: alice, serviceUrl: connector.url }));
    bot.logic = async (context) => {
      await context.sendActivity("something else");
    };
    await postToBot(bot.url, personalMessage({ text: "x", from: alice, serviceUrl: connector.url }));

    await expect(connector.waitFor((sent) => sent.some((a) => a.activity.text === "never"), 100)).rejects.toThrow(/timed out after 100 ms[\s\S]*1 activities sent:[\s\S]*"something else"/);
  });
});
