// Scenario A: N auditors at once, each through the whole Tier 2 toolkit over POST /api/messages: install, wait for
// the allocation card, Start audit, every section with valid answers (the last one answers with the final card),
// then Submit audit.
import { londonDate } from "../../src/domain/working-days";
import { finalInputs, sectionAnswers, SECTIONS } from "../../test/support/audit-inputs";
import { installUpdate, invokeExecute, personalConversationId, postToBot, teamsUser, type TeamsUser } from "../../test/support/teams-activities";
import { finishRun, startLoadBot } from "./bot";
import { QA_EMAIL } from "./council";
import { compareDelivery, drained, proactive, sleep } from "./measure";

const headingOf = (body: unknown) => String(((body as { value?: { body?: { text?: string }[] } })?.value?.body ?? [])[0]?.text ?? "");

export async function scenarioA(connectionString: string, auditors: number) {
  const s = await startLoadBot(connectionString, "loadA", auditors, auditors + 30);
  const idle = s.memory();
  const month = londonDate(new Date()).slice(0, 7);
  await s.allocate(month, 42);
  const plan = (await s.core.allocations.getPlan(month))!.plan;
  const caseOf = new Map(plan.assignments.map((a) => [a.auditorEmail, a.caseRef]));
  const join = async (name: string, email: string) => {
    const user = teamsUser(name);
    s.connector.addMember({ id: user.id, aadObjectId: user.aadObjectId, name, email });
    return user;
  };
  // The QA lead is already set up, so the review cards that submissions make are delivered too.
  await postToBot(s.url, installUpdate({ from: await join("QA Lead", QA_EMAIL), serviceUrl: s.connector.url }));

  const latencies: number[] = [];
  const failures: string[] = [];
  const turn = async (what: string, send: () => Promise<{ status: number; body: unknown }>, expectHeading?: (h: string) => boolean) => {
    const t = performance.now();
    const r = await send();
    latencies.push(performance.now() - t);
    if (r.status >= 300 || (expectHeading && !expectHeading(headingOf(r.body)))) failures.push(`${what}: ${r.status} ${headingOf(r.body) || JSON.stringify(r.body).slice(0, 120)}`);
    return r;
  };
  const auditor = async (i: number) => {
    const email = `auditor${i}@example.gov.uk`;
    const caseRef = caseOf.get(email)!;
    const user: TeamsUser = await join(`Auditor ${i}`, email);
    const addressing = { from: user, serviceUrl: s.connector.url };
    await turn("install", () => postToBot(s.url, installUpdate(addressing)));
    // The allocation card was waiting for them: it arrives once they have installed.
    const chat = personalConversationId(user);
    const deadline = Date.now() + 60_000;
    while (!proactive(s.connector).some((a) => a.conversationId === chat && JSON.stringify(a.activity).includes(`"caseRef":"${caseRef}"`))) {
      if (Date.now() > deadline) throw new Error(`no allocation card for ${email}`);
      await sleep(20);
    }
    const press = (verb: string, data: Record<string, unknown>) => () => postToBot(s.url, invokeExecute({ ...addressing, verb, replyToId: "card", data: { verb, month, caseRef, ...data } }));
    await turn("startAudit", press("startAudit", {}), (h) => h !== "");
    for (const [n, section] of SECTIONS.entries()) {
      const last = n === SECTIONS.length - 1;
      await turn(`saveSection ${section.id}`, press("saveSection", { sectionId: section.id, ...sectionAnswers(section.id) }), (h) => (last ? h === "Check your answers and grade the case" : h !== "Check your answers and grade the case"));
    }
    await turn("submitAudit", press("submitAudit", finalInputs("good")), (h) => h === "Audit submitted");
  };

  const started = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: auditors }, (_, i) => auditor(i)));
  const turnsSeconds = (performance.now() - started) / 1000;
  for (const o of outcomes) if (o.status === "rejected") failures.push(String(o.reason));
  const allDelivered = await drained(s.tables, s.connector, 60_000);
  const seconds = (performance.now() - started) / 1000;
  const delivery = await compareDelivery(s.tables, s.connector);
  const submitted = (await s.core.allocations.listMonth(month)).filter((a) => a.status === "submitted").length;
  const welcomes = s.connector.sent.filter((a) => /^\d+$/.test(a.replyToId ?? "")).length;
  return finishRun(s, idle, { auditors, turns: latencies.length, turnsSeconds, seconds, latencies, failures, submitted, welcomes, allDelivered, delivery });
}
