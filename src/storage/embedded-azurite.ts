// Starts Azurite's table service inside this process: in memory for tests, or on disk under a folder for local use.
// Production never gets here; it sets AZURE_TABLES_CONNECTION_STRING or AZURE_TABLES_ENDPOINT.
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(import.meta.url);

/** Azurite's well-known development account: public by design, never valid against real Azure. */
export const DEV_ACCOUNT = "devstoreaccount1";
const DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface EmbeddedAzurite {
  readonly connectionString: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface EmbeddedAzuriteOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Folder for the data; omit to keep everything in memory. */
  location?: string;
  host?: string;
}

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}

export function connectionStringFor(host: string, port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    `TableEndpoint=http://${host}:${port}/${DEV_ACCOUNT};`
  );
}

export async function startEmbeddedAzurite(options: EmbeddedAzuriteOptions = {}): Promise<EmbeddedAzurite> {
  const host = options.host ?? "127.0.0.1";
  // Azurite ships CommonJS without type declarations, so it is loaded by path.
  const { default: TableServer } = require("azurite/dist/src/table/TableServer");
  const { default: TableConfiguration } = require("azurite/dist/src/table/TableConfiguration");
  const memory = options.location === undefined;
  if (!memory) mkdirSync(options.location!, { recursive: true });
  const dbPath = memory ? "caf-audit-memory.json" : join(options.location!, "__azurite_db_table__.json");
  const config = new TableConfiguration(
    host, options.port ?? 0, undefined, dbPath,
    false, false, undefined, undefined, false, false,
    "", "", "", undefined, false, memory,
  );
  const server: AzuriteServer = new TableServer(config);
  await server.start();
  const address = server.getHttpServerAddress();
  const port = Number(new URL(address).port);
  return {
    connectionString: connectionStringFor(host, port),
    port,
    close: () => server.close(),
  };
}
