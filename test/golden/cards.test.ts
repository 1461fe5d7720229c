// Golden tests for the Adaptive Card templates in cards/: each template expanded with its sample data must equal
// test/golden/adaptive/<template>.json. After an intended change, rewrite the golden files with
// `UPDATE_GOLDEN=1 npx vitest run test/golden` and review the diff like code. The invariants below hold for every card.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as AC from "adaptivecards";
import { describe, expect, it } from "vitest";
import { TEMPLATE_NAMES, VERBS, type SectionCardData, type TemplateName } from "../../src/app/views";
import { cardsDir, expandTemplate, renderAdaptiveCard, type TemplateData } from "../../src/cards/render-card";
import allocation from "../../cards/allocation.sample.json";
import final from "../../cards/final.sample.json";
import myAudits from "../../cards/my-audits.sample.json";
import notice from "../../cards/notice.sample.json";
import section from "../../cards/section.sample.json";
import submitted from "../../cards/submitted.sample.json";

// Typed against views.ts, so a sample that drifts from its data contract fails the typecheck.
const SAMPLES: TemplateData = {
  allocation,
  section,
  final,
  submitted,
  notice,
  "my-audits": myAudits,
};

const goldenDir = fileURLToPath(new URL("./adaptive/", import.meta.url));
const updating = process.env.UPDATE_GOLDEN === "1";

type Json = Record<string, unknown>;

const expand = <T extends TemplateName>(name: T, data: TemplateData[T]): Json => expandTemplate(name, data);
const expandSample = <T extends TemplateName>(name: T): Json => expand(name, SAMPLES[name]);

/** Every object in the card, depth first, including those inside actions, show-cards and fallbacks. */
function objectsIn(node: unknown): Json[] {
  if (Array.isArray(node)) return node.flatMap(objectsIn);
  if (typeof node !== "object" || node === null) return [];
  return [node as Json, ...Object.values(node).flatMap(objectsIn)];
}

const ofType = (card: Json, prefix: string) => objectsIn(card).filter((o) => typeof o.type === "string" && o.type.startsWith(prefix));

describe("every template has a sample and every sample a template", () => {
  it.each(TEMPLATE_NAMES)("%s has cards/%s.json and cards/%s.sample.json", (name) => {
    expect(existsSync(join(cardsDir(), `${name}.json`)), `cards/${name}.json is missing`).toBe(true);
    expect(existsSync(join(cardsDir(), `${name}.sample.json`)), `cards/${name}.sample.json is missing`).toBe(true);
    expect(JSON.parse(readFileSync(join(cardsDir(), `${name}.sample.json`), "utf8"))).toEqual(SAMPLES[name]);
  });

  it("no card template sits in cards/ without a name in TEMPLATE_NAMES", () => {
    const files = readdirSync(cardsDir()).filter((f) => f.endsWith(".json"));
    const names = files.map((f) => f.replace(/(\.sample)?\.json$/, ""));
    expect([...new Set(names)].filter((n) => !(TEMPLATE_NAMES as readonly string[]).includes(n))).toEqual([]);
  });
});

describe.each(TEMPLATE_NAMES)("the %s card", (name) => {
  const card = expandSample(name);

  it("is what renderAdaptiveCard sends for the same view", () => {
    expect(renderAdaptiveCard({ template: name, data: SAMPLES[name] } as Parameters<typeof renderAdaptiveCard>[0])).toEqual(card);
  });

  it("matches its golden file", () => {
    const path = join(goldenDir, `${name}.json`);
    const text = `${JSON.stringify(card, null, 2)}\n`;
    if (updating) {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(path, text);
      return;
    }
    expect(existsSync(path), `no golden file for ${name}: run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBe(true);
    expect(text).toBe(readFileSync(path, "utf8"));
  });

  it("is an Adaptive Card of schema 1.5", () => {
    expect(card.$schema).toBe("http://adaptivecards.io/schemas/adaptive-card.json");
    expect(card.type).toBe("AdaptiveCard");
    expect(card.version).toBe("1.5");
  });

  it("has every template expression expanded", () => {
    expect(JSON.stringify(card)).not.toContain("${");
  });

  it("gives every input an id and a label", () => {
    const inputs = ofType(card, "Input.");
    const unlabelled = inputs.filter((i) => typeof i.id !== "string" || i.id === "" || typeof i.label !== "string" || i.label.trim() === "");
    expect(unlabelled).toEqual([]);
  });

  it("keeps every id unique", () => {
    const ids = objectsIn(card).flatMap((o) => (typeof o.type === "string" && typeof o.id === "string" ? [o.id] : []));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("keeps text inputs within Slack's 3,000 characters", () => {
    const over = ofType(card, "Input.Text").filter((i) => typeof i.maxLength !== "number" || i.maxLength > 3000);
    expect(over.map((i) => i.id)).toEqual([]);
  });

  it("sends a known verb from every button, in data too, with an Action.Submit fallback carrying the same data", () => {
    const known: readonly string[] = Object.values(VERBS);
    for (const action of ofType(card, "Action.Execute")) {
      const verb = action.verb;
      expect(typeof verb === "string" && known.includes(verb), `unknown verb ${String(verb)}`).toBe(true);
      expect((action.data as Json).verb).toBe(verb);
      const fallback = action.fallback as Json;
      expect(fallback.type).toBe("Action.Submit");
      expect(fallback.title).toBe(action.title);
      expect(fallback.data).toEqual(action.data);
    }
  });

  it("points every guidance button at an element on the card", () => {
    const ids = new Set(objectsIn(card).flatMap((o) => (typeof o.id === "string" ? [o.id] : [])));
    const targets = ofType(card, "Action.ToggleVisibility").flatMap((a) => a.targetElements as string[]);
    expect(targets.filter((t) => !ids.has(t))).toEqual([]);
  });

  it("parses with the adaptivecards library without warnings", () => {
    const parsed = new AC.AdaptiveCard();
    const context = new AC.SerializationContext(AC.Versions.v1_5);
    parsed.parse(card, context);
    const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
    const validation = parsed.validateProperties().validationEvents.map((e) => e.message);
    expect([...events, ...validation]).toEqual([]);
  });
});

describe("the section card", () => {
  const sample: SectionCardData = SAMPLES.section;
  const card = expand("section", sample);
  const body = card.body as Json[];

  /** The container that holds a question's inputs, found by its answer input. */
  function questionItems(id: string): Json[] {
    const container = body.find((e) => e.type === "Container" && (e.items as Json[]).some((i) => i.id === `${id}.answer`));
    if (!container) throw new Error(`no container for question ${id}`);
    return container.items as Json[];
  }

  const after = (items: Json[], id: string) => items[items.findIndex((i) => i.id === id) + 1];

  it("shows the progress, title and case at the top", () => {
    expect(body.slice(0, 2).map((b) => b.text)).toEqual(["Section 3 of 5", sample.title]);
    expect(body[2]).toMatchObject({ type: "FactSet", facts: [{ title: "Case", value: sample.caseRef }, { title: "Service area", value: sample.serviceArea }] });
  });

  it("shows each question's errors right under the field they are about, and nothing under a field without one", () => {
    for (const q of sample.questions) {
      const items = questionItems(q.id);
      for (const [field, error] of [["answer", q.answerError], ["comment", q.commentError]] as const) {
        const next = after(items, `${q.id}.${field}`);
        if (error) expect(next, `${q.number} ${field}`).toMatchObject({ type: "TextBlock", text: error, color: "attention" });
        else expect(next?.color, `${q.number} ${field}`).not.toBe("attention");
      }
    }
    expect(sample.questions.some((q) => q.commentError !== "")).toBe(true);
  });

  it("puts the error summary above the form", () => {
    const summary = body.findIndex((b) => b.text === sample.errorSummary);
    const firstInput = body.findIndex((b) => String(b.type).startsWith("Input.") || b.type === "Container");
    expect(summary).toBeGreaterThan(-1);
    expect(summary).toBeLessThan(firstInput);
  });

  it("keeps guidance hidden until asked for", () => {
    const guidance = objectsIn(card).filter((o) => typeof o.id === "string" && o.id.startsWith("guidance-"));
    expect(guidance).toHaveLength(sample.questions.length);
    expect(guidance.every((g) => g.isVisible === false)).toBe(true);
  });

  it("fills saved answers and comments back in", () => {
    const inputs = ofType(card, "Input.");
    const answered = sample.questions[0]!;
    expect(inputs.find((i) => i.id === `${answered.id}.answer`)).toMatchObject({ value: answered.answer, style: "compact" });
    expect(inputs.find((i) => i.id === `${answered.id}.comment`)).toMatchObject({ value: answered.comment, isMultiline: true });
  });

  it("marks no input required, so Save and finish later and Back work on a half-done section (the server checks on Save and continue)", () => {
    expect(ofType(card, "Input.").filter((i) => i.isRequired === true || i.isRequired === "true")).toEqual([]);
  });

  it("offers 'not applicable' and hides Back only where the data says so", () => {
    const first = expand("section", { ...sample, canMarkNotApplicable: true, notApplicable: true, canGoBack: false, errorSummary: "", intro: "Is the CAF a step-down?" });
    const toggle = ofType(first, "Input.Toggle");
    expect(toggle).toMatchObject([{ id: "notApplicable", value: "true", title: "This section does not apply to this case" }]);
    expect((first.actions as Json[]).map((a) => a.verb)).toEqual([VERBS.saveSection, VERBS.saveAndLeave]);
    expect(ofType(card, "Input.Toggle")).toEqual([]);
    expect((card.actions as Json[]).map((a) => a.verb)).toEqual([VERBS.saveSection, VERBS.previousSection, VERBS.saveAndLeave]);
  });
});

describe("the final card", () => {
  const sample = SAMPLES.final;
  const card = expand("final", sample);

  it("has three inputs per agreed action, labelled with the column and the action's number", () => {
    const ids = ofType(card, "Input.").map((i) => i.id);
    expect(ids).toEqual([
      "grade",
      "justification",
      ...sample.actions.flatMap((a) => [`actions.${a.index}.action`, `actions.${a.index}.byWhom`, `actions.${a.index}.byWhen`]),
    ]);
    expect(ofType(card, "Input.").find((i) => i.id === "actions.1.byWhen")).toMatchObject({ type: "Input.Date", label: "By when (action 2)" });
  });

  it("shows a row's error under that row", () => {
    const rows = objectsIn(card).filter((o) => o.type === "Container" && (o.items as Json[]).some((i) => String(i.id).startsWith("actions.")));
    expect(rows.map((r) => (r.items as Json[]).find((i) => i.color === "attention")?.text ?? "")).toEqual(sample.actions.map((a) => a.error));
  });
});

describe("the my audits card", () => {
  it("offers Open only for audits that can be opened", () => {
    const card = expand("my-audits", SAMPLES["my-audits"]);
    const opens = ofType(card, "Action.Execute").map((a) => a.data);
    expect(opens).toEqual(SAMPLES["my-audits"].audits.filter((a) => a.canOpen).map((a) => ({ verb: VERBS.startAudit, month: a.month, caseRef: a.caseRef })));
  });

  it("says so when there is nothing to audit", () => {
    const card = expand("my-audits", { heading: "No audits to do", audits: [], empty: true });
    expect((card.body as Json[]).map((b) => b.type)).toEqual(["TextBlock", "TextBlock"]);
    expect(ofType(card, "Action.")).toEqual([]);
  });
});
