// A core view the Slack way: a DM message from the shared template, or a modal when the view is a form. A modal's
// private metadata carries ids only: the data of its submit button and the message it was opened from.
import type { types } from "@slack/bolt";
import { summaryOf } from "../../app/cards/summary";
import type { TemplateName, View } from "../../app/cards/views";
import { renderAdaptiveCard, withResentNote } from "../../cards/render-card";
import { RESENT_NOTE } from "../../app/delivery/outbox";
import { toSlackMessage, toSlackModal } from "./block-kit";
import { MAX_MODAL_TITLE } from "./limits";
import { arr, str, truncate } from "./text";

type Json = Record<string, unknown>;

/** Every modal of the bot has this callback id; what it is for travels in its metadata. */
export const FORM_CALLBACK = "caf-form";

const MODAL_TITLES: Record<TemplateName, string> = {
  allocation: "Case to audit",
  section: "CAF audit",
  final: "Grade and actions",
  submitted: "Audit submitted",
  notice: "CAF audits",
  "my-audits": "My audits",
  escalation: "Unsafe practice",
  "raise-unsafe": "Report unsafe practice",
  digest: "CAF audit digest",
  feedback: "Audit feedback",
  "audit-decision": "Audit decision",
  moderation: "Moderation",
  review: "CAF service review",
  recheck: "Re-check",
  "self-assessment": "Self-assessment",
  supervision: "Supervision checklist",
  "stale-case": "Still open?",
  "tier1-check": "Quality control",
};

/** Where a modal came from: the message (channel and timestamp) whose card it belongs to, and that card's template. */
export interface Origin {
  c: string;
  t: string;
  /** Known when the modal was opened, so a submit can tell whether the message shows the same card without a read. */
  v?: TemplateName;
}

export interface FormMeta {
  /** The data of the modal's submit button: a verb and ids, never answers. */
  d: Json;
  o?: Origin;
}

export const messageKey = (channel: string, ts: string) => `slack.${channel}.${ts}`;

// One turn asks several questions of the same reply (is it a form? its errors? its modal?): expand its template once.
// The translator only reads the expanded card, so sharing it is safe.
const expanded = new WeakMap<View, Json>();
function cardOf(view: View): Json {
  let card = expanded.get(view);
  if (!card) {
    card = renderAdaptiveCard(view);
    expanded.set(view, card);
  }
  return card;
}

/** `resent`: sent again after a crash when the first may have landed; the message says so (RESENT_NOTE). */
export function messageOf(view: View, options: { resent?: boolean } = {}): { text: string; blocks: types.KnownBlock[] } {
  const card = options.resent ? withResentNote(cardOf(view)) : cardOf(view);
  const { blocks } = toSlackMessage(card, { template: view.template, openFormTitle: "Open the form" });
  return { text: options.resent ? `${summaryOf(view)} ${RESENT_NOTE}` : summaryOf(view), blocks };
}

const isInput = (el: Json) => str(el.type).startsWith("Input.");
const submitting = (a: Json) => a.type === "Action.Execute" || a.type === "Action.Submit";

/** A form: the card's own body asks for input (not only behind a show-card), so Slack shows it as a modal. */
export function isForm(view: View): boolean {
  const walk = (list: Json[]): boolean => list.some((el) => isInput(el) || walk([...arr(el.items), ...arr(el.columns)]));
  return walk(arr(cardOf(view).body));
}

function modalFrom(card: Json, template: string, title: string, origin: Origin | undefined): types.ModalView {
  const submit = arr(card.actions).find(submitting);
  const meta: FormMeta = { d: (submit?.data as Json | undefined) ?? {}, ...(origin ? { o: origin } : {}) };
  return toSlackModal(card, { template, title: truncate(title, MAX_MODAL_TITLE), callbackId: FORM_CALLBACK, privateMetadata: JSON.stringify(meta), close: "Close" });
}

export function modalOf(view: View, origin?: Origin): types.ModalView {
  return modalFrom(cardOf(view), view.template, MODAL_TITLES[view.template], origin);
}

/** The show-card of a message whose button sends `verb`, as a modal of its own; undefined when the card has none. */
export function showCardModal(view: View, verb: string, origin?: Origin): types.ModalView | undefined {
  const card = cardOf(view);
  const all = [...arr(card.actions), ...arr(card.body).flatMap((el) => (el.type === "ActionSet" ? arr(el.actions) : []))];
  const show = all.find((a) => a.type === "Action.ShowCard" && arr((a.card as Json | undefined)?.actions).some((inner) => submitting(inner) && verbOf(inner) === verb));
  if (!show) return undefined;
  const inner = (show.card ?? {}) as Json;
  const sub = { type: "AdaptiveCard", version: card.version, body: arr(inner.body), actions: arr(inner.actions) };
  return modalFrom(sub, view.template, str(show.title), origin);
}

function verbOf(action: Json): string {
  if (typeof action.verb === "string" && action.verb) return action.verb;
  const data = action.data as Json | undefined;
  return typeof data?.verb === "string" ? data.verb : "";
}
