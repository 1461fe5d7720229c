// `npm start` as a newcomer sees it: one terminal, with the bot's log and the Playground's address in it. The log
// is readable lines (not JSON) at info, and the address block comes after the startup lines, so it is what is on
// screen when they look. stdout and stderr are merged here, in the order the terminal would show them.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { PROJECT_ROOT } from "../support/run-cli";
import { uniquePrefix } from "../support/tables";

const ADDRESS = /Open the Microsoft 365 Agents Playground at http:\/\/localhost:(\d+)/;
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("npm start in a terminal", () => {
  it("prints readable log lines at info, then the Playground's address, which answers", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "caf-start-"));
    dirs.push(dataDir);
    const playgroundPort = await freePort();
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CAF_|AZURE_TABLES_|LOG_|NODE_ENV$)/.test(k)));
    const child = spawn("sh", ["-c", `exec "${process.execPath}" node_modules/tsx/dist/cli.mjs scripts/start.ts 2>&1`], {
      cwd: PROJECT_ROOT,
      env: { ...base, AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: uniquePrefix(), CAF_DATA_DIR: dataDir, PORT: "0", PLAYGROUND_PORT: String(playgroundPort), CAF_SCHEDULER: "off" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let screen = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (screen += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const until = Date.now() + 60_000;
      while (!ADDRESS.test(screen) && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      expect(screen, screen).toMatch(ADDRESS);
      const lines = screen.split("\n");
      const addressAt = lines.findIndex((l) => ADDRESS.test(l));
      const logLines = lines.filter((l) => /^\[\d\d:\d\d:\d\d\] (INFO|WARN|ERROR)/.test(l));
      expect(lines.filter((l) => l.trimStart().startsWith("{")), "no JSON log lines").toEqual([]);
      expect(logLines.some((l) => l.includes("INFO: demo month ready")), screen).toBe(true);
      expect(logLines.some((l) => l.includes("INFO: bot listening on http://localhost:")), screen).toBe(true);
      expect(addressAt, "the address comes after the startup lines").toBeGreaterThan(lines.findIndex((l) => l.includes("bot listening on")));
      const playground = await fetch(`http://127.0.0.1:${playgroundPort}/`);
      expect(playground.status).toBeLessThan(500);
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  }, 90_000);
});
