// Golden tests for the Slack translation of every card template (ARCHITECTURE.md decision 2): each template expanded
// with its sample data and translated to Block Kit must equal test/golden/slack/<template>.json (the message, and the
// modal for templates with inputs). Rewrite them after an intended change with
// `UPDATE_GOLDEN=1 npx vitest run test/golden/block-kit.test.ts` and review the diff like code.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TEMPLATE_NAMES, type TemplateName } from "../../src/app/cards/views";
import { expandTemplate } from "../../src/cards/render-card";
import { SlackLimitError, UnsupportedElementError, toSlackMessage, toSlackModal } from "../../src/channels/slack/block-kit";
import * as L from "../../src/channels/slack/limits";
import { SAMPLES } from "../support/card-samples";


/** Templates that are forms, with the modal title each opens under. */
const MODAL_TITLES: Partial<Record<TemplateName, string>> = {
  section: "Case file audit",
  final: "Finish the audit",
  "raise-unsafe": "Report unsafe practice",
  feedback: "Audit feedback",
  "audit-decision": "Audit decision",
  "stale-case": "Still open?",
  recheck: "Re-check",
  "self-assessment": "Self-assessment",
  supervision: "Supervision checklist",
};

const goldenDir = fileURLToPath(new URL("./slack/", import.meta.url));
const updating = process.env.UPDATE_GOLDEN === "1";

type Json = Record<string, unknown>;

const expandSample = <T extends TemplateName>(name: T): Json => expandTemplate(name, SAMPLES[name]);

function translate(name: TemplateName): Json {
  const card = expandSample(name);
  const out: Json = { message: toSlackMessage(card, { template: name }) };
  const title = MODAL_TITLES[name];
  if (title) out.modal = toSlackModal(card, { template: name, title, callbackId: name });
  return out;
}

function objectsIn(node: unknown): Json[] {
  if (Array.isArray(node)) return node.flatMap(objectsIn);
  if (typeof node !== "object" || node === null) return [];
  return [node as Json, ...Object.values(node).flatMap(objectsIn)];
}

const textOf = (o: unknown): string => String((o as Json | undefined)?.text ?? "");

/** Every breach of Slack's limits in a list of blocks, checked independently of the translator. */
function breaches(blocks: Json[]): string[] {
  const out: string[] = [];
  const ids = blocks.flatMap((b) => (typeof b.block_id === "string" ? [b.block_id] : []));
  if (new Set(ids).size !== ids.length) out.push("duplicate block_id");
  for (const b of blocks) {
    if (typeof b.block_id === "string" && b.block_id.length > L.MAX_BLOCK_ID) out.push(`block_id ${b.block_id}`);
    if (b.type === "header" && textOf(b.text).length > L.MAX_HEADER_TEXT) out.push("header text");
    if (b.type === "section") {
      if (b.text && textOf(b.text).length > L.MAX_SECTION_TEXT) out.push("section text");
      const fields = (b.fields ?? []) as Json[];
      if (fields.length > L.MAX_SECTION_FIELDS) out.push("section fields");
      if (fields.some((f) => textOf(f).length > L.MAX_SECTION_FIELD_TEXT)) out.push("section field text");
      if (!b.text && fields.length === 0) out.push("empty section");
    }
    if (b.type === "context" && ((b.elements as Json[]).length > 10 || (b.elements as Json[]).some((e) => textOf(e).length > L.MAX_CONTEXT_TEXT))) out.push("context");
    if (b.type === "actions" && (b.elements as Json[]).length > L.MAX_ACTIONS_IN_BLOCK) out.push("actions count");
    if (b.type === "input") {
      if (textOf(b.label).length > L.MAX_INPUT_LABEL) out.push("input label");
      const el = b.element as Json;
      if (el.action_id !== "value") out.push(`input ${String(b.block_id)} action_id`);
      if (el.type === "plain_text_input" && (typeof el.max_length !== "number" || el.max_length > L.MAX_TEXT_INPUT)) out.push(`text input ${String(b.block_id)}`);
    }
  }
  for (const o of objectsIn(blocks)) {
    if (o.type === "button") {
      if (textOf(o.text).length > L.MAX_BUTTON_TEXT) out.push(`button text ${textOf(o.text)}`);
      if (typeof o.value === "string" && o.value.length > L.MAX_BUTTON_VALUE) out.push("button value");
      if (String(o.action_id).length > L.MAX_ACTION_ID) out.push("action_id");
    }
    if (o.type === "static_select") {
      const options = o.options as Json[];
      if (options.length > L.MAX_SELECT_OPTIONS) out.push("options count");
      for (const opt of options) {
        if (textOf(opt.text).length > L.MAX_OPTION_TEXT) out.push(`option text ${textOf(opt.text)}`);
        if (String(opt.value).length > L.MAX_OPTION_VALUE) out.push("option value");
      }
    }
    if (o.placeholder && textOf(o.placeholder).length > L.MAX_PLACEHOLDER) out.push("placeholder");
  }
  return out;
}

describe.each(TEMPLATE_NAMES)("the %s card in Slack", (name) => {
  const out = translate(name);
  const message = out.message as { text: string; blocks: Json[] };

  it("matches its golden file", () => {
    const path = join(goldenDir, `${name}.json`);
    const text = `${JSON.stringify(out, null, 2)}\n`;
    if (updating) {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(path, text);
      return;
    }
    expect(existsSync(path), `no golden file for ${name}: run UPDATE_GOLDEN=1 npx vitest run test/golden/block-kit.test.ts`).toBe(true);
    expect(text).toBe(readFileSync(path, "utf8"));
  });

  it("keeps the message within Slack's limits, with a plain fallback text", () => {
    expect(message.blocks.length).toBeGreaterThan(0);
    expect(message.blocks.length).toBeLessThanOrEqual(L.MAX_BLOCKS_IN_MESSAGE);
    expect(breaches(message.blocks)).toEqual([]);
    expect(message.text.trim()).not.toBe("");
  });

  it("sends every card button's data as its value, with the verb as the action id", () => {
    const buttons = objectsIn(message.blocks).filter((o) => o.type === "button");
    for (const b of buttons) {
      const data = JSON.parse(String(b.value)) as Json;
      if (!/^open(-form)?:/.test(String(b.action_id))) expect(b.action_id).toBe(data.verb);
    }
  });
});

// Only the cards that hold a form become a modal; the others have no modal to check.
const FORM_TEMPLATES = TEMPLATE_NAMES.filter((name) => MODAL_TITLES[name] !== undefined);

describe.each(FORM_TEMPLATES)("the %s form as a Slack modal", (name) => {
  const out = translate(name);

  it("keeps the modal within Slack's limits", () => {
    const modal = out.modal as Json;
    const blocks = modal.blocks as Json[];
    expect(blocks.length).toBeLessThanOrEqual(L.MAX_BLOCKS_IN_MODAL);
    expect(breaches(blocks)).toEqual([]);
    expect(textOf(modal.title).length).toBeLessThanOrEqual(L.MAX_MODAL_TITLE);
    expect(String(modal.private_metadata ?? "").length).toBeLessThanOrEqual(L.MAX_PRIVATE_METADATA);
    if (blocks.some((b) => b.type === "input")) expect(textOf(modal.submit).length).toBeGreaterThan(0);
    expect(textOf(modal.submit).length).toBeLessThanOrEqual(L.MAX_MODAL_BUTTON_TEXT);
  });

  it("puts every input of the card, show-cards included, in the modal under its own id", () => {
    const card = expandSample(name);
    const inputIds = objectsIn(card).filter((o) => String(o.type).startsWith("Input.")).map((o) => o.id);
    const blockIds = ((out.modal as Json).blocks as Json[]).filter((b) => b.type === "input").map((b) => b.block_id);
    expect(blockIds).toEqual(inputIds);
  });
});

describe("the translator", () => {
  const card = (body: Json[], actions: Json[] = []): Json => ({ type: "AdaptiveCard", version: "1.5", body, actions });

  it("refuses an element outside the subset, naming it and the template", () => {
    const img = card([{ type: "Image", url: "https://example.org/x.png" }]);
    expect(() => toSlackMessage(img, { template: "notice" })).toThrow(UnsupportedElementError);
    expect(() => toSlackMessage(img, { template: "notice" })).toThrow(/"Image".*|notice/);
    expect(() => toSlackModal(card([], [{ type: "Action.Popover", title: "x" }]), { template: "notice", title: "t", callbackId: "c" })).toThrow(/Action\.Popover/);
  });

  it("refuses a button whose data is longer than Slack's 2,000 characters", () => {
    const big = card([{ type: "TextBlock", text: "Hi" }], [{ type: "Action.Execute", title: "Go", verb: "go", data: { verb: "go", blob: "x".repeat(L.MAX_BUTTON_VALUE) } }]);
    expect(() => toSlackMessage(big, { template: "notice" })).toThrow(SlackLimitError);
    expect(() => toSlackMessage(big, { template: "notice" })).toThrow(/2000/);
  });

  it("refuses a message of more than 50 blocks and a modal of more than 100", () => {
    const many = (n: number) => card(Array.from({ length: n }, (_, i) => ({ type: "TextBlock", text: `Line ${i}` })));
    expect(() => toSlackMessage(many(L.MAX_BLOCKS_IN_MESSAGE + 1))).toThrow(SlackLimitError);
    expect(toSlackMessage(many(L.MAX_BLOCKS_IN_MESSAGE)).blocks).toHaveLength(L.MAX_BLOCKS_IN_MESSAGE);
    expect(() => toSlackModal(many(L.MAX_BLOCKS_IN_MODAL + 1), { title: "t", callbackId: "c" })).toThrow(SlackLimitError);
  });

  it("refuses a modal title over 24 characters, a text input over 3,000 and private metadata over 3,000", () => {
    const form = card([{ type: "Input.Text", id: "a", label: "A", maxLength: 3000 }]);
    expect(() => toSlackModal(form, { title: "x".repeat(L.MAX_MODAL_TITLE + 1), callbackId: "c" })).toThrow(SlackLimitError);
    expect(() => toSlackModal(card([{ type: "Input.Text", id: "a", label: "A", maxLength: 3001 }]), { title: "t", callbackId: "c" })).toThrow(SlackLimitError);
    expect(() => toSlackModal(form, { title: "t", callbackId: "c", privateMetadata: "x".repeat(L.MAX_PRIVATE_METADATA + 1) })).toThrow(SlackLimitError);
  });

  it("truncates a long option text with an ellipsis but never its value, and refuses a value that is too long", () => {
    const long = "y".repeat(100);
    const choice = (value: string) => card([{ type: "Input.ChoiceSet", id: "c", label: "C", choices: [{ title: long, value }] }]);
    const select = (toSlackModal(choice("v"), { title: "t", callbackId: "c" }).blocks[0] as unknown as Json).element as Json;
    const option = (select.options as Json[])[0]!;
    expect(textOf(option.text)).toHaveLength(L.MAX_OPTION_TEXT);
    expect(textOf(option.text).endsWith("…")).toBe(true);
    expect(option.value).toBe("v");
    expect(() => toSlackModal(choice("v".repeat(L.MAX_OPTION_VALUE + 1)), { title: "t", callbackId: "c" })).toThrow(SlackLimitError);
  });

  it("sends a form as a message without its inputs, with one button that opens the modal, and the form in the modal", () => {
    const form = card(
      [{ type: "TextBlock", text: "Decide" }, { type: "Input.Date", id: "newDueOn", label: "New due date", value: "2027-01-11" }],
      [
        { type: "Action.Execute", title: "Extend", verb: "extendAudit", data: { verb: "extendAudit", caseRef: "CAF-1" } },
        { type: "Action.Execute", title: "Reallocate", verb: "reallocateAudit", data: { verb: "reallocateAudit", caseRef: "CAF-1" } },
      ],
    );
    const message = toSlackMessage(form, { template: "audit-decision", openFormTitle: "Decide" });
    expect(objectsIn(message.blocks).filter((o) => o.type === "input")).toEqual([]);
    expect(objectsIn(message.blocks).filter((o) => o.type === "button").map((b) => [b.action_id, b.value])).toEqual([["open-form:audit-decision", '{"verb":"extendAudit","caseRef":"CAF-1"}']]);
    const modal = toSlackModal(form, { template: "audit-decision", title: "Audit decision", callbackId: "audit-decision" });
    expect(modal.submit?.text).toBe("Extend");
    expect(modal.private_metadata).toBe('{"verb":"extendAudit","caseRef":"CAF-1"}');
    expect(modal.blocks).toContainEqual({
      type: "input",
      block_id: "newDueOn",
      label: { type: "plain_text", text: "New due date", emoji: true },
      optional: true,
      element: { type: "datepicker", action_id: "value", initial_date: "2027-01-11" },
    });
    expect(objectsIn(modal.blocks).filter((o) => o.type === "button").map((b) => b.action_id)).toEqual(["reallocateAudit"]);
  });

  it("splits a fact set of more than 10 facts into sections of at most 10 fields", () => {
    const facts = Array.from({ length: 23 }, (_, i) => ({ title: `T${i}`, value: `V${i}` }));
    const blocks = toSlackMessage(card([{ type: "FactSet", facts }])).blocks as unknown as Json[];
    expect(blocks.map((b) => (b.fields as Json[]).length)).toEqual([10, 10, 3]);
  });

  it("shows hidden guidance as context and drops its toggle", () => {
    const blocks = toSlackMessage(
      card([
        { type: "ActionSet", actions: [{ type: "Action.ToggleVisibility", title: "Guidance", targetElements: ["g"] }] },
        { type: "TextBlock", id: "g", isVisible: false, text: "Check the <plan> & notes" },
      ]),
    ).blocks;
    expect(blocks).toEqual([{ type: "context", elements: [{ type: "mrkdwn", text: "Check the &lt;plan&gt; &amp; notes" }] }]);
  });
});
