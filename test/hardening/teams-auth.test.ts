// Production refuses Teams requests that are not signed by the Bot Framework: with MicrosoftAppId (and its tenant)
// set, POST /api/messages without an Authorization header, or with a token that is not one Bot Framework issued,
// gets 401, and nothing is handled or stored. The refusals tested here are decided before botbuilder would fetch
// its OpenID metadata from the internet (a token with no readable issuer, or one from an issuer it does not trust),
// so no network is needed. And production will not start without an app id at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { loadExamples } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import { installUpdate, invokeExecute, personalMessage, type TeamsInboundActivity, type TeamsUser } from "../support/teams-activities";
import { snapshot } from "../support/teams-cards";

const APP_ID = "11111111-2222-4333-8444-555555555555";
const TENANT = "00000000-0000-4000-8000-00000000cafe";
const PRODUCTION = { NODE_ENV: "production", MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT, MicrosoftAppType: "UserAssignedMSI" };

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
/** A well-formed JWT from an issuer Bot Framework does not trust, with a made-up signature. */
const foreignJwt = `${b64({ alg: "RS256", typ: "JWT", kid: "x" })}.${b64({ iss: "https://evil.example.org/", aud: APP_ID, exp: Math.floor(Date.now() / 1000) + 3600, serviceurl: "http://127.0.0.1/" })}.c2lnbmF0dXJl`;

describe("Teams authentication in production", () => {
  let h: Harness;
  let asha: TeamsUser;
  const lines: string[] = [];
  beforeAll(async () => {
    h = await startHarness(PRODUCTION, undefined, { logTo: { write: (line) => void lines.push(line) } });
    await loadExamples(h);
    asha = h.user("Asha Patel", "asha.patel@example.gov.uk");
  });
  afterAll(async () => h?.close());

  async function post(activity: TeamsInboundActivity, authorization?: string) {
    const response = await fetch(`${h.bot.url}/api/messages`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(authorization === undefined ? {} : { Authorization: authorization }) },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, body: await response.text() };
  }

  it("runs with authentication on (no local-only warning)", () => {
    expect(h.bot.core).toBeDefined();
    expect(lines.some((l) => l.includes('"code":"teams_auth_off"'))).toBe(false);
  });

  it.each([
    ["no Authorization header", undefined],
    ["an empty Bearer", "Bearer "],
    ["a garbage Bearer token", "Bearer garbage.not-a-jwt"],
    ["another scheme", `Basic ${Buffer.from("bot:secret").toString("base64")}`],
    ["a JWT from an issuer Bot Framework does not trust", `Bearer ${foreignJwt}`],
  ])("refuses an install, a message and a button press with %s: 401, nothing handled, nothing stored", async (_what, authorization) => {
    const before = await snapshot(h);
    const from = { from: asha, serviceUrl: h.connector.url };
    const turnsBefore = lines.filter((l) => l.includes('"msg":"teams turn')).length;
    for (const activity of [
      installUpdate(from),
      personalMessage({ ...from, text: "my audits" }),
      invokeExecute({ ...from, verb: "startAudit", data: { verb: "startAudit", month: "2026-12", caseRef: "CAF-1001" }, replyToId: "card-1" }),
    ]) {
      const res = await post(activity, authorization);
      expect(res.status, `${activity.type} ${res.body}`).toBe(401);
    }
    // Nothing reached the turn handler: no reply, no member look-up, no identity linked, no row written.
    expect(h.connector.requests).toEqual([]);
    expect(h.connector.sent).toEqual([]);
    expect(lines.filter((l) => l.includes('"msg":"teams turn')).length).toBe(turnsBefore);
    expect(lines.some((l) => l.includes("teams user reached the bot"))).toBe(false);
    expect(await h.core.directory.findByChannelUser("teams", asha.aadObjectId)).toBeUndefined();
    expect(await snapshot(h)).toEqual(before);
  });
});

describe("production settings", () => {
  it("refuses NODE_ENV=production without MicrosoftAppId, with a sentence naming it", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/MicrosoftAppId is required when NODE_ENV is production/);
    expect(() => loadConfig({ NODE_ENV: "production", MicrosoftAppTenantId: TENANT, MicrosoftAppType: "UserAssignedMSI" })).toThrow(/MicrosoftAppId is required/);
    expect(loadConfig(PRODUCTION).MicrosoftAppId).toBe(APP_ID);
  });
});
