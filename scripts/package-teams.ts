// `npm run package:teams`: the zip a council uploads to Teams (Teams admin centre, or Developer Portal / "Upload a
// custom app"): manifest/teams/build/caf-audit-teams.zip with manifest.json, color.png and outline.png at its root.
// The bot id comes from TEAMS_APP_BOT_ID, else MicrosoftAppId (the Azure Bot's Microsoft App ID, the same setting the
// bot runs with); with neither, the placeholder in manifest.json stays and a warning says so. The manifest is
// checked against the bundled official schema (no network) before anything is written.
// Exit codes: 0 written; 1 refused (one sentence on stderr says why and what to do).
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import JSZip from "jszip";
import { isGuid, MANIFEST_PATH, PLACEHOLDER_BOT_ID, readManifest, ROOT, schemaErrors, TEAMS_DIR, ZIP_PATH } from "./teams-manifest";

class Refused extends Error {}

async function main(): Promise<void> {
  const manifest = await readManifest();
  if (manifest.bots.length !== 1) throw new Refused(`${relative(ROOT, MANIFEST_PATH)} must have exactly one bot; it has ${manifest.bots.length}.`);
  const settings: [string, string | undefined][] = [
    ["TEAMS_APP_BOT_ID", process.env.TEAMS_APP_BOT_ID],
    ["MicrosoftAppId", process.env.MicrosoftAppId],
  ];
  const fromEnv = settings.find(([, value]) => value !== undefined && value.trim() !== "");
  const botId = fromEnv ? (fromEnv[1] ?? "").trim() : (manifest.bots[0]?.botId ?? "");
  const source = fromEnv ? fromEnv[0] : relative(ROOT, MANIFEST_PATH);
  if (!isGuid(botId)) {
    throw new Refused(
      `The bot id "${botId}" from ${source} is not a GUID: set TEAMS_APP_BOT_ID to the Microsoft App ID of your Azure Bot, like 1b2c3d4e-0000-4000-8000-123456789abc, and run npm run package:teams again.`,
    );
  }
  manifest.bots[0]!.botId = botId.toLowerCase();

  const errors = await schemaErrors(manifest);
  if (errors.length > 0) {
    throw new Refused(`${relative(ROOT, MANIFEST_PATH)} does not match the Teams manifest schema ${manifest.manifestVersion}; fix these and run again:\n  ${errors.join("\n  ")}`);
  }

  const zip = new JSZip();
  zip.file("manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);
  for (const icon of [manifest.icons.color, manifest.icons.outline]) {
    const path = join(TEAMS_DIR, icon);
    const bytes = await readFile(path).catch(() => {
      throw new Refused(`The icon ${relative(ROOT, path)} is missing: run npx tsx scripts/make-teams-icons.ts to draw it.`);
    });
    zip.file(icon, bytes);
  }
  // A fixed date on every entry: the same inputs give the same zip.
  for (const entry of Object.values(zip.files)) entry.date = new Date("2026-01-01T00:00:00Z");
  const bytes = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", platform: "UNIX" });
  await rm(ZIP_PATH, { force: true });
  await mkdir(dirname(ZIP_PATH), { recursive: true });
  await writeFile(ZIP_PATH, bytes);

  if (botId.toLowerCase() === PLACEHOLDER_BOT_ID) {
    process.stderr.write(
      `Warning: the bot id is still the placeholder ${PLACEHOLDER_BOT_ID}; Teams will not reach your bot with it. Set TEAMS_APP_BOT_ID (or MicrosoftAppId) to your Azure Bot's Microsoft App ID before uploading.\n`,
    );
  }
  if (JSON.stringify(manifest).includes("example.gov.uk")) {
    process.stderr.write(`Warning: the developer, privacy and terms addresses in ${relative(ROOT, MANIFEST_PATH)} are still the example.gov.uk placeholders.\n`);
  }
  process.stdout.write(`Wrote ${relative(ROOT, ZIP_PATH)} (bot id ${manifest.bots[0]!.botId}, app id ${manifest.id}, manifest ${manifest.manifestVersion}).\n`);
}

try {
  await main();
} catch (err) {
  if (!(err instanceof Refused)) throw err;
  // Refused: nothing half-written is left behind for someone to upload by mistake.
  await rm(ZIP_PATH, { force: true });
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 1;
}
