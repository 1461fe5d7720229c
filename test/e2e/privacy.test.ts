// Privacy of the log and the channel (ARCHITECTURE decision 8, issue 10): a whole month's traffic in Teams, with every
// log line captured at debug level. Logs carry case references, codes and counts (emails are ids and may appear), never
// a person's name or anything typed into a card; the champions channel gets counts only: no names, emails or answers.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { postDigest } from "../../src/app/reporting/post-digest";
import { postServiceReview } from "../../src/app/reporting/post-review";
import { askStaleCases } from "../../src/app/stages/ask-stale-cases";
import { requestSelfAssessments } from "../../src/app/stages/self-assessment";
import { requestSupervisions } from "../../src/app/stages/supervision";
import { aCase } from "../support/builders";
import { importTier1Events } from "../../src/app/allocation/import-tier1-events";
import { loadExamples, sectionAnswers, SECTIONS } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import { BOT_ID, installUpdate, postToBot, type TeamsUser } from "../support/teams-activities";
import { act, actionData, activityCard, heading, installAndRead, isTurnReply, sayAndRead, sentTo, type Card } from "../support/teams-cards";

const MONTH = "2026-12";
const START = "2026-12-01T09:30:00.000Z";
const ENV = { CAF_LADDER_INTERVAL_MS: "100", CAF_RELAY_INTERVAL_MS: "100", CAF_SELF_ASSESSMENT: "on", CAF_SUPERVISION: "on" };
const CHANNEL = "19:privacy-champions@thread.tacv2";
const MARKERS = ["ZEBRA", "QUOKKA", "WOMBAT"];
const QA_EMAIL = "kit.morris@example.gov.uk";
const LENA_EMAIL = "lena.fisher@example.gov.uk";
const MORGAN_EMAIL = "morgan.reid@example.gov.uk";
const ASHA_EMAIL = "asha.patel@example.gov.uk";

const cardsTitled = (h: Harness, user: TeamsUser, title: string): Card[] =>
  sentTo(h, user)
    .filter((s) => !isTurnReply(s))
    .map((s) => activityCard(s.activity))
    .filter((c) => heading(c) === title);

describe("privacy: the log and the channel carry references and counts only", () => {
  let h: Harness;
  const lines: string[] = [];
  let people: { email: string; name: string }[];

  beforeAll(async () => {
    h = await startHarness(ENV, START, { logTo: { write: (line) => void lines.push(line) } });
    await loadExamples(h);
    people = (await readFile("examples/people.csv", "utf8"))
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((l) => ({ email: l.split(",")[0]!, name: l.split(",")[1]! }));
  });
  afterAll(async () => h?.close());

  it("logs no names or typed text, and posts no names, emails or typed text to the channel", async () => {
    const allocated = await allocateMonth(h.core, { month: MONTH, seed: 1, actor: "test", dryRun: false });
    if (!allocated.ok) throw new Error(allocated.problem.message);
    const assignment = allocated.value.plan.assignments.find((a) => a.auditorEmail === ASHA_EMAIL);
    if (!assignment) throw new Error("Asha has no case this month");
    const caseRef = assignment.caseRef;
    const caseFile = (await h.core.cases.all()).find((c) => c.caseRef === caseRef)!;
    const nameOf = (email: string) => people.find((p) => p.email === email)!.name;
    const userOf = (email: string) => h.user(nameOf(email), email);

    const asha = userOf(ASHA_EMAIL);
    const lena = userOf(LENA_EMAIL);
    const kit = userOf(QA_EMAIL);
    const morgan = userOf(MORGAN_EMAIL);
    const lp = userOf(caseFile.leadProfessionalEmail!);
    const manager = caseFile.lpManagerEmail === ASHA_EMAIL ? asha : userOf(caseFile.lpManagerEmail!);
    for (const u of new Set([asha, lena, kit, morgan, lp, manager])) await installAndRead(h, u);

    // The optional stages are on: the LP sends a self-assessment with a comment before the audit, and the manager saves
    // the quarter's supervision checklist for the case with notes.
    expect(await requestSelfAssessments(h.core, MONTH)).toBeGreaterThan(0);
    await h.connector.waitFor(() => cardsTitled(h, lp, `Self-assessment: case ${caseRef}`).length === 1);
    const stage = h.core.selfAssessment.stage;
    const selfSent = await act(h, lp, "submitSelfAssessment", { month: MONTH, caseRef, ...Object.fromEntries(stage.questions.map((q) => [`self.${q.section}.${q.question}`, "good"])), "self.overall": "good", "self.comment": "WOMBAT self: I would have involved the school sooner." });
    expect(selfSent.inPlace).toBe(true);
    expect(await requestSupervisions(h.core, "2026-10")).toBeGreaterThan(0);
    const supervised = await act(h, manager, "submitSupervision", { quarter: "2026-10", caseRef, ...Object.fromEntries(h.core.supervision.stage.items.map((i) => [`sup.${i.id}`, "yes"])), "sup.comment": "QUOKKA supervision notes: the family are struggling." });
    expect(heading(supervised.card)).toBe(`Supervision checklist: case ${caseRef}`);

    // Asha answers the whole toolkit with distinctive free text, and submits.
    let n = 0;
    const ref = { month: MONTH, caseRef };
    await act(h, asha, "startAudit", ref);
    for (const section of SECTIONS) {
      const inputs = sectionAnswers(section.id, "good", () => `ZEBRA-${++n}`);
      const saved = await act(h, asha, "saveSection", { ...ref, sectionId: section.id, ...inputs });
      expect(saved.inPlace).toBe(true);
    }
    const submitted = await act(h, asha, "submitAudit", {
      ...ref,
      grade: "requires-improvement",
      justification: `ZEBRA-${++n} the assessment is sound but the TAF plan is not reviewed often enough.`,
      "actions.0.action": `ZEBRA-${++n} hold a TAF review`,
      "actions.0.byWhom": "Lead professional",
      "actions.0.byWhen": "2027-01-15",
      "actions.1.action": `ZEBRA-${++n} rewrite the plan`,
      "actions.1.byWhom": "Lead professional",
      "actions.1.byWhen": "2027-01-22",
      "actions.2.action": "",
      "actions.2.byWhom": "",
      "actions.2.byWhen": "",
    });
    expect(heading(submitted.card)).toBe("Audit submitted");

    // Asha raises unsafe practice by the text command.
    const form = await sayAndRead(h, asha, "unsafe practice");
    const raised = await act(h, asha, "raiseUnsafe", {
      ...actionData(form, "raiseUnsafe"),
      "unsafe.caseRef": caseRef,
      "unsafe.seen": "QUOKKA seen: the LP shared the family's address with the other parent.",
      "unsafe.when": "current",
      "unsafe.urgency": "immediate",
    });
    expect(heading(raised.card)).toBe(`Unsafe practice raised on ${caseRef}`);
    await h.connector.waitFor(() => sentTo(h, lena).some((s) => heading(activityCard(s.activity)) === `Unsafe practice: case ${caseRef}`));

    // Someone the bot does not know types something.
    const stranger = h.user("Sam Stranger", "sam.stranger@elsewhere.example.org");
    expect((await h.say(stranger, "ZEBRA-stranger my neighbour Asha Patel is not coping")).status).toBeLessThan(300);

    // QA releases the feedback; the LP replies.
    const title = `Audit feedback: case ${caseRef}`;
    await h.connector.waitFor(() => cardsTitled(h, kit, title).length === 1);
    const released = await act(h, kit, "releaseFeedback", actionData(cardsTitled(h, kit, title)[0]!, "releaseFeedback"));
    expect(released.inPlace).toBe(true);
    await h.connector.waitFor(() => cardsTitled(h, lp, title).length === 1);
    const replied = await act(h, lp, "replyFeedback", {
      ...actionData(cardsTitled(h, lp, title)[0]!, "replyFeedback"),
      "action.a1.response": "accept",
      "action.a1.date": "2027-01-14",
      "action.a1.proposal": "",
      "action.a1.reason": "",
      "action.a2.response": "change",
      "action.a2.date": "",
      "action.a2.proposal": "WOMBAT proposal: rewrite the plan with the family",
      "action.a2.reason": "WOMBAT reason: the family want to agree it",
      lpComment: "WOMBAT thank you, I will put it right with the family.",
      "own.0.action": "WOMBAT own action: visit the school",
      "own.0.byWhom": "Lead professional",
      "own.0.byWhen": "2027-01-08",
      "own.1.action": "",
      "own.1.byWhom": "",
      "own.1.byWhen": "",
    });
    expect(replied.inPlace).toBe(true);

    // A case open since 2023 with nothing recorded since goes to the same LP, who answers that it has closed.
    const STALE = "CAF-STALE-1";
    await h.core.cases.saveMany([aCase({ caseRef: STALE, serviceArea: caseFile.serviceArea, openedOn: "2023-05-02", leadProfessionalEmail: caseFile.leadProfessionalEmail })], new Map());
    expect((await askStaleCases(h.core, MONTH, "scheduler")).asked).toBe(1);
    await h.connector.waitFor(() => cardsTitled(h, lp, `Is case ${STALE} still open?`).length === 1);
    const answered = await act(h, lp, "answerStaleCase", { ...actionData(cardsTitled(h, lp, `Is case ${STALE} still open?`)[0]!, "answerStaleCase"), "stale.outcome": "closed", "stale.closedOn": "2026-10-30", "stale.reason": "Needs met" });
    expect(answered.inPlace).toBe(true);
    // A Tier 1 event on the case: its manager fails a check with a comment; the LP's notice names fields only.
    expect(await importTier1Events(h.core, Buffer.from(`case_ref,event,event_date\n${caseRef},taf_review,01/12/2026\n`), "test")).toMatchObject({ ok: true, value: { added: 1 } });
    const qcTitle = `Quality control: case ${caseRef}`;
    const qcHolder = caseFile.lpManagerEmail === caseFile.leadProfessionalEmail || !caseFile.lpManagerEmail ? kit : manager;
    await h.connector.waitFor(() => cardsTitled(h, qcHolder, qcTitle).length === 1);
    const qcCard = cardsTitled(h, qcHolder, qcTitle)[0]!;
    const key = String(actionData(qcCard, "submitTier1Check").key);
    const checkIds = (await h.core.tier1.get("2026-12-01", key))!.check.checkIds;
    const qc = await act(h, qcHolder, "submitTier1Check", { ...actionData(qcCard, "submitTier1Check"), ...Object.fromEntries(checkIds.map((id) => [`tier1.${id}`, id === "progress" ? "no" : "yes"])), "tier1.comment": "QUOKKA quality control: the minutes are on paper" });
    expect(qc.inPlace).toBe(true);
    const noticeTitle = `Quality control of case ${caseRef}: fields to complete`;
    await h.connector.waitFor(() => cardsTitled(h, lp, noticeTitle).length === 1);
    for (const m of MARKERS) expect(JSON.stringify(cardsTitled(h, lp, noticeTitle)[0]), `LP's notice carries ${m}`).not.toContain(m);

    // The bot is added to a team channel, and the month's digest is posted there.
    const nia = h.user("Nia Hughes", "nia.hughes@example.gov.uk");
    const added = installUpdate({ from: nia, serviceUrl: h.connector.url, conversationId: CHANNEL });
    const inTeam = { ...added, conversation: { ...added.conversation, conversationType: "channel" as "personal" }, channelData: { ...added.channelData, team: { id: "19:team" } }, membersAdded: [{ id: BOT_ID }] };
    expect((await postToBot(`${h.bot.url}/api/messages`, inTeam)).status).toBeLessThan(300);
    await postDigest(h.core, { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 20 }, "month", MONTH, MONTH);
    await h.connector.waitForActivities((a) => a.conversationId === CHANNEL && JSON.stringify(a.activity).includes("CAF audits: December 2026"), { count: 1, timeoutMs: 5000 });
    // And the six-monthly service review, as April's digest day posts it.
    await postServiceReview(h.core, { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 20 }, "2026-07", MONTH);
    await h.connector.waitForActivities((a) => a.conversationId === CHANNEL && JSON.stringify(a.activity).includes("CAF service review: July 2026 to December 2026"), { count: 1, timeoutMs: 5000 });
    expect(h.connector.sent.some((a) => a.conversationId === CHANNEL && JSON.stringify(a.activity).includes("Tier 1 quality control:")), "the digest counts the Tier 1 check").toBe(true);
    await new Promise((r) => setTimeout(r, 300));

    // The log: lines were captured (debug level), and none carries a name or typed text.
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((l) => l.includes(caseRef)) || lines.some((l) => l.includes("/api/messages")), "the log has something to check").toBe(true);
    for (const line of lines) {
      for (const p of people) expect(line, `log line names ${p.name}`).not.toContain(p.name);
      expect(line).not.toContain("Sam Stranger");
      for (const m of MARKERS) expect(line, `log line carries ${m}`).not.toContain(m);
    }

    // The channel: counts only. `recipient` is Bot Framework addressing that botbuilder copies from the turn onto an
    // in-turn reply (the person who added the bot); Teams does not show it in the channel, so it is left out here.
    const channel = [...h.connector.sent, ...h.connector.updates]
      .filter((a) => a.conversationId === CHANNEL)
      .map((a) => JSON.stringify({ ...(a.activity as Record<string, unknown>), recipient: undefined }));
    expect(channel.length).toBeGreaterThan(0);
    // The stale case is a count on the digest, never its reference.
    expect(channel.some((text) => text.includes("Stale cases: 1 asked if still open, 1 answered closed"))).toBe(true);
    for (const text of channel) {
      expect(text, "channel carries the stale case's reference").not.toContain(STALE);
      for (const p of people) {
        expect(text, `channel names ${p.name}`).not.toContain(p.name);
        expect(text, `channel carries ${p.email}`).not.toContain(p.email);
      }
      expect(text).not.toContain("sam.stranger@");
      expect(text).not.toContain("Sam Stranger");
      for (const m of MARKERS) expect(text, `channel carries ${m}`).not.toContain(m);
    }
  }, 20_000);
});
