// Requests as Slack sends them to /slack/events: signed (HMAC-SHA256 of "v0:{timestamp}:{body}" with the signing
// secret), slash commands and interactivity as application/x-www-form-urlencoded, events as JSON.
import { createHmac, randomUUID } from "node:crypto";

type Json = Record<string, any>;

export interface SlackTestUser {
  id: string;
  teamId: string;
}

export interface SignOptions {
  /** Seconds since the epoch; now when absent. */
  timestamp?: number;
  retryNum?: number;
  /** Sign with another secret (a forged request). */
  secret?: string;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export async function postSigned(url: string, secret: string, body: string, contentType: string, options: SignOptions = {}): Promise<{ status: number; body: any; text: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature(options.secret ?? secret, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = "http_timeout";
  }
  const res = await fetch(url, { method: "POST", headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : "";
  } catch {
    // Not JSON: kept as text.
  }
  return { status: res.status, body: parsed, text };
}

export const FORM = "application/x-www-form-urlencoded";

export function slashCommandBody(user: SlackTestUser, text: string, channelId = "C0GENERAL"): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: user.teamId,
    team_domain: "council",
    channel_id: channelId,
    channel_name: "general",
    user_id: user.id,
    user_name: user.id.toLowerCase(),
    command: "/audit",
    text,
    api_app_id: "A0CAFAUDIT",
    response_url: "https://hooks.slack.invalid/commands/1/2/3",
    trigger_id: `trigger-${randomUUID()}`,
  }).toString();
}

export function interactivityBody(payload: Json): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function eventBody(user: SlackTestUser, event: Json, eventId = `Ev${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`): string {
  return JSON.stringify({
    token: "legacy-verification-token",
    team_id: user.teamId,
    api_app_id: "A0CAFAUDIT",
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: { ...event, event_ts: event.ts },
  });
}

export function directMessageEvent(user: SlackTestUser, text: string, channel = `D${user.id}`): Json {
  return { type: "message", channel_type: "im", channel, user: user.id, team: user.teamId, text, ts: `${Date.now() / 1000}` };
}

const userPart = (user: SlackTestUser) => ({ user: { id: user.id, team_id: user.teamId, username: user.id.toLowerCase() }, team: { id: user.teamId, domain: "council" } });

/** Every button in a list of blocks, with the id of its block. */
export function buttonsIn(blocks: Json[]): (Json & { block_id?: string })[] {
  return blocks.flatMap((b) => (b.type === "actions" ? (b.elements as Json[]).filter((e) => e.type === "button").map((e) => ({ ...e, block_id: b.block_id ?? "actions" })) : []));
}

function buttonOf(blocks: Json[], actionId: string): Json {
  const button = buttonsIn(blocks).find((b) => b.action_id === actionId);
  if (!button) throw new Error(`no button ${actionId}; there are: ${buttonsIn(blocks).map((b) => b.action_id).join(", ")}`);
  return { type: "button", action_id: button.action_id, block_id: button.block_id, value: button.value, text: button.text, action_ts: `${Date.now() / 1000}` };
}

/** A press of a button on a message the bot posted (channel, ts and blocks as posted). */
export function messageButtonPayload(user: SlackTestUser, message: { channel: string; ts: string; blocks: Json[] }, actionId: string): Json {
  return {
    type: "block_actions",
    ...userPart(user),
    api_app_id: "A0CAFAUDIT",
    trigger_id: `trigger-${randomUUID()}`,
    container: { type: "message", channel_id: message.channel, message_ts: message.ts, is_ephemeral: false },
    channel: { id: message.channel, name: "directmessage" },
    message: { type: "message", ts: message.ts, blocks: message.blocks },
    actions: [buttonOf(message.blocks, actionId)],
  };
}

/**
 * `state.values` as Slack builds it from a modal: each input's initial value, overridden by what the person typed
 * (`typed`: input id -> text, option value, date, or "true"/"" for a checkbox).
 */
export function stateOf(blocks: Json[], typed: Record<string, string> = {}): Json {
  const values: Json = {};
  for (const b of blocks) {
    if (b.type !== "input") continue;
    const el = b.element as Json;
    const given = typed[b.block_id];
    let state: Json;
    switch (el.type) {
      case "plain_text_input":
        state = { type: el.type, value: given ?? el.initial_value ?? null };
        break;
      case "static_select": {
        const option = given !== undefined ? ((el.options as Json[]).find((o) => o.value === given) ?? null) : (el.initial_option ?? null);
        state = { type: el.type, selected_option: option };
        break;
      }
      case "datepicker":
        state = { type: el.type, selected_date: given ?? el.initial_date ?? null };
        break;
      case "checkboxes": {
        const options = el.options as Json[];
        state = { type: el.type, selected_options: given !== undefined ? (given && given !== "false" ? options : []) : (el.initial_options ?? []) };
        break;
      }
      default:
        throw new Error(`no state for ${String(el.type)}`);
    }
    values[b.block_id] = { [el.action_id]: state };
  }
  return { values };
}

/** An open modal as Slack holds it: the view the bot sent, with the id Slack gave it. */
export interface OpenView {
  id: string;
  view: Json;
}

function viewPart(open: OpenView, typed: Record<string, string>): Json {
  return { id: open.id, type: "modal", callback_id: open.view.callback_id, private_metadata: open.view.private_metadata ?? "", blocks: open.view.blocks, title: open.view.title, state: stateOf(open.view.blocks, typed), hash: "1.abc" };
}

export function viewSubmissionPayload(user: SlackTestUser, open: OpenView, typed: Record<string, string> = {}): Json {
  return { type: "view_submission", ...userPart(user), api_app_id: "A0CAFAUDIT", trigger_id: `trigger-${randomUUID()}`, view: viewPart(open, typed) };
}

export function viewButtonPayload(user: SlackTestUser, open: OpenView, actionId: string, typed: Record<string, string> = {}): Json {
  return {
    type: "block_actions",
    ...userPart(user),
    api_app_id: "A0CAFAUDIT",
    trigger_id: `trigger-${randomUUID()}`,
    container: { type: "view", view_id: open.id },
    view: viewPart(open, typed),
    actions: [buttonOf(open.view.blocks, actionId)],
  };
}
