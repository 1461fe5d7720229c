// Production reaches Azure Tables with a managed identity (an endpoint and DefaultAzureCredential); local runs and tests
// with a connection string. The settings take one or the other, and createTables builds clients for both, without I/O.
import { TableClient } from "@azure/data-tables";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, ConfigError, loadConfig } from "../../src/config";
import { configuredStorage } from "../../src/storage/open-storage";
import { createTables } from "../../src/storage/tables";

const ENDPOINT = "https://cafaudit.table.core.windows.net/";
const CONNECTION_STRING = "DefaultEndpointsProtocol=https;AccountName=cafaudit;AccountKey=a2V5;EndpointSuffix=core.windows.net";

/** A credential that records being asked and never reaches a network. */
function fakeCredential(): TokenCredential & { calls: number } {
  const credential = {
    calls: 0,
    async getToken(): Promise<AccessToken> {
      credential.calls++;
      return { token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return credential;
}

describe("storage settings", () => {
  it("accepts AZURE_TABLES_ENDPOINT alone", () => {
    const config = loadConfig({ AZURE_TABLES_ENDPOINT: ENDPOINT });
    expect(config.AZURE_TABLES_ENDPOINT).toBe(ENDPOINT);
    expect(config.AZURE_TABLES_CONNECTION_STRING).toBeUndefined();
  });

  it("accepts the connection string alone, as before", () => {
    expect(loadConfig({ AZURE_TABLES_CONNECTION_STRING: CONNECTION_STRING }).AZURE_TABLES_CONNECTION_STRING).toBe(CONNECTION_STRING);
  });

  it("refuses both, with a sentence naming them", () => {
    const both = () => loadConfig({ AZURE_TABLES_ENDPOINT: ENDPOINT, AZURE_TABLES_CONNECTION_STRING: CONNECTION_STRING });
    expect(both).toThrow(ConfigError);
    expect(both).toThrow(/AZURE_TABLES_CONNECTION_STRING or AZURE_TABLES_ENDPOINT, not both/);
  });

  it("treats an empty connection string as not set, so the endpoint alone wins", () => {
    expect(loadConfig({ AZURE_TABLES_ENDPOINT: ENDPOINT, AZURE_TABLES_CONNECTION_STRING: "" }).AZURE_TABLES_ENDPOINT).toBe(ENDPOINT);
  });

  it("refuses an endpoint that is not an https URL: a bearer token never travels in clear", () => {
    expect(() => loadConfig({ AZURE_TABLES_ENDPOINT: "http://cafaudit.table.core.windows.net" })).toThrow(/AZURE_TABLES_ENDPOINT must be the https URL/);
    expect(() => loadConfig({ AZURE_TABLES_ENDPOINT: "cafaudit" })).toThrow(/AZURE_TABLES_ENDPOINT/);
  });

  it("lists every setting it reads in CONFIG_KEYS", () => {
    expect(CONFIG_KEYS).toContain("AZURE_TABLES_ENDPOINT");
    expect(CONFIG_KEYS).toContain("AZURE_TABLES_CONNECTION_STRING");
    expect(CONFIG_KEYS).toContain("MicrosoftAppType");
    expect(new Set(CONFIG_KEYS).size).toBe(CONFIG_KEYS.length);
  });
});

describe("createTables", () => {
  it("builds token clients from an endpoint and a credential, without a request", () => {
    const credential = fakeCredential();
    const tables = createTables({ endpoint: ENDPOINT, credential, tablePrefix: "caf" });
    expect(tables.endpoint).toBe("https://cafaudit.table.core.windows.net");
    const cases = tables.table("Cases");
    expect(cases).toBeInstanceOf(TableClient);
    expect(cases.tableName).toBe("cafCases");
    expect(cases.url).toBe("https://cafaudit.table.core.windows.net");
    expect(tables.table("Cases")).toBe(cases);
    // Clients are lazy: nothing asked for a token, so nothing went to the network.
    expect(credential.calls).toBe(0);
  });

  it("still builds key clients from a connection string", () => {
    const tables = createTables({ connectionString: CONNECTION_STRING, tablePrefix: "caf" });
    expect(tables.endpoint).toBe("https://cafaudit.table.core.windows.net");
    expect(tables.table("People").tableName).toBe("cafPeople");
  });

  it("refuses a bad table prefix in both forms", () => {
    expect(() => createTables({ endpoint: ENDPOINT, credential: fakeCredential(), tablePrefix: "1bad" })).toThrow(/table prefix/);
    expect(() => createTables({ connectionString: CONNECTION_STRING, tablePrefix: "bad-prefix" })).toThrow(/table prefix/);
  });
});

describe("configuredStorage", () => {
  it("uses the endpoint with the managed identity's credential", async () => {
    const credential = fakeCredential();
    const storage = await configuredStorage(loadConfig({ AZURE_TABLES_ENDPOINT: ENDPOINT, CAF_TABLE_PREFIX: "prod" }), credential);
    expect(storage).toEqual({ endpoint: ENDPOINT, credential, tablePrefix: "prod" });
  });

  it("falls back to DefaultAzureCredential when none is given", async () => {
    const storage = await configuredStorage(loadConfig({ AZURE_TABLES_ENDPOINT: ENDPOINT }));
    expect(storage && "credential" in storage && storage.credential.constructor.name).toBe("DefaultAzureCredential");
  });

  it("uses the connection string when that is what is set, and nothing when neither is (local Azurite)", async () => {
    expect(await configuredStorage(loadConfig({ AZURE_TABLES_CONNECTION_STRING: CONNECTION_STRING }))).toEqual({ connectionString: CONNECTION_STRING, tablePrefix: "caf" });
    expect(await configuredStorage(loadConfig({}))).toBeUndefined();
  });
});

describe("bot identity settings", () => {
  const GUID = "11111111-2222-4333-8444-555555555555";

  it("accepts a user-assigned managed identity with its tenant and no password, as the Azure deployment sets it", () => {
    const config = loadConfig({ NODE_ENV: "production", MicrosoftAppId: GUID, MicrosoftAppType: "UserAssignedMSI", MicrosoftAppTenantId: GUID });
    expect(config.MicrosoftAppType).toBe("UserAssignedMSI");
  });

  it("refuses a password beside a managed identity, and a single-tenant bot without its tenant", () => {
    expect(() => loadConfig({ MicrosoftAppId: GUID, MicrosoftAppType: "UserAssignedMSI", MicrosoftAppTenantId: GUID, MicrosoftAppPassword: "secret" })).toThrow(
      /MicrosoftAppPassword must not be set/,
    );
    expect(() => loadConfig({ MicrosoftAppId: GUID, MicrosoftAppType: "UserAssignedMSI" })).toThrow(/MicrosoftAppTenantId is required/);
    expect(() => loadConfig({ MicrosoftAppId: GUID, MicrosoftAppPassword: "secret" })).toThrow(/MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant/);
    expect(loadConfig({ MicrosoftAppId: GUID, MicrosoftAppPassword: "secret", MicrosoftAppType: "MultiTenant" }).MicrosoftAppType).toBe("MultiTenant");
  });
});

describe("every problem at once", () => {
  it("names each bad setting in one sentence, whether it is bad alone or in combination", () => {
    let message = "";
    try {
      loadConfig({ PORT: "99999", NODE_ENV: "production", SLACK_BOT_TOKEN: "xoxb-1", SLACK_API_URL: "not a url" });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    for (const name of ["PORT", "SLACK_API_URL", "MicrosoftAppId is required when NODE_ENV is production", "SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set"]) expect(message).toContain(name);
  });

  it("turns Slack on only with both its token and its signing secret", () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "0123456789abcdef0123" }).SLACK_BOT_TOKEN).toBe("xoxb-1");
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: "0123456789abcdef0123" })).toThrow(/SLACK_BOT_TOKEN is required when SLACK_SIGNING_SECRET is set/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: "not-a-token", SLACK_SIGNING_SECRET: "0123456789abcdef0123" })).toThrow(/SLACK_BOT_TOKEN must be the bot token/);
  });
});
