// Verified close-out in Teams, end to end over real HTTP: the manager confirms the last action on a below-good
// audit; on its day the auditor gets a re-check card with only the questions graded below good; No reopens the
// feedback with a new action (the lead professional and manager get it again, the QA team is told, without the
// auditor's words); once that is confirmed a second round goes out and Yes closes the audit as verified. Also: only
// the auditor it was sent to may answer, a half-filled card is shown again with its problems, an away auditor's
// re-check goes to another, and the digest counts the outcomes. The harness clock drives the reminder job.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestFigures } from "../../src/app/reporting/make-digest";
import { feedbackFor, release } from "../../src/domain/feedback";
import { feedbackToEntity } from "../../src/storage/feedback-repository";
import { loadExamples } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import { submittedAudit } from "../support/submitted-audits";
import type { TeamsUser } from "../support/teams-activities";
import { act, activityCard, cardText, errorBeside, heading, sayAndRead, sentTo, sleep, type Card, installedUsers, pushedCards, until } from "../support/teams-cards";

const MONTH = "2026-11";
const QA = "kit.morris@example.gov.uk";
const AUDITOR = "asha.patel@example.gov.uk";
const EVIDENCE = "The TAF minutes of February show the school at the table but no health visitor yet.";
const NEW_ACTION = "Invite the health visitor to the next TAF and record their part in the plan";
let h: Harness;
const userOf = installedUsers(() => h);

const cardsTo = (user: TeamsUser) => pushedCards(h, user);
const feedbackOf = async (caseRef: string) => (await h.core.feedback.get(MONTH, caseRef))!.feedback;

/** A below-good audit of `caseRef`, submitted and released, its one action waiting for the manager's confirmation. */
async function releasedBelowGood(caseRef: string, serviceArea: string, auditorEmail: string) {
  const toolkit = h.core.toolkits.get("tier2-caf")!;
  const audit = submittedAudit(toolkit, { caseRef, serviceArea, month: MONTH, grade: "requires-improvement", belowGood: ["multi-agency-involvement"], auditorEmail });
  const caseFile = (await h.core.cases.get(serviceArea, caseRef))!;
  const now = h.clock.now();
  const f = release(feedbackFor(audit, toolkit, { lp: caseFile.leadProfessionalEmail, manager: caseFile.lpManagerEmail }, h.core.feedbackRules, now), QA, now, h.core.feedbackRules);
  await h.core.allocations.createAudits(MONTH, [{ audit, outbox: [] }]);
  await h.tables.table("Allocations").createEntity(feedbackToEntity(f));
  return { lp: await userOf(caseFile.leadProfessionalEmail!), manager: await userOf(caseFile.lpManagerEmail!) };
}

async function confirmAll(manager: TeamsUser, caseRef: string) {
  const f = await feedbackOf(caseRef);
  const inputs: Record<string, string> = {};
  for (const a of f.actions.filter((x) => !x.confirmation?.done)) Object.assign(inputs, { [`action.${a.id}.done`]: "done", [`action.${a.id}.note`]: "Done and seen on the case file." });
  return act(h, manager, "confirmActions", { month: MONTH, caseRef, auditVersion: "1", ...inputs });
}

/** Moves the clock to 09:00:30 on the re-check's day and returns the re-check card the auditor then receives. */
async function recheckCardFor(user: TeamsUser, caseRef: string, round: number): Promise<Card> {
  const r = (await feedbackOf(caseRef)).rechecks!.find((x) => x.round === round)!;
  h.clock.set(`${r.dueOn}T09:00:30.000Z`);
  return until(() => cardsTo(user).find((c) => heading(c) === `Re-check: case ${caseRef}` && JSON.stringify(c).includes(`"round":"${round}"`)), `the round ${round} re-check card`).catch(async (e) => {
    console.log("DBG", r, JSON.stringify((await feedbackOf(caseRef)).rechecks), sentTo(h, user).map((s) => `${s.replyToId} ${heading(activityCard(s.activity))}`));
    throw e;
  });
}

beforeAll(async () => {
  h = await startHarness({ CAF_LADDER_INTERVAL_MS: "100", CAF_RELAY_INTERVAL_MS: "100" });
  await loadExamples(h);
  await userOf(QA);
  await userOf(AUDITOR);
}, 60_000);
afterAll(() => h?.close());

describe("re-checks in Teams", () => {
  it("reopens on No with a new action, re-checks again once it is confirmed, and closes as verified on Yes", async () => {
    const { lp, manager } = await releasedBelowGood("CAF-1002", "Early Help South", AUDITOR);
    const auditor = await userOf(AUDITOR);
    const confirmed = await confirmAll(manager, "CAF-1002");
    expect(cardText(confirmed.card)).toContain("An auditor re-checks the change for the child on");
    expect((await feedbackOf("CAF-1002")).rechecks).toMatchObject([{ round: 1, status: "scheduled" }]);

    // On its day: one card, with only the question graded below good.
    const card = await recheckCardFor(auditor, "CAF-1002", 1);
    expect(cardText(card)).toContain("At audit: Requires Improvement");
    expect(JSON.stringify(card)).toContain('"id":"recheck.multi-agency-involvement"');
    expect(JSON.stringify(card)).not.toContain('"id":"recheck.risk"');
    await sleep(300);
    expect(cardsTo(auditor).filter((c) => heading(c) === "Re-check: case CAF-1002")).toHaveLength(1);

    // Someone else pressing the button (another auditor, the QA team) is refused and nothing is stored.
    for (const email of ["ben.okafor@example.gov.uk", QA]) {
      const other = await act(h, await userOf(email), "submitRecheck", { month: MONTH, caseRef: "CAF-1002", round: "1", "recheck.outcome": "yes", "recheck.evidence": EVIDENCE, "recheck.multi-agency-involvement": "good" });
      expect(cardText(other.card)).toContain("The re-check of case CAF-1002 is only for the auditor it was sent to.");
    }
    expect((await feedbackOf("CAF-1002")).rechecks![0]!.status).toBe("sent");

    // Half filled: shown again in place with the problems beside the inputs, nothing stored.
    const half = await act(h, auditor, "submitRecheck", { month: MONTH, caseRef: "CAF-1002", round: "1", "recheck.outcome": "no", "recheck.evidence": "short", "recheck.multi-agency-involvement": "" });
    expect(half.inPlace).toBe(true);
    expect(errorBeside(half.card, "recheck.evidence")).toContain("at least 20 characters");
    expect(errorBeside(half.card, "recheck.action")).toContain("who does it and by when");
    expect(errorBeside(half.card, "recheck.multi-agency-involvement")).toContain("Grade question 3b");
    expect((await feedbackOf("CAF-1002")).rechecks![0]!.status).toBe("sent");

    const lpBefore = cardsTo(lp).length;
    const no = await act(h, auditor, "submitRecheck", {
      month: MONTH, caseRef: "CAF-1002", round: "1",
      "recheck.outcome": "no", "recheck.evidence": EVIDENCE, "recheck.multi-agency-involvement": "requires-improvement",
      "recheck.action": NEW_ACTION, "recheck.byWhom": "Lead professional", "recheck.byWhen": "2027-03-12",
    });
    expect(no.inPlace).toBe(true);
    expect(cardText(no.card)).toContain("Answered: the change has not happened: reopened with a new action");
    const reopened = await feedbackOf("CAF-1002");
    expect(reopened).toMatchObject({ status: "released", closedReason: null });
    expect(reopened.actions.at(-1)).toMatchObject({ id: "r1a1", action: NEW_ACTION, rag: "red" });

    // The lead professional gets the feedback again with the new action; the QA team is told, without the words.
    const lpCard = await until(() => cardsTo(lp).slice(lpBefore).find((c) => cardText(c).includes(NEW_ACTION)), "the reopened feedback");
    expect(heading(lpCard)).toBe("Audit feedback: case CAF-1002");
    const kit = await userOf(QA);
    const told = await until(() => cardsTo(kit).find((c) => heading(c) === "Re-check of CAF-1002: reopened"), "the QA notice");
    expect(cardText(told)).toContain("the agreed change has not happened for the child");
    expect(JSON.stringify(told)).not.toContain(EVIDENCE.slice(0, 30));
    expect(JSON.stringify(told)).not.toContain(NEW_ACTION);

    // The new action confirmed: a second round, and Yes closes the audit as verified.
    await confirmAll(manager, "CAF-1002");
    const second = await recheckCardFor(auditor, "CAF-1002", 2);
    const stale = await act(h, auditor, "submitRecheck", { month: MONTH, caseRef: "CAF-1002", round: "1", "recheck.outcome": "yes", "recheck.evidence": EVIDENCE, "recheck.multi-agency-involvement": "good" });
    expect(cardText(stale.card)).toContain("Answered: the change has not happened");
    expect(cardText(second)).toContain("Waiting for your answer");
    const yes = await act(h, auditor, "submitRecheck", { month: MONTH, caseRef: "CAF-1002", round: "2", "recheck.outcome": "yes", "recheck.evidence": "The health visitor now attends the TAF and the plan records their part.", "recheck.multi-agency-involvement": "good" });
    expect(cardText(yes.card)).toContain("Answered: the change has happened for the child (verified)");
    const verified = await feedbackOf("CAF-1002");
    expect(verified.status).toBe("closed");
    expect(verified.closedReason).toContain("verified");
    expect(verified.rechecks!.map((r) => r.status)).toEqual(["reopened", "verified"]);
    await until(() => cardsTo(lp).find((c) => heading(c) === "Re-check of CAF-1002: verified"), "the LP's verified notice");
    await until(() => cardsTo(manager).find((c) => heading(c) === "Re-check of CAF-1002: verified"), "the manager's verified notice");

    const month = h.clock.now().toISOString().slice(0, 7);
    const figures = await digestFigures(h.core, "2026-11", month, { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 20 });
    expect(figures.rechecks).toEqual({ verified: 1, reopened: 1, awaiting: 0 });
  });

  it("sends an away auditor's re-check to another eligible auditor", async () => {
    const { manager } = await releasedBelowGood("CAF-1003", "Family Hubs", "dev.sharma@example.gov.uk");
    await confirmAll(manager, "CAF-1003");
    const r = (await feedbackOf("CAF-1003")).rechecks![0]!;
    const dev = await userOf("dev.sharma@example.gov.uk");
    // Dev goes away, as a person does, before the re-check's day.
    expect(cardText(await sayAndRead(h, dev, "away until 31/12/2027"))).toContain("2027");
    h.clock.set(`${r.dueOn}T09:00:30.000Z`);
    let who: string | null = null;
    for (let i = 0; i < 200 && !who; i++, await sleep(50)) who = (await feedbackOf("CAF-1003")).rechecks![0]!.auditorEmail;
    expect(who).toBeTruthy();
    expect(who).not.toBe("dev.sharma@example.gov.uk");
    // Never the case's lead professional or manager, though the manager is an auditor too.
    expect(["hana.novak@example.gov.uk", "ella.wright@example.gov.uk"]).not.toContain(who);
    const other = await userOf(who!);
    await until(() => cardsTo(other).find((c) => heading(c) === "Re-check: case CAF-1003"), "the card to the other auditor");
    expect(cardsTo(dev).find((c) => heading(c) === "Re-check: case CAF-1003")).toBeUndefined();
  });
});
