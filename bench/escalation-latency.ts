// Time from the auditor pressing Escalate now to the FSM's card leaving the outbox (arriving at the loopback Teams connector).
import { invokeExecute, personalConversationId, postToBot } from "../test/support/teams-activities";
import { startDemoBot } from "./demo-bot";

export async function benchEscalation(connectionString: string, runs = 40): Promise<number[]> {
  const demo = await startDemoBot(connectionString, "benchesc", { CAF_RELAY_INTERVAL_MS: "1000", CAF_LADDER_INTERVAL_MS: "60000" });
  const { connector, url, month, asha } = demo;
  const mine = { caseRef: demo.ashaCase };
  const lena = await demo.install("Lena Fisher", "lena.fisher@example.gov.uk");
  const lenaChat = personalConversationId(lena);

  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const seen = `Benchmark concern number ${i}: a child was left without a safety plan after a disclosure.`;
    const before = connector.sent.length;
    const t = process.hrtime.bigint();
    await postToBot(url, invokeExecute({ from: asha, serviceUrl: connector.url, verb: "raiseUnsafe", replyToId: "x", data: { verb: "raiseUnsafe", month, caseRef: mine.caseRef, "unsafe.seen": seen, "unsafe.when": "current", "unsafe.urgency": "immediate" } }));
    await connector.waitFor((sent) => sent.slice(before).some((s) => s.conversationId === lenaChat && JSON.stringify(s.activity).includes(`number ${i}:`)), 10_000);
    latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    // One concern at a time, as an auditor raises them: the relay paces several to one person at 5 a second.
    await new Promise((r) => setTimeout(r, 250));
  }
  await demo.close();
  return latencies;
}
