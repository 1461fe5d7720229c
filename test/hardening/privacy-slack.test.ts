// Privacy of the log, the channel, the notifications and the modals in Slack (ARCHITECTURE decision 8, issue 10): the
// Slack twin of test/e2e/privacy.test.ts. A month's traffic through signed requests to /slack/events with every log
// line captured at debug level: an audit completed through the modals with recognisable answers (ZEBRA), unsafe
// practice raised with a recognisable "seen" text (QUOKKA), the feedback released by QA and answered by the lead
// professional (WOMBAT), a stranger writing in, and the digest posted to SLACK_CHAMPIONS_CHANNEL. Then:
// - no log line carries a person's name or anything typed;
// - the Champions channel gets counts only: no names, emails or typed text (its chart's title and alt text included);
// - no notification line (the `text` of chat.postMessage and chat.update, shown on lock screens and in
//   notifications) carries typed text, and none names the lead professional to anyone but themselves;
// - no modal's private_metadata carries typed text or a name: ids only;
// - what was seen reaches only the Family Support Manager's DM; the answers reach only those the audit is for.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { postDigest } from "../../src/app/reporting/post-digest";
import { askStaleCases } from "../../src/app/stages/ask-stale-cases";
import { aCase } from "../support/builders";
import { importTier1Events } from "../../src/app/allocation/import-tier1-events";
import { loadExamples, sectionAnswers, SECTIONS } from "../support/audit-inputs";
import { blocksText, dmOf, eventually, startSlackHarness, type PostedMessage, type SlackHarness } from "../support/slack-harness";
import { buttonsIn, type OpenView, type SlackTestUser } from "../support/slack-requests";

const MONTH = "2026-12";
const START = "2026-12-01T09:30:00.000Z";
const CHANNEL = "C0CHAMPIONS";
const MARKERS = ["ZEBRA", "QUOKKA", "WOMBAT"];
const SEEN = "QUOKKA seen: the LP shared the family's address with the other parent.";
const QA_EMAIL = "kit.morris@example.gov.uk";
const FSM_EMAIL = "lena.fisher@example.gov.uk";
const ASHA_EMAIL = "asha.patel@example.gov.uk";

type Json = Record<string, any>;

describe("privacy in Slack: the log, the channel, notifications and modal metadata carry references and counts only", () => {
  let h: SlackHarness;
  const lines: string[] = [];
  let people: { email: string; name: string }[];
  const members = new Map<string, SlackTestUser>();
  /** Every answer to a view_submission: a view it shows is a modal too. */
  const viewAnswers: Json[] = [];

  beforeAll(async () => {
    h = await startSlackHarness({ CAF_DEFAULT_CHAT: "slack", SLACK_CHAMPIONS_CHANNEL: CHANNEL, CAF_LADDER_INTERVAL_MS: "100", CAF_RELAY_INTERVAL_MS: "100" }, START, { logTo: { write: (line) => void lines.push(line) } });
    await loadExamples(h);
    people = (await readFile("examples/people.csv", "utf8"))
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((l) => ({ email: l.split(",")[0]!, name: l.split(",")[1]! }));
    for (const p of people) members.set(p.email, h.member(p.name, p.email));
  });
  afterAll(async () => h?.close());

  const newView = (count: number): Promise<OpenView> => eventually(() => h.openedViews()[count], 10_000, "a modal to open");
  const messageIn = (user: SlackTestUser, match: (m: PostedMessage) => boolean, what: string) => eventually(() => h.messagesIn(dmOf(user)).find(match), 15_000, what);
  const submit = async (user: SlackTestUser, open: OpenView, typed: Record<string, string>) => {
    const res = await h.submitView(user, open, typed);
    expect(res.status).toBe(200);
    viewAnswers.push(res.body);
    return res;
  };

  it("logs no names or typed text; posts no names, emails or typed text to the channel, in a notification line or in modal metadata", async () => {
    const allocated = await allocateMonth(h.core, { month: MONTH, seed: 1, actor: "test", dryRun: false });
    if (!allocated.ok) throw new Error(allocated.problem.message);
    const assignment = allocated.value.plan.assignments.find((a) => a.auditorEmail === ASHA_EMAIL);
    if (!assignment) throw new Error("Asha has no case this month");
    const caseRef = assignment.caseRef;
    const caseFile = (await h.core.cases.all()).find((c) => c.caseRef === caseRef)!;
    const lpEmail = caseFile.leadProfessionalEmail!;
    const lpName = people.find((p) => p.email === lpEmail)!.name;
    const asha = members.get(ASHA_EMAIL)!;
    const fsm = members.get(FSM_EMAIL)!;
    const kit = members.get(QA_EMAIL)!;
    const lp = members.get(lpEmail)!;

    // Asha answers the whole toolkit through the modals with distinctive free text, and submits.
    const allocation = await messageIn(asha, (m) => m.text.includes(`case ${caseRef},`), "Asha's allocation DM");
    let count = h.openedViews().length;
    await h.click(asha, allocation, "startAudit");
    let view = await newView(count);
    let n = 0;
    for (const section of SECTIONS) {
      const inputs = sectionAnswers(section.id, "good", () => `ZEBRA-${++n}`);
      const res = await submit(asha, view, inputs);
      expect(res.body.response_action).toBe("update");
      view = { id: view.id, view: res.body.view };
    }
    const done = await submit(asha, view, {
      grade: "requires-improvement",
      justification: `ZEBRA-${++n} the assessment is sound but the TAF plan is not reviewed often enough.`,
      "actions.0.action": `ZEBRA-${++n} hold a TAF review`,
      "actions.0.byWhom": "Lead professional",
      "actions.0.byWhen": "2027-01-15",
    });
    expect(done.body.response_action).toBe("clear");
    expect((await h.core.allocations.get(MONTH, caseRef))!.audit.status).toBe("submitted");

    // Asha raises unsafe practice with /audit unsafe; the FSM's DM card shows what was seen.
    count = h.openedViews().length;
    await h.command(asha, "unsafe");
    const form = await newView(count);
    const raised = await submit(asha, form, { "unsafe.caseRef": caseRef, "unsafe.seen": SEEN, "unsafe.when": "current", "unsafe.urgency": "immediate" });
    expect(raised.body.response_action).toBe("update");
    const card = await messageIn(fsm, (m) => m.text.startsWith(`Unsafe practice raised on case ${caseRef}`), "escalation DM to the FSM");
    // The grep below can find it: the FSM, who is entitled, reads it.
    expect(blocksText(card.blocks)).toContain(SEEN);

    // Someone the bot does not know writes in.
    const stranger = h.member("Sam Stranger", "sam.stranger@elsewhere.example.org");
    expect((await h.dm(stranger, "ZEBRA-stranger my neighbour Asha Patel is not coping")).status).toBe(200);
    await messageIn(stranger, (m) => blocksText(m.blocks).includes("I don't know you yet"), "the stranger's answer");

    // QA releases the feedback from their DM; the lead professional replies through its modal.
    const forQa = await messageIn(kit, (m) => m.text.startsWith(`Audit feedback for case ${caseRef}`), "feedback DM to QA");
    await h.click(kit, forQa, "releaseFeedback");
    await eventually(async () => (await h.core.feedback.get(MONTH, caseRef))?.feedback.status === "released", 10_000, "feedback released");
    const forLp = await messageIn(lp, (m) => m.text.startsWith(`Audit feedback for case ${caseRef}`), "feedback DM to the LP");
    count = h.openedViews().length;
    await h.click(lp, forLp, "open-form:feedback");
    const reply = await newView(count);
    const actionIds = reply.view.blocks.filter((b: Json) => b.type === "input" && String(b.block_id).endsWith(".response")).map((b: Json) => String(b.block_id).split(".")[1]);
    expect(actionIds.length).toBeGreaterThan(0);
    const typed: Record<string, string> = { lpComment: "WOMBAT thank you, I will put it right with the family.", "own.0.action": "WOMBAT own action: visit the school", "own.0.byWhom": "Lead professional", "own.0.byWhen": "2027-01-08" };
    for (const id of actionIds) Object.assign(typed, { [`action.${id}.response`]: "change", [`action.${id}.proposal`]: "WOMBAT proposal: rewrite the plan with the family", [`action.${id}.reason`]: "WOMBAT reason: the family want to agree it" });
    await submit(lp, reply, typed);
    await eventually(async () => (await h.core.feedback.get(MONTH, caseRef))?.feedback.lpComment?.text.includes("WOMBAT"), 10_000, "the LP's reply stored");

    // A case open since 2023 with nothing recorded since goes to the same LP, who answers through its modal.
    const STALE = "CAF-STALE-1";
    await h.core.cases.saveMany([aCase({ caseRef: STALE, serviceArea: caseFile.serviceArea, openedOn: "2023-05-02", leadProfessionalEmail: lpEmail })], new Map());
    expect((await askStaleCases(h.core, MONTH, "scheduler")).asked).toBe(1);
    const staleDm = await messageIn(lp, (m) => m.text.startsWith(`Is case ${STALE} still open?`), "the stale-case DM to the LP");
    count = h.openedViews().length;
    await h.click(lp, staleDm, "open-form:stale-case");
    await submit(lp, await newView(count), { "stale.outcome": "closed", "stale.closedOn": "2026-10-30", "stale.reason": "Needs met" });
    await eventually(async () => (await h.core.staleChecks.get(MONTH, STALE))?.check.answer !== null, 10_000, "the stale answer stored");

    // The month's digest goes to the Champions channel.
    // A Tier 1 event on the case: the checker fails a field with a comment in the modal; the LP's notice names fields only.
    expect(await importTier1Events(h.core, Buffer.from(`case_ref,event,event_date\n${caseRef},closure,01/12/2026\n`), "test")).toMatchObject({ ok: true, value: { added: 1 } });
    const check = (await h.core.tier1.get("2026-12-01", `${caseRef}|closure|2026-12-01`))!.check;
    const checker = members.get(check.checkerEmail ?? QA_EMAIL)!;
    const qcDm = await messageIn(checker, (m) => m.text.startsWith(`Quality control of case ${caseRef}: Waiting`), "the quality control DM");
    count = h.openedViews().length;
    await h.click(checker, qcDm, "open-form:tier1-check");
    const qcForm = await newView(count);
    const qcTyped = Object.fromEntries(check.checkIds.map((id) => [`tier1.${id}`, id === "outcomes" ? "no" : "yes"]));
    await submit(checker, qcForm, { ...qcTyped, "tier1.comment": "ZEBRA-qc quality control: outcomes are in the paper file" });
    await eventually(async () => (await h.core.tier1.get(check.eventOn, check.key))?.check.status === "failed", 10_000, "the check stored");
    const qcNotice = await messageIn(lp, (m) => blocksText(m.blocks).includes(`Quality control of case ${caseRef}: fields to complete`), "the LP's quality control notice");
    for (const m of MARKERS) expect(JSON.stringify(qcNotice), `LP's notice carries ${m}`).not.toContain(m);

    await postDigest(h.core, { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 20 }, "month", MONTH, MONTH);
    await eventually(() => h.messagesIn(CHANNEL).find((m) => m.text.includes("CAF audits: December 2026")), 10_000, "digest in the channel");
    expect(JSON.stringify(h.messagesIn(CHANNEL)), "the digest counts the Tier 1 check").toContain("Tier 1 quality control:");
    await h.slack.waitFor("files.completeUploadExternal");
    await new Promise((r) => setTimeout(r, 300));

    const names = [...people.map((p) => p.name), "Sam Stranger"];
    const emails = [...people.map((p) => p.email), "sam.stranger@"];

    // The log: lines were captured (debug level), and none carries a name or typed text.
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((l) => l.includes(caseRef)) && lines.some((l) => l.includes("/slack/events")), "the log has something to check").toBe(true);
    for (const line of lines) {
      for (const name of names) expect(line, `log line names ${name}`).not.toContain(name);
      for (const m of MARKERS) expect(line, `log line carries ${m}`).not.toContain(m);
    }

    // The Champions channel: counts only, the chart's title and alt text included.
    const toChannel = h.slack.calls.filter((c) => c.args.channel === CHANNEL || c.args.channel_id === CHANNEL);
    expect(toChannel.length).toBeGreaterThan(0);
    // The stale case is a count on the digest, never its reference.
    expect(toChannel.some((c) => JSON.stringify(c.args).includes("Stale cases: 1 asked if still open, 1 answered closed"))).toBe(true);
    for (const c of toChannel) {
      const text = JSON.stringify(c.args);
      expect(text, "channel carries the stale case's reference").not.toContain(STALE);
      for (const name of names) expect(text, `channel names ${name}`).not.toContain(name);
      for (const email of emails) expect(text, `channel carries ${email}`).not.toContain(email);
      for (const m of MARKERS) expect(text, `channel carries ${m}`).not.toContain(m);
    }

    // Notification lines: never typed text; the lead professional is named to no one but themselves.
    const posts = h.slack.calls.filter((c) => (c.method === "chat.postMessage" || c.method === "chat.update") && c.result?.ok);
    expect(posts.length).toBeGreaterThan(10);
    for (const c of posts) {
      const line = String(c.args.text ?? "");
      for (const m of MARKERS) expect(line, `notification line to ${c.args.channel} carries ${m}`).not.toContain(m);
      if (c.args.channel !== dmOf(lp)) expect(line, `notification line to ${c.args.channel} names the lead professional`).not.toContain(lpName);
    }

    // Modal metadata: ids only, in every modal opened, pushed or updated, and every modal a submit's answer shows.
    const modals = [
      ...h.slack.calls.filter((c) => c.method.startsWith("views.") && c.result?.ok).map((c) => c.args.view as Json),
      ...viewAnswers.filter((a) => a?.view).map((a) => a.view as Json),
    ];
    expect(modals.length).toBeGreaterThan(SECTIONS.length);
    for (const modal of modals) {
      const meta = String(modal.private_metadata ?? "");
      for (const m of MARKERS) expect(meta, `private_metadata carries ${m}`).not.toContain(m);
      for (const name of names) expect(meta, `private_metadata names ${name}`).not.toContain(name);
      for (const email of emails) expect(meta, `private_metadata carries ${email}`).not.toContain(email);
    }
    // The lead professional's feedback card shows the auditor's justification (the greps above could have found it).
    expect(h.messagesIn(dmOf(lp)).some((m) => blocksText(m.blocks).includes("ZEBRA"))).toBe(true);

    // What was seen reaches the FSM's DM and no other DM; the answers reach only those the audit is for (Asha, the
    // lead professional and their manager, QA) and never the FSM or anyone else.
    const entitledToAnswers = new Set([ASHA_EMAIL, lpEmail, caseFile.lpManagerEmail!, QA_EMAIL].map((e) => dmOf(members.get(e)!)));
    for (const c of posts) {
      const shown = blocksText((c.args.blocks ?? []) as Json[]);
      if (c.args.channel !== dmOf(fsm)) expect(shown, `what was seen reached ${c.args.channel}`).not.toContain("QUOKKA");
      if (!entitledToAnswers.has(String(c.args.channel))) expect(shown, `an answer reached ${c.args.channel}`).not.toContain("ZEBRA");
    }
    expect(buttonsIn(card.blocks).map((b) => b.action_id)).toContain("acknowledgeEscalation");
  }, 60_000);
});
