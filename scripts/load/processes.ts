// The load run's child processes (Azurite, the bot) and their memory as Linux reports it: VmRSS now, VmHWM the peak
// resident set since the process started (the kernel keeps it, so no sample can miss a short spike).
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Peak and current resident set of a process in MB, from /proc (Linux); undefined elsewhere or once it has gone. */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { peakMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
  } catch {
    return undefined;
  }
}

/** A TypeScript entry run with tsx in its own Node process. */
export function spawnTs(entry: string, env: NodeJS.ProcessEnv, stdio: ("ignore" | "pipe" | "ipc" | "inherit")[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", entry], { cwd: ROOT, env, stdio });
}

export async function startAzuriteProcess(): Promise<{ connectionString: string; pid: number; close(): Promise<void> }> {
  const child = spawnTs("scripts/load/azurite-child.ts", process.env, ["ignore", "pipe", "inherit", "ipc"]);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const connectionString = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      text += chunk;
      const line = text.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve((JSON.parse(line) as { connectionString: string }).connectionString);
    });
    void exited.then(() => reject(new Error("Azurite exited before it started")));
  });
  return {
    connectionString,
    pid: child.pid!,
    async close() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
