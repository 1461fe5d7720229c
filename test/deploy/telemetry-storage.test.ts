// Table Storage calls reach Application Insights as dependencies, from the production entry (`caf-audit serve`) and
// from a process that loaded the Tables client before telemetry started, and none of them carries an entity's keys
// (people are keyed by email) or contents. Telemetry goes to a loopback HTTPS ingestion endpoint; what it received is
// searched as the raw text that would have left the council.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { importPeople } from "../../src/app/allocation/import-people";
import { systemClock } from "../../src/app/ports";
import { loadConfig } from "../../src/config";
import { createCore } from "../../src/wiring";
import { reachable, startBotProcess } from "../support/bot-process";
import { startLoopbackConnector, type LoopbackConnector } from "../support/loopback-connector";
import { startLoopbackIngestion, tablesDependencies, type LoopbackIngestion } from "../support/loopback-ingestion";
import { PROJECT_ROOT } from "../support/run-cli";
import { freshTables, uniquePrefix } from "../support/tables";
import { personalConversationId, personalMessage, postToBot } from "../support/teams-activities";

const ASHA = { name: "Asha Patel", email: "asha.patel@example.gov.uk" };
const tablesHost = () => new URL(/TableEndpoint=([^;]+)/.exec(inject("tablesConnectionString"))![1]!).host;

/** What must never leave: the person's key and name, and the shape of a key or a query in a URL. */
function expectNothingPersonal(ingestion: LoopbackIngestion, email: string, name: string) {
  const sent = ingestion.rawBodies.join("\n");
  for (const secret of [email, encodeURIComponent(email), email.replace("@", "%2540"), name, "PartitionKey", "RowKey", "$filter", "%24filter"]) {
    expect(sent, `telemetry carries ${secret}`).not.toContain(secret);
  }
}

describe("Table Storage in telemetry", () => {
  let ingestion: LoopbackIngestion;
  let connector: LoopbackConnector;
  beforeAll(async () => {
    ingestion = await startLoopbackIngestion();
    connector = await startLoopbackConnector();
  });
  afterAll(async () => {
    await ingestion?.close();
    await connector?.close();
  });

  it("caf-audit serve reports its Tables calls, without keys or contents, when a person writes to the bot", async () => {
    const prefix = uniquePrefix();
    const core = createCore(await freshTables(prefix), loadConfig({}), systemClock);
    const people = `email,name,roles,service_area,manager_email,monthly_capacity\n${ASHA.email},${ASHA.name},auditor,North,,2`;
    expect((await importPeople(core, Buffer.from(people), "test")).ok).toBe(true);
    const asha = await reachable(core, connector, ASHA.name, ASHA.email);

    const bot = await startBotProcess(prefix, ingestion.env);
    const before = ingestion.envelopes.length;
    try {
      const turn = await postToBot(`${bot.url}/api/messages`, personalMessage({ from: asha, serviceUrl: connector.url, text: "my audits" }));
      expect(turn.status).toBe(200);
      await connector.waitFor((sent) => sent.some((s) => s.conversationId === personalConversationId(asha)), 10_000);
    } finally {
      await bot.stop(); // SIGTERM flushes what telemetry holds
    }

    const received = ingestion.envelopes.slice(before);
    const tables = tablesDependencies(received, tablesHost());
    // The client's own operations (InProc) and the HTTP requests under them.
    expect(tables.filter((e) => String(e.data.baseData.type).includes("Microsoft.Data.Tables")).map((e) => e.data.baseData.name)).toContain("TableClient.getEntity");
    const requests = tables.filter((e) => e.data.baseData.target === tablesHost());
    expect(requests.some((e) => String(e.data.baseData.data).includes(`${prefix}People`))).toBe(true);
    expect(received.some((e) => e.data.baseType === "RequestData" && e.data.baseData.name === "POST /api/messages")).toBe(true);
    expectNothingPersonal(ingestion, ASHA.email, ASHA.name);
  }, 60_000);

  it("reports Tables calls from a process that loaded the Tables client before telemetry started", async () => {
    const prefix = uniquePrefix();
    const before = ingestion.envelopes.length;
    const person = { email: "ben.okafor@example.gov.uk", name: "Ben Okafor" };
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/telemetry-child.ts"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...ingestion.env, AZURE_TABLES_CONNECTION_STRING: inject("tablesConnectionString"), CAF_TABLE_PREFIX: prefix, CHILD_PERSON_EMAIL: person.email, CHILD_PERSON_NAME: person.name },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code, stderr).toBe(0);

    const operations = tablesDependencies(ingestion.envelopes.slice(before), tablesHost()).map((e) => e.data.baseData.name);
    expect(operations).toEqual(expect.arrayContaining(["TableClient.upsertEntity", "TableClient.getEntity"]));
    expectNothingPersonal(ingestion, person.email, person.name);
  }, 60_000);
});
