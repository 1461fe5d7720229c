// What an audit toolkit is: sections, questions, guidance, answer scales and grade rules.
// Toolkits are data (cards/toolkits/*.json); this schema is the contract a council's own file must meet.
import { z } from "zod";

export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and hyphens only");
const id = idSchema;

/** What every council-editable file (toolkit, Tier 1 checklist, stage) starts with: which it is, and where from. */
export const documentHeader = {
  id: idSchema,
  name: z.string().min(1).max(120),
  version: z.number().int().positive(),
  source: z.string().min(1),
};

/** One choice on an answer or grade scale. `score` feeds averages; null means "not counted" (for example Not applicable). */
export const scaleOptionSchema = z.object({
  value: id,
  label: z.string().min(1).max(75),
  score: z.number().nullable(),
  /** True where this answer is below the council's "good" benchmark: it drives themes and corrective action. */
  belowGood: z.boolean(),
  description: z.string().optional(),
});

export const scaleSchema = z.object({
  id,
  options: z.array(scaleOptionSchema).min(2),
});

export const commentRuleSchema = z.object({
  required: z.boolean(),
  minLength: z.number().int().min(0).max(3000),
  prompt: z.string().min(1).default("Evidence for your answer"),
});

export const questionSchema = z.object({
  id,
  /** The label auditors know the question by, for example "3b". */
  number: z.string().min(1).max(8),
  text: z.string().min(1),
  guidance: z.string().default(""),
  scale: id,
  comment: commentRuleSchema,
});

export const sectionSchema = z.object({
  id,
  number: z.number().int().positive(),
  title: z.string().min(1).max(120),
  intro: z.string().default(""),
  /** A section that only applies to some cases, for example step-downs; the auditor may mark it not applicable. */
  appliesWhen: z.enum(["always", "step_down"]).default("always"),
  questions: z.array(questionSchema).min(1),
  /** The auditor's short overview of the section: the narrative read beside the grades. */
  overview: z.object({
    prompt: z.string().min(1),
    guidance: z.string().default(""),
    required: z.boolean(),
    minLength: z.number().int().min(0).max(3000),
  }),
});

export const toolkitSchema = z
  .object({
    ...documentHeader,
    notesForAuditor: z.string().default(""),
    scales: z.array(scaleSchema).min(1),
    sections: z.array(sectionSchema).min(1),
    overall: z.object({
      scale: id,
      prompt: z.string().min(1),
      justification: z.object({ required: z.boolean(), minLength: z.number().int().min(0).max(3000) }),
    }),
    agreedActions: z.object({
      prompt: z.string().min(1),
      columns: z.object({ action: z.string(), byWhom: z.string(), byWhen: z.string() }),
      /** At least this many actions when the overall grade is below good. */
      minWhenBelowGood: z.number().int().min(0),
    }),
  })
  .superRefine((toolkit, ctx) => {
    const scaleIds = new Set(toolkit.scales.map((s) => s.id));
    if (!scaleIds.has(toolkit.overall.scale)) {
      ctx.addIssue({ code: "custom", path: ["overall", "scale"], message: `unknown scale "${toolkit.overall.scale}"` });
    }
    const seen = new Set<string>();
    toolkit.sections.forEach((section, s) => {
      if (seen.has(section.id)) {
        ctx.addIssue({ code: "custom", path: ["sections", s, "id"], message: `duplicate section id "${section.id}"` });
      }
      seen.add(section.id);
      section.questions.forEach((question, q) => {
        const key = `${section.id}/${question.id}`;
        if (seen.has(key)) {
          ctx.addIssue({ code: "custom", path: ["sections", s, "questions", q, "id"], message: `duplicate question id "${question.id}"` });
        }
        seen.add(key);
        if (!scaleIds.has(question.scale)) {
          ctx.addIssue({ code: "custom", path: ["sections", s, "questions", q, "scale"], message: `unknown scale "${question.scale}"` });
        }
      });
    });
  });

export type ScaleOption = z.infer<typeof scaleOptionSchema>;
export type Scale = z.infer<typeof scaleSchema>;
export type Question = z.infer<typeof questionSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type Toolkit = z.infer<typeof toolkitSchema>;

export function findScale(toolkit: Toolkit, scaleId: string): Scale {
  const scale = toolkit.scales.find((s) => s.id === scaleId);
  // The schema guarantees every referenced scale exists, so a miss is a programming error.
  if (!scale) throw new Error(`toolkit ${toolkit.id} has no scale ${scaleId}`);
  return scale;
}

/** What a person reads for a value on a scale; undefined when the value is not on it (the caller says what shows). */
export function optionLabel(toolkit: Toolkit, scaleId: string, value: string | null | undefined): string | undefined {
  return findScale(toolkit, scaleId).options.find((o) => o.value === value)?.label;
}
