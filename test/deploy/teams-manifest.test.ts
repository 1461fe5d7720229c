// The Teams app package a council uploads: manifest/teams/manifest.json checked against the official schema bundled
// in @microsoft/app-manifest (no network), the icons Teams requires, a command menu the bot really answers, and
// `npm run package:teams` producing the zip with the three files at its root.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AppManifestUtils } from "@microsoft/app-manifest";
import JSZip from "jszip";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { importPeople } from "../../src/app/allocation/import-people";
import { colorIcon, outlineIcon } from "../../scripts/make-teams-icons";
import { bundledSchemaPath, loadBundledSchema, PLACEHOLDER_BOT_ID, readManifest, ROOT, schemaErrors, TEAMS_DIR, ZIP_PATH, type TeamsManifest } from "../../scripts/teams-manifest";
import { startHarness, type Harness } from "../support/bot-harness";
import type { TeamsUser } from "../support/teams-activities";
import { cardText, heading, sayAndRead } from "../support/teams-cards";

const SCHEMA_VERSION = "1.22";
const HELP_HEADING = "What I can do";

/**
 * Words the bot answers that are deliberately NOT in the command menu, each with an example a user would type.
 * Every phrase src/app/commands.ts (and audit/set-away.ts) recognises must be listed in the manifest or here.
 */
const UNLISTED: { phrase: string; example: string; why: string }[] = [
  { phrase: "audits", example: "audits", why: "alias of my audits" },
  { phrase: "my audit", example: "my audit", why: "alias of my audits" },
  { phrase: "overdue", example: "overdue", why: "alias of overdue actions" },
  { phrase: "unsafe", example: "unsafe", why: "alias of unsafe practice" },
  { phrase: "report unsafe practice", example: "report unsafe practice", why: "alias of unsafe practice" },
  { phrase: "away until DATE", example: "away until 24/12/2026", why: "the menu's away asks for the date; typed in full it is answered at once" },
  { phrase: "away off", example: "away off", why: "alias of back" },
];

/** In a team channel every reply is seen by the whole team (digests carry references and counts only): help only. */
const TEAM_COMMANDS = ["help"];
const PERSONAL_COMMANDS = ["my audits", "unsafe practice", "overdue actions", "away", "back", "help"];

const commandsOf = (m: TeamsManifest, scope: string) => (m.bots[0]?.commandLists ?? []).filter((l) => l.scopes.includes(scope)).flatMap((l) => l.commands);
const allTitles = (m: TeamsManifest) => [...new Set((m.bots[0]?.commandLists ?? []).flatMap((l) => l.commands.map((c) => c.title)))];

describe("the Teams app manifest", () => {
  let manifest: TeamsManifest;
  beforeAll(async () => {
    manifest = await readManifest();
  });

  it(`declares schema ${SCHEMA_VERSION}, whose official JSON schema is bundled in @microsoft/app-manifest`, async () => {
    expect(manifest.manifestVersion).toBe(SCHEMA_VERSION);
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/en-us/json-schemas/teams/v${SCHEMA_VERSION}/MicrosoftTeams.schema.json`);
    expect(bundledSchemaPath(manifest.$schema)).toContain(join("@microsoft", "app-manifest", "build", "json-schemas", "teams", `v${SCHEMA_VERSION}`));
    const schema = (await loadBundledSchema(manifest.$schema)) as { properties: { manifestVersion: { const?: string } } };
    expect(schema.properties.manifestVersion.const).toBe(SCHEMA_VERSION);
  });

  it("is valid against that schema, checked offline with the package's own validator", async () => {
    // Only the bundled file is read: the package's network fetch must never be reached.
    const fetchSchema = vi.spyOn(AppManifestUtils, "fetchSchema").mockRejectedValue(new Error("no network in tests"));
    try {
      expect(await schemaErrors(manifest)).toEqual([]);
      // The validator is live: a manifest Teams would refuse is refused here too.
      const broken = structuredClone(manifest);
      broken.bots[0]!.botId = "${{TEAMS_APP_BOT_ID}}";
      broken.description.short = "x".repeat(81);
      const errors = await schemaErrors(broken);
      expect(errors.join("\n")).toMatch(/\/bots\/0\/botId must match pattern/);
      expect(errors.join("\n")).toMatch(/\/description\/short must NOT have more than 80 characters/);
      expect(fetchSchema).not.toHaveBeenCalled();
    } finally {
      fetchSchema.mockRestore();
    }
  });

  it("has one conversational bot for personal and team scopes, with the placeholder bot id", () => {
    expect(manifest.bots).toHaveLength(1);
    const bot = manifest.bots[0]!;
    expect(bot.botId).toBe(PLACEHOLDER_BOT_ID);
    expect([...bot.scopes].sort()).toEqual(["personal", "team"]);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
    expect(manifest.id).not.toBe(PLACEHOLDER_BOT_ID);
  });

  it("has the command menu a user sees: short titles and descriptions, at most 10 a scope", () => {
    expect(commandsOf(manifest, "personal").map((c) => c.title)).toEqual(PERSONAL_COMMANDS);
    expect(commandsOf(manifest, "team").map((c) => c.title)).toEqual(TEAM_COMMANDS);
    for (const list of manifest.bots[0]!.commandLists ?? []) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      expect(new Set(list.commands.map((c) => c.title)).size).toBe(list.commands.length);
      for (const c of list.commands) {
        // Teams shows 32 characters of a title and 128 of a description; a title is what gets typed for the user.
        expect(c.title.length, c.title).toBeLessThanOrEqual(32);
        expect(c.title).toBe(c.title.toLowerCase().trim());
        expect(c.description.length, c.title).toBeGreaterThan(0);
        expect(c.description.length, c.title).toBeLessThanOrEqual(128);
      }
    }
  });

  it("has descriptions within Teams' limits, and the developer, privacy and terms pages on one host that is a valid domain", () => {
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
    const urls = [manifest.developer.websiteUrl, manifest.developer.privacyUrl, manifest.developer.termsOfUseUrl].map((u) => new URL(u));
    expect(urls.map((u) => u.protocol)).toEqual(["https:", "https:", "https:"]);
    expect(new Set(urls.map((u) => u.host)).size).toBe(1);
    expect(manifest.validDomains).toContain(urls[0]!.host);
    expect(manifest.developer.privacyUrl).not.toBe(manifest.developer.termsOfUseUrl);
  });
});

describe("the Teams app icons", () => {
  let manifest: TeamsManifest;
  let color: PNG;
  let outline: PNG;
  beforeAll(async () => {
    manifest = await readManifest();
    color = PNG.sync.read(await readFile(join(TEAMS_DIR, manifest.icons.color)));
    outline = PNG.sync.read(await readFile(join(TEAMS_DIR, manifest.icons.outline)));
  });

  const pixels = (png: PNG) => Array.from({ length: png.width * png.height }, (_, i) => [...png.data.subarray(i * 4, i * 4 + 4)] as [number, number, number, number]);

  it("colour icon: 192x192, opaque, the accent colour behind a white mark", () => {
    expect(manifest.icons.color).toBe("color.png");
    expect([color.width, color.height]).toEqual([192, 192]);
    const all = pixels(color);
    expect(all.every(([, , , a]) => a === 255)).toBe(true);
    const accent = [1, 3, 5].map((i) => parseInt(manifest.accentColor.slice(i, i + 2), 16));
    for (const corner of [all[0]!, all[191]!, all[191 * 192]!, all[192 * 192 - 1]!]) expect(corner.slice(0, 3)).toEqual(accent);
    expect(all.filter(([r, g, b]) => r === 255 && g === 255 && b === 255).length).toBeGreaterThan(500);
  });

  it("outline icon: 32x32, only white or transparent pixels", () => {
    expect(manifest.icons.outline).toBe("outline.png");
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const all = pixels(outline);
    const offending = all.map((p, i) => ({ p, i })).filter(({ p: [r, g, b, a] }) => a !== 0 && !(r === 255 && g === 255 && b === 255));
    expect(offending.map(({ p, i }) => `(${i % 32},${Math.floor(i / 32)}) rgba(${p.join(",")})`)).toEqual([]);
    expect(all.filter(([, , , a]) => a === 255).length).toBeGreaterThan(100);
    expect(all.filter(([, , , a]) => a === 0).length).toBeGreaterThan(300);
  });

  it("the committed PNGs are what scripts/make-teams-icons.ts draws", () => {
    expect(PNG.sync.read(colorIcon(manifest.accentColor)).data.equals(color.data)).toBe(true);
    expect(PNG.sync.read(outlineIcon()).data.equals(outline.data)).toBe(true);
  });
});

describe("the command menu against the running bot", () => {
  let h: Harness;
  let asha: TeamsUser;
  let manifest: TeamsManifest;

  beforeAll(async () => {
    manifest = await readManifest();
    // Tuesday 1 December 2026: "away until 24/12/2026" is a date ahead.
    h = await startHarness({}, "2026-12-01T10:00:00Z");
    await importPeople(h.core, await readFile(join(ROOT, "examples/people.csv")), "test");
    asha = h.user("Asha Patel", "asha.patel@example.gov.uk");
    expect((await h.install(asha)).status).toBeLessThan(300);
  });
  afterAll(async () => h?.close());

  it("answers every listed command with its own reply, and help with the help card", async () => {
    for (const title of allTitles(manifest)) {
      const card = await sayAndRead(h, asha, title);
      if (title === "help") expect(heading(card), title).toBe(HELP_HEADING);
      else expect(heading(card), `"${title}" got the generic help card: ${cardText(card).slice(0, 200)}`).not.toBe(HELP_HEADING);
    }
  });

  it("answers every deliberately unlisted phrase too, and anything else with the help card", async () => {
    for (const { example } of UNLISTED) {
      const card = await sayAndRead(h, asha, example);
      expect(heading(card), `"${example}" got the generic help card`).not.toBe(HELP_HEADING);
    }
    expect(heading(await sayAndRead(h, asha, "what is this"))).toBe(HELP_HEADING);
  });

  it("every phrase the bot recognises in src/app is either in the menu or deliberately unlisted", async () => {
    const sources = await Promise.all(["src/app/commands.ts", "src/app/audit/set-away.ts"].map((f) => readFile(join(ROOT, f), "utf8")));
    const recognised = new Set<string>();
    for (const source of sources) {
      for (const m of source.matchAll(/\bwords\s*===\s*"([^"]+)"|\bwords\.startsWith\("([^"]+)"\)/g)) recognised.add((m[1] ?? m[2])!.trim());
    }
    // If this fails the text commands moved: update the extraction above along with them.
    expect([...recognised]).toEqual(expect.arrayContaining(["my audits", "help", "back"]));
    const listed = new Set(allTitles(manifest));
    const unlisted = new Set(UNLISTED.map((u) => u.phrase));
    const accounted = (phrase: string) => listed.has(phrase) || unlisted.has(phrase);
    expect([...recognised].filter((p) => !accounted(p)), "add these to the manifest's command list or to UNLISTED in this test").toEqual([]);
  });
});

describe("npm run package:teams", () => {
  const GUID = "1b2c3d4e-0000-4000-8000-123456789abc";
  function runPackage(env: Record<string, string>) {
    const clean = { ...process.env };
    delete clean.TEAMS_APP_BOT_ID;
    delete clean.MicrosoftAppId;
    return spawnSync(process.execPath, ["--import", "tsx", "scripts/package-teams.ts"], { cwd: ROOT, env: { ...clean, ...env }, encoding: "utf8", timeout: 60_000 });
  }
  async function readZip() {
    const zip = await JSZip.loadAsync(await readFile(ZIP_PATH));
    const manifest = JSON.parse(await zip.file("manifest.json")!.async("string")) as TeamsManifest;
    return { zip, manifest };
  }

  it("is the package script in package.json", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts["package:teams"]).toBe("tsx scripts/package-teams.ts");
  });

  it("writes the zip with manifest.json, color.png and outline.png at its root, the bot id from TEAMS_APP_BOT_ID", async () => {
    const run = runPackage({ TEAMS_APP_BOT_ID: GUID.toUpperCase(), MicrosoftAppId: "ffffffff-0000-4000-8000-000000000000" });
    expect(run.status, run.stderr).toBe(0);
    const { zip, manifest } = await readZip();
    expect(Object.keys(zip.files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    expect(manifest.bots[0]!.botId).toBe(GUID);
    const source = await readManifest();
    source.bots[0]!.botId = GUID;
    expect(manifest).toEqual(source);
    expect(await schemaErrors(manifest)).toEqual([]);
    for (const icon of ["color.png", "outline.png"]) expect((await zip.file(icon)!.async("nodebuffer")).equals(await readFile(join(TEAMS_DIR, icon)))).toBe(true);
  });

  it("falls back to MicrosoftAppId, and warns when neither is set and the placeholder stays", async () => {
    const fromAppId = runPackage({ MicrosoftAppId: GUID });
    expect(fromAppId.status, fromAppId.stderr).toBe(0);
    expect((await readZip()).manifest.bots[0]!.botId).toBe(GUID);
    const placeholder = runPackage({});
    expect(placeholder.status, placeholder.stderr).toBe(0);
    expect((await readZip()).manifest.bots[0]!.botId).toBe(PLACEHOLDER_BOT_ID);
    expect(placeholder.stderr).toMatch(/still the placeholder .*TEAMS_APP_BOT_ID/);
  });

  it("refuses with a sentence when the bot id is not a GUID, and leaves no zip behind", async () => {
    const run = runPackage({ TEAMS_APP_BOT_ID: "${{TEAMS_APP_BOT_ID}}" });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^The bot id "\$\{\{TEAMS_APP_BOT_ID\}\}" from TEAMS_APP_BOT_ID is not a GUID: set TEAMS_APP_BOT_ID .*\.$/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(ZIP_PATH)).toBe(false);
  });
});
