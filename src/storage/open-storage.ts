// Chooses where the tables live: the configured account, or Azurite on this machine.
// Locally, every process shares one Azurite: the first starts it (data under CAF_DATA_DIR), the others connect to it.
import { createConnection } from "node:net";
import { join } from "node:path";
import type { AppConfig } from "../config";
import { connectionStringFor, startEmbeddedAzurite } from "./embedded-azurite";
import { createTables, type Tables } from "./tables";

export interface OpenedStorage {
  tables: Tables;
  /** How the storage was found, for the log. */
  mode: "configured" | "local-started" | "local-shared";
  close(): Promise<void>;
}

const LOCAL_HOST = "127.0.0.1";

export async function openStorage(config: AppConfig): Promise<OpenedStorage> {
  if (config.AZURE_TABLES_CONNECTION_STRING) {
    const tables = createTables({ connectionString: config.AZURE_TABLES_CONNECTION_STRING, tablePrefix: config.CAF_TABLE_PREFIX });
    await tables.ensure();
    return { tables, mode: "configured", close: async () => {} };
  }
  const port = config.CAF_LOCAL_TABLES_PORT;
  if (!(await isListening(port))) {
    try {
      const azurite = await startEmbeddedAzurite({ port, host: LOCAL_HOST, location: join(config.CAF_DATA_DIR, "azurite") });
      const tables = createTables({ connectionString: azurite.connectionString, tablePrefix: config.CAF_TABLE_PREFIX });
      await tables.ensure();
      return { tables, mode: "local-started", close: () => azurite.close() };
    } catch (err) {
      // Another process won the race for the port between our check and our start: share its Azurite.
      if ((err as { code?: string }).code !== "EADDRINUSE") throw err;
    }
  }
  const tables = createTables({ connectionString: connectionStringFor(LOCAL_HOST, port), tablePrefix: config.CAF_TABLE_PREFIX });
  await tables.ensure();
  return { tables, mode: "local-shared", close: async () => {} };
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOCAL_HOST, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
