// Wiring for the long-running bot: settings -> storage -> core -> channels -> HTTP server. Ctrl-C stops it cleanly.
import { loadConfig, type AppConfig } from "./config";
import { createLogger, type Logger } from "./logger";
import { startBot, type RunningBot } from "./server";
import { openStorage, type OpenedStorage } from "./storage/open-storage";

export interface Serving {
  bot: RunningBot;
  storage: OpenedStorage;
  config: AppConfig;
  log: Logger;
  stop(): Promise<void>;
}

export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<Serving> {
  const config = loadConfig(env);
  const log = createLogger(config.LOG_LEVEL);
  const storage = await openStorage(config);
  if (storage.mode !== "configured") {
    log.info({ code: "storage_local", mode: storage.mode, port: config.CAF_LOCAL_TABLES_PORT, dataDir: config.CAF_DATA_DIR }, "no AZURE_TABLES_CONNECTION_STRING: using local Azurite");
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
    },
  };
}

/** Runs until SIGINT/SIGTERM, then stops the relay, the server and any Azurite it started. */
export async function serveUntilSignalled(): Promise<void> {
  const serving = await serve();
  const stop = async (signal: string) => {
    serving.log.info({ code: "bot_stopping", signal }, "stopping");
    await serving.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}
