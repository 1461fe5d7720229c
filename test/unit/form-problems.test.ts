// The problems the core hands a channel must be the ones the card shows: each beside a real input of that card, with
// the card's own words. Checked on every template, with every error field of its sample filled in.
import { describe, expect, it } from "vitest";
import { problemsOf } from "../../src/app/cards/form-problems";
import { TEMPLATE_NAMES, type View } from "../../src/app/cards/views";
import { renderAdaptiveCard } from "../../src/cards/render-card";
import { SAMPLES } from "../support/card-samples";

type Json = Record<string, unknown>;
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** Every field named like an error gets its own sentence (the bold summary above a form is not a field's problem). */
function withEveryError(data: unknown, next: () => string): unknown {
  if (Array.isArray(data)) return data.map((d) => withEveryError(d, next));
  if (typeof data !== "object" || data === null) return data;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, /(^e|E)rror$/.test(k) && k !== "errorSummary" && typeof v === "string" ? next() : withEveryError(v, next)]));
}

/** What a reader of the card sees: each attention sentence right after an input belongs to that input. */
function shownBesideInputs(card: Json): { beside: Map<string, string>; inputs: Set<string>; sentences: string[] } {
  const beside = new Map<string, string>();
  const inputs = new Set<string>();
  const sentences: string[] = [];
  const walk = (list: Json[]) =>
    list.forEach((el, i) => {
      if (String(el.type).startsWith("Input.")) inputs.add(String(el.id));
      if (el.type === "TextBlock" && el.color === "attention" && el.weight !== "bolder" && String(el.text).trim()) {
        sentences.push(String(el.text));
        const before = list[i - 1];
        if (before && String(before.type).startsWith("Input.")) beside.set(String(before.id), String(el.text));
      }
      walk([...arr(el.items), ...arr(el.columns)]);
    });
  walk(arr(card.body));
  return { beside, inputs, sentences };
}

describe("problemsOf", () => {
  for (const template of TEMPLATE_NAMES) {
    it(`${template}: every problem the card shows, and only those, each beside one of its inputs`, () => {
      let n = 0;
      const view = { template, data: withEveryError(SAMPLES[template], () => `Problem ${++n}.`) } as View;
      const card = shownBesideInputs(renderAdaptiveCard(view));
      const problems = problemsOf(view);

      expect(problems.map((p) => p.sentence).sort()).toEqual([...card.sentences].sort());
      for (const p of problems) if (p.input !== null) expect(card.inputs, `${template}: ${p.input}`).toContain(p.input);
      // Where the card puts a sentence right under an input, the problem names that input.
      for (const [input, sentence] of card.beside) expect(problems).toContainEqual({ input, sentence });
    });
  }

  it("has nothing for a form with no problems", () => {
    for (const template of TEMPLATE_NAMES) expect(problemsOf({ template, data: withEveryError(SAMPLES[template], () => "") } as View), template).toEqual([]);
  });
});
