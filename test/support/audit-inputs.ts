// The Tier 2 toolkit as end-to-end tests fill it in (its sections and valid answers, as the cards send them back),
// and the example people and cases from examples/ loaded into a harness.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import type { Harness } from "./bot-harness";

export interface ToolkitFile {
  name: string;
  sections: {
    id: string;
    number: number;
    title: string;
    appliesWhen?: string;
    questions: { id: string; number: string; comment: { minLength: number } }[];
    overview: { minLength: number };
  }[];
  overall: { justification: { minLength: number } };
}

export const TOOLKIT = JSON.parse(readFileSync("cards/toolkits/tier2-caf.json", "utf8")) as ToolkitFile;
export const SECTIONS = TOOLKIT.sections;

/** The text with dots added until it is at least `min` characters long. */
export const pad = (text: string, min: number) => (text.length >= min ? text : text + ".".repeat(min - text.length));

/**
 * Valid inputs for a whole section of the Tier 2 toolkit, as the section card sends them back. With `mark`, every
 * free text starts with a fresh marker (ZEBRA-1, ZEBRA-2, ...), so a privacy test can search for any of them.
 */
export function sectionAnswers(sectionId: string, grade = "good", mark?: () => string): Record<string, string> {
  const section = SECTIONS.find((s) => s.id === sectionId);
  if (!section) throw new Error(`no section ${sectionId}`);
  const inputs: Record<string, string> = {};
  for (const q of section.questions) {
    inputs[`${q.id}.answer`] = grade;
    const comment = mark ? `${mark()} the file shows what was done for the child and why` : `Question ${q.number}: the file shows what was done for the child and why.`;
    inputs[`${q.id}.comment`] = pad(comment, Math.max(20, q.comment.minLength));
  }
  const overview = mark ? `${mark()} overview: the child's voice is clear here` : `Section ${section.number} overview: well recorded, the child's voice is clear.`;
  inputs.overview = pad(overview, Math.max(20, section.overview.minLength));
  if (section.appliesWhen === "step_down") inputs.notApplicable = "false";
  return inputs;
}

export const JUSTIFICATION = "The assessment is sound but the TAF plan is not reviewed often enough and the child's voice fades later on.";

/** What the final card sends back: a grade, a justification and the three action rows (blank ones included). */
export function finalInputs(grade = "requires-improvement"): Record<string, string> {
  return {
    grade,
    justification: JUSTIFICATION,
    "actions.0.action": "Hold a TAF review and record the child's views in it",
    "actions.0.byWhom": "Lead professional",
    "actions.0.byWhen": "2027-01-29",
    "actions.1.action": "",
    "actions.1.byWhom": "",
    "actions.1.byWhen": "",
    "actions.2.action": "",
    "actions.2.byWhom": "",
    "actions.2.byWhen": "",
  };
}

/** Imports examples/people.csv and examples/cases.csv. */
export async function loadExamples(h: Harness): Promise<void> {
  await importPeople(h.core, await readFile("examples/people.csv"), "test");
  await importCases(h.core, await readFile("examples/cases.csv"), "test");
}
