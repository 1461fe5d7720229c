// Golden tests for the Adaptive Card templates in cards/: each template expanded with its sample data must equal
// test/golden/adaptive/<template>.json. After an intended change, rewrite the golden files with
// `UPDATE_GOLDEN=1 npx vitest run test/golden` and review the diff like code. The invariants below hold for every card.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as AC from "adaptivecards";
import { describe, expect, it } from "vitest";
import { TEMPLATE_NAMES, VERBS, type AuditDecisionCardData, type EscalationCardData, type FeedbackCardData, type RaiseUnsafeCardData, type SectionCardData, type TemplateName } from "../../src/app/cards/views";
import { cardsDir, expandTemplate, renderAdaptiveCard, type TemplateData } from "../../src/cards/render-card";
import { SAMPLES } from "../support/card-samples";


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

  it("labels every input inside a show-card too", () => {
    const inShowCards = ofType(card, "Action.ShowCard").flatMap((a) => ofType(a.card as Json, "Input."));
    expect(inShowCards.filter((i) => typeof i.label !== "string" || i.label.trim() === "").map((i) => i.id)).toEqual([]);
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
    // Teams' Chart.* elements are outside the open schema: the SDK says so and uses their fallback table, as intended.
    const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message).filter((m) => !/^Unknown element type "Chart\./.test(m));
    const validation = parsed.validateProperties().validationEvents.map((e) => e.message);
    expect([...events, ...validation]).toEqual([]);
  });
});

describe("the digest card", () => {
  const card = expand("digest", SAMPLES.digest);
  const charts = objectsIn(card).filter((o) => String(o.type).startsWith("Chart."));

  it("draws the grades as a chart whose numbers are the figures, with a table for clients without charts", () => {
    expect(charts).toHaveLength(1);
    expect(charts[0]!.data).toEqual(SAMPLES.digest.grades.map((g) => ({ x: g.label, y: g.count })));
    const fallback = charts[0]!.fallback as Json;
    expect(fallback.type).toBe("Table");
    const rows = (fallback.rows as Json[]).map((r) => JSON.stringify(r));
    SAMPLES.digest.grades.forEach((g, i) => {
      expect(rows[i]).toContain(`"text":"${g.label}"`);
      expect(rows[i]).toContain(`"text":"${g.countText}"`);
    });
  });

  it("shows a hidden service area in words and flags one below the threshold in words", () => {
    const text = JSON.stringify(card);
    expect(text).toContain("fewer than 3");
    expect(text).toContain("Below the threshold of 2.5: to investigate");
  });

  it("puts each breakdown under its 'Grades by ...' heading as a table: a header row, then a row per group, a cell per column", () => {
    const containers = (card.body as Json[]).filter((e) => e.type === "Container");
    expect(containers.map((c) => (c.items as Json[])[0]!.text)).toEqual(SAMPLES.digest.breakdowns.map((b) => b.heading));
    containers.forEach((c, i) => {
      const sample = SAMPLES.digest.breakdowns[i]!;
      const tableEl = (c.items as Json[])[1]!;
      expect(tableEl.columns).toEqual(sample.columns.map((col) => ({ width: col.width })));
      const rows = (tableEl.rows as Json[]).map((r) => (r.cells as Json[]).map((cell) => ((cell.items as Json[])[0]!.text)));
      expect(rows).toEqual([sample.columns.map((col) => col.title), ...sample.rows.map((r) => r.cells.map((cell) => cell.text))]);
    });
  });

  it("says there is nothing to chart when no audit was completed", () => {
    const empty = expand("digest", { ...SAMPLES.digest, grades: [], hasGrades: false, breakdowns: [] });
    expect(objectsIn(empty).filter((o) => String(o.type).startsWith("Chart."))).toEqual([]);
    expect(JSON.stringify(empty)).toContain("No audits were completed in this period.");
    expect(JSON.stringify(empty)).not.toContain("Grades by");
  });
});

/** The inputs of "Report unsafe practice", the same wherever it is raised from. */
const UNSAFE_INPUT_IDS = ["unsafe.seen", "unsafe.when", "unsafe.urgency"];
const UNSAFE_INPUTS = [
  { type: "Input.Text", id: "unsafe.seen", label: "What did you see? Describe the unsafe practice", isMultiline: true, maxLength: 3000 },
  {
    type: "Input.ChoiceSet",
    id: "unsafe.when",
    label: "Is it current or in the past?",
    choices: [
      { title: "Current: happening now", value: "current" },
      { title: "In the past", value: "past" },
    ],
    value: "current",
  },
  {
    type: "Input.ChoiceSet",
    id: "unsafe.urgency",
    label: "How urgent is it?",
    choices: [
      { title: "Immediate: a child may be at risk now", value: "immediate" },
      { title: "Today", value: "today" },
      { title: "This week", value: "this-week" },
    ],
    value: "immediate",
  },
];

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
    const topVerbs = (c: Json) => (c.actions as Json[]).filter((a) => a.type === "Action.Execute").map((a) => a.verb);
    expect(topVerbs(first)).toEqual([VERBS.saveSection, VERBS.saveAndLeave]);
    expect(ofType(card, "Input.Toggle")).toEqual([]);
    expect(topVerbs(card)).toEqual([VERBS.saveSection, VERBS.previousSection, VERBS.saveAndLeave]);
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
      ...UNSAFE_INPUT_IDS,
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
    const opens = ofType(card, "Action.Execute").map((a) => a.data as Json).filter((d) => d.verb === VERBS.startAudit);
    expect(opens).toEqual(SAMPLES["my-audits"].audits.filter((a) => a.canOpen).map((a) => ({ verb: VERBS.startAudit, month: a.month, caseRef: a.caseRef })));
  });

  it("lists a manager's supervision checklists of the quarter, each with its own Checklist button", () => {
    const card = expand("my-audits", SAMPLES["my-audits"]);
    const checklists = ofType(card, "Action.Execute").map((a) => a.data as Json).filter((d) => d.verb === VERBS.openSupervision);
    expect(checklists).toEqual(SAMPLES["my-audits"].supervision.map((s) => ({ verb: VERBS.openSupervision, quarter: s.quarter, caseRef: s.caseRef })));
  });

  it("says so when there is nothing to audit", () => {
    const card = expand("my-audits", { heading: "No audits to do", audits: [], empty: true, supervisionHeading: "", supervision: [] });
    expect((card.body as Json[]).map((b) => b.type)).toEqual(["TextBlock", "TextBlock"]);
    expect(ofType(card, "Action.")).toEqual([]);
  });
});

describe.each(["section", "final"] as const)("the %s card's Report unsafe practice", (name) => {
  const sample = SAMPLES[name];
  const card = expand(name, sample);
  const actions = card.actions as Json[];
  const report = actions[actions.length - 1]!;
  const inner = report.card as Json;

  it("is the last button, and shows a card rather than sending at once", () => {
    expect(report).toMatchObject({ type: "Action.ShowCard", title: "Report unsafe practice" });
    expect(actions.filter((a) => a.title === "Report unsafe practice")).toHaveLength(1);
  });

  it("asks what was seen, when and how urgent, with nothing typed in for the auditor", () => {
    const inputs = ofType(inner, "Input.");
    expect(inputs.map((i) => i.id)).toEqual(UNSAFE_INPUT_IDS);
    expect(inputs).toMatchObject(UNSAFE_INPUTS);
    expect(inputs[0]!.value).toBeUndefined();
    expect(inputs.filter((i) => i.isRequired !== undefined)).toEqual([]);
  });

  it("says where it goes and that the answers on the card are kept", () => {
    expect((inner.body as Json[])[0]).toMatchObject({ type: "TextBlock", text: "It goes at once to the Family Support Manager. Your answers on this card are kept." });
  });

  it("escalates with raiseUnsafe, the month and the case (and the section, so its answers are kept)", () => {
    const buttons = ofType(inner, "Action.Execute");
    expect(buttons).toHaveLength(1);
    expect(buttons[0]).toMatchObject({ title: "Escalate now", verb: VERBS.raiseUnsafe });
    const section = name === "section" ? { sectionId: (sample as SectionCardData).sectionId } : {};
    expect(buttons[0]!.data).toEqual({ verb: VERBS.raiseUnsafe, month: sample.month, caseRef: sample.caseRef, ...section });
  });
});

describe("the escalation card", () => {
  const sample: EscalationCardData = SAMPLES.escalation;
  const card = expand("escalation", sample);
  const body = card.body as Json[];
  const titles = (c: Json) => ((c.actions ?? []) as Json[]).map((a) => a.title);

  it("says at the top that it is about unsafe practice, in words as well as colour", () => {
    expect(body[0]).toMatchObject({ type: "TextBlock", text: `Unsafe practice: case ${sample.caseRef}`, style: "heading", color: "attention" });
    expect(body[1]).toMatchObject({ type: "TextBlock", text: sample.audience });
  });

  it("lists the facts, the status among them in words", () => {
    const facts = ofType(card, "FactSet").flatMap((f) => f.facts as Json[]);
    expect(facts).toEqual([
      { title: "Case", value: sample.caseRef },
      { title: "Service area", value: sample.serviceArea },
      { title: "Lead professional", value: sample.leadProfessional },
      { title: "Current or past", value: sample.when },
      { title: "Urgency", value: sample.urgency },
      { title: "Raised by", value: sample.raisedBy },
      { title: "Raised at", value: sample.raisedAt },
      { title: "Status", value: sample.status },
    ]);
  });

  it("shows what was seen, the next step and the history", () => {
    const texts = objectsIn(card).flatMap((o) => (o.type === "TextBlock" ? [o.text] : []));
    expect(texts).toContain("What was seen");
    expect(texts).toContain(sample.seen);
    expect(texts).toContain(sample.nextStep);
    expect(texts).toContain("History");
    for (const h of sample.history) expect(texts).toContain(`${h.at}: ${h.text}`);
  });

  it("leaves out the next step and the history when there are none", () => {
    const quiet = expand("escalation", { ...sample, nextStep: "", history: [] });
    const texts = objectsIn(quiet).flatMap((o) => (o.type === "TextBlock" ? [o.text] : []));
    expect(texts).not.toContain("History");
    expect(texts).not.toContain("");
    expect(JSON.stringify(quiet)).not.toContain("${");
  });

  const flags = [false, true].flatMap((a) => [false, true].flatMap((m) => [false, true].map((r) => [a, m, r] as const)));
  it.each(flags)("offers Acknowledge %s, MASH conversation held %s, Resolved %s, each only when its flag says so", (canAcknowledge, canRecordMash, canResolve) => {
    const c = expand("escalation", { ...sample, canAcknowledge, canRecordMash, canResolve });
    const expected = [canAcknowledge && "Acknowledge", canRecordMash && "MASH conversation held", canResolve && "Resolved"].filter((t) => t !== false);
    expect(titles(c)).toEqual(expected);
    for (const action of [...ofType(c, "Action.Execute"), ...ofType(c, "Action.Submit")]) {
      expect((action.data as Json).escalationId, String(action.title)).toBe(sample.escalationId);
    }
  });

  it("sends each button's verb with the escalation id, and asks for an outcome on MASH and Resolved", () => {
    const all = expand("escalation", { ...sample, canAcknowledge: true, canRecordMash: true, canResolve: true });
    const executes = ofType(all, "Action.Execute");
    expect(executes.map((a) => [a.title, a.data])).toEqual([
      ["Acknowledge", { verb: VERBS.acknowledgeEscalation, escalationId: sample.escalationId }],
      ["Record MASH conversation", { verb: VERBS.recordMash, escalationId: sample.escalationId }],
      ["Mark resolved", { verb: VERBS.resolveEscalation, escalationId: sample.escalationId }],
    ]);
    const [, mash, resolved] = all.actions as Json[];
    expect(ofType(mash!.card as Json, "Input.")).toMatchObject([{ type: "Input.Text", id: "mashOutcome", label: "Outcome of the MASH conversation", isMultiline: true, maxLength: 2000 }]);
    expect(ofType(resolved!.card as Json, "Input.")).toMatchObject([{ type: "Input.Text", id: "resolvedOutcome", label: "How it was resolved", isMultiline: true }]);
    expect(ofType(all, "Input.").filter((i) => i.isRequired !== undefined)).toEqual([]);
  });
});

describe("the raise unsafe practice card", () => {
  const sample: RaiseUnsafeCardData = SAMPLES["raise-unsafe"];
  const inputIds = (c: Json) => ofType(c, "Input.").map((i) => i.id);

  it("asks for the case reference only when it is not known, with its error beside it", () => {
    const card = expand("raise-unsafe", { ...sample, month: "", caseRef: "" });
    expect(inputIds(card)).toEqual(["unsafe.caseRef", ...UNSAFE_INPUT_IDS]);
    const body = card.body as Json[];
    const at = body.findIndex((b) => b.id === "unsafe.caseRef");
    expect(body[at]).toMatchObject({ type: "Input.Text", label: "Case reference" });
    expect(body[at + 1]).toMatchObject({ type: "TextBlock", text: sample.caseRefError, color: "attention" });
    expect(ofType(card, "FactSet")).toEqual([]);
  });

  it("shows the case instead when raised from an audit", () => {
    const card = expand("raise-unsafe", { ...sample, month: "2026-12", caseRef: "CAF-1002", caseRefError: "" });
    expect(inputIds(card)).toEqual(UNSAFE_INPUT_IDS);
    expect(ofType(card, "FactSet")).toEqual([{ type: "FactSet", facts: [{ title: "Case", value: "CAF-1002" }] }]);
    expect(ofType(card, "Action.Execute").map((a) => a.data)).toEqual([{ verb: VERBS.raiseUnsafe, month: "2026-12", caseRef: "CAF-1002" }]);
  });

  it("has the same inputs as on the audit cards, keeping what was typed, with the summary above and errors beside", () => {
    const card = expand("raise-unsafe", { ...sample, seenError: "Say what you saw: at least 20 characters." });
    const inputs = ofType(card, "Input.").filter((i) => i.id !== "unsafe.caseRef");
    expect(inputs).toMatchObject(UNSAFE_INPUTS);
    expect(inputs[0]!.value).toBe(sample.seen);
    const body = card.body as Json[];
    expect(body[body.findIndex((b) => b.id === "unsafe.seen") + 1]).toMatchObject({ text: "Say what you saw: at least 20 characters.", color: "attention" });
    expect(body.findIndex((b) => b.text === sample.errorSummary)).toBeLessThan(body.findIndex((b) => String(b.type).startsWith("Input.")));
    expect(ofType(card, "Input.").filter((i) => i.isRequired !== undefined)).toEqual([]);
  });

  it("says nothing in attention colour when there is nothing to fix", () => {
    const card = expand("raise-unsafe", { ...sample, errorSummary: "", caseRefError: "", seenError: "" });
    expect(objectsIn(card).filter((o) => o.color === "attention")).toEqual([]);
    expect(objectsIn(card).find((o) => o.type === "TextBlock" && o.text === "It goes at once to the Family Support Manager. You can carry on with your audit.")).toBeDefined();
  });
});

describe("the feedback card", () => {
  const sample: FeedbackCardData = SAMPLES.feedback;
  const card = expand("feedback", sample);
  const texts = (c: Json) => objectsIn(c).flatMap((o) => (o.type === "TextBlock" ? [o.text] : []));
  const inputIds = (c: Json) => ofType(c, "Input.").map((i) => i.id);
  const buttonTitles = (c: Json) => ((c.actions ?? []) as Json[]).map((a) => a.title);
  const input = (c: Json, id: string) => ofType(c, "Input.").find((i) => i.id === id);

  const noFlags = { canReply: false, canComment: false, canConfirm: false, canUpdateRag: false, canRelease: false, canClose: false };
  /** The flags the server sets for each audience of a below-good audit whose feedback has been sent (QA: still waiting). */
  const forAudience = {
    lp: { ...sample, ...noFlags, audience: "lp", canReply: true, canUpdateRag: true },
    manager: { ...sample, ...noFlags, audience: "manager", canComment: true, canConfirm: true, canUpdateRag: true },
    qa: { ...sample, ...noFlags, audience: "qa", canRelease: true, canClose: true },
    auditor: { ...sample, ...noFlags, audience: "auditor" },
  } satisfies Record<string, FeedbackCardData>;

  const replyIds = (a: { id: string }) => [`action.${a.id}.response`, `action.${a.id}.date`, `action.${a.id}.proposal`, `action.${a.id}.reason`];
  const confirmIds = (a: { id: string }) => [`action.${a.id}.done`, `action.${a.id}.note`, `action.${a.id}.newDate`];
  const ragId = (a: { id: string }) => `action.${a.id}.rag`;
  const ownIds = sample.ownActionRows.flatMap((r) => [`own.${r.index}.action`, `own.${r.index}.byWhom`, `own.${r.index}.byWhen`]);

  it("has a below-good sample for the lead professional with two agreed actions, one accepted", () => {
    expect(sample).toMatchObject({ audience: "lp", belowGood: true, canReply: true });
    expect(sample.actions).toHaveLength(2);
    expect(sample.actions.filter((a) => a.response.startsWith("Accepted"))).toHaveLength(1);
  });

  it("says at the top which case, who it is for, where it stands and what is due", () => {
    const body = card.body as Json[];
    expect(body.slice(0, 4).map((b) => b.text)).toEqual([`Audit feedback: case ${sample.caseRef}`, sample.audienceLine, sample.status, sample.correctiveDue]);
    expect(body[0]).toMatchObject({ style: "heading" });
    expect(body[3]).toMatchObject({ color: "attention" });
    expect(ofType(card, "FactSet")).toMatchObject([
      { facts: [{ title: "Service area", value: sample.serviceArea }, { title: "Overall grade", value: sample.grade }, { title: "Audit version", value: String(sample.auditVersion) }] },
    ]);
  });

  it("leaves out the corrective date when nothing is due", () => {
    const quiet = expand("feedback", { ...sample, correctiveDue: "" });
    expect(objectsIn(quiet).filter((o) => o.color === "attention" && o.type === "TextBlock" && !String(o.text).startsWith("Progress:"))).toEqual([]);
    expect(texts(quiet)).not.toContain("");
  });

  it("shows each section's grade and overview, and why this grade", () => {
    const t = texts(card);
    expect(t).toContain("Section by section");
    for (const s of sample.sections) {
      expect(t).toContain(`Section ${s.number}: ${s.title} — ${s.grade}`);
      if (s.overview) expect(t).toContain(s.overview);
    }
    expect(t).toContain("Why this grade");
    expect(t).toContain(sample.justification);
  });

  it("shows each action with who, when, where it came from, its reply and its confirmation", () => {
    const confirmed = { ...sample.actions[0]!, confirmation: "Confirmed done by Lena Fisher: the child's views are in the plan of 20 January." };
    const c = expand("feedback", { ...sample, actions: [confirmed, sample.actions[1]!] });
    const t = texts(c);
    for (const [i, a] of [confirmed, sample.actions[1]!].entries()) {
      expect(t).toContain(`Action ${i + 1}: ${a.action}`);
      expect(t).toContain(`By whom: ${a.byWhom}, by when: ${a.byWhen}`);
      expect(t).toContain(a.source);
      expect(t).toContain(`Reply: ${a.response}`);
    }
    expect(t).toContain(confirmed.confirmation);
    expect(texts(card)).not.toContain("");
  });

  it("shows RAG as words, with the colour only as well", () => {
    const actions = [
      { ...sample.actions[0]!, id: "r", index: 0, rag: "red", ragLabel: "Red: not started" },
      { ...sample.actions[0]!, id: "a", index: 1, rag: "amber", ragLabel: "Amber: in progress" },
      { ...sample.actions[0]!, id: "g", index: 2, rag: "green", ragLabel: "Green: done" },
    ];
    const c = expand("feedback", { ...sample, actions });
    const rag = objectsIn(c).filter((o) => o.type === "TextBlock" && String(o.text).startsWith("Progress: "));
    expect(rag.map((r) => [r.text, r.color])).toEqual([
      ["Progress: Red: not started", "attention"],
      ["Progress: Amber: in progress", "warning"],
      ["Progress: Green: done", "good"],
    ]);
  });

  it("shows the comments that have been made, and no Comments heading when there are none", () => {
    const both = expand("feedback", { ...sample, lpComment: "I have booked a visit to talk to the child.", managerComment: sample.managerComment });
    expect(texts(both)).toEqual(expect.arrayContaining(["Comments", "Lead professional: I have booked a visit to talk to the child.", `Manager: ${sample.managerComment}`]));
    const none = expand("feedback", { ...sample, lpComment: "", managerComment: "" });
    expect(texts(none)).not.toContain("Comments");
  });

  it("gives the lead professional the reply inputs and RAG per action, a comment and own actions, and Send my reply and Update progress", () => {
    const c = expand("feedback", forAudience.lp);
    expect(inputIds(c)).toEqual([...sample.actions.flatMap((a) => [...replyIds(a), ragId(a)]), "lpComment", ...ownIds]);
    expect(buttonTitles(c)).toEqual(["Send my reply", "Update progress"]);
    const a = sample.actions[1]!;
    expect(input(c, `action.${a.id}.response`)).toMatchObject({
      type: "Input.ChoiceSet",
      label: "Your answer on action 2",
      choices: [
        { title: "I accept this action", value: "accept" },
        { title: "I propose a change", value: "change" },
      ],
    });
    expect(input(c, `action.${a.id}.date`)).toMatchObject({ type: "Input.Date", label: "I will complete it by (action 2)" });
    expect(input(c, `action.${a.id}.proposal`)).toMatchObject({ type: "Input.Text", label: "The change I propose (action 2)" });
    expect(input(c, `action.${a.id}.reason`)).toMatchObject({ type: "Input.Text", label: "Why (action 2)" });
    expect(input(c, "lpComment")).toMatchObject({ type: "Input.Text", label: "Your comment on the feedback", isMultiline: true });
    expect(input(c, "own.0.action")).toMatchObject({ type: "Input.Text", label: "Your own action 1" });
    expect(input(c, "own.1.byWhom")).toMatchObject({ type: "Input.Text", label: "By whom (own action 2)" });
    expect(input(c, "own.1.byWhen")).toMatchObject({ type: "Input.Date", label: "By when (own action 2)" });
  });

  it("gives the manager a comment, done or not done per action and RAG, and Send comment, Confirm actions and Update progress", () => {
    const c = expand("feedback", forAudience.manager);
    expect(inputIds(c)).toEqual([...sample.actions.flatMap((a) => [...confirmIds(a), ragId(a)]), "managerComment"]);
    expect(buttonTitles(c)).toEqual(["Send comment", "Confirm actions", "Update progress"]);
    const a = sample.actions[0]!;
    expect(input(c, `action.${a.id}.done`)).toMatchObject({
      type: "Input.ChoiceSet",
      label: "Is action 1 done?",
      choices: [
        { title: "Done", value: "done" },
        { title: "Not done", value: "not-done" },
      ],
    });
    expect(input(c, `action.${a.id}.note`)).toMatchObject({ type: "Input.Text", label: "Note or reason (action 1)" });
    expect(input(c, `action.${a.id}.newDate`)).toMatchObject({ type: "Input.Date", label: "New date if not done (action 1)" });
    expect(input(c, "managerComment")).toMatchObject({ type: "Input.Text", label: "Your comment as manager", isMultiline: true });
  });

  it("offers no done or not done when the grade is good or better (canConfirm false)", () => {
    const c = expand("feedback", { ...forAudience.manager, belowGood: false, canConfirm: false, correctiveDue: "" });
    expect(inputIds(c)).toEqual([...sample.actions.map(ragId), "managerComment"]);
    expect(buttonTitles(c)).toEqual(["Send comment", "Update progress"]);
  });

  it("shows each action's RAG as a choice filled with its current value, in words", () => {
    const c = expand("feedback", forAudience.lp);
    for (const [i, a] of sample.actions.entries()) {
      expect(input(c, ragId(a))).toMatchObject({
        type: "Input.ChoiceSet",
        label: `Progress on action ${i + 1}`,
        value: a.rag,
        choices: [
          { title: "Red: not started", value: "red" },
          { title: "Amber: in progress", value: "amber" },
          { title: "Green: done", value: "green" },
        ],
      });
    }
  });

  it("gives the QA team only Release feedback and Close this audit, which asks why", () => {
    const c = expand("feedback", forAudience.qa);
    expect(buttonTitles(c)).toEqual(["Release feedback", "Close this audit"]);
    expect(inputIds(c)).toEqual(["closeReason"]);
    const close = (c.actions as Json[])[1]!;
    expect(close.type).toBe("Action.ShowCard");
    expect(ofType(close.card as Json, "Input.")).toMatchObject([{ type: "Input.Text", id: "closeReason", label: "Why it can be closed" }]);
    expect(ofType(close.card as Json, "Action.Execute").map((a) => [a.title, a.verb])).toEqual([["Close", VERBS.closeFeedback]]);
  });

  it("gives the auditor the feedback to read, with no inputs and no buttons", () => {
    const c = expand("feedback", forAudience.auditor);
    expect(inputIds(c)).toEqual([]);
    expect(ofType(c, "Action.")).toEqual([]);
    expect(texts(c)).toContain(sample.justification);
  });

  it.each(Object.keys(forAudience) as (keyof typeof forAudience)[])("parses for the %s without warnings", (audience) => {
    const parsed = new AC.AdaptiveCard();
    const context = new AC.SerializationContext(AC.Versions.v1_5);
    parsed.parse(expand("feedback", forAudience[audience]), context);
    const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
    expect([...events, ...parsed.validateProperties().validationEvents.map((e) => e.message)]).toEqual([]);
  });

  it("sends each button's verb with the month, the case and the audit version, so a newer version can be spotted", () => {
    const all = expand("feedback", { ...sample, canReply: true, canComment: true, canConfirm: true, canUpdateRag: true, canRelease: true, canClose: true });
    const executes = ofType(all, "Action.Execute");
    const ids = { month: sample.month, caseRef: sample.caseRef, auditVersion: String(sample.auditVersion) };
    expect(executes.map((a) => [a.title, a.data])).toEqual([
      ["Send my reply", { verb: VERBS.replyFeedback, ...ids }],
      ["Send comment", { verb: VERBS.managerComment, ...ids }],
      ["Confirm actions", { verb: VERBS.confirmActions, ...ids }],
      ["Update progress", { verb: VERBS.updateRag, ...ids }],
      ["Release feedback", { verb: VERBS.releaseFeedback, ...ids }],
      ["Close", { verb: VERBS.closeFeedback, ...ids }],
    ]);
    for (const submit of ofType(all, "Action.Submit")) expect(submit.data).toMatchObject(ids);
    const inputs = ofType(all, "Input.").map((i) => i.id);
    expect(inputs.filter((id, i) => inputs.indexOf(id) !== i)).toEqual([]);
    expect(ofType(all, "Input.").filter((i) => i.isRequired !== undefined)).toEqual([]);
  });
});

describe("the audit decision card", () => {
  const sample: AuditDecisionCardData = SAMPLES["audit-decision"];
  const card = expand("audit-decision", sample);
  const texts = (c: Json) => objectsIn(c).flatMap((o) => (o.type === "TextBlock" ? [o.text] : []));
  const titles = (c: Json) => ((c.actions ?? []) as Json[]).map((a) => a.title);

  it("says which audit needs a decision and why, with the facts and the status in words", () => {
    expect((card.body as Json[])[0]).toMatchObject({ type: "TextBlock", text: `Audit of ${sample.caseRef} needs a decision`, style: "heading" });
    expect(texts(card)).toContain(sample.reason);
    expect(ofType(card, "FactSet").flatMap((f) => f.facts as Json[])).toEqual([
      { title: "Case", value: sample.caseRef },
      { title: "Service area", value: sample.serviceArea },
      { title: "Auditor", value: sample.auditorName },
      { title: "Due", value: sample.dueOn },
      { title: "Status", value: sample.status },
    ]);
  });

  it("asks for the new due date, starting on the suggested one, and marks nothing required", () => {
    expect(ofType(card, "Input.")).toEqual([expect.objectContaining({ type: "Input.Date", id: "newDueOn", label: "New due date", value: sample.suggestedDueOn })]);
    expect(ofType(card, "Input.").filter((i) => i.isRequired !== undefined)).toEqual([]);
  });

  it("extends or reallocates with the month and the case", () => {
    expect(ofType(card, "Action.Execute").map((a) => [a.title, a.verb, a.data])).toEqual([
      ["Extend due date", VERBS.extendAudit, { verb: VERBS.extendAudit, month: sample.month, caseRef: sample.caseRef }],
      ["Reallocate to another auditor", VERBS.reallocateAudit, { verb: VERBS.reallocateAudit, month: sample.month, caseRef: sample.caseRef }],
    ]);
  });

  it("once decided shows the status with no date and no buttons", () => {
    const decided = expand("audit-decision", { ...sample, status: "Due date moved to Monday 11 January 2027 by Kit Morris", canDecide: false });
    expect((decided.body as Json[])[0]).toMatchObject({ text: `Audit of ${sample.caseRef}`, style: "heading" });
    expect(titles(decided)).toEqual([]);
    expect(ofType(decided, "Input.")).toEqual([]);
    expect(ofType(decided, "FactSet").flatMap((f) => f.facts as Json[])).toContainEqual({ title: "Status", value: "Due date moved to Monday 11 January 2027 by Kit Morris" });
    expect(texts(decided)).not.toContain("");
  });
});
