// Runs one CLI command: settings, storage, and one clear sentence for any failure instead of a stack trace.
import { ConfigError, loadConfig, type AppConfig } from "../config";
import { StorageError, type ErrorCode } from "../app/errors";
import { createLogger, type Logger } from "../logger";
import { KeyError } from "../storage/keys";
import { openStorage } from "../storage/open-storage";
import { ValueTooLongError } from "../storage/values";
import { ToolkitFileError } from "../toolkits/load-toolkits";
import { createCore, type Core } from "../wiring";
import type { Tables } from "../storage/tables";

export interface CliContext {
  config: AppConfig;
  tables: Tables;
  core: Core;
  log: Logger;
  out: (line: string) => void;
  actor: string;
}

/** Exit codes: 0 done, 1 refused or failed, 2 done but some rows were rejected. */
export async function runCli(command: (ctx: CliContext) => Promise<number>): Promise<void> {
  let log: Logger | undefined;
  let close = async () => {};
  try {
    const config = loadConfig();
    log = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : "warn");
    const storage = await openStorage(config);
    close = storage.close;
    if (storage.mode !== "configured") {
      const where = storage.mode === "local-started" ? `started here, data in ${config.CAF_DATA_DIR}/azurite` : "shared with the running bot";
      process.stderr.write(`Using local storage: Azurite on port ${config.CAF_LOCAL_TABLES_PORT} (${where}). Set AZURE_TABLES_ENDPOINT (managed identity) or AZURE_TABLES_CONNECTION_STRING for Azure.\n`);
      log.info({ code: "storage_local", mode: storage.mode, port: config.CAF_LOCAL_TABLES_PORT }, "using local Azurite");
    }
    const actor = process.env.CAF_ACTOR ?? `cli:${process.env.USER ?? "unknown"}`;
    const core = createCore(storage.tables, config);
    process.exitCode = await command({ config, tables: storage.tables, core, log, out: (line) => process.stdout.write(line + "\n"), actor });
  } catch (err) {
    process.stderr.write(sentenceFor(err) + "\n");
    // Known faults are logged by code and cause, without a stack: the sentence above already told the person.
    const known = codeOf(err) !== "internal_error";
    log?.error({ code: codeOf(err), cause: known ? causeOf(err) : undefined, err: known ? undefined : err }, "command failed");
    process.exitCode = 1;
  } finally {
    await close().catch(() => {});
  }
}

function sentenceFor(err: unknown): string {
  if (err instanceof ConfigError || err instanceof StorageError || err instanceof KeyError || err instanceof ValueTooLongError || err instanceof ToolkitFileError) {
    return err.message;
  }
  return `Something went wrong (internal_error): ${err instanceof Error ? err.message : String(err)}. Nothing was half-written; try again, and report it if it happens again.`;
}

function causeOf(err: unknown): string | undefined {
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : undefined;
}

function codeOf(err: unknown): ErrorCode {
  if (err instanceof ConfigError || err instanceof StorageError || err instanceof KeyError || err instanceof ValueTooLongError) return err.code;
  return err instanceof ToolkitFileError ? "toolkit_invalid" : "internal_error";
}
