// Loads audit toolkits from JSON files and turns schema failures into one readable sentence per file,
// because the people fixing a council's toolkit file read the message, not a stack trace.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { toolkitSchema, type Toolkit } from "../domain/toolkit";
import { checklistSchema, type Checklist } from "../domain/tier1-checklist";

export const CHECKLIST_SUFFIX = ".checks.json";

/** A toolkit file that cannot be used. `problems` holds each fault, as "field: what is wrong" where a field is at fault. */
export class ToolkitFileError extends Error {
  override readonly name = "ToolkitFileError";

  constructor(
    readonly file: string,
    readonly problems: string[],
    message = `${file}: ${problems.join("; ")}`,
  ) {
    super(message);
  }
}

/** The toolkits shipped with the bot; resolved from this module so it does not depend on the working directory. */
export function defaultToolkitDir(): string {
  return fileURLToPath(new URL("../../cards/toolkits", import.meta.url));
}

export function loadToolkitFile(path: string): Toolkit {
  return loadFile(path, toolkitSchema);
}

/** The Tier 1 checklist: the one *.checks.json in `dir`, else the one shipped with the bot. */
export function loadChecklist(dir: string): Checklist {
  const names = readdirSync(dir).filter((n) => n.endsWith(CHECKLIST_SUFFIX)).sort();
  if (names.length > 1) throw new ToolkitFileError(join(dir, names[1]!), [`only one Tier 1 checklist may be loaded (also ${names[0]})`]);
  const path = names[0] ? join(dir, names[0]) : join(defaultToolkitDir(), "tier1-quality-control.checks.json");
  return loadFile(path, checklistSchema);
}

export function loadFile<T>(path: string, schema: { safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }): T {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const problem = `cannot be read (${describe(err)})`;
    throw new ToolkitFileError(path, [problem], `${path} ${problem}`);
  }

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const problem = `is not valid JSON (${describe(err)})`;
    throw new ToolkitFileError(path, [problem], `${path} ${problem}`);
  }

  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path.map(String).join(".");
      return field ? `${field}: ${issue.message}` : issue.message;
    });
    throw new ToolkitFileError(path, problems);
  }
  return parsed.data;
}

/** Every *.json toolkit in `dir`, keyed by toolkit id, in file-name order so loading is repeatable. */
export function loadToolkits(dir: string): Map<string, Toolkit> {
  const files = readdirSync(dir)
    // A "*.checks.json" file is the Tier 1 checklist, with a schema of its own (loadChecklist).
    .filter((name) => name.endsWith(".json") && !name.endsWith(CHECKLIST_SUFFIX))
    .sort();
  const toolkits = new Map<string, Toolkit>();
  const fileOfId = new Map<string, string>();
  for (const name of files) {
    const path = join(dir, name);
    const toolkit = loadToolkitFile(path);
    const earlier = fileOfId.get(toolkit.id);
    if (earlier !== undefined) {
      // Answers are stored against the toolkit id, so two files sharing one would mix their audits.
      throw new ToolkitFileError(path, [`id: duplicate toolkit id "${toolkit.id}" (already used by ${earlier})`]);
    }
    fileOfId.set(toolkit.id, path);
    toolkits.set(toolkit.id, toolkit);
  }
  return toolkits;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
