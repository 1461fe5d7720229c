// Verified close-out in Slack, end to end over real signed HTTP: on its day the auditor gets the re-check in a DM,
// opens it as a modal with only the questions graded below good, is shown the problems beside the inputs when it is
// half filled, and answers. No reopens the feedback (the lead professional gets it again, the QA team is told
// without the words); Yes closes the audit as verified. A submission from anyone else is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmActions, feedbackFor, release, type Feedback } from "../../src/domain/feedback";
import { belowGoodQuestions, scheduleRecheck } from "../../src/domain/recheck";
import { feedbackToEntity } from "../../src/storage/feedback-repository";
import { loadExamples } from "../support/audit-inputs";
import { blocksText, dmOf, eventually, startSlackHarness, type PostedMessage, type SlackHarness } from "../support/slack-harness";
import type { OpenView, SlackTestUser } from "../support/slack-requests";
import { submittedAudit } from "../support/submitted-audits";

const MONTH = "2026-11";
const QA = "kit.morris@example.gov.uk";
const AUDITOR = "asha.patel@example.gov.uk";
const EVIDENCE = "The February TAF minutes show the school at the table but no health visitor yet.";
const NEW_ACTION = "Invite the health visitor to the next TAF and record their part in the plan";
let h: SlackHarness;
const people = new Map<string, SlackTestUser>();

beforeAll(async () => {
  h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack", CAF_LADDER_INTERVAL_MS: "100", CAF_RELAY_INTERVAL_MS: "100" });
  await loadExamples(h);
  for (const p of await h.core.people.all()) people.set(p.email, h.member(p.name, p.email));
});
afterAll(async () => h?.close());

const messageIn = (email: string, match: (m: PostedMessage) => boolean, what: string) => eventually(() => h.messagesIn(dmOf(people.get(email)!)).find(match), 15_000, what);
const feedbackOf = async (caseRef: string) => (await h.core.feedback.get(MONTH, caseRef))!.feedback;

/** A below-good audit whose one action the manager has confirmed, with its re-check scheduled, as the bot stores it. */
async function closedOut(caseRef: string, serviceArea: string): Promise<Feedback> {
  const toolkit = h.core.toolkits.get("tier2-caf")!;
  const audit = submittedAudit(toolkit, { caseRef, serviceArea, month: MONTH, grade: "requires-improvement", belowGood: ["multi-agency-involvement"], auditorEmail: AUDITOR });
  const c = (await h.core.cases.get(serviceArea, caseRef))!;
  const now = h.clock.now();
  const rules = h.core.feedbackRules;
  const confirmed = confirmActions(release(feedbackFor(audit, toolkit, { lp: c.leadProfessionalEmail, manager: c.lpManagerEmail }, rules, now), QA, now, rules), { a1: { done: true, note: "TAF review held", newDate: "" } }, c.lpManagerEmail!, now) as Feedback;
  const f = scheduleRecheck(confirmed, belowGoodQuestions(audit, toolkit), now, rules.recheckDelayDays);
  await h.core.allocations.createAudits(MONTH, [{ audit, outbox: [] }]);
  await h.tables.table("Allocations").createEntity(feedbackToEntity(f));
  return f;
}

/** On the re-check's day: the DM to the auditor, and its modal opened from the DM's button. */
async function openRecheck(caseRef: string): Promise<{ dm: PostedMessage; modal: OpenView }> {
  const r = (await feedbackOf(caseRef)).rechecks!.at(-1)!;
  h.clock.set(`${r.dueOn}T09:00:30.000Z`);
  const dm = await messageIn(AUDITOR, (m) => m.text === `Re-check of case ${caseRef}: Waiting for your answer`, `the ${caseRef} re-check DM`);
  const count = h.openedViews().length;
  await h.click(people.get(AUDITOR)!, dm, "open-form:recheck");
  const modal = await eventually(() => h.openedViews()[count], 10_000, "the re-check modal");
  return { dm, modal };
}

describe("re-checks in Slack", () => {
  it("No through the modal reopens the feedback with the new action; the lead professional gets it and QA is told", async () => {
    await closedOut("CAF-1002", "Early Help South");
    const { modal } = await openRecheck("CAF-1002");
    const shown = JSON.stringify(modal.view);
    expect(shown).toContain("At audit: Requires Improvement");
    expect(shown).toContain("recheck.multi-agency-involvement");
    expect(shown).not.toContain("recheck.risk");

    // The same modal submitted by someone else (the case's manager) is refused, and nothing is stored.
    const forged = await h.submitView(people.get("ben.okafor@example.gov.uk")!, modal, { "recheck.outcome": "yes", "recheck.evidence": EVIDENCE, "recheck.multi-agency-involvement": "good" });
    expect(JSON.stringify(forged.body)).toContain("is only for the auditor it was sent to");
    expect((await feedbackOf("CAF-1002")).rechecks![0]!.status).toBe("sent");

    const half = await h.submitView(people.get(AUDITOR)!, modal, { "recheck.outcome": "partly", "recheck.evidence": EVIDENCE, "recheck.multi-agency-involvement": "good" });
    expect(half.body.response_action).toBe("errors");
    expect(JSON.stringify(half.body.errors)).toContain("who does it and by when");
    expect((await feedbackOf("CAF-1002")).rechecks![0]!.status).toBe("sent");

    const no = await h.submitView(people.get(AUDITOR)!, modal, {
      "recheck.outcome": "no", "recheck.evidence": EVIDENCE, "recheck.multi-agency-involvement": "requires-improvement",
      "recheck.action": NEW_ACTION, "recheck.byWhom": "Lead professional", "recheck.byWhen": "2027-03-12",
    });
    expect(["clear", "update"]).toContain(no.body.response_action);
    expect(await feedbackOf("CAF-1002")).toMatchObject({ status: "released" });
    const lpCard = await messageIn("george.lee@example.gov.uk", (m) => m.text.startsWith("Audit feedback for case CAF-1002") && blocksText(m.blocks).includes(NEW_ACTION), "the reopened feedback to the LP");
    expect(blocksText(lpCard.blocks)).toContain("Red: not started");
    const told = await messageIn(QA, (m) => blocksText(m.blocks).includes("Re-check of CAF-1002: reopened"), "the QA notice");
    expect(blocksText(told.blocks)).not.toContain(EVIDENCE.slice(0, 30));
    expect(blocksText(told.blocks)).not.toContain(NEW_ACTION);
  });

  it("Yes through the modal closes the audit as verified and tells the lead professional and manager", async () => {
    await closedOut("CAF-1003", "Family Hubs");
    const { modal } = await openRecheck("CAF-1003");
    const yes = await h.submitView(people.get(AUDITOR)!, modal, { "recheck.outcome": "yes", "recheck.evidence": "The health visitor now attends the TAF and the plan records their part.", "recheck.multi-agency-involvement": "good" });
    expect(["clear", "update"]).toContain(yes.body.response_action);
    const f = await feedbackOf("CAF-1003");
    expect(f.status).toBe("closed");
    expect(f.rechecks!.map((r) => r.status)).toEqual(["verified"]);
    for (const email of ["hana.novak@example.gov.uk", "ella.wright@example.gov.uk"]) {
      await messageIn(email, (m) => blocksText(m.blocks).includes("Re-check of CAF-1003: verified"), `the verified notice to ${email}`);
    }
  });
});
