// Reads what a card sent back: the ids on its button and the values of its inputs, checked before use.
import { z } from "zod";
import type { FinalAnswers, SectionAnswers } from "../../domain/answers";
import type { Section } from "../../domain/toolkit";
import { hasControlCharacter } from "../../domain/text";

// The storage keys refuse control characters, so a card naming one is out of date, not an error.
const noControl = (s: string) => !hasControlCharacter(s);

export const auditRefSchema = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  caseRef: z.string().min(1).max(100).refine(noControl),
});

export const MAX_TEXT = 5000;

/** A card input's value when it is text, else "": what a button's data and a form's fields arrive as. */
export const stringInput = (data: Record<string, unknown>, key: string): string => (typeof data[key] === "string" ? (data[key] as string) : "");

const text = (data: Record<string, unknown>, key: string): string => {
  const v = data[key];
  // Long text is kept (never silently cut) and refused by the length check, so the person can shorten it.
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "";
};

export function readSectionInput(section: Section, data: Record<string, unknown>): SectionAnswers {
  const answers: SectionAnswers["answers"] = {};
  for (const q of section.questions) {
    answers[q.id] = { value: text(data, `${q.id}.answer`).trim(), comment: text(data, `${q.id}.comment`) };
  }
  const na = text(data, "notApplicable");
  return { answers, overview: text(data, "overview"), ...(na === "true" ? { notApplicable: true } : {}) };
}

export function readFinalInput(data: Record<string, unknown>): FinalAnswers {
  const actions: FinalAnswers["actions"] = [];
  for (let i = 0; i < 20; i++) {
    const row = { action: text(data, `actions.${i}.action`).trim(), byWhom: text(data, `actions.${i}.byWhom`).trim(), byWhen: text(data, `actions.${i}.byWhen`).trim() };
    if (data[`actions.${i}.action`] === undefined && data[`actions.${i}.byWhom`] === undefined && data[`actions.${i}.byWhen`] === undefined) break;
    actions.push(row);
  }
  return { overallGrade: text(data, "grade").trim(), justification: text(data, "justification"), actions };
}

/** Fields over the length any form allows: refused with a sentence beside the field, the text kept. */
export function overlongInputs(data: Record<string, unknown>): { field: string; code: string; message: string }[] {
  return Object.entries(data)
    .filter(([, v]) => typeof v === "string" && v.length > MAX_TEXT)
    .map(([field, v]) => ({ field, code: "text_too_long", message: `Shorten this to ${MAX_TEXT} characters or fewer (it has ${(v as string).length}).` }));
}
