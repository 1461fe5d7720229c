// What the Tier 1 quality-control checklist is: per event kind (CAF assessment, TAF review, closure), the mandatory
// fields asked as yes / no / not applicable. Data (cards/toolkits/*.checks.json); this schema is its contract.
// Its own schema because the Tier 2 one grades questions on scales with sections and evidence, and these are ticks.
import { z } from "zod";
import { documentHeader, idSchema } from "./toolkit";

export const EVENT_KINDS = ["assessment", "taf_review", "closure"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const CHECK_ANSWERS = ["yes", "no", "not_applicable"] as const;
export type CheckAnswer = (typeof CHECK_ANSWERS)[number];

const id = idSchema;

export const checkSchema = z.object({
  id,
  /** The field's short name: what the lead professional's notice lists when it is missing. */
  label: z.string().min(1).max(60),
  text: z.string().min(1).max(300),
  /** False where the field is mandatory for every case of this kind, so "not applicable" is not offered. */
  notApplicableAllowed: z.boolean(),
});

export const checklistSchema = z
  .object({
    ...documentHeader,
    intro: z.string().default(""),
    comment: z.object({ label: z.string().min(1).max(100), maxLength: z.number().int().min(1).max(3000) }),
    events: z.array(z.object({ kind: z.enum(EVENT_KINDS), label: z.string().min(1).max(60), checks: z.array(checkSchema).min(1).max(20) })),
  })
  .superRefine((c, ctx) => {
    for (const kind of EVENT_KINDS) {
      const n = c.events.filter((e) => e.kind === kind).length;
      if (n !== 1) ctx.addIssue({ code: "custom", path: ["events"], message: `needs exactly one list of checks for ${kind} (found ${n})` });
    }
    c.events.forEach((e, i) => {
      const seen = new Set<string>();
      e.checks.forEach((check, j) => {
        if (seen.has(check.id)) ctx.addIssue({ code: "custom", path: ["events", i, "checks", j, "id"], message: `duplicate check id "${check.id}" for ${e.kind}` });
        seen.add(check.id);
      });
    });
  });

export type Checklist = z.infer<typeof checklistSchema>;
export type Check = z.infer<typeof checkSchema>;

export function checksFor(checklist: Checklist, kind: EventKind): { label: string; checks: Check[] } {
  const e = checklist.events.find((x) => x.kind === kind)!;
  return { label: e.label, checks: e.checks };
}
