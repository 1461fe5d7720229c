// A relay that died mid-send, finished by the next one through the real Teams and Slack messengers (on the loopback
// fakes), as the person sees it: where the chat's id was stored the card is updated in place and no second one
// arrives; where it was not, the second copy says it was sent again after a restart.
import { CloudAdapter } from "botbuilder";
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noticeView } from "../../src/app/cards/audit-views";
import { RESENT_NOTE } from "../../src/app/delivery/outbox";
import { createOutboxRelay, type DeliveryAttempt, type Messenger } from "../../src/app/delivery/outbox-relay";
import { NoRetryBotFrameworkAuthentication } from "../../src/channels/teams/bot-authentication";
import { createTeamsMessenger } from "../../src/channels/teams/teams-messenger";
import { createSlackMessenger } from "../../src/channels/slack/slack-messenger";
import { newAudit } from "../../src/domain/audit";
import { createLogger } from "../../src/logger";
import type { Core } from "../../src/wiring";
import { reachable } from "../support/bot-process";
import { anAuditor } from "../support/builders";
import { startLoopbackConnector, type LoopbackConnector } from "../support/loopback-connector";
import { startLoopbackSlack, type LoopbackSlack } from "../support/loopback-slack";
import { blocksText } from "../support/slack-harness";
import { freshCore } from "../support/tables";
import { personalConversationId } from "../support/teams-activities";

const quiet = { info() {}, warn() {} };
const ASHA = anAuditor("asha");
const LEASE_MS = 60_000;

async function oneMessage() {
  const { core, clock } = await freshCore();
  await core.people.saveMany([ASHA]);
  const audit = newAudit({ month: "2026-11", caseRef: "CAF-1", serviceArea: "A", auditorEmail: ASHA.email, dueOn: "2026-11-30", toolkitId: "tier2-caf", allocatedAt: clock.now().toISOString() });
  await core.allocations.createAudits("2026-11", [{ audit, outbox: [{ id: "m-1", recipientEmail: ASHA.email, view: noticeView("Your audit", "CAF-1 is yours this month."), createdAt: clock.now().toISOString() }] }]);
  return { core, clock };
}

/**
 * The relay process killed at a point of the real messenger's attempt: `dieAt` wraps the attempt the relay hands out,
 * and a step that never resolves is the process gone (nothing after it runs, nothing more is stored).
 */
function killedRelay(core: Core, clock: { now(): Date }, real: Messenger, dieAt: (attempt: DeliveryAttempt) => DeliveryAttempt, dieAfterAnswer = false) {
  const never = new Promise<never>(() => {});
  const messenger: Messenger = {
    async deliver(m, r, p, attempt) {
      const result = await real.deliver(m, r, p, dieAt(attempt));
      return dieAfterAnswer ? never : result;
    },
  };
  void createOutboxRelay({ store: core.outbox, people: core.people, messenger, clock, log: quiet }).runOnce();
}

/** The next relay, after the dead one's lease ran out; resolves once it has finished the message. */
async function restart(core: Core, clock: { now(): Date; set(iso: string): void }, real: Messenger) {
  clock.set(new Date(clock.now().getTime() + LEASE_MS + 1_000).toISOString());
  expect(await createOutboxRelay({ store: core.outbox, people: core.people, messenger: real, clock, log: quiet }).runOnce()).toMatchObject({ sent: 1 });
  expect(await core.outbox.undelivered()).toEqual([]);
}

async function until(ready: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a relay killed mid-send, in Teams", () => {
  let connector: LoopbackConnector;
  beforeAll(async () => {
    connector = await startLoopbackConnector();
  });
  afterAll(async () => connector?.close());

  it("sends the card once more with the note when Teams took it and the relay died before storing the answer", async () => {
    const { core, clock } = await oneMessage();
    const user = await reachable(core, connector, ASHA.name, ASHA.email);
    const teams = createTeamsMessenger({ adapter: new CloudAdapter(new NoRetryBotFrameworkAuthentication({})), directory: core.directory, appId: "" });
    const before = connector.sent.length;
    const inAshasChat = () => connector.sent.slice(before).filter((s) => s.conversationId === personalConversationId(user));
    killedRelay(core, clock, teams, (attempt) => attempt, true);
    await until(() => inAshasChat().length === 1, "the first card at Teams");
    await restart(core, clock, teams);

    const [first, second] = inAshasChat();
    expect(inAshasChat()).toHaveLength(2);
    const cardBody = (s: typeof first) => (s!.activity.attachments![0]!.content as { body: { text?: string }[] }).body;
    expect(first!.activity.summary).not.toContain(RESENT_NOTE);
    expect(cardBody(first).map((b) => b.text)).not.toContain(RESENT_NOTE);
    // The second copy says why it is there: on the card, at the top, and in the notification line.
    expect(cardBody(second)[0]!.text).toBe(RESENT_NOTE);
    expect(String(second!.activity.summary)).toContain(RESENT_NOTE);
    expect(connector.updates).toEqual([]);
  });

  it("sends the card once, with no note, when the relay died before the request left", async () => {
    const { core, clock } = await oneMessage();
    const user = await reachable(core, connector, ASHA.name, ASHA.email);
    const teams = createTeamsMessenger({ adapter: new CloudAdapter(new NoRetryBotFrameworkAuthentication({})), directory: core.directory, appId: "" });
    const before = connector.sent.length;
    let reachedSend = false;
    killedRelay(core, clock, teams, (attempt) => ({ ...attempt, sending: () => ((reachedSend = true), new Promise<void>(() => {})) }));
    await until(() => reachedSend, "the dead relay at the point of sending");
    await restart(core, clock, teams);
    const sent = connector.sent.slice(before).filter((s) => s.conversationId === personalConversationId(user));
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]!.activity)).not.toContain(RESENT_NOTE);
  });
});

describe("a relay killed mid-send, in Slack", () => {
  let slack: LoopbackSlack;
  beforeAll(async () => {
    slack = await startLoopbackSlack();
    slack.addMember({ id: "U0ASHA", teamId: "T0COUNCIL", email: ASHA.email, name: ASHA.name });
  });
  afterAll(async () => slack?.close());

  const slackMessenger = (core: Core, clock: { now(): Date }) =>
    createSlackMessenger({
      client: new webApi.WebClient("xoxb-test-token", { slackApiUrl: slack.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }),
      directory: core.directory,
      memory: core.channelMemory,
      clock,
      log: createLogger("silent"),
      championsChannel: undefined,
    });
  const ashasDm = () => slack.calls.filter((c) => (c.method === "chat.postMessage" || c.method === "chat.update") && c.args.channel === "DU0ASHA" && c.result?.ok);

  it("updates the message it posted in place, with no second message, when the relay died after storing where it landed", async () => {
    const before = ashasDm().length;
    const { core, clock } = await oneMessage();
    const real = slackMessenger(core, clock);
    let stored = false;
    killedRelay(core, clock, real, (attempt) => ({
      ...attempt,
      async landed(deliveredTo) {
        await attempt.landed(deliveredTo);
        stored = true;
        return new Promise<void>(() => {}); // killed before the kept view, and before "sent" is stored
      },
    }));
    await until(() => stored, "where the message landed, stored");
    await restart(core, clock, real);

    const calls = ashasDm().slice(before);
    expect(calls.map((c) => c.method)).toEqual(["chat.postMessage", "chat.update"]);
    expect(calls[1]!.args.ts).toBe(calls[0]!.result!.ts);
    expect(String(calls[1]!.args.text)).not.toContain(RESENT_NOTE);
  });

  it("posts once more with the note when Slack answered and the relay died before storing where it landed", async () => {
    const before = ashasDm().length;
    const { core, clock } = await oneMessage();
    const real = slackMessenger(core, clock);
    let answered = false;
    killedRelay(core, clock, real, (attempt) => ({ ...attempt, landed: () => ((answered = true), new Promise<void>(() => {})) }));
    await until(() => answered, "Slack's answer at the dead relay");
    await restart(core, clock, real);

    const calls = ashasDm().slice(before);
    expect(calls.map((c) => c.method)).toEqual(["chat.postMessage", "chat.postMessage"]);
    expect(String(calls[0]!.args.text)).not.toContain(RESENT_NOTE);
    expect(String(calls[1]!.args.text)).toContain(RESENT_NOTE);
    expect(blocksText(calls[1]!.args.blocks as Record<string, unknown>[])).toContain(RESENT_NOTE);
  });
});
