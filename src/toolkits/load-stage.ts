// Loads the optional stages' files (self-assessment, supervision), checked against their schemas (and the
// self-assessment's against the toolkit its questions come from), so a council's edited file fails at start-up with
// a sentence naming the fault, never half-way through a month.
import { fileURLToPath } from "node:url";
import { selfAssessmentStageSchema, stageProblems, type SelfAssessmentStage } from "../domain/self-assessment";
import { supervisionStageSchema, type SupervisionStage } from "../domain/supervision";
import type { Toolkit } from "../domain/toolkit";
import { loadFile, ToolkitFileError } from "./load-toolkits";

export function defaultSelfAssessmentFile(): string {
  return fileURLToPath(new URL("../../cards/stages/self-assessment.json", import.meta.url));
}

export function defaultSupervisionFile(): string {
  return fileURLToPath(new URL("../../cards/stages/supervision.json", import.meta.url));
}

export function loadSelfAssessmentStage(path: string, toolkits: ReadonlyMap<string, Toolkit>): SelfAssessmentStage {
  const stage = loadFile(path, selfAssessmentStageSchema);
  const problems = stageProblems(stage, toolkits);
  if (problems.length > 0) throw new ToolkitFileError(path, problems);
  return stage;
}

export function loadSupervisionStage(path: string): SupervisionStage {
  return loadFile(path, supervisionStageSchema);
}
