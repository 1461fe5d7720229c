// Application Insights is switched on by its connection string alone, and never gets in the way: absent, nothing is
// loaded; present but unreachable, the bot still starts and stops cleanly. URLs lose entity keys and queries.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelemetry } from "../../src/telemetry";
import { redactUrl } from "../../src/telemetry-redaction";

const silentLog = pino({ level: "silent" });

describe("startTelemetry", () => {
  let ingestion: Server;
  let port: number;
  beforeAll(async () => {
    // A loopback stand-in for the ingestion endpoint; what reaches it (the exporter insists on https) is not asserted.
    ingestion = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"itemsReceived":0,"itemsAccepted":0,"errors":[]}'));
    await new Promise<void>((resolve) => ingestion.listen(0, "127.0.0.1", resolve));
    port = (ingestion.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => ingestion.close(() => resolve())));

  it("stays off when APPLICATIONINSIGHTS_CONNECTION_STRING is absent or empty", async () => {
    for (const env of [{}, { APPLICATIONINSIGHTS_CONNECTION_STRING: "" }]) {
      const telemetry = await startTelemetry(env, silentLog);
      expect(telemetry.enabled).toBe(false);
      await expect(telemetry.stop()).resolves.toBeUndefined();
    }
  });

  it("starts with a connection string and stops cleanly even when the endpoint does not answer as Azure would", async () => {
    const connectionString = `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:${port}/`;
    const telemetry = await startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }, silentLog);
    expect(telemetry.enabled).toBe(true);
    await expect(telemetry.stop()).resolves.toBeUndefined();
  }, 5_000);
});

describe("redactUrl", () => {
  it("cuts a table entity's keys, which can be an email address, and keeps the table", () => {
    expect(redactUrl("https://acct.table.core.windows.net/cafpeople(PartitionKey='p',RowKey='asha.patel%40council.gov.uk')")).toBe(
      "https://acct.table.core.windows.net/cafpeople()",
    );
  });

  it("cuts keys containing a bracket, and query strings and fragments", () => {
    expect(redactUrl("/cafcases(PartitionKey='a)b',RowKey='c')?$select=x")).toBe("/cafcases()");
    expect(redactUrl("https://host/cafcases()?$filter=PartitionKey%20eq%20'x'")).toBe("https://host/cafcases()");
    expect(redactUrl("/api/messages?email=a@b#top")).toBe("/api/messages");
  });

  it("leaves a URL with nothing to cut as it is", () => {
    expect(redactUrl("https://slack.com/api/chat.postMessage")).toBe("https://slack.com/api/chat.postMessage");
  });
});
