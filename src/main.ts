// Wiring for the long-running bot: settings -> storage -> core -> channels -> HTTP server. Ctrl-C stops it cleanly.
import { loadConfig, type AppConfig } from "./config";
import { createLogger, logFormatFor, type Logger } from "./logger";
import type { RunningBot } from "./server";
import { openStorage, type OpenedStorage } from "./storage/open-storage";
import { startTelemetry } from "./telemetry";

export interface Serving {
  bot: RunningBot;
  storage: OpenedStorage;
  config: AppConfig;
  log: Logger;
  stop(): Promise<void>;
}

export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<Serving> {
  const config = loadConfig(env);
  const log = createLogger(config.LOG_LEVEL, undefined, logFormatFor(env));
  const telemetry = await startTelemetry(env, log);
  // Imported only now, so that telemetry's hooks see express and botbuilder load (see src/telemetry.ts).
  const { startBot } = await import("./server");
  const storage = await openStorage(config);
  if (storage.mode !== "configured") {
    log.info({ code: "storage_local", mode: storage.mode, port: config.CAF_LOCAL_TABLES_PORT, dataDir: config.CAF_DATA_DIR }, "no AZURE_TABLES_ENDPOINT or AZURE_TABLES_CONNECTION_STRING: using local Azurite");
  }
  const bot = await startBot(config, storage.tables, log);
  return {
    bot,
    storage,
    config,
    log,
    async stop() {
      await bot.close();
      await storage.close();
      await telemetry.stop();
    },
  };
}

/**
 * Runs until SIGINT/SIGTERM (App Service sends SIGTERM on restart and scale-in), then stops accepting requests, lets
 * the ones in flight finish (at most 10 s), stops the jobs and the relay, closes the server and any Azurite it started.
 * A second signal while stopping exits at once.
 */
export async function serveUntilSignalled(): Promise<void> {
  const serving = await serve();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      serving.log.warn({ code: "bot_stop_forced", signal }, "second signal: exiting without waiting");
      process.exit(1);
    }
    stopping = true;
    serving.log.info({ code: "bot_stopping", signal }, "stopping");
    try {
      await serving.stop();
      serving.log.info({ code: "bot_stopped", signal }, "stopped");
      process.exit(0);
    } catch (err) {
      serving.log.error({ code: "bot_stop_failed", err }, "could not stop cleanly");
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}
