// Translates an expanded Adaptive Card (src/cards/render-card.ts) into Slack Block Kit: the one translator Slack uses
// (ARCHITECTURE.md decision 2). It supports a named subset of elements and refuses everything else, and it checks
// Slack's limits (limits.ts) so a card that would break one is refused with a clear error, never sent broken.
//
// Supported: TextBlock, FactSet, Container, ColumnSet/Column, ActionSet, Table (TableRow, TableCell of TextBlocks),
// Chart.* (through its fallback), Input.Text, Input.ChoiceSet (single choice), Input.Date, Input.Toggle,
// Action.Execute, Action.Submit, Action.OpenUrl, Action.ShowCard, Action.ToggleVisibility (dropped: the hidden
// guidance it would show is rendered as a context block, since Slack has no toggles).
import type { types } from "@slack/bolt";
import * as L from "./limits";
import { SlackLimitError, UnsupportedElementError } from "./errors";
import { arr, chunks, mrkdwn, plain, str, truncate } from "./text";

export { SlackLimitError, UnsupportedElementError };

type KnownBlock = types.KnownBlock;
type ModalView = types.ModalView;
type Button = types.Button;
type InputBlock = types.InputBlock;
type Json = Record<string, unknown>;

type Mode = "message" | "modal";

interface Ctx {
  mode: Mode;
  template: string;
  /** Set when a message left inputs out: they are filled in the modal its form button opens. */
  leftOutInputs?: boolean;
}

/** The name a card goes by in errors: its first heading, or "untitled". */
function cardName(card: Json): string {
  const first = arr(card.body).find((e) => e.type === "TextBlock");
  return first ? str(first.text) : "untitled";
}

function limit(ok: boolean, ctx: Ctx, what: string): void {
  if (!ok) throw new SlackLimitError(`Slack cannot show the ${ctx.template} card as a ${ctx.mode}: ${what}.`);
}

// ---- Elements -------------------------------------------------------------------------------------------------

function textBlock(el: Json): KnownBlock[] {
  const raw = str(el.text);
  if (raw.trim() === "") return [];
  // Hidden text is guidance behind a toggle; Slack has none, so it is shown small, as context.
  if (el.isVisible === false || el.isVisible === "false" || el.isSubtle === true) {
    return chunks(mrkdwn(raw), L.MAX_CONTEXT_TEXT).map((t) => ({ type: "context", elements: [{ type: "mrkdwn", text: t }] }));
  }
  if (el.style === "heading" && raw.length <= L.MAX_HEADER_TEXT) return [{ type: "header", text: plain(raw) }];
  let text = mrkdwn(raw);
  if (el.weight === "bolder" || el.style === "heading") text = text.split("\n").map((line) => (line.trim() ? `*${line}*` : line)).join("\n");
  if (el.color === "attention") text = `:warning: ${text}`;
  return chunks(text, L.MAX_SECTION_TEXT).map((t) => ({ type: "section", text: { type: "mrkdwn", text: t } }));
}

function factSet(el: Json, ctx: Ctx): KnownBlock[] {
  const fields = arr(el.facts).map((f) => {
    const text = `*${mrkdwn(str(f.title))}*\n${mrkdwn(str(f.value))}`;
    limit(text.length <= L.MAX_SECTION_FIELD_TEXT, ctx, `the fact "${str(f.title)}" is longer than ${L.MAX_SECTION_FIELD_TEXT} characters`);
    return { type: "mrkdwn" as const, text };
  });
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < fields.length; i += L.MAX_SECTION_FIELDS) blocks.push({ type: "section", fields: fields.slice(i, i + L.MAX_SECTION_FIELDS) });
  return blocks;
}

/** The plain text of a table cell: its TextBlocks, one a line. */
function cellText(cell: Json, ctx: Ctx): string {
  return arr(cell.items)
    .map((item) => {
      if (item.type !== "TextBlock") throw new UnsupportedElementError(`${str(item.type)} (in a table cell)`, ctx.template);
      return mrkdwn(str(item.text));
    })
    .join(" ");
}

function table(el: Json, ctx: Ctx): KnownBlock[] {
  const headerRow = el.firstRowAsHeader === true;
  const lines = arr(el.rows).map((row, i) => {
    if (row.type !== "TableRow") throw new UnsupportedElementError(str(row.type), ctx.template);
    const cells = arr(row.cells).map((c) => cellText(c, ctx));
    return headerRow && i === 0 ? cells.map((c) => `*${c}*`).join("  |  ") : cells.join("  |  ");
  });
  return chunks(lines.join("\n"), L.MAX_SECTION_TEXT).map((t) => ({ type: "section", text: { type: "mrkdwn", text: t } }));
}

function blockId(id: string, ctx: Ctx): string {
  limit(id.length <= L.MAX_BLOCK_ID, ctx, `the input id "${id.slice(0, 40)}…" is longer than ${L.MAX_BLOCK_ID} characters`);
  return id;
}

function placeholder(el: Json, ctx: Ctx): { placeholder?: types.PlainTextElement } {
  const p = str(el.placeholder);
  if (!p) return {};
  limit(p.length <= L.MAX_PLACEHOLDER, ctx, `the placeholder of ${str(el.id)} is longer than ${L.MAX_PLACEHOLDER} characters`);
  return { placeholder: plain(p) };
}

function input(el: Json, ctx: Ctx): KnownBlock[] {
  const id = str(el.id);
  const label = str(el.label) || str(el.title) || id;
  limit(label.length <= L.MAX_INPUT_LABEL, ctx, `the label of ${id} is longer than ${L.MAX_INPUT_LABEL} characters`);
  const common = { type: "input" as const, block_id: blockId(id, ctx), label: plain(label), optional: !(el.isRequired === true || el.isRequired === "true") };
  const value = str(el.value);
  let element: InputBlock["element"];
  switch (el.type) {
    case "Input.Text": {
      const max = typeof el.maxLength === "number" ? el.maxLength : L.MAX_TEXT_INPUT;
      limit(max <= L.MAX_TEXT_INPUT, ctx, `the text input ${id} allows ${max} characters, more than Slack's ${L.MAX_TEXT_INPUT}`);
      limit(value.length <= max, ctx, `the text in ${id} is longer than its ${max} characters`);
      element = { type: "plain_text_input", action_id: "value", multiline: el.isMultiline === true, max_length: max, ...placeholder(el, ctx), ...(value ? { initial_value: value } : {}) };
      break;
    }
    case "Input.ChoiceSet": {
      if (el.isMultiSelect === true) throw new UnsupportedElementError("Input.ChoiceSet with isMultiSelect", ctx.template);
      const choices = arr(el.choices);
      limit(choices.length <= L.MAX_SELECT_OPTIONS, ctx, `the choice ${id} has ${choices.length} options, more than ${L.MAX_SELECT_OPTIONS}`);
      const options = choices.map((c) => {
        const v = str(c.value);
        limit(v.length > 0 && v.length <= L.MAX_OPTION_VALUE, ctx, `a value of the choice ${id} is empty or longer than ${L.MAX_OPTION_VALUE} characters`);
        return { text: plain(truncate(str(c.title), L.MAX_OPTION_TEXT)), value: v };
      });
      const initial = options.find((o) => o.value === value);
      element = { type: "static_select", action_id: "value", options, ...placeholder(el, ctx), ...(initial ? { initial_option: initial } : {}) };
      break;
    }
    case "Input.Date":
      element = { type: "datepicker", action_id: "value", ...placeholder(el, ctx), ...(/^\d{4}-\d{2}-\d{2}$/.test(value) ? { initial_date: value } : {}) };
      break;
    case "Input.Toggle": {
      const on = el.valueOn === undefined ? "true" : str(el.valueOn);
      const option = { text: plain(truncate(str(el.title) || label, L.MAX_OPTION_TEXT)), value: on };
      element = { type: "checkboxes", action_id: "value", options: [option], ...(value === on ? { initial_options: [option] } : {}) };
      break;
    }
    default:
      throw new UnsupportedElementError(str(el.type), ctx.template);
  }
  return [{ ...common, element }];
}

function element(el: Json, ctx: Ctx): KnownBlock[] {
  const type = str(el.type);
  const before: KnownBlock[] = el.separator === true ? [{ type: "divider" }] : [];
  const blocks = ((): KnownBlock[] => {
    switch (type) {
      case "TextBlock":
        return textBlock(el);
      case "FactSet":
        return factSet(el, ctx);
      case "Container":
      case "Column":
        return elements(arr(el.items), ctx);
      case "ColumnSet":
        return arr(el.columns).flatMap((c) => element(c, ctx));
      case "ActionSet":
        return actionBlocks(arr(el.actions), ctx);
      case "Table":
        return table(el, ctx);
      case "Input.Text":
      case "Input.ChoiceSet":
      case "Input.Date":
      case "Input.Toggle":
        if (ctx.mode === "message") {
          // A form is a modal: the message shows the card's content and a button that opens the form.
          ctx.leftOutInputs = true;
          return [];
        }
        return input(el, ctx);
      default:
        if (type.startsWith("Chart.") && typeof el.fallback === "object" && el.fallback !== null) return element(el.fallback as Json, ctx);
        throw new UnsupportedElementError(type || "(no type)", ctx.template);
    }
  })();
  return blocks.length > 0 ? [...before, ...blocks] : [];
}

function elements(list: Json[], ctx: Ctx): KnownBlock[] {
  return list.flatMap((el) => element(el, ctx));
}

// ---- Actions --------------------------------------------------------------------------------------------------

function buttonBase(action: Json, ctx: Ctx, actionId: string): Button {
  const title = str(action.title);
  limit(title.length > 0 && title.length <= L.MAX_BUTTON_TEXT, ctx, `the button "${title.slice(0, 40)}" has no title or one longer than ${L.MAX_BUTTON_TEXT} characters`);
  limit(actionId.length <= L.MAX_ACTION_ID, ctx, `the action id of "${title}" is longer than ${L.MAX_ACTION_ID} characters`);
  const style = action.style === "positive" ? { style: "primary" as const } : action.style === "destructive" ? { style: "danger" as const } : {};
  return { type: "button", text: plain(title), action_id: actionId, ...style };
}

function buttonValue(data: unknown, title: string, ctx: Ctx): string {
  const value = JSON.stringify(data ?? {});
  limit(value.length <= L.MAX_BUTTON_VALUE, ctx, `the data of the button "${title}" is ${value.length} characters, more than Slack's ${L.MAX_BUTTON_VALUE}`);
  return value;
}

/** The verb an Execute or Submit action sends. */
function verbOf(action: Json): string {
  if (typeof action.verb === "string" && action.verb) return action.verb;
  const data = action.data as Json | undefined;
  if (data && typeof data.verb === "string" && data.verb) return data.verb;
  return "submit";
}

/** One action as a button, or nothing for a guidance toggle (its target is shown as context instead). */
function button(action: Json, ctx: Ctx): Button | undefined {
  switch (action.type) {
    case "Action.Execute":
    case "Action.Submit":
      return { ...buttonBase(action, ctx, verbOf(action)), value: buttonValue(action.data, str(action.title), ctx) };
    case "Action.OpenUrl": {
      const url = str(action.url);
      limit(url.length > 0 && url.length <= L.MAX_BUTTON_URL, ctx, `the link of "${str(action.title)}" is empty or longer than ${L.MAX_BUTTON_URL} characters`);
      return { ...buttonBase(action, ctx, `url:${str(action.title)}`), url };
    }
    case "Action.ShowCard": {
      // In a message, a show-card is a button that opens its card as a modal; the value carries the inner action's data.
      const inner = arr((action.card as Json | undefined)?.actions).find((a) => a.type === "Action.Execute" || a.type === "Action.Submit");
      const id = inner ? verbOf(inner) : str(action.title);
      return { ...buttonBase(action, ctx, `open:${id}`), value: buttonValue(inner?.data ?? {}, str(action.title), ctx) };
    }
    case "Action.ToggleVisibility":
      return undefined;
    default:
      throw new UnsupportedElementError(str(action.type) || "(no type)", ctx.template);
  }
}

function actionBlocks(actions: Json[], ctx: Ctx): KnownBlock[] {
  const buttons = actions.flatMap((a) => {
    const b = button(a, ctx);
    return b ? [b] : [];
  });
  if (buttons.length === 0) return [];
  limit(buttons.length <= L.MAX_ACTIONS_IN_BLOCK, ctx, `${buttons.length} buttons in one row, more than ${L.MAX_ACTIONS_IN_BLOCK}`);
  const ids = buttons.map((b) => b.action_id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  limit(dup === undefined, ctx, `two buttons in one row share the action id "${dup}"`);
  return [{ type: "actions", elements: buttons }];
}

/** In a modal, a show-card's inputs are part of the form: its title, its body and its own buttons, under a divider. */
function showCardInline(action: Json, ctx: Ctx): KnownBlock[] {
  const card = (action.card ?? {}) as Json;
  return [{ type: "divider" }, { type: "section", text: { type: "mrkdwn", text: `*${mrkdwn(str(action.title))}*` } }, ...elements(arr(card.body), ctx), ...actionBlocks(arr(card.actions), ctx)];
}

// ---- Cards ----------------------------------------------------------------------------------------------------

function checkCard(card: Json, ctx: Ctx): void {
  if (card.type !== "AdaptiveCard") throw new UnsupportedElementError(str(card.type) || "(no type)", ctx.template);
}

function checkBlockCount(blocks: KnownBlock[], max: number, ctx: Ctx): void {
  limit(blocks.length <= max, ctx, `it needs ${blocks.length} blocks, more than the ${max} Slack allows in a ${ctx.mode}`);
  const ids = blocks.flatMap((b) => (b.block_id ? [b.block_id] : []));
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  limit(dup === undefined, ctx, `two blocks share the id "${dup}"`);
}

/** The card's first TextBlock as plain text: the notification and screen-reader fallback. */
function fallbackText(card: Json): string {
  const find = (list: Json[]): string | undefined => {
    for (const el of list) {
      if (el.type === "TextBlock" && str(el.text).trim() && el.isVisible !== false) return str(el.text);
      const nested = find([...arr(el.items), ...arr(el.columns)]);
      if (nested) return nested;
    }
    return undefined;
  };
  return find(arr(card.body)) ?? "";
}

export interface TranslateOptions {
  /** The template name, used in error messages and in the action id of a form's open button. */
  template?: string;
}

export interface MessageOptions extends TranslateOptions {
  /** The text of the button that opens a form's modal; "Open the form" when absent. */
  openFormTitle?: string;
}

/** The action id of the button on a message that opens the card's form as a modal. */
export const OPEN_FORM_PREFIX = "open-form:";

/**
 * The card as a Slack message: its body as blocks and its actions as buttons; a show-card is a button opening a modal.
 * A card with inputs is a form: the message shows its content without the inputs, and its submitting actions are
 * replaced by one button (action id "open-form:<template>", value the first action's data) that opens the modal.
 */
export function toSlackMessage(card: Record<string, unknown>, options: MessageOptions = {}): { text: string; blocks: KnownBlock[] } {
  const ctx: Ctx = { mode: "message", template: options.template ?? cardName(card) };
  checkCard(card, ctx);
  const body = elements(arr(card.body), ctx);
  let actions = arr(card.actions);
  if (ctx.leftOutInputs) {
    const submits = actions.filter((a) => a.type === "Action.Execute" || a.type === "Action.Submit");
    const open = { type: "Action.Execute", title: options.openFormTitle ?? "Open the form", style: "positive", data: submits[0]?.data ?? {} };
    actions = [...(submits.length > 0 ? [open] : []), ...actions.filter((a) => !submits.includes(a))];
    const blocks = actionBlocks(actions, ctx).map((b) => {
      if (b.type !== "actions") return b;
      const [first, ...others] = b.elements as Button[];
      return submits.length > 0 && first ? { ...b, elements: [{ ...first, action_id: `${OPEN_FORM_PREFIX}${ctx.template}` }, ...others] } : b;
    });
    const all = [...body, ...blocks];
    checkBlockCount(all, L.MAX_BLOCKS_IN_MESSAGE, ctx);
    return { text: fallbackText(card), blocks: all };
  }
  const blocks = [...body, ...actionBlocks(actions, ctx)];
  checkBlockCount(blocks, L.MAX_BLOCKS_IN_MESSAGE, ctx);
  return { text: fallbackText(card), blocks };
}

export interface ModalOptions extends TranslateOptions {
  title: string;
  callbackId: string;
  /** Defaults to the JSON of the data of the action that becomes the modal's submit button. */
  privateMetadata?: string;
  /** Close button text; Slack's default when absent. */
  close?: string;
}

/**
 * The card as a Slack modal. The card's first Execute or Submit action becomes the modal's submit button (its data
 * is the private metadata unless given); its other actions stay buttons; show-cards are opened in place, inputs and all.
 */
export function toSlackModal(card: Record<string, unknown>, opts: ModalOptions): ModalView {
  const ctx: Ctx = { mode: "modal", template: opts.template ?? cardName(card) };
  checkCard(card, ctx);
  limit(opts.title.length > 0 && opts.title.length <= L.MAX_MODAL_TITLE, ctx, `the title "${opts.title}" is empty or longer than ${L.MAX_MODAL_TITLE} characters`);
  limit(opts.callbackId.length <= L.MAX_CALLBACK_ID, ctx, `the callback id is longer than ${L.MAX_CALLBACK_ID} characters`);
  const actions = arr(card.actions);
  const submitAction = actions.find((a) => a.type === "Action.Execute" || a.type === "Action.Submit");
  const rest = actions.filter((a) => a !== submitAction);
  const blocks = [
    ...elements(arr(card.body), ctx),
    ...actionBlocks(
      rest.filter((a) => a.type !== "Action.ShowCard"),
      ctx,
    ),
    ...rest.filter((a) => a.type === "Action.ShowCard").flatMap((a) => showCardInline(a, ctx)),
  ];
  checkBlockCount(blocks, L.MAX_BLOCKS_IN_MODAL, ctx);
  const privateMetadata = opts.privateMetadata ?? (submitAction ? JSON.stringify(submitAction.data ?? {}) : "");
  limit(privateMetadata.length <= L.MAX_PRIVATE_METADATA, ctx, `the private metadata is ${privateMetadata.length} characters, more than ${L.MAX_PRIVATE_METADATA}`);
  const hasInputs = blocks.some((b) => b.type === "input");
  let submit: types.PlainTextElement | undefined;
  if (submitAction) {
    const t = str(submitAction.title);
    limit(t.length > 0 && t.length <= L.MAX_MODAL_BUTTON_TEXT, ctx, `the submit button "${t}" is longer than ${L.MAX_MODAL_BUTTON_TEXT} characters`);
    submit = plain(t);
  } else if (hasInputs) {
    submit = plain("Submit");
  }
  if (opts.close !== undefined) limit(opts.close.length <= L.MAX_MODAL_BUTTON_TEXT, ctx, `the close text is longer than ${L.MAX_MODAL_BUTTON_TEXT} characters`);
  return {
    type: "modal",
    callback_id: opts.callbackId,
    title: plain(opts.title),
    ...(submit ? { submit } : {}),
    ...(opts.close ? { close: plain(opts.close) } : {}),
    ...(privateMetadata ? { private_metadata: privateMetadata } : {}),
    blocks,
  };
}
