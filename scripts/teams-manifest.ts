// The Teams app manifest in manifest/teams/, and its check against the official JSON schema, offline.
// @microsoft/app-manifest bundles every published schema under build/json-schemas/; we read the one named by the
// manifest's `$schema` from there and hand it to the package's own validator (ajv, draft-04, as the Teams Toolkit
// does). Passing the schema explicitly means the package never fetches it over the network.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AppManifestUtils } from "@microsoft/app-manifest";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const TEAMS_DIR = join(ROOT, "manifest", "teams");
export const MANIFEST_PATH = join(TEAMS_DIR, "manifest.json");
export const ZIP_PATH = join(TEAMS_DIR, "build", "caf-audit-teams.zip");
/** The bot id committed in manifest.json: the council replaces it with its Azure Bot's Microsoft App ID. */
export const PLACEHOLDER_BOT_ID = "00000000-0000-0000-0000-000000000000";

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
export const isGuid = (value: string) => GUID.test(value);

export interface TeamsCommand {
  title: string;
  description: string;
}

/** The parts of the manifest this project reads; the schema checks the rest. */
export interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  accentColor: string;
  icons: { color: string; outline: string };
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  description: { short: string; full: string };
  validDomains?: string[];
  bots: {
    botId: string;
    scopes: string[];
    supportsFiles?: boolean;
    isNotificationOnly?: boolean;
    commandLists?: { scopes: string[]; commands: TeamsCommand[] }[];
  }[];
  [key: string]: unknown;
}

export async function readManifest(path = MANIFEST_PATH): Promise<TeamsManifest> {
  return JSON.parse(await readFile(path, "utf8")) as TeamsManifest;
}

/** The bundled schema file for a `$schema` URL such as https://developer.microsoft.com/en-us/json-schemas/teams/v1.22/MicrosoftTeams.schema.json. */
export function bundledSchemaPath(schemaUrl: string): string {
  const match = /\/json-schemas\/(teams\/v[0-9.]+|teams\/vDevPreview)\/(MicrosoftTeams\.schema\.json)$/.exec(new URL(schemaUrl).pathname);
  if (!match) throw new Error(`The manifest's $schema (${schemaUrl}) is not a Teams manifest schema URL.`);
  const pkg = createRequire(import.meta.url).resolve("@microsoft/app-manifest/package.json");
  return join(dirname(pkg), "build", "json-schemas", match[1]!, match[2]!);
}

export async function loadBundledSchema(schemaUrl: string): Promise<Record<string, unknown>> {
  const raw = await readFile(bundledSchemaPath(schemaUrl), "utf8");
  // The same clean-up the package applies to the schemas it reads (regexes written with \a or \v).
  return JSON.parse(raw.replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b")) as Record<string, unknown>;
}

type AnyManifest = Parameters<typeof AppManifestUtils.validateAgainstSchema>[0];
type AnySchema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

/** Every schema error, one line each ("/bots/0/botId must match pattern ..."); empty when the manifest is valid. */
export async function schemaErrors(manifest: TeamsManifest): Promise<string[]> {
  const schema = await loadBundledSchema(manifest.$schema);
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as AnyManifest, schema as unknown as AnySchema);
}
