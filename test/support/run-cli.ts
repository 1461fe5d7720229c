// Runs the installed `caf-audit` command (bin/caf-audit.js) as a child process, the way the QA team runs it.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The project root: bin/ and examples/ are resolved from here, and the command runs with it as cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/caf-audit.js ...args` and resolves with its exit code and output; never rejects on a non-zero exit.
 * The child gets this process's environment without any CAF_* or AZURE_TABLES_* setting of the machine running the
 * tests, plus `env` (a value of undefined leaves the variable unset).
 */
export function runCli(args: readonly string[], env: Record<string, string | undefined> = {}, timeoutMs = 60_000): Promise<CliRun> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("CAF_") && !k.startsWith("AZURE_TABLES_") && k !== "LOG_LEVEL"),
  );
  const childEnv: NodeJS.ProcessEnv = { ...base };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["bin/caf-audit.js", ...args],
      { cwd: PROJECT_ROOT, env: childEnv, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          // Not an exit code: the command could not start, or was killed (timeout).
          reject(new Error(`caf-audit ${args.join(" ")} did not finish: ${error.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}
