// infra/main.bicep read as text. No Bicep compiler can be installed here (it is not on npm or Debian, and its own download
// is out of reach), so this checks what a compiler would not anyway: that the template has the resources and the
// security settings the deployment relies on, that every app setting it sets is one the program reads (or a documented
// platform setting), and that main.parameters.json names exactly the template's parameters. Azure's own validation
// (`az deployment group validate` / `what-if`) is the step before a real deployment; the README says so.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, loadConfig } from "../../src/config";
import { TABLE_NAMES } from "../../src/storage/tables";

const root = fileURLToPath(new URL("../../", import.meta.url));
const source = readFileSync(`${root}infra/main.bicep`, "utf8");
const parametersFile = JSON.parse(readFileSync(`${root}infra/main.parameters.json`, "utf8")) as {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, { value: unknown }>;
};

/** The template with comments blanked out (strings kept), so commented-out text never satisfies a check. */
const code = stripComments(source);

function stripComments(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === "'") inString = false;
    } else if (c === "'") {
      inString = true;
      out += c;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") {
        out += " ";
        i++;
      }
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop - 1;
    } else out += c;
  }
  return out;
}

/** The text of the bracketed block ({...} or [...]) that opens at or after `from`, strings skipped. */
function blockFrom(text: string, from: number): string {
  const open = text.slice(from).search(/[[{]/);
  if (open < 0) throw new Error(`no block after offset ${from}`);
  const start = from + open;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === "'") inString = false;
      continue;
    }
    if (c === "'") inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  throw new Error(`unclosed block at offset ${start}`);
}

interface Resource {
  symbol: string;
  type: string;
  apiVersion: string;
  body: string;
}

const resources: Resource[] = [...code.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s*=\s*/gm)].map((m) => ({
  symbol: m[1]!,
  type: m[2]!,
  apiVersion: m[3]!,
  body: blockFrom(code, m.index! + m[0].length),
}));

function resourceOf(type: string): Resource {
  const found = resources.filter((r) => r.type === type);
  expect(found.map((r) => r.type), `one resource of type ${type}`).toEqual([type]);
  return found[0]!;
}

/** `key: value` on a line of its own inside a block. */
function property(body: string, key: string): string | undefined {
  return new RegExp(`^\\s*${key}:\\s*(.+?)\\s*$`, "m").exec(body)?.[1];
}

const params = [...code.matchAll(/^param\s+(\w+)\s+(\w+)/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
const vars = [...code.matchAll(/^var\s+(\w+)\s*=/gm)].map((m) => m[1]!);

const site = resourceOf("Microsoft.Web/sites");
const appSettings = [...blockFrom(site.body, site.body.indexOf("appSettings:")).matchAll(/\{\s*name:\s*'([^']+)'\s*value:\s*([^\n]+?)\s*\}/g)].map((m) => ({
  name: m[1]!,
  value: m[2]!,
}));
const setting = (name: string) => appSettings.find((s) => s.name === name)?.value;

/** Settings App Service, the Azure SDK or Application Insights read, documented in README "Deploy"; not the program's own. */
const PLATFORM_SETTINGS = new Set(["AZURE_CLIENT_ID", "SCM_DO_BUILD_DURING_DEPLOYMENT"]);
const isPlatformSetting = (name: string) => PLATFORM_SETTINGS.has(name) || name.startsWith("WEBSITE_");

describe("infra/main.bicep", () => {
  it("is well formed as far as text can tell: brackets balance outside strings, and every block closes", () => {
    expect(() => blockFrom(`{${code}}`, 0)).not.toThrow();
    expect(blockFrom(`{${code}}`, 0).length).toBe(code.length + 2);
    expect(code).toMatch(/^targetScope = 'resourceGroup'$/m);
  });

  it("declares the resources of the deployment, each with a pinned API version", () => {
    const expected: Record<string, string> = {
      "Microsoft.ManagedIdentity/userAssignedIdentities": "2023-01-31",
      "Microsoft.OperationalInsights/workspaces": "2023-09-01",
      "Microsoft.Insights/components": "2020-02-02",
      "Microsoft.Storage/storageAccounts": "2023-05-01",
      "Microsoft.Storage/storageAccounts/tableServices": "2023-05-01",
      "Microsoft.Storage/storageAccounts/tableServices/tables": "2023-05-01",
      "Microsoft.Authorization/roleAssignments": "2022-04-01",
      "Microsoft.KeyVault/vaults": "2023-07-01",
      "Microsoft.Web/serverfarms": "2023-12-01",
      "Microsoft.Web/sites": "2023-12-01",
      "Microsoft.Web/sites/basicPublishingCredentialsPolicies": "2023-12-01",
      "Microsoft.Insights/diagnosticSettings": "2021-05-01-preview",
      "Microsoft.BotService/botServices": "2022-09-15",
      "Microsoft.BotService/botServices/channels": "2022-09-15",
    };
    const declared = Object.fromEntries(resources.map((r) => [r.type, r.apiVersion]));
    expect(declared).toEqual(expected);
    for (const r of resources) expect(r.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
    expect(new Set(resources.map((r) => r.symbol)).size).toBe(resources.length);
  });

  it("refers only to declared resources, parameters and variables", () => {
    const declared = new Set([...resources.map((r) => r.symbol), ...params.map((p) => p.name), ...vars, "table"]);
    const referenced = new Set([
      ...[...code.matchAll(/^\s*(?:parent|scope):\s*(\w+)\s*$/gm)].map((m) => m[1]!),
      ...[...code.matchAll(/(?<![\w.'/])([a-z]\w*)\.(?:id|name|properties)\b/g)].map((m) => m[1]!),
      ...[...code.matchAll(/dependsOn:\s*\[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(/\s+/).filter(Boolean)),
    ]);
    expect([...referenced].filter((name) => !declared.has(name))).toEqual([]);
    // And nothing declared lies unused.
    for (const name of [...params.map((p) => p.name), ...vars]) {
      expect(code.match(new RegExp(`\\b${name}\\b`, "g"))!.length, `${name} is used`).toBeGreaterThan(1);
    }
  });

  it("runs the bot on Linux App Service, Node 20 LTS, with its production entry, https only and TLS 1.2", () => {
    const plan = resourceOf("Microsoft.Web/serverfarms");
    expect(property(plan.body, "reserved")).toBe("true");
    expect(property(site.body, "kind")).toBe("'app,linux'");
    expect(property(site.body, "serverFarmId")).toBe(`${plan.symbol}.id`);
    expect(property(site.body, "httpsOnly")).toBe("true");
    expect(property(site.body, "linuxFxVersion")).toBe("'NODE|20-lts'");
    expect(property(site.body, "minTlsVersion")).toBe("'1.2'");
    expect(property(site.body, "scmMinTlsVersion")).toBe("'1.2'");
    expect(property(site.body, "ftpsState")).toBe("'Disabled'");
    expect(property(site.body, "alwaysOn")).toBe("true");
    expect(property(resourceOf("Microsoft.Web/sites/basicPublishingCredentialsPolicies").body, "allow")).toBe("false");
  });

  it("starts the command the package really has, through a runtime dependency", () => {
    expect(property(site.body, "appCommandLine")).toBe("'node bin/caf-audit.js serve'");
    expect(existsSync(`${root}bin/caf-audit.js`)).toBe(true);
    expect(readFileSync(`${root}src/cli/main.ts`, "utf8")).toMatch(/\.command\("serve"\)/);
    const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { dependencies: Record<string, string> };
    // bin/caf-audit.js runs the TypeScript through tsx, so production needs it installed.
    expect(pkg.dependencies.tsx).toBeDefined();
  });

  it("probes /healthz, the route that answers while the process is up", () => {
    expect(property(site.body, "healthCheckPath")).toBe("'/healthz'");
    expect(readFileSync(`${root}src/server.ts`, "utf8")).toMatch(/app\.get\("\/healthz"/);
  });

  it("gives the app the user-assigned identity, and uses it for Key Vault references", () => {
    const identity = resourceOf("Microsoft.ManagedIdentity/userAssignedIdentities");
    expect(property(site.body, "type")).toBe("'UserAssigned'");
    expect(site.body).toContain(`'\${${identity.symbol}.id}': {}`);
    expect(property(site.body, "keyVaultReferenceIdentity")).toBe(`${identity.symbol}.id`);
  });

  it("keeps storage to StorageV2, https and TLS 1.2, no public blobs and no shared keys, with the bot's tables", () => {
    const storage = resourceOf("Microsoft.Storage/storageAccounts");
    expect(property(storage.body, "kind")).toBe("'StorageV2'");
    expect(property(storage.body, "minimumTlsVersion")).toBe("'TLS1_2'");
    expect(property(storage.body, "allowBlobPublicAccess")).toBe("false");
    expect(property(storage.body, "supportsHttpsTrafficOnly")).toBe("true");
    expect(property(storage.body, "allowSharedKeyAccess")).toBe("false");
    const tableService = resourceOf("Microsoft.Storage/storageAccounts/tableServices");
    expect(property(tableService.body, "parent")).toBe(storage.symbol);
    const tables = resourceOf("Microsoft.Storage/storageAccounts/tableServices/tables");
    expect(property(tables.body, "parent")).toBe(tableService.symbol);
    expect(property(tables.body, "name")).toBe("'${tablePrefix}${table}'");
    const names = [...blockFrom(code, code.indexOf("var tableNames")).matchAll(/'(\w+)'/g)].map((m) => m[1]);
    expect(names).toEqual([...TABLE_NAMES]);
  });

  it("grants the identity Storage Table Data Contributor on the account, and Key Vault Secrets User on the vault", () => {
    const identity = resourceOf("Microsoft.ManagedIdentity/userAssignedIdentities");
    const storage = resourceOf("Microsoft.Storage/storageAccounts");
    const vault = resourceOf("Microsoft.KeyVault/vaults");
    const roles = resources.filter((r) => r.type === "Microsoft.Authorization/roleAssignments");
    const roleId = (r: Resource) => {
      const variable = /roleDefinitions',\s*(\w+)\)/.exec(r.body)?.[1];
      return variable ? new RegExp(`^var ${variable} = '([0-9a-f-]+)'$`, "m").exec(code)?.[1] : undefined;
    };
    const forIdentity = roles.filter((r) => property(r.body, "principalId") === `${identity.symbol}.properties.principalId`);
    expect(forIdentity.map((r) => [property(r.body, "scope"), roleId(r), property(r.body, "principalType")])).toEqual(
      expect.arrayContaining([
        [storage.symbol, "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "'ServicePrincipal'"],
        [vault.symbol, "4633458b-17de-408a-b874-0445c86b69e6", "'ServicePrincipal'"],
      ]),
    );
    // Role assignment names are deterministic, so a second deployment updates instead of failing on a duplicate.
    for (const r of roles) expect(property(r.body, "name")).toMatch(/^guid\(/);
  });

  it("keeps secrets in a Key Vault that uses Azure RBAC", () => {
    const vault = resourceOf("Microsoft.KeyVault/vaults");
    expect(property(vault.body, "enableRbacAuthorization")).toBe("true");
    expect(property(vault.body, "enableSoftDelete")).toBe("true");
  });

  it("sends telemetry to Application Insights on a Log Analytics workspace, with the app's console log", () => {
    const workspace = resourceOf("Microsoft.OperationalInsights/workspaces");
    const appInsights = resourceOf("Microsoft.Insights/components");
    expect(property(appInsights.body, "WorkspaceResourceId")).toBe(`${workspace.symbol}.id`);
    expect(setting("APPLICATIONINSIGHTS_CONNECTION_STRING")).toBe(`${appInsights.symbol}.properties.ConnectionString`);
    const logs = resourceOf("Microsoft.Insights/diagnosticSettings");
    expect(property(logs.body, "scope")).toBe(site.symbol);
    expect(logs.body).toContain("'AppServiceConsoleLogs'");
  });

  it("registers the bot as a user-assigned managed identity with the Teams channel, at the app's /api/messages", () => {
    const identity = resourceOf("Microsoft.ManagedIdentity/userAssignedIdentities");
    const bot = resourceOf("Microsoft.BotService/botServices");
    expect(property(bot.body, "kind")).toBe("'azurebot'");
    expect(property(bot.body, "location")).toBe("'global'");
    expect(property(bot.body, "msaAppType")).toBe("'UserAssignedMSI'");
    expect(property(bot.body, "msaAppId")).toBe(`${identity.symbol}.properties.clientId`);
    expect(property(bot.body, "msaAppMSIResourceId")).toBe(`${identity.symbol}.id`);
    expect(property(bot.body, "msaAppTenantId")).toBe(`${identity.symbol}.properties.tenantId`);
    expect(property(bot.body, "endpoint")).toBe(`'https://\${${site.symbol}.properties.defaultHostName}/api/messages'`);
    const channel = resourceOf("Microsoft.BotService/botServices/channels");
    expect(property(channel.body, "parent")).toBe(bot.symbol);
    expect(property(channel.body, "name")).toBe("'MsTeamsChannel'");
    expect(property(channel.body, "channelName")).toBe("'MsTeamsChannel'");
    expect(property(channel.body, "isEnabled")).toBe("true");
  });
});

describe("the app settings in main.bicep", () => {
  it("sets the ones the bot needs in production", () => {
    const identity = resourceOf("Microsoft.ManagedIdentity/userAssignedIdentities").symbol;
    const storage = resourceOf("Microsoft.Storage/storageAccounts").symbol;
    expect(setting("NODE_ENV")).toBe("'production'");
    expect(setting("AZURE_TABLES_ENDPOINT")).toBe(`${storage}.properties.primaryEndpoints.table`);
    expect(setting("AZURE_TABLES_CONNECTION_STRING")).toBeUndefined();
    expect(setting("MicrosoftAppPassword")).toBeUndefined();
    expect(setting("AZURE_CLIENT_ID")).toBe(`${identity}.properties.clientId`);
    expect(setting("MicrosoftAppId")).toBe(`${identity}.properties.clientId`);
    expect(setting("MicrosoftAppType")).toBe("'UserAssignedMSI'");
    expect(setting("MicrosoftAppTenantId")).toBe(`${identity}.properties.tenantId`);
    expect(setting("CAF_TABLE_PREFIX")).toBe("tablePrefix");
    expect(setting("WEBSITE_NODE_DEFAULT_VERSION")).toBe("'~20'");
  });

  it("are each a setting src/config.ts reads, or a documented platform setting", () => {
    expect(appSettings.length).toBeGreaterThan(5);
    const names = appSettings.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    const unknown = names.filter((name) => !(CONFIG_KEYS as readonly string[]).includes(name) && !isPlatformSetting(name));
    expect(unknown).toEqual([]);
    const readme = readFileSync(`${root}README.md`, "utf8");
    for (const name of names.filter(isPlatformSetting)) expect(readme.includes(name), `README explains ${name}`).toBe(true);
  });

  it("make a configuration the program accepts (values Azure fills in stand in as examples)", () => {
    const example: Record<string, string> = {
      [`${resourceOf("Microsoft.Storage/storageAccounts").symbol}.properties.primaryEndpoints.table`]: "https://cafaudit1234.table.core.windows.net/",
      [`${resourceOf("Microsoft.ManagedIdentity/userAssignedIdentities").symbol}.properties.clientId`]: "11111111-2222-4333-8444-555555555555",
      [`${resourceOf("Microsoft.ManagedIdentity/userAssignedIdentities").symbol}.properties.tenantId`]: "66666666-7777-4888-8999-000000000000",
      tablePrefix: String(parametersFile.parameters.tablePrefix!.value),
      [`${resourceOf("Microsoft.Insights/components").symbol}.properties.ConnectionString`]: "InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/",
    };
    const env = Object.fromEntries(
      appSettings.filter((s) => !isPlatformSetting(s.name)).map((s) => [s.name, /^'.*'$/.test(s.value) ? s.value.slice(1, -1) : example[s.value] ?? `unresolved ${s.value}`]),
    );
    const config = loadConfig(env);
    expect(config.NODE_ENV).toBe("production");
    expect(config.MicrosoftAppType).toBe("UserAssignedMSI");
    expect(config.AZURE_TABLES_ENDPOINT).toBe("https://cafaudit1234.table.core.windows.net/");
  });
});

describe("infra/main.parameters.json", () => {
  it("is a deployment parameters file", () => {
    expect(parametersFile.$schema).toMatch(/deploymentParameters\.json#$/);
    expect(parametersFile.contentVersion).toBe("1.0.0.0");
  });

  it("names exactly the template's parameters", () => {
    expect(Object.keys(parametersFile.parameters).sort()).toEqual(params.map((p) => p.name).sort());
  });

  it("gives each a value of the declared type, within its allowed values and limits", () => {
    for (const { name, type } of params) {
      const value = parametersFile.parameters[name]!.value;
      expect(typeof value, name).toBe(type === "int" ? "number" : type === "bool" ? "boolean" : "string");
      const declaration = code.indexOf(`param ${name} `);
      const decorators = code.slice(code.lastIndexOf("\n\n", declaration), declaration);
      const allowed = /@allowed\(/.test(decorators) ? [...blockFrom(decorators, decorators.indexOf("@allowed(")).matchAll(/'([^']*)'/g)].map((m) => m[1]) : undefined;
      if (allowed) expect(allowed, name).toContain(value);
      const min = /@minLength\((\d+)\)/.exec(decorators)?.[1];
      const max = /@maxLength\((\d+)\)/.exec(decorators)?.[1];
      if (min) expect(String(value).length, name).toBeGreaterThanOrEqual(Number(min));
      if (max) expect(String(value).length, name).toBeLessThanOrEqual(Number(max));
    }
  });

  it("uses a base name and table prefix that make valid Azure and table names", () => {
    // Storage account names: lowercase letters and digits; the suffix adds 13 characters to make at most 24.
    expect(parametersFile.parameters.baseName!.value).toMatch(/^[a-z][a-z0-9]{2,10}$/);
    // The same rule the program applies to CAF_TABLE_PREFIX.
    expect(() => loadConfig({ CAF_TABLE_PREFIX: String(parametersFile.parameters.tablePrefix!.value) })).not.toThrow();
  });
});
