// Scenario B: the month's allocation fanned out to N installed auditors; the relay delivers every card under Teams'
// limits. Timed from the allocation starting to the last card recorded as sent.
import { londonDate } from "../../src/domain/working-days";
import { conversationReference, teamsUser } from "../../test/support/teams-activities";
import { finishRun, startLoadBot } from "./bot";
import { QA_EMAIL } from "./council";
import { compareDelivery, drained } from "./measure";

export async function scenarioB(connectionString: string, auditors: number) {
  const s = await startLoadBot(connectionString, "loadB", auditors, auditors + 100);
  // Everyone has the app (pre-installed by policy): the conversation reference an install stores.
  for (const [name, email] of [["QA Lead", QA_EMAIL], ...Array.from({ length: auditors }, (_, i) => [`Auditor ${i}`, `auditor${i}@example.gov.uk`])] as [string, string][]) {
    const user = teamsUser(name);
    s.connector.addMember({ id: user.id, aadObjectId: user.aadObjectId, name, email });
    await s.core.directory.saveIdentity(email, { channel: "teams", userKey: user.aadObjectId, address: conversationReference(user, s.connector.url), learntAt: new Date().toISOString() });
  }
  const idle = s.memory();
  const month = londonDate(new Date()).slice(0, 7);
  const started = performance.now();
  const allocated = await s.allocate(month, 7);
  const allocateSeconds = (performance.now() - started) / 1000;
  const allDelivered = await drained(s.tables, s.connector, 90_000);
  const seconds = (performance.now() - started) / 1000;
  const delivery = await compareDelivery(s.tables, s.connector);
  return finishRun(s, idle, { auditors, allocated, allocateSeconds, seconds, allDelivered, delivery });
}
