// The whole bot with Slack on: the real server and Bolt app behind /slack/events, signed requests as Slack sends
// them, and the loopback Slack Web API recording what the bot sends. Teams stays available on the same bot.
import { startHarness, type Harness, type HarnessOptions } from "./bot-harness";
import { startLoopbackSlack, type LoopbackSlack } from "./loopback-slack";
import {
  directMessageEvent,
  eventBody,
  FORM,
  interactivityBody,
  messageButtonPayload,
  postSigned,
  slashCommandBody,
  viewButtonPayload,
  viewSubmissionPayload,
  type OpenView,
  type SignOptions,
  type SlackTestUser,
} from "./slack-requests";

type Json = Record<string, any>;
type Answer = { status: number; body: any; text: string };

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

export interface PostedMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Json[];
  /** "post" for chat.postMessage, "update" for chat.update. */
  how: "post" | "update";
}

export interface SlackHarness extends Harness {
  slack: LoopbackSlack;
  slackUrl: string;
  member(name: string, email: string, teamId?: string): SlackTestUser;
  command(user: SlackTestUser, text: string, options?: SignOptions): Promise<Answer>;
  dm(user: SlackTestUser, text: string, options?: SignOptions & { eventId?: string }): Promise<Answer>;
  click(user: SlackTestUser, message: PostedMessage, actionId: string): Promise<Answer>;
  clickInView(user: SlackTestUser, open: OpenView, actionId: string, typed?: Record<string, string>): Promise<Answer>;
  submitView(user: SlackTestUser, open: OpenView, typed?: Record<string, string>): Promise<Answer>;
  raw(body: string, contentType: string, options?: SignOptions): Promise<Answer>;
  /** Messages posted or updated in a channel (a DM is "D" + the user id), oldest first. */
  messagesIn(channel: string): PostedMessage[];
  /** Modals opened or pushed, oldest first, with the id the fake gave them. */
  openedViews(): OpenView[];
}

export const dmOf = (user: SlackTestUser) => `D${user.id}`;

export async function startSlackHarness(env: Record<string, string> = {}, now?: string, options: HarnessOptions = {}): Promise<SlackHarness> {
  const slack = await startLoopbackSlack();
  const harness = await startHarness({ SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, ...env }, now, options);
  const url = () => `${harness.bot.url}/slack/events`;
  let count = 0;
  const send = (body: string, contentType: string, opts?: SignOptions) => postSigned(url(), SIGNING_SECRET, body, contentType, opts);
  const closeTeams = harness.close;
  return Object.assign(harness, {
    slack,
    get slackUrl() {
      return url();
    },
    member(name: string, email: string, teamId = "T0COUNCIL") {
      // Not all user ids start with U (Enterprise Grid uses W): half the test users get W.
      const id = `${++count % 2 === 0 ? "W" : "U"}0${name.replace(/[^A-Za-z]/g, "").toUpperCase().slice(0, 8)}${count}`;
      slack.addMember({ id, teamId, email, name });
      return { id, teamId };
    },
    command: (user: SlackTestUser, text: string, opts?: SignOptions) => send(slashCommandBody(user, text), FORM, opts),
    dm: (user: SlackTestUser, text: string, opts: SignOptions & { eventId?: string } = {}) => send(eventBody(user, directMessageEvent(user, text), opts.eventId), "application/json", opts),
    click: (user: SlackTestUser, message: PostedMessage, actionId: string) => send(interactivityBody(messageButtonPayload(user, message, actionId)), FORM),
    clickInView: (user: SlackTestUser, open: OpenView, actionId: string, typed: Record<string, string> = {}) => send(interactivityBody(viewButtonPayload(user, open, actionId, typed)), FORM),
    submitView: (user: SlackTestUser, open: OpenView, typed: Record<string, string> = {}) => send(interactivityBody(viewSubmissionPayload(user, open, typed)), FORM),
    raw: send,
    messagesIn(channel: string): PostedMessage[] {
      return slack.calls
        .filter((c) => (c.method === "chat.postMessage" || c.method === "chat.update") && c.args.channel === channel && c.result?.ok)
        .map((c) => ({ channel, ts: String(c.result!.ts), text: String(c.args.text ?? ""), blocks: (c.args.blocks ?? []) as Json[], how: c.method === "chat.update" ? "update" : "post" }));
    },
    openedViews(): OpenView[] {
      return slack.calls.filter((c) => (c.method === "views.open" || c.method === "views.push") && c.result?.ok).map((c) => ({ id: String(c.result!.view.id), view: c.args.view as Json }));
    },
    async close() {
      await closeTeams();
      await slack.close();
    },
  }) as SlackHarness;
}

/** All text of a Block Kit list: headers, sections, fields, context, labels and button titles. */
export function blocksText(blocks: Json[]): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const o = node as Json;
      if ((o.type === "mrkdwn" || o.type === "plain_text") && typeof o.text === "string") parts.push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== "value" && typeof v === "object") walk(v);
    }
  };
  walk(blocks);
  return parts.join("\n");
}

/** Waits until `check` returns something truthy (Slack work continues after the ack). */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await check();
    if (got) return got;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
