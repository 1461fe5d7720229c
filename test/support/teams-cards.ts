// Reading what the bot sent in end-to-end Teams tests: the Adaptive Cards on the loopback connector, a person's
// traffic, pressing, saying and installing to get the card back, and a snapshot of every stored row.
import { expect } from "vitest";
import { TABLE_NAMES } from "../../src/storage/tables";
import type { Harness } from "./bot-harness";
import type { RecordedActivity } from "./loopback-connector";
import { personalConversationId, type TeamsUser } from "./teams-activities";

export type Card = Record<string, any>;
const ADAPTIVE = "application/vnd.microsoft.card.adaptive";

/** The Adaptive Card in an invoke response (`body.value`), or undefined when the invoke answered with a message. */
export function invokeCard(body: unknown): Card | undefined {
  const b = body as { type?: string; value?: unknown } | undefined;
  return b?.type === ADAPTIVE && typeof b.value === "object" && b.value !== null ? (b.value as Card) : undefined;
}

/** The Adaptive Card attached to a sent or updated activity. */
export function activityCard(activity: { attachments?: { contentType?: string; content?: unknown }[] }): Card {
  const attachment = (activity.attachments ?? []).find((a) => a.contentType === ADAPTIVE);
  if (!attachment) throw new Error(`no adaptive card in ${JSON.stringify(activity).slice(0, 300)}`);
  return attachment.content as Card;
}

/** Every piece of text a person can read on the card: text blocks, facts, labels, button titles. */
export function cardText(card: Card): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== "object" || node === null) return;
    const n = node as Record<string, unknown>;
    for (const key of ["text", "title", "value", "label"]) if (typeof n[key] === "string") out.push(n[key] as string);
    for (const v of Object.values(n)) if (typeof v === "object") walk(v);
  };
  walk(card);
  return out.join("\n");
}

/** The element with this id anywhere on the card, and the element right after it (where its error is shown). */
export function element(card: Card, id: string): { el: Card; next: Card | undefined } | undefined {
  let found: { el: Card; next: Card | undefined } | undefined;
  const walk = (node: unknown) => {
    if (found) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        if (!found && typeof item === "object" && item !== null && (item as Card).id === id) found = { el: item as Card, next: node[i + 1] as Card | undefined };
      });
      node.forEach(walk);
      return;
    }
    if (typeof node === "object" && node !== null) Object.values(node).forEach(walk);
  };
  walk(card);
  return found;
}

export const inputValue = (card: Card, id: string) => element(card, id)?.el.value as string | undefined;
/** The error line shown right below an input, or "" when there is none. */
export const errorBeside = (card: Card, id: string) => {
  const next = element(card, id)?.next;
  return next?.type === "TextBlock" && next.color === "attention" ? String(next.text) : "";
};
/** The value of the fact with this title anywhere on the card. */
export const fact = (card: Card, title: string) => (JSON.stringify(card).match(new RegExp(`"title":"${title}","value":"([^"]*)"`)) ?? [])[1];
export const heading = (card: Card) => String((card.body as Card[])[0]?.text ?? "");
export const buttons = (card: Card) => ((card.actions ?? []) as Card[]).map((a) => String(a.title));

/** The data of the first Action.Execute with this verb anywhere on the card (show-cards included). */
export function actionData(card: Card, verb: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown) => {
    if (found || typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Card;
    if (n.type === "Action.Execute" && n.verb === verb) {
      found = n.data as Record<string, unknown>;
      return;
    }
    Object.values(n).forEach(walk);
  };
  walk(card);
  if (!found) throw new Error(`no ${verb} button on ${heading(card)}: ${buttons(card).join(", ")}`);
  return found;
}

/** Everything the connector sent to the user's 1:1 chat, in order. */
export const sentTo = (h: Harness, user: TeamsUser) => h.connector.sent.filter((s) => s.conversationId === personalConversationId(user));
/** A reply sent within the user's own turn goes to the inbound activity (numeric ids); proactive sends reply to a uuid. */
export const isTurnReply = (r: RecordedActivity) => /^\d+$/.test(r.replyToId ?? "");
export const cardsTo = (h: Harness, user: TeamsUser) => sentTo(h, user).map((s) => activityCard(s.activity));

export interface Acted {
  status: number;
  body: any;
  /** The card the person sees: the updated card for an in-place answer, else the card sent as a new message. */
  card: Card;
  inPlace: boolean;
}

/** Presses an Action.Execute button and returns the card the person ends up looking at. */
export async function act(h: Harness, user: TeamsUser, verb: string, data: Record<string, unknown>, replyToId?: string): Promise<Acted> {
  const before = new Set(h.connector.sent);
  const res = await h.press(user, verb, data, replyToId);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const inPlace = invokeCard(res.body);
  if (inPlace) return { ...res, card: inPlace, inPlace: true };
  const replies = sentTo(h, user).filter((s) => !before.has(s) && isTurnReply(s));
  expect(replies, `one card sent for ${verb}`).toHaveLength(1);
  return { ...res, card: activityCard(replies[0]!.activity), inPlace: false };
}

/** Says something in the 1:1 chat and returns the card the bot answered with. */
export async function sayAndRead(h: Harness, user: TeamsUser, text: string): Promise<Card> {
  const before = new Set(h.connector.sent);
  const res = await h.say(user, text);
  expect(res.status).toBeLessThan(300);
  const replies = sentTo(h, user).filter((s) => !before.has(s) && isTurnReply(s));
  expect(replies).toHaveLength(1);
  return activityCard(replies[0]!.activity);
}

/** Installs the app for the user and returns the card the bot answered with. */
export async function installAndRead(h: Harness, user: TeamsUser): Promise<Card> {
  const before = new Set(h.connector.sent);
  const res = await h.install(user);
  expect(res.status).toBeLessThan(300);
  const replies = sentTo(h, user).filter((s) => !before.has(s) && isTurnReply(s));
  expect(replies).toHaveLength(1);
  return activityCard(replies[0]!.activity);
}

/** Every row of every table: keys always, ETags for all but the outbox rows the relay is allowed to touch. */
export async function snapshot(h: Harness): Promise<string[]> {
  const rows: string[] = [];
  for (const name of TABLE_NAMES) {
    for await (const e of h.tables.table(name).listEntities()) {
      rows.push(`${name}|${e.partitionKey}|${e.rowKey}${String(e.rowKey).startsWith("outbox-") ? "" : `|${e.etag}`}`);
    }
  }
  return rows.sort();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The cards the bot sent the user of its own accord (the relay's cards, not answers to their turns), in order. */
export const pushedCards = (h: Harness, user: TeamsUser) => sentTo(h, user).filter((s) => !isTurnReply(s)).map((s) => activityCard(s.activity));

/** Polls until `find` returns something (a non-empty array, if an array), since the relay delivers on its own timer. */
export async function until<T>(find: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined && !(Array.isArray(found) && found.length === 0)) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** People from the harness's people list as Teams users, each installed once, on first use. */
export function installedUsers(h: () => Harness): (email: string) => Promise<TeamsUser> {
  const users = new Map<string, TeamsUser>();
  return async (email) => {
    let u = users.get(email);
    if (!u) {
      const person = (await h().core.people.get(email))!;
      u = h().user(person.name, email);
      users.set(email, u);
      expect((await h().install(u)).status).toBeLessThan(300);
    }
    return u;
  };
}
