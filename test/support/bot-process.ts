// The bot as a real child process (`caf-audit serve`, as App Service runs it) on the shared Azurite, for tests that
// kill it; and people made reachable on the loopback connector without a turn (the conversation reference an install
// would have stored).
import { spawn, type ChildProcess } from "node:child_process";
import { inject } from "vitest";
import type { Core } from "../../src/wiring";
import type { LoopbackConnector } from "./loopback-connector";
import { PROJECT_ROOT } from "./run-cli";
import { conversationReference, teamsUser, type TeamsUser } from "./teams-activities";

export interface BotProcess {
  url: string;
  child: ChildProcess;
  /** Every log line so far (JSON, stderr). */
  log: string[];
  /** SIGKILL: no handler runs, nothing is drained. Resolves when the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, the graceful stop. */
  stop(): Promise<void>;
}

/** Starts `node bin/caf-audit.js serve` on the tables with this prefix; resolves once it listens. */
export async function startBotProcess(prefix: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<BotProcess> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("CAF_") && !k.startsWith("AZURE_TABLES_") && k !== "LOG_LEVEL"));
  const child = spawn(process.execPath, ["bin/caf-audit.js", "serve"], {
    cwd: PROJECT_ROOT,
    env: { ...base, AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: prefix, PORT: "0", LOG_LEVEL: "info", LOG_FORMAT: "json", CAF_SCHEDULER: "off", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const log: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not start within ${timeoutMs} ms:\n${log.join("\n")}`)), timeoutMs);
    let rest = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        log.push(line);
        const port = /"code":"bot_started","port":(\d+)/.exec(line)?.[1];
        if (port) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${port}`);
        }
      }
    });
    void exited.then(() => reject(new Error(`the bot exited before it started:\n${log.join("\n")}`)));
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { url, child, log, kill: () => signal("SIGKILL"), stop: () => signal("SIGTERM") };
}

/** A person the bot can write to: a Teams member of the connector, with the conversation reference an install stores. */
export async function reachable(core: Core, connector: LoopbackConnector, name: string, email: string): Promise<TeamsUser> {
  const user = teamsUser(name);
  connector.addMember({ id: user.id, aadObjectId: user.aadObjectId, name, email });
  const address = conversationReference(user, connector.url);
  await core.directory.saveIdentity(email, { channel: "teams", userKey: user.aadObjectId, address, learntAt: new Date().toISOString() });
  return user;
}
