// Opens the project's tables on one Azure Tables account and translates the SDK's faults into StorageError.
import { TableClient, TableServiceClient, type TableEntity } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";
import { tryTimeoutPolicy } from "../try-timeout";
import { StorageError } from "../app/errors";

export const TABLE_NAMES = ["Cases", "People", "Allocations", "Escalations", "Events", "JobRuns", "ChannelState"] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** Where the tables are: an account key in a connection string (Azurite, or Azure), or an endpoint and a credential (a managed identity). */
export type StorageConfig = {
  /** Prefixed to every table name, so one account can hold several environments (and each test its own). */
  tablePrefix: string;
} & ({ connectionString: string } | { endpoint: string; credential: TokenCredential });

export interface Tables {
  readonly endpoint: string;
  table(name: TableName): TableClient;
  /** Creates the tables if missing; also the cheapest proof that storage answers. */
  ensure(): Promise<void>;
}

// A few quick retries only: a user at a terminal should hear "unreachable" in seconds, not minutes.
const retryOptions = { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1000 };
/**
 * Storage that takes a connection and never answers would hold a turn for ever (the SDK has no timeout of its own).
 * Each try gets this long, so with the retries a chat turn still answers inside the 15 s Teams waits.
 */
export const STORAGE_TRY_TIMEOUT_MS = 4_000;
const additionalPolicies = [{ policy: tryTimeoutPolicy("cafStorageTryTimeout", STORAGE_TRY_TIMEOUT_MS), position: "perRetry" as const }];
// Plain http is for Azurite, which is reached with its well-known key; a bearer token only ever goes over https.
const keyClientOptions = { allowInsecureConnection: true, retryOptions, additionalPolicies };
const tokenClientOptions = { retryOptions, additionalPolicies };

export function createTables(config: StorageConfig): Tables {
  if (!/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(config.tablePrefix)) {
    throw new StorageError("storage_failed", `The table prefix "${config.tablePrefix}" must be letters and digits, starting with a letter.`);
  }
  const endpoint = "connectionString" in config ? endpointOf(config.connectionString) : config.endpoint.replace(/\/+$/, "");
  const newTable = (fullName: string): TableClient =>
    "connectionString" in config
      ? TableClient.fromConnectionString(config.connectionString, fullName, keyClientOptions)
      : new TableClient(endpoint, fullName, config.credential, tokenClientOptions);
  const newService = (): TableServiceClient =>
    "connectionString" in config
      ? TableServiceClient.fromConnectionString(config.connectionString, keyClientOptions)
      : new TableServiceClient(endpoint, config.credential, tokenClientOptions);
  const clients = new Map<TableName, TableClient>();
  const table = (name: TableName): TableClient => {
    let client = clients.get(name);
    if (!client) {
      client = newTable(config.tablePrefix + name);
      clients.set(name, client);
    }
    return client;
  };
  return {
    endpoint,
    table,
    async ensure() {
      const service = newService();
      for (const name of TABLE_NAMES) {
        await guard(endpoint, () => service.createTable(config.tablePrefix + name));
      }
    },
  };
}

function endpointOf(connectionString: string): string {
  const explicit = /TableEndpoint=([^;]+)/i.exec(connectionString)?.[1];
  if (explicit) return explicit;
  const account = /AccountName=([^;]+)/i.exec(connectionString)?.[1] ?? "unknown";
  return `https://${account}.table.core.windows.net`;
}

/** Runs one storage call and turns whatever the SDK throws into a StorageError with a sentence. */
/**
 * A create (an insert, or a transaction of inserts) that may already have been made: a retried request, a re-run of a
 * job. "exists" when its row was there, so the caller sends nothing twice; any other failure is thrown.
 */
export async function createOnce(endpoint: string, create: () => Promise<unknown>): Promise<"created" | "exists"> {
  try {
    await guard(endpoint, create);
    return "created";
  } catch (err) {
    if (err instanceof StorageError && err.code === "storage_conflict") return "exists";
    throw err;
  }
}

export async function guard<T>(endpoint: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toStorageError(err, endpoint);
  }
}

export function toStorageError(err: unknown, endpoint: string): StorageError {
  if (err instanceof StorageError) return err;
  const status = (err as { statusCode?: number }).statusCode;
  const code = (err as { code?: string }).code;
  if (status === 409) return new StorageError("storage_conflict", "That record already exists.", 409, { cause: err });
  if (status === 412) {
    return new StorageError("storage_precondition_failed", "Someone else changed this record at the same time. Reload and try again.", 412, { cause: err });
  }
  if (status === 404) return new StorageError("storage_not_found", "That record was not found.", 404, { cause: err });
  // A managed identity that cannot get a token, or has no data role on the account: say so rather than "unreachable".
  const name = (err as { name?: string }).name;
  if (name === "CredentialUnavailableError" || name === "AuthenticationError" || name === "AggregateAuthenticationError") {
    return new StorageError("storage_failed", `Could not sign in to storage at ${endpoint} with the managed identity: check AZURE_CLIENT_ID and that the identity exists.`, undefined, { cause: err });
  }
  if (status === 403) {
    return new StorageError("storage_failed", `Storage at ${endpoint} refused access (HTTP 403): check the account key, or give the managed identity the Storage Table Data Contributor role on the account.`, 403, { cause: err });
  }
  if (status === undefined || code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT" || code === "ECONNRESET") {
    return new StorageError("storage_unreachable", `Storage is not reachable at ${endpoint}. Check that it is running and try again.`, undefined, { cause: err });
  }
  return new StorageError("storage_failed", `Storage refused the request (HTTP ${status}). Nothing was changed; try again.`, status, { cause: err });
}

export type Entity = TableEntity<Record<string, unknown>>;

/** Submits rows of one partition in transactions of at most 100 operations, Azure's limit. */
export async function upsertInBatches(client: TableClient, endpoint: string, rows: Entity[], mode: "Replace" | "Merge" = "Replace"): Promise<void> {
  const byPartition = new Map<string, Entity[]>();
  for (const row of rows) {
    const list = byPartition.get(row.partitionKey) ?? [];
    list.push(row);
    byPartition.set(row.partitionKey, list);
  }
  for (const list of byPartition.values()) {
    for (let i = 0; i < list.length; i += 100) {
      const chunk = list.slice(i, i + 100);
      await guard(endpoint, () => client.submitTransaction(chunk.map((row) => ["upsert", row, mode])));
    }
  }
}

export async function listPartition(client: TableClient, endpoint: string, partitionKey: string): Promise<Entity[]> {
  return listWhere(client, endpoint, `PartitionKey eq '${partitionKey.replace(/'/g, "''")}'`);
}

export async function listWhere(client: TableClient, endpoint: string, filter?: string): Promise<Entity[]> {
  return guard(endpoint, async () => {
    const out: Entity[] = [];
    const options = filter ? { queryOptions: { filter } } : undefined;
    for await (const entity of client.listEntities<Record<string, unknown>>(options)) out.push(entity as Entity);
    return out;
  });
}

export async function getOrUndefined(client: TableClient, endpoint: string, pk: string, rk: string): Promise<Entity | undefined> {
  try {
    return (await guard(endpoint, () => client.getEntity<Record<string, unknown>>(pk, rk))) as Entity;
  } catch (err) {
    if (err instanceof StorageError && err.code === "storage_not_found") return undefined;
    throw err;
  }
}
