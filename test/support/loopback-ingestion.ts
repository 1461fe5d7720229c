// A loopback stand-in for Application Insights' ingestion endpoint (POST /v2.1/track, gzipped JSON envelopes), over
// HTTPS because the exporter refuses anything else. Its certificate is made per run; a child process trusts it
// through NODE_EXTRA_CA_CERTS, which Node reads only at start.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import selfsigned from "selfsigned";

/** One telemetry item as the exporter sends it: `data.baseType` is RequestData, RemoteDependencyData, ExceptionData... */
export interface Envelope {
  name: string;
  data: { baseType: string; baseData: Record<string, unknown> & { name?: string; type?: string; data?: string; target?: string } };
}

export interface LoopbackIngestion {
  connectionString: string;
  /** The environment a child process needs to send here: the connection string and trust in the certificate. */
  env: Record<string, string>;
  /** Every envelope received, in order, and each request body as it arrived (for searching the raw text). */
  envelopes: Envelope[];
  rawBodies: string[];
  close(): Promise<void>;
}

export async function startLoopbackIngestion(): Promise<LoopbackIngestion> {
  const pems = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
  });
  const dir = await mkdtemp(join(tmpdir(), "caf-ingestion-"));
  const caFile = join(dir, "ca.pem");
  await writeFile(caFile, pems.cert);
  const envelopes: Envelope[] = [];
  const rawBodies: string[] = [];
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const text = (req.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body).toString("utf8");
      rawBodies.push(text);
      const items = JSON.parse(text) as Envelope[];
      envelopes.push(...items);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const connectionString = `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://127.0.0.1:${port}/`;
  return {
    connectionString,
    env: { APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString, NODE_EXTRA_CA_CERTS: caFile },
    envelopes,
    rawBodies,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The Table Storage dependencies among the envelopes: the client's own operations and its HTTP requests. */
export function tablesDependencies(envelopes: readonly Envelope[], tablesHost: string): Envelope[] {
  return envelopes.filter(
    (e) => e.data.baseType === "RemoteDependencyData" && (String(e.data.baseData.type).includes("Microsoft.Data.Tables") || e.data.baseData.target === tablesHost),
  );
}
