// Slack's ways in: the /audit command, a DM to the bot, a button on a message or in a modal, and a modal's submit.
// Each is acked at once (a modal submit after the core has answered, since its answer is the ack), then handed to the
// core through the one door (handleTurn) and the reply shown the Slack way. No audit rules live here.
import type { App, ViewResponseAction, webApi } from "@slack/bolt";
import type { ChatReply } from "../../app/chat-deps";
import type { LogCode } from "../../app/errors";
import { handleTurn, staleCardReply, type Inbound } from "../../app/handle-turn";
import type { Person } from "../../domain/person";
import type { ChannelIdentity } from "../../app/ports";
import { SLACK_COMMAND } from "./registrations";
import { OPEN_FORM_PREFIX } from "./block-kit";
import { inputsOf } from "./slack-inputs";
import { directChannel, identifySlackUser, type SlackUser } from "./slack-identity";
import { TEMPLATE_NAMES } from "../../app/cards/views";
import { isForm, messageKey, messageOf, modalOf, showCardModal, type FormMeta, type Origin } from "./slack-views";
import { failureReply, type SlackDeps } from "./slack-deps";

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === "string" ? v : "");
const OPEN_SHOW_CARD = "open:";
/** Slack waits 3 s for a modal submit's answer; ours comes before that, whatever storage does. */
const VIEW_ACK_DEADLINE_MS = 2_500;

/** One person's turn: who they are, where their DM is, and the work; any failure gets a sentence in their DM. */
async function turn(
  deps: SlackDeps,
  client: webApi.WebClient,
  user: SlackUser,
  kind: string,
  work: (person: Person, dm: () => Promise<string>) => Promise<void>,
  onFailure?: () => Promise<void>,
): Promise<void> {
  if (typeof user.userId !== "string" || !user.userId) {
    // Slack always says who pressed or typed: a request without a user has no one to answer, and nothing to do.
    deps.log.warn({ code: "slack_user_missing", kind }, "a Slack request named no user; ignored");
    return;
  }
  let dmChannel: string | undefined;
  let email: string | undefined;
  let identity: ChannelIdentity | undefined;
  const dm = async () => (dmChannel ??= await directChannel(client, deps.core, email, user.userId, identity));
  try {
    const who = await identifySlackUser(client, deps.core, user);
    email = who.person?.email;
    identity = who.identity;
    if (who.reply) {
      deps.log.info({ code: who.reply.code ?? "slack_user_linked", kind }, "slack user reached the bot");
      // A stranger's answer is not kept: it quotes their email, and nothing about someone not in the people list is stored.
      await post(deps, client, await dm(), who.reply, who.person !== undefined);
      if (who.person) deps.onReachable();
    }
    if (!who.person) return;
    await work(who.person, dm);
  } catch (err) {
    const reply = failureReply(deps.log, err, kind);
    try {
      await onFailure?.();
      await post(deps, client, await dm(), reply);
    } catch {
      // Slack itself is failing: the log has the code, and nothing was stored half-way.
    }
  }
}

/** Posts a reply as a new DM message and keeps its view, so a form button on it can open the form later. */
async function post(deps: SlackDeps, client: webApi.WebClient, channel: string, reply: ChatReply, keep = true): Promise<void> {
  const sent = await client.chat.postMessage({ channel, ...messageOf(reply.view) });
  if (keep) await deps.core.channelMemory.rememberCard(messageKey(sent.channel ?? channel, String(sent.ts)), reply.view);
}

async function replaceMessage(deps: SlackDeps, client: webApi.WebClient, origin: Origin, reply: ChatReply): Promise<void> {
  await client.chat.update({ channel: origin.c, ts: origin.t, ...messageOf(reply.view) });
  await deps.core.channelMemory.rememberCard(messageKey(origin.c, origin.t), reply.view);
}

function logReply(deps: SlackDeps, kind: string, person: Person, data: Json, reply: ChatReply): void {
  // Ids only, cut short: these came from the client and may be anything.
  const id = (v: unknown) => (typeof v === "string" ? v.slice(0, 100) : undefined);
  const code: LogCode = reply.code ?? "ok";
  const fields = { code, kind, actor: person.email, verb: id(data.verb), caseRef: id(data.caseRef), month: id(data.month), template: reply.view.template };
  if (reply.code) deps.log.warn(fields, "slack turn refused or needs input");
  else deps.log.info(fields, "slack turn");
}

/** "/audit my" is "my audits", "/audit unsafe" is "unsafe practice"; the rest reads as typed. */
export function commandText(raw: string): string {
  const words = raw.trim().toLowerCase();
  if (words === "" || words === "help") return "help";
  if (words === "my" || words === "mine") return "my audits";
  if (words === "unsafe") return "unsafe practice";
  return words;
}

/** Where a button was pressed: a Slack channel id and message timestamp, or undefined when they are not one. */
function originOf(channel: unknown, ts: unknown, template?: unknown): Origin | undefined {
  if (!(typeof channel === "string" && /^[A-Z0-9]{1,40}$/.test(channel) && typeof ts === "string" && /^\d{1,12}\.\d{1,9}$/.test(ts))) return undefined;
  const v = TEMPLATE_NAMES.find((name) => name === template);
  return { c: channel, t: ts, ...(v ? { v } : {}) };
}

/** A modal's metadata; anything we did not write reads as empty, so the core answers "this card is out of date". */
function parseMeta(raw: unknown): FormMeta {
  const meta = parseValue(raw);
  if (!isRecord(meta.d)) return { d: {} };
  const o = isRecord(meta.o) ? originOf(meta.o.c, meta.o.t, meta.o.v) : undefined;
  return { d: meta.d, ...(o ? { o } : {}) };
}

/** A JSON object from a button value or metadata; anything else reads as empty. */
function parseValue(raw: unknown): Json {
  try {
    const value: unknown = JSON.parse(text(raw));
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

const userOf = (body: Json): SlackUser => {
  const user = isRecord(body.user) ? body.user : {};
  const team = isRecord(body.team) ? body.team : {};
  const enterprise = isRecord(body.enterprise) ? body.enterprise : {};
  return { userId: text(user.id), teamId: text(user.team_id) || text(team.id) || undefined, enterpriseId: text(enterprise.id) || undefined };
};

export function registerSlackTurns(app: App, deps: SlackDeps): void {
  // Whatever else Slack may send (another app's command, a shortcut, a modal closed) is acknowledged at once, so Slack
  // never waits 3 s for an answer and shows the person an error.
  app.command(new RegExp(`^(?!${SLACK_COMMAND}$)`), async ({ ack }) => ack(`I only answer ${SLACK_COMMAND}. Try ${SLACK_COMMAND} help.`));
  app.shortcut(/.*/, async ({ ack }) => ack());
  app.view({ type: "view_closed", callback_id: /.*/ }, async ({ ack }) => ack());

  app.command(SLACK_COMMAND, async ({ ack, command, client }) => {
    await ack();
    const user = { userId: command.user_id, teamId: command.team_id, enterpriseId: command.enterprise_id };
    // The answer always goes to the person's DM, never the channel the command was typed in: it may name a case.
    await turn(deps, client, user, "command", async (person, dm) => {
      const reply = await handleTurn(deps.core, person, { kind: "text", text: commandText(text(command.text)) });
      logReply(deps, "command", person, {}, reply);
      if (isForm(reply.view)) await client.views.open({ trigger_id: command.trigger_id, view: modalOf(reply.view) });
      else await post(deps, client, await dm(), reply);
    });
  });

  app.event("message", async ({ event, body, client }) => {
    const e = event as unknown as Json;
    if (e.channel_type !== "im" || e.subtype !== undefined || e.bot_id !== undefined || typeof e.user !== "string") return;
    // Slack sends an event again when it did not hear our ack in time: handle each event once, across instances.
    if (!(await deps.core.channelMemory.firstDelivery(`event.${text((body as Json).event_id) || `${text(e.channel)}.${text(e.ts)}`}`))) {
      deps.log.info({ code: "slack_event_retry_ignored" }, "slack sent an event again; it was handled already");
      return;
    }
    const channel = text(e.channel);
    await turn(deps, client, { userId: e.user, teamId: text(e.team) || undefined }, "message", async (person) => {
      const inbound: Inbound = typeof e.text === "string" ? { kind: "text", text: e.text.replace(/<@[^>]+>/g, "").trim() } : { kind: "unsupported", what: "message" };
      const reply = await handleTurn(deps.core, person, inbound);
      logReply(deps, "message", person, {}, reply);
      await post(deps, client, channel, reply);
    });
  });

  app.action(/.*/, async ({ ack, body, client }) => {
    await ack();
    const b = body as unknown as Json;
    const action = Array.isArray(b.actions) && isRecord(b.actions[0]) ? b.actions[0] : {};
    const actionId = text(action.action_id);
    if (action.type !== "button" || actionId.startsWith("url:")) return;
    const view = isRecord(b.view) ? b.view : undefined;
    const container = isRecord(b.container) ? b.container : {};
    const pressedOn: Origin | undefined = view ? parseMeta(view.private_metadata).o : originOf(container.channel_id, container.message_ts);
    const trigger = text(b.trigger_id);
    await turn(deps, client, userOf(b), "action", async (person, dm) => {
      // Only a message in the person's own DM with the bot can be opened or replaced from their press.
      const origin = pressedOn && pressedOn.c === (await dm()) ? pressedOn : undefined;
      if (actionId.startsWith(OPEN_FORM_PREFIX) || actionId.startsWith(OPEN_SHOW_CARD)) {
        const kept = origin ? await deps.core.channelMemory.card(messageKey(origin.c, origin.t)) : undefined;
        const from = kept && origin ? { ...origin, v: kept.template } : origin;
        const modal = !kept ? undefined : actionId.startsWith(OPEN_FORM_PREFIX) ? (isForm(kept) ? modalOf(kept, from) : undefined) : showCardModal(kept, actionId.slice(OPEN_SHOW_CARD.length), from);
        if (modal) await client.views.open({ trigger_id: trigger, view: modal });
        else await post(deps, client, await dm(), staleCardReply("slack_card_unknown"));
        return;
      }
      const data = { ...(view ? inputsOf(view.state) : {}), ...parseValue(action.value) };
      const reply = await handleTurn(deps.core, person, { kind: "action", data });
      logReply(deps, "action", person, data, reply);
      if (view) {
        // A button inside a modal (Back, Save and finish later, a show-card's button): the modal answers. A refusal or
        // a problem goes on top, so the form beneath keeps what was typed; news (a concern sent) also goes to the DM.
        if (reply.code) await client.views.push({ trigger_id: trigger, view: modalOf(reply.view, origin) });
        else if (isForm(reply.view) || reply.inPlace) await client.views.update({ view_id: text(view.id), view: modalOf(reply.view, origin) });
        else {
          await client.views.push({ trigger_id: trigger, view: modalOf(reply.view) });
          await post(deps, client, await dm(), reply);
        }
        return;
      }
      if (isForm(reply.view)) {
        // The modal keeps which card its message shows, so each submit can refresh that message without asking storage.
        const shown = origin ? (await deps.core.channelMemory.card(messageKey(origin.c, origin.t)))?.template : undefined;
        await client.views.open({ trigger_id: trigger, view: modalOf(reply.view, origin && shown ? { ...origin, v: shown } : origin) });
      } else if (reply.inPlace && origin) await replaceMessage(deps, client, origin, reply);
      else await post(deps, client, await dm(), reply);
    });
  });

  // Every modal of the bot has the callback id FORM_CALLBACK; a submit of any other (an old or unknown modal) is answered the same way,
  // "this card is out of date", rather than left unanswered for Slack to show as an error.
  app.view({ type: "view_submission", callback_id: /.*/ }, async ({ ack, body, view, client }) => {
    const meta = parseMeta(view.private_metadata);
    const data = { ...inputsOf(view.state), ...meta.d };
    let acked = false;
    const answer = async (response?: ViewResponseAction) => {
      if (acked) return;
      acked = true;
      await (response ? ack(response) : ack());
    };
    /** Answers without an outcome: the form stays open with what was typed, the sentence on its first input. A modal without inputs just closes. */
    const keepOpen = (sentence: string) => {
      const first = view.blocks.find((b) => b.type === "input" && b.block_id)?.block_id;
      return answer(first ? { response_action: "errors", errors: { [first]: sentence } } : undefined);
    };
    // Slack gives up on a submit after 3 s and shows an error. If storage is slow, answer before that: pressing again
    // is safe (a save already made is recognised).
    const slow = setTimeout(() => {
      deps.log.warn({ code: "slack_submit_slow" }, "a modal submit took longer than Slack waits; the person was asked to press again");
      void keepOpen("This is taking longer than usual. What you typed is kept: press the button again in a moment.");
    }, VIEW_ACK_DEADLINE_MS);
    // Storage down before an answer: the full sentence goes to the DM.
    const onFailure = () => keepOpen("Not saved: see my message in our chat, then press the button again.");
    /** The message the modal was opened from, when it is in the person's own DM with the bot. */
    const ownOrigin = async (dm: () => Promise<string>): Promise<Origin | undefined> => (meta.o && meta.o.c === (await dm()) ? meta.o : undefined);
    await turn(deps, client, userOf(body as unknown as Json), "view_submission", async (person, dm) => {
      const reply = await handleTurn(deps.core, person, { kind: "action", data });
      logReply(deps, "view_submission", person, data, reply);
      if (isForm(reply.view)) {
        // Each problem beside its input on the open modal, when every one has an input there; otherwise the form is redrawn with them.
        const problems = reply.problems ?? [];
        const blockIds = new Set(view.blocks.flatMap((b) => (b.block_id ? [b.block_id] : [])));
        const errors: Record<string, string> = {};
        for (const p of problems) if (p.input !== null) errors[p.input] = errors[p.input] ? `${errors[p.input]} ${p.sentence}` : p.sentence;
        if (reply.code && problems.length > 0 && problems.every((p) => p.input !== null && blockIds.has(p.input))) await answer({ response_action: "errors", errors });
        else await answer({ response_action: "update", view: modalOf(reply.view, meta.o) });
        // A form that changed state in place (feedback, a decision) also refreshes the message it was opened from.
        const origin = await ownOrigin(dm);
        if (reply.inPlace && !reply.code && origin && origin.v === reply.view.template) {
          await replaceMessage(deps, client, origin, reply);
        }
        return;
      }
      if (reply.code) {
        // Refused or incomplete: the sentence goes on top, and the form with what was typed stays underneath.
        await answer({ response_action: "push", view: modalOf(reply.view) });
      } else if (reply.inPlace) {
        await answer({ response_action: "clear" });
        const origin = await ownOrigin(dm);
        if (origin) await replaceMessage(deps, client, origin, reply);
        else await post(deps, client, await dm(), reply);
      } else {
        await answer({ response_action: "update", view: modalOf(reply.view) });
        await post(deps, client, await dm(), reply);
      }
    }, onFailure);
    clearTimeout(slow);
    await answer();
  });
}
