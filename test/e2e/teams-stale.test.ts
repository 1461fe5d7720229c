// Stale cases in Teams, end to end over real HTTP: the month's run puts each open case with no recorded activity for
// 12 months to its lead professional; a re-run sends nothing twice; only that LP may answer; a closure date in the
// future or before the case opened is refused beside the input; "It has closed" and "Yes, still open" are kept as
// answers (the register is not touched); a case with no LP gets no card; the digest counts them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestFigures, digestView } from "../../src/app/reporting/make-digest";
import { loadConfig } from "../../src/config";
import { scheduledJobs } from "../../src/jobs/jobs";
import { loadExamples } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import { aCase } from "../support/builders";
import type { TeamsUser } from "../support/teams-activities";
import { act, activityCard, cardText, errorBeside, heading, isTurnReply, sentTo, sleep } from "../support/teams-cards";

const MONTH = "2026-12";
const FARAH = "farah.khan@example.gov.uk";
const GEORGE = "george.lee@example.gov.uk";
const QA = "kit.morris@example.gov.uk";
const SETTINGS = { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 20 };
let h: Harness;
const users = new Map<string, TeamsUser>();

async function userOf(email: string): Promise<TeamsUser> {
  let u = users.get(email);
  if (!u) {
    u = h.user((await h.core.people.get(email))!.name, email);
    users.set(email, u);
    expect((await h.install(u)).status).toBeLessThan(300);
  }
  return u;
}
const staleCards = (user: TeamsUser, caseRef: string) => sentTo(h, user).filter((s) => !isTurnReply(s)).map((s) => activityCard(s.activity)).filter((c) => heading(c) === `Is case ${caseRef} still open?`);
const runMonth = () => scheduledJobs(h.core, loadConfig({})).find((j) => j.name === "monthly-stale-cases")!.run(MONTH);
const checkOf = async (caseRef: string) => (await h.core.staleChecks.get(MONTH, caseRef))?.check;

beforeAll(async () => {
  h = await startHarness({ CAF_RELAY_INTERVAL_MS: "100" }, "2026-12-02T09:00:30Z");
  await loadExamples(h);
  await h.core.cases.saveMany(
    [
      aCase({ caseRef: "CAF-9001", serviceArea: "Early Help North", openedOn: "2024-03-04", leadProfessionalEmail: FARAH }),
      aCase({ caseRef: "CAF-9002", serviceArea: "Early Help South", openedOn: "2023-10-01", lastAuditedOn: "2025-02-01", leadProfessionalEmail: GEORGE }),
      aCase({ caseRef: "CAF-9003", serviceArea: "Early Help South", openedOn: "2022-06-01", leadProfessionalEmail: null }),
      // Old, but its register row changed in the spring: active.
      aCase({ caseRef: "CAF-9004", serviceArea: "Early Help North", openedOn: "2022-06-01", registerChangedOn: "2026-04-01", leadProfessionalEmail: FARAH }),
    ],
    new Map(),
  );
  for (const email of [FARAH, GEORGE, QA]) await userOf(email);
}, 60_000);
afterAll(() => h?.close());

describe("stale cases in Teams", () => {
  it("asks each stale case's LP once, refuses others and impossible dates, and keeps the answers without touching the register", async () => {
    await runMonth();
    await runMonth(); // the same month again, as a restarted scheduler would: nothing sent twice
    const farah = await userOf(FARAH);
    const george = await userOf(GEORGE);
    await h.connector.waitFor(() => staleCards(farah, "CAF-9001").length > 0 && staleCards(george, "CAF-9002").length > 0);
    await sleep(400);
    expect(staleCards(farah, "CAF-9001")).toHaveLength(1);
    expect(staleCards(farah, "CAF-9004")).toHaveLength(0);
    const card = staleCards(farah, "CAF-9001")[0]!;
    expect(cardText(card)).toContain("Monday 4 March 2024");
    expect(cardText(card)).toContain("Yes, still open");
    expect(cardText(card)).toContain("It has closed");
    // With no LP on the register the case is recorded for the QA team, and no card goes to anyone.
    expect(await checkOf("CAF-9003")).toMatchObject({ leadProfessionalEmail: null, answer: null });
    expect(h.connector.sent.some((s) => JSON.stringify(s.activity).includes("CAF-9003"))).toBe(false);

    // Someone else pressing Farah's button (another LP, the QA team) is refused, and nothing is stored.
    for (const other of [george, await userOf(QA)]) {
      const refused = await act(h, other, "answerStaleCase", { month: MONTH, caseRef: "CAF-9001", "stale.outcome": "still_open" });
      expect(cardText(refused.card)).toContain("The question about case CAF-9001 is only for the lead professional it was sent to.");
    }
    expect((await checkOf("CAF-9001"))!.answer).toBeNull();

    // A closure date in the future, or before the case opened, is refused beside the date; so is a missing reason.
    const future = await act(h, farah, "answerStaleCase", { month: MONTH, caseRef: "CAF-9001", "stale.outcome": "closed", "stale.closedOn": "2026-12-20", "stale.reason": "" });
    expect(future.inPlace).toBe(true);
    expect(errorBeside(future.card, "stale.closedOn")).toBe("The closure date is in the future: give the date it closed, today at the latest.");
    expect(errorBeside(future.card, "stale.reason")).toBe("Choose why the case closed.");
    const early = await act(h, farah, "answerStaleCase", { month: MONTH, caseRef: "CAF-9001", "stale.outcome": "closed", "stale.closedOn": "2024-01-31", "stale.reason": "Needs met" });
    expect(errorBeside(early.card, "stale.closedOn")).toBe("The closure date is before the case opened (2024-03-04): check the date.");
    expect((await checkOf("CAF-9001"))!.answer).toBeNull();

    const closed = await act(h, farah, "answerStaleCase", { month: MONTH, caseRef: "CAF-9001", "stale.outcome": "closed", "stale.closedOn": "2025-07-18", "stale.reason": "Needs met" });
    expect(closed.inPlace).toBe(true);
    expect(cardText(closed.card)).toContain("Answered: closed on Friday 18 July 2025 (Needs met)");
    expect(JSON.stringify(closed.card)).not.toContain('"id":"stale.outcome"');
    expect((await checkOf("CAF-9001"))!.answer).toMatchObject({ outcome: "closed", closedOn: "2025-07-18", reason: "Needs met", by: FARAH });
    // Kept as an answer only: the register still says what the case system said.
    expect(await h.core.cases.get("Early Help North", "CAF-9001")).toMatchObject({ status: "open", closedOn: null });
    // A second press (another device) shows the answer; it is not changed.
    const again = await act(h, farah, "answerStaleCase", { month: MONTH, caseRef: "CAF-9001", "stale.outcome": "still_open" });
    expect(cardText(again.card)).toContain("Answered: closed on Friday 18 July 2025");

    const yes = await act(h, george, "answerStaleCase", { month: MONTH, caseRef: "CAF-9002", "stale.outcome": "still_open" });
    expect(cardText(yes.card)).toContain("Answered: still open");

    // The next month's run asks none of them again (the example cases opened in January 2026 are a year old now).
    h.clock.set("2027-01-05T09:00:30Z");
    await scheduledJobs(h.core, loadConfig({})).find((j) => j.name === "monthly-stale-cases")!.run("2027-01");
    expect((await h.core.staleChecks.listMonth("2027-01")).map((c) => c.caseRef).sort()).toEqual(["CAF-1013", "CAF-1025"]);

    // The digest of December counts them, without a case reference.
    const figures = await digestFigures(h.core, MONTH, MONTH, SETTINGS);
    expect(figures.staleCases).toEqual({ asked: 2, closed: 1, stillOpen: 1, notAnswered: 0 });
    const view = digestView(figures, null, SETTINGS);
    expect(view.template === "digest" && view.data.staleCases).toBe("Stale cases: 2 asked if still open, 1 answered closed, 1 still open, 0 not answered.");
  });
});
