// Latency of one section submit through /api/messages (validate, store the draft, reply with the next card),
// against a baseline measured in the same run: a bare CloudAdapter turn that does one Azure Tables upsert.
import express from "express";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from "botbuilder";
import type { AddressInfo } from "node:net";
import { TableClient } from "@azure/data-tables";
import { invokeExecute, postToBot } from "../test/support/teams-activities";
import { startDemoBot } from "./demo-bot";

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export async function benchTeamsSubmit(connectionString: string, runs = 300): Promise<{ submit: number[]; baseline: number[] }> {
  const demo = await startDemoBot(connectionString, "benchteams");
  const { core, connector, url, month, asha } = demo;
  const mine = { caseRef: demo.ashaCase };
  const toolkit = core.toolkits.get("tier2-caf")!;
  const section = toolkit.sections[0]!;
  const press = (verb: string, data: Record<string, unknown>) =>
    postToBot(url, invokeExecute({ from: asha, serviceUrl: connector.url, verb, data: { verb, month, caseRef: mine.caseRef, ...data }, replyToId: "x" }));
  await press("startAudit", {});

  const submit: number[] = [];
  for (let i = 0; i < runs; i++) {
    const inputs: Record<string, unknown> = { sectionId: section.id, overview: `Overview of consent, run ${i}, for the benchmark.` };
    for (const q of section.questions) Object.assign(inputs, { [`${q.id}.answer`]: "good", [`${q.id}.comment`]: `Consent recorded and signed by both parents, run ${i}.` });
    const t = process.hrtime.bigint();
    const r = await press("saveSection", inputs);
    submit.push(ms(t));
    if (r.status !== 200) throw new Error(`submit answered ${r.status}`);
  }
  await demo.bot.close();

  // Baseline: the same adapter and HTTP stack, one upsert, an invoke response.
  const client = TableClient.fromConnectionString(connectionString, "benchbaseline", { allowInsecureConnection: true });
  await client.createTable();
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const app = express();
  app.use(express.json());
  app.post("/api/messages", (req, res) =>
    adapter.process(req, res, async (context: TurnContext) => {
      await client.upsertEntity({ partitionKey: "p", rowKey: "r", value: String(Date.now()) });
      await context.sendActivity({ type: "invokeResponse", value: { status: 200, body: { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: "ok" } } });
    }),
  );
  const server = app.listen(0);
  await new Promise((r) => server.once("listening", r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await postToBot(baseUrl, invokeExecute({ from: asha, serviceUrl: connector.url, verb: "x", data: {}, replyToId: "x" }));
    baseline.push(ms(t));
  }
  server.close();
  await connector.close();
  return { submit: submit.slice(20), baseline: baseline.slice(20) };
}

export function printTeamsSubmit(figure: (name: string, value: number, target: string) => void, r: { submit: number[]; baseline: number[] }) {
  const b50 = percentile(r.baseline, 50);
  const b99 = percentile(r.baseline, 99);
  const s50 = percentile(r.submit, 50);
  const s99 = percentile(r.submit, 99);
  figure("baseline: bare CloudAdapter turn with one upsert, p50", b50, "-");
  figure("baseline: bare CloudAdapter turn with one upsert, p99", b99, "-");
  figure("section submit through /api/messages, p50", s50, `<= 3x baseline = ${(3 * b50).toFixed(1)} ms`);
  figure("section submit through /api/messages, p99", s99, `< 50 ms and <= 3x baseline = ${(3 * b99).toFixed(1)} ms`);
}
