// Fills the Adaptive Card template cards/<template>.json with a view's data: the one definition every channel renders from.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Template } from "adaptivecards-templating";
import type { TemplateName, View } from "../app/cards/views";
import { RESENT_NOTE } from "../app/delivery/outbox";

/** The templates folder, resolved from this module so it does not depend on the working directory. */
export function cardsDir(): string {
  return fileURLToPath(new URL("../../cards/", import.meta.url));
}

// Parsing a template compiles every expression in it; do that once per template, not once per card sent.
const templates = new Map<TemplateName, Template>();

function templateFor(name: TemplateName): Template {
  let template = templates.get(name);
  if (!template) {
    const json: unknown = JSON.parse(readFileSync(join(cardsDir(), `${name}.json`), "utf8"));
    template = new Template(json);
    templates.set(name, template);
  }
  return template;
}

/** The data each template is filled from, by template name. */
export type TemplateData = { [V in View as V["template"]]: V["data"] };

/** Expands one template with its data; the result is a plain Adaptive Card object. */
export function expandTemplate<T extends TemplateName>(name: T, data: TemplateData[T]): Record<string, unknown> {
  const card: unknown = templateFor(name).expand({ $root: data });
  if (typeof card !== "object" || card === null || Array.isArray(card)) {
    throw new Error(`card template ${name} did not expand to an object`);
  }
  return card as Record<string, unknown>;
}

export function renderAdaptiveCard(view: View): Record<string, unknown> {
  return expandTemplate(view.template, view.data);
}

/**
 * A card sent again after a crash, when the first send may have landed: the note goes on the card itself (both
 * channels render from it), at the top, so a person holding two copies can tell which is which.
 */
export function withResentNote(card: Record<string, unknown>): Record<string, unknown> {
  const body = Array.isArray(card.body) ? (card.body as unknown[]) : [];
  return { ...card, body: [{ type: "TextBlock", text: RESENT_NOTE, isSubtle: true, wrap: true, size: "Small" }, ...body] };
}
