// The shipped toolkits load, and a broken toolkit file is refused with a message naming the file and field.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultToolkitDir, loadChecklist, loadToolkitFile, loadToolkits, ToolkitFileError } from "../../src/toolkits/load-toolkits";

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "toolkits-"));
  tempDirs.push(dir);
  return dir;
}

/** A small valid toolkit as raw JSON data, for tests to break one field at a time. */
function rawToolkit(id = "mini"): Record<string, unknown> {
  const scale = {
    id: "grade",
    options: [
      { value: "good", label: "Good", score: 2, belowGood: false },
      { value: "poor", label: "Poor", score: 1, belowGood: true },
    ],
  };
  const question = (qid: string) => ({
    id: qid,
    number: qid,
    text: `Question ${qid}`,
    scale: "grade",
    comment: { required: true, minLength: 20 },
  });
  return {
    id,
    name: "Mini toolkit",
    version: 1,
    source: "test",
    scales: [scale],
    sections: [1, 2, 3].map((n) => ({
      id: `s${n}`,
      number: n,
      title: `Section ${n}`,
      questions: [question(`${n}a`)],
      overview: { prompt: "Overview", required: true, minLength: 20 },
    })),
    overall: { scale: "grade", prompt: "Overall", justification: { required: true, minLength: 50 } },
    agreedActions: { prompt: "Actions", columns: { action: "Action", byWhom: "By whom", byWhen: "By when" }, minWhenBelowGood: 1 },
  };
}

function writeJson(dir: string, name: string, data: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(data, null, 2));
  return path;
}

function errorOf(fn: () => unknown): ToolkitFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ToolkitFileError) return err;
    throw err;
  }
  throw new Error("expected a ToolkitFileError");
}

describe("shipped toolkits", () => {
  const toolkits = loadToolkits(defaultToolkitDir());

  it("loads both shipped toolkits by id", () => {
    expect([...toolkits.keys()].sort()).toEqual(["case-file-audit-2016", "tier2-caf"]);
  });

  it("Tier 2 CAF has sections 1-5 with 1, 5, 13, 8 and 2 graded questions", () => {
    const tier2 = toolkits.get("tier2-caf")!;
    expect(tier2.sections.map((s) => s.number)).toEqual([1, 2, 3, 4, 5]);
    expect(tier2.sections.map((s) => s.questions.length)).toEqual([1, 5, 13, 8, 2]);
    expect(tier2.sections[2]!.questions.map((q) => q.number)).toEqual(
      ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"].map((l) => `3${l}`),
    );
  });

  it("Tier 2 CAF models 3n and 4i as section overviews, not graded questions", () => {
    const tier2 = toolkits.get("tier2-caf")!;
    const numbers = tier2.sections.flatMap((s) => s.questions.map((q) => q.number));
    expect(numbers).not.toContain("3n");
    expect(numbers).not.toContain("4i");
    expect(tier2.sections[2]!.overview.prompt).toMatch(/short overview in relation to this section/);
    expect(tier2.sections[3]!.overview.prompt).toMatch(/short summary in relation to the TAF plan/);
  });

  it("Tier 2 CAF section 2 applies only to step-downs and every comment is required", () => {
    const tier2 = toolkits.get("tier2-caf")!;
    expect(tier2.sections.map((s) => s.appliesWhen)).toEqual(["always", "step_down", "always", "always", "always"]);
    for (const q of tier2.sections.flatMap((s) => s.questions)) {
      expect(q.comment).toMatchObject({ required: true, minLength: 20 });
    }
  });

  it("Tier 2 CAF does not name individual staff", () => {
    const text = readFileSync(join(defaultToolkitDir(), "tier2-caf.json"), "utf8");
    expect(text).not.toMatch(/Lysons/);
  });

  it("case file audit 2016 has 4 sections with 12 graded fields", () => {
    const audit = toolkits.get("case-file-audit-2016")!;
    expect(audit.sections.map((s) => s.questions.length)).toEqual([2, 2, 4, 4]);
    expect(audit.overall.scale).toBe("quality-overall");
  });

  it("case file audit 2016 offers Not applicable only for reviews, permanence, placement and independence", () => {
    const audit = toolkits.get("case-file-audit-2016")!;
    const withNa = audit.sections
      .flatMap((s) => s.questions)
      .filter((q) => audit.scales.find((sc) => sc.id === q.scale)!.options.some((o) => o.value === "not-applicable"))
      .map((q) => q.id);
    expect(withNa.sort()).toEqual(["independence", "permanence", "placement", "reviews"]);
  });
});

describe("loading a toolkit file", () => {
  it("names the file and the dotted field path of an unknown scale", () => {
    const data = rawToolkit();
    (data.sections as { questions: { scale: string }[] }[])[2]!.questions[0]!.scale = "foo";
    const path = writeJson(tempDir(), "broken.json", data);
    const err = errorOf(() => loadToolkitFile(path));
    expect(err.message).toBe(`${path}: sections.2.questions.0.scale: unknown scale "foo"`);
  });

  it("lists every schema problem in one message, separated by semicolons", () => {
    const data = rawToolkit();
    data.version = 0;
    data.name = "";
    const path = writeJson(tempDir(), "two-faults.json", data);
    const err = errorOf(() => loadToolkitFile(path));
    expect(err.message.startsWith(`${path}: `)).toBe(true);
    expect(err.message).toContain("name: ");
    expect(err.message).toContain("version: ");
    expect(err.message.split("; ")).toHaveLength(2);
    expect(err.problems).toHaveLength(2);
  });

  it("says a file is not valid JSON", () => {
    const path = join(tempDir(), "bad.json");
    writeFileSync(path, "{ not json");
    const err = errorOf(() => loadToolkitFile(path));
    expect(err.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid JSON`));
  });

  it("refuses two files with the same toolkit id, naming both", () => {
    const dir = tempDir();
    const first = writeJson(dir, "a.json", rawToolkit("same"));
    const second = writeJson(dir, "b.json", rawToolkit("same"));
    const err = errorOf(() => loadToolkits(dir));
    expect(err.message).toContain(second);
    expect(err.message).toContain(first);
    expect(err.message).toContain('duplicate toolkit id "same"');
  });

  it("reads only .json files, in file-name order", () => {
    const dir = tempDir();
    writeJson(dir, "b.json", rawToolkit("beta"));
    writeJson(dir, "a.json", rawToolkit("alpha"));
    writeFileSync(join(dir, "notes.txt"), "not a toolkit");
    expect([...loadToolkits(dir).keys()]).toEqual(["alpha", "beta"]);
  });
});

describe("the Tier 1 checklist file", () => {
  const shipped = () => JSON.parse(readFileSync(join(defaultToolkitDir(), "tier1-quality-control.checks.json"), "utf8"));

  it("is left out of the audit toolkits and loaded on its own; a folder without one uses the shipped file", () => {
    const dir = tempDir();
    writeJson(dir, "a.json", rawToolkit("alpha"));
    expect([...loadToolkits(defaultToolkitDir()).keys()]).not.toContain("tier1-quality-control");
    expect(loadChecklist(dir).id).toBe("tier1-quality-control");
  });

  it("uses a council's own file, and refuses a broken one naming the field", () => {
    const dir = tempDir();
    writeJson(dir, "ours.checks.json", { ...shipped(), id: "ours" });
    expect(loadChecklist(dir).id).toBe("ours");
    const broken = tempDir();
    const data = shipped();
    data.events[0].checks[1].id = data.events[0].checks[0].id;
    writeJson(broken, "ours.checks.json", data);
    expect(errorOf(() => loadChecklist(broken)).message).toContain("events.0.checks.1.id: duplicate check id");
  });

  it("refuses two checklists in one folder", () => {
    const dir = tempDir();
    writeJson(dir, "a.checks.json", shipped());
    writeJson(dir, "b.checks.json", shipped());
    expect(errorOf(() => loadChecklist(dir)).message).toContain("only one Tier 1 checklist may be loaded");
  });
});
