// Loads the self-assessment stage file: checked against its schema and against the toolkit its questions come from,
// so a council's edited file fails at start-up with a sentence naming the fault, never half-way through a month.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { selfAssessmentStageSchema, stageProblems, type SelfAssessmentStage } from "../domain/self-assessment";
import type { Toolkit } from "../domain/toolkit";
import { ToolkitFileError } from "./load-toolkits";

export function defaultSelfAssessmentFile(): string {
  return fileURLToPath(new URL("../../cards/stages/self-assessment.json", import.meta.url));
}

export function loadSelfAssessmentStage(path: string, toolkits: ReadonlyMap<string, Toolkit>): SelfAssessmentStage {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ToolkitFileError(path, [`cannot be read as JSON (${err instanceof Error ? err.message : String(err)})`]);
  }
  const parsed = selfAssessmentStageSchema.safeParse(data);
  if (!parsed.success) throw new ToolkitFileError(path, parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)));
  const problems = stageProblems(parsed.data, toolkits);
  if (problems.length > 0) throw new ToolkitFileError(path, problems);
  return parsed.data;
}
