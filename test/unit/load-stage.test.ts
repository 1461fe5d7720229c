// The optional stages' files are data a council edits: the shipped ones load, and a broken one fails at start-up
// with a sentence naming the file and the fault.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultSelfAssessmentFile, defaultSupervisionFile, loadSelfAssessmentStage, loadSupervisionStage } from "../../src/toolkits/load-stage";
import { defaultToolkitDir, loadToolkits, ToolkitFileError } from "../../src/toolkits/load-toolkits";

const toolkits = loadToolkits(defaultToolkitDir());
const dir = mkdtempSync(join(tmpdir(), "caf-stage-"));
const file = (name: string, data: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof data === "string" ? data : JSON.stringify(data));
  return path;
};
const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof ToolkitFileError) return err;
    throw err;
  }
  throw new Error("expected a ToolkitFileError");
};

describe("the stage files", () => {
  it("the shipped self-assessment and supervision files load", () => {
    expect(loadSelfAssessmentStage(defaultSelfAssessmentFile(), toolkits).questions.length).toBeGreaterThan(0);
    expect(loadSupervisionStage(defaultSupervisionFile()).items.length).toBeGreaterThan(0);
  });

  it("a self-assessment question the toolkit does not have is named", () => {
    const shipped = loadSelfAssessmentStage(defaultSelfAssessmentFile(), toolkits);
    const path = file("self.json", { ...shipped, questions: [...shipped.questions, { section: "assessment", question: "no-such-question" }] });
    expect(errorOf(() => loadSelfAssessmentStage(path, toolkits)).message).toBe(`${path}: question assessment/no-such-question is not in tier2-caf`);
  });

  it("a supervision file with two items of one id, or that is not JSON, fails with a sentence", () => {
    const shipped = loadSupervisionStage(defaultSupervisionFile());
    const twice = file("sup.json", { ...shipped, items: [shipped.items[0], shipped.items[0]] });
    expect(errorOf(() => loadSupervisionStage(twice)).message).toContain("items: each item needs its own id");
    expect(errorOf(() => loadSupervisionStage(file("bad.json", "{ not json"))).message).toContain("is not valid JSON");
  });
});
