// Loads the optional stages' files (self-assessment, supervision), checked against their schemas (and the
// self-assessment's against the toolkit its questions come from), so a council's edited file fails at start-up with
// a sentence naming the fault, never half-way through a month.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { selfAssessmentStageSchema, stageProblems, type SelfAssessmentStage } from "../domain/self-assessment";
import { supervisionStageSchema, type SupervisionStage } from "../domain/supervision";
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

export function defaultSupervisionFile(): string {
  return fileURLToPath(new URL("../../cards/stages/supervision.json", import.meta.url));
}

export function loadSupervisionStage(path: string): SupervisionStage {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ToolkitFileError(path, [`cannot be read as JSON (${err instanceof Error ? err.message : String(err)})`]);
  }
  const parsed = supervisionStageSchema.safeParse(data);
  if (!parsed.success) throw new ToolkitFileError(path, parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)));
  return parsed.data;
}
