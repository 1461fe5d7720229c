// Chooses where the tables live: the configured account (a connection string, or an endpoint and the managed identity),
// or Azurite on this machine.
// Locally, every process shares one Azurite: the first starts it (data under CAF_DATA_DIR), the others connect to it.
import { createConnection } from "node:net";
import { join } from "node:path";
import type { AppConfig } from "../config";
import { connectionStringFor, startEmbeddedAzurite } from "./embedded-azurite";
import type { TokenCredential } from "@azure/identity";
import { createTables, type StorageConfig, type Tables } from "./tables";

export interface OpenedStorage {
  tables: Tables;
  /** How the storage was found, for the log. */
  mode: "configured" | "local-started" | "local-shared";
  close(): Promise<void>;
}

const LOCAL_HOST = "127.0.0.1";

export async function openStorage(config: AppConfig): Promise<OpenedStorage> {
  const configured = await configuredStorage(config);
  if (configured) {
    const tables = createTables(configured);
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

/** The account the settings name, if any: a connection string (key), or an endpoint reached with the managed identity. */
export async function configuredStorage(config: AppConfig, credential?: TokenCredential): Promise<StorageConfig | undefined> {
  const tablePrefix = config.CAF_TABLE_PREFIX;
  if (config.AZURE_TABLES_CONNECTION_STRING) return { connectionString: config.AZURE_TABLES_CONNECTION_STRING, tablePrefix };
  if (config.AZURE_TABLES_ENDPOINT) {
    // On App Service, AZURE_CLIENT_ID picks the user-assigned identity; on a laptop, `az login` serves the same code.
    // Loaded only here: the commands that run on Azurite or a key do not pay for it.
    const { DefaultAzureCredential } = await import("@azure/identity");
    return { endpoint: config.AZURE_TABLES_ENDPOINT, credential: credential ?? new DefaultAzureCredential(), tablePrefix };
  }
  return undefined;
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
