// Moderation in Teams, end to end over real HTTP: a moderated case's two auditors grade it blind; neither sees the
// other's answers, grades, or that a second audit exists, until the QA team has agreed the grade; the QA team gets
// both side by side, agrees the grade, and the feedback the lead professional gets uses it. Also: the same grade goes
// straight on; two submissions at the same moment; and a second audit still missing at the moderation deadline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { runAuditReminders } from "../../src/app/audit/run-audit-reminders";
import { digestFigures, digestView } from "../../src/app/reporting/make-digest";
import { moderationPairs } from "../../src/app/audit/moderation-pairs";
import type { DigestCardData } from "../../src/app/cards/views";
import { expandTemplate } from "../../src/cards/render-card";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { pino } from "pino";
import { runModeration } from "../../src/cli/moderation-command";
import { runReport } from "../../src/cli/report-command";
import type { CliContext } from "../../src/cli/run-cli";
import type { AllocationPlan } from "../../src/domain/allocation-plan";
import { finalInputs, loadExamples, SECTIONS, sectionAnswers } from "../support/audit-inputs";
import { startHarness, type Harness } from "../support/bot-harness";
import type { TeamsUser } from "../support/teams-activities";
import { act, actionData, cardText, fact, heading, sayAndRead, sentTo, sleep, installedUsers, pushedCards, until } from "../support/teams-cards";

const MONTH = "2026-12";
const QA_EMAIL = "kit.morris@example.gov.uk";
let h: Harness;
let plan: AllocationPlan;
let kit: TeamsUser;
const userOf = installedUsers(() => h);

/** Everything a person has been sent or shown, as text: what they could have read. */
const everythingSeenBy = (user: TeamsUser) => sentTo(h, user).map((s) => JSON.stringify(s.activity)).join("\n");
const cardsTo = (user: TeamsUser) => pushedCards(h, user);
const settle = () => sleep(500);


/** The moderated case at `i` with its two auditors. */
async function pair(i: number) {
  const second = plan.seconds![i]!;
  const first = plan.assignments.find((a) => a.caseRef === second.caseRef)!;
  return { caseRef: second.caseRef, first: await userOf(first.auditorEmail), second: await userOf(second.auditorEmail), firstEmail: first.auditorEmail, secondEmail: second.auditorEmail };
}

/** Start, all five sections (each free text marked with `marker`), then the final card; Submit unless `submit` is false. */
async function audit(user: TeamsUser, caseRef: string, grade: string, marker: string, questionGrade = "good") {
  const ref = { month: MONTH, caseRef };
  let n = 0;
  await act(h, user, "startAudit", ref);
  for (const s of SECTIONS) await act(h, user, "saveSection", { ...ref, sectionId: s.id, ...sectionAnswers(s.id, questionGrade, () => `${marker}-${++n}`) });
  return () => act(h, user, "submitAudit", { ...ref, ...finalInputs(grade), justification: `${marker} justification: ${finalInputs(grade).justification}` });
}

/** The Moderation sheet of the month's xlsx report, written by the report command, as rows of text by column name. */
async function moderationSheet(): Promise<Record<string, string>[]> {
  const out = join(mkdtempSync(join(tmpdir(), "caf-moderation-report-")), "report.xlsx");
  const ctx = { core: h.core, out: () => undefined, log: pino({ level: "silent" }) } as unknown as CliContext;
  expect(await runReport(ctx, { from: MONTH, to: MONTH, out })).toBe(0);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(out);
  const sheet = workbook.getWorksheet("Moderation")!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, string>[] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) rows.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).value === null ? "" : String(row.getCell(i + 1).value)])));
  });
  return rows;
}

beforeAll(async () => {
  h = await startHarness({ CAF_SAMPLE_SIZE: "5", CAF_MODERATION_SHARE: "0.6", CAF_RELAY_INTERVAL_MS: "100", CAF_LADDER_INTERVAL_MS: "100" });
  await loadExamples(h);
  kit = await userOf(QA_EMAIL);
  const r = await allocateMonth(h.core, { month: MONTH, seed: 1, actor: "test", dryRun: false });
  if (!r.ok) throw new Error(r.problem.message);
  plan = r.value.plan;
  expect(plan.seconds!.length).toBeGreaterThanOrEqual(3);
  for (const a of [...plan.assignments, ...plan.seconds!]) await userOf(a.auditorEmail);
  await settle();
});
afterAll(() => h?.close());

describe("moderation in Teams", () => {
  it("tells the QA team which cases are moderated and by whom, and each auditor only of their own audit", async () => {
    const p = await pair(0);
    const planCard = await until(() => cardsTo(kit).find((c) => heading(c) === `Audit plan for ${MONTH}`), "the plan");
    expect(cardText(planCard)).toContain(`${p.caseRef} (`);
    expect(cardText(planCard)).toContain(`${p.firstEmail} and ${p.secondEmail}`);
    for (const [user, other] of [[p.first, p.secondEmail], [p.second, p.firstEmail]] as const) {
      const allocation = await until(() => cardsTo(user).filter((c) => cardText(c).includes(p.caseRef)), "the allocation card");
      expect(allocation).toHaveLength(1);
      expect(everythingSeenBy(user)).not.toMatch(/moderat|second audit/i);
      expect(everythingSeenBy(user)).not.toContain(other);
      const mine = await sayAndRead(h, user, "my audits");
      expect(cardText(mine)).toContain(p.caseRef);
    }
  });

  it("keeps the auditors blind to each other until the QA team agrees a grade, which the feedback then uses", async () => {
    const p = await pair(0);
    const submitFirst = await audit(p.first, p.caseRef, "good", "FIRSTMARK");
    const firstDone = await submitFirst();
    expect(heading(firstDone.card)).toBe("Audit submitted");
    await settle();
    // One audit in: no feedback, nothing to the QA team, nothing to the other auditor.
    expect(await h.core.feedback.get(MONTH, p.caseRef)).toBeUndefined();
    expect(cardsTo(kit).filter((c) => heading(c).startsWith("Moderation:"))).toEqual([]);
    expect(everythingSeenBy(p.second)).not.toContain("FIRSTMARK");
    // Nor does the QA team's report give the first grade away while the second audit is still to come.
    expect((await moderationSheet()).find((r) => r.case_ref === p.caseRef)).toMatchObject({ status: "waiting for both audits", first_grade: "", second_grade: "", agreed_grade: "" });

    const submitSecond = await audit(p.second, p.caseRef, "requires-improvement", "SECONDMARK", "requires-improvement");
    expect(everythingSeenBy(p.second)).not.toContain("FIRSTMARK");
    await submitSecond();
    await settle();
    expect(await h.core.feedback.get(MONTH, p.caseRef)).toBeUndefined();
    // The QA team sees both, side by side, with each auditor's evidence.
    const [moderation] = await until(() => cardsTo(kit).filter((c) => heading(c) === `Moderation: ${p.caseRef} needs an agreed grade`), "the moderation card");
    expect(moderation).toBeDefined();
    expect(cardText(moderation!)).toContain("FIRSTMARK");
    expect(cardText(moderation!)).toContain("SECONDMARK");
    expect(fact(moderation!, "Status")).toBe("Waiting for an agreed grade");
    // Before the decision, neither auditor has seen a word of the other's audit.
    expect(everythingSeenBy(p.first)).not.toContain("SECONDMARK");
    expect(everythingSeenBy(p.second)).not.toContain("FIRSTMARK");

    const data = actionData(moderation!, "agreeGrade");
    // Only the QA team may agree; an auditor of the case is refused and nothing changes.
    const refused = await act(h, p.first, "agreeGrade", { ...data, agreedGrade: "good", agreeReason: "I think mine is right here." });
    expect(heading(refused.card)).toBe("Only the QA team can do that");
    const noReason = await act(h, kit, "agreeGrade", { ...data, agreedGrade: "requires-improvement", agreeReason: "" });
    expect(cardText(noReason.card)).toContain("Say why this is the grade");
    expect(await h.core.feedback.get(MONTH, p.caseRef)).toBeUndefined();

    const agreed = await act(h, kit, "agreeGrade", { ...data, agreedGrade: "requires-improvement", agreeReason: "The child's voice is missing from the plan, as the second audit found." });
    expect(fact(agreed.card, "Status")).toBe("Agreed as Requires Improvement by Kit Morris");
    const { feedback } = (await h.core.feedback.get(MONTH, p.caseRef))!;
    expect(feedback).toMatchObject({ grade: "requires-improvement", belowGood: true, status: "awaiting_review" });
    await settle();
    for (const user of [p.first, p.second]) {
      const told = await until(() => cardsTo(user).find((c) => heading(c) === `Moderation of ${p.caseRef}: Requires Improvement`), "the outcome");
      expect(told, user.name).toBeDefined();
      expect(cardText(told!)).toContain("The child's voice is missing from the plan");
    }
    // A second press changes nothing.
    const again = await act(h, kit, "agreeGrade", { ...data, agreedGrade: "good", agreeReason: "Changed my mind about this one." });
    expect(fact(again.card, "Status")).toBe("Agreed as Requires Improvement by Kit Morris");
    expect((await h.core.feedback.get(MONTH, p.caseRef))!.feedback.grade).toBe("requires-improvement");
  });

  it("sends the feedback on at once when both give the same grade, even when they submit at the same moment", async () => {
    const p = await pair(1);
    const [submitFirst, submitSecond] = [await audit(p.first, p.caseRef, "good", "SAMEA"), await audit(p.second, p.caseRef, "good", "SAMEB")];
    const done = await Promise.all([submitFirst(), submitSecond()]);
    expect(done.map((d) => heading(d.card))).toEqual(["Audit submitted", "Audit submitted"]);
    const found = await h.core.feedback.get(MONTH, p.caseRef);
    expect(found?.feedback).toMatchObject({ grade: "good", status: "awaiting_review" });
    expect((await h.core.allocations.getModeration(MONTH, p.caseRef))!.moderation).toMatchObject({ status: "agreed", agreedGrade: "good", decidedBy: "moderation" });
    await settle();
    expect(cardsTo(kit).filter((c) => heading(c).startsWith(`Moderation: ${p.caseRef}`))).toEqual([]);
    for (const user of [p.first, p.second]) expect(await until(() => cardsTo(user).filter((c) => heading(c) === `Moderation of ${p.caseRef}: Good`), "the outcome")).toHaveLength(1);
  });

  it("asks the QA team at the deadline when the second audit is missing, and can use the first audit alone", async () => {
    const p = await pair(2);
    await (await audit(p.first, p.caseRef, "good", "ALONE"))();
    await runAuditReminders(h.core);
    expect(cardsTo(kit).filter((c) => heading(c) === `Moderation: ${p.caseRef} is missing its second audit`)).toEqual([]);
    // 31 December + 5 working days (1 January is a bank holiday) is 8 January: the day after, QA decides.
    h.clock.set("2027-01-11T10:00:00.000Z");
    await runAuditReminders(h.core);
    await runAuditReminders(h.core);
    await settle();
    const asked = await until(() => cardsTo(kit).filter((c) => heading(c) === `Moderation: ${p.caseRef} is missing its second audit`), "the deadline card");
    await settle();
    expect(cardsTo(kit).filter((c) => heading(c) === `Moderation: ${p.caseRef} is missing its second audit`)).toHaveLength(1);
    const decided = await act(h, kit, "useSingleAudit", actionData(asked[0]!, "useSingleAudit"));
    expect(fact(decided.card, "Status")).toBe("First audit used alone (Good), decided by Kit Morris");
    expect((await h.core.feedback.get(MONTH, p.caseRef))!.feedback).toMatchObject({ grade: "good" });
    // The second auditor's audit is gone from their list and says so if opened from the old card.
    expect(cardText(await sayAndRead(h, p.second, "my audits"))).not.toContain(p.caseRef);
    const opened = await act(h, p.second, "startAudit", { month: MONTH, caseRef: p.caseRef });
    expect(cardText(opened.card)).toContain(`The QA team no longer needs your audit of case ${p.caseRef}`);
  });

  it("counts the month's pairs for the QA team's figures: both audits in, ranked on the toolkit's scale, too few below 5", async () => {
    const [disagreed, same] = [await pair(0), await pair(1)];
    const { pairs, categories } = await moderationPairs(h.core.allocations, h.core.toolkits, [MONTH]);
    expect(categories).toBe(4);
    expect(pairs.map((p) => [p.caseRef, p.first.rank, p.second.rank]).sort()).toEqual([[disagreed.caseRef, 1, 2], [same.caseRef, 1, 1]].sort());
    const lines: string[] = [];
    const ctx = { core: h.core, out: (l: string) => lines.push(l) } as unknown as CliContext;
    expect(await runModeration(ctx, { from: MONTH, to: MONTH, json: true })).toBe(0);
    const printed = JSON.parse(lines.join("\n"));
    expect(printed.overall).toMatchObject({ pairs: 2, tooFew: true, kappa: null });
    lines.length = 0;
    expect(await runModeration(ctx, { from: MONTH, to: MONTH })).toBe(0);
    expect(lines.join("\n")).toContain("too few pairs");
  });

  it("gives the report a Moderation sheet: both grades, how far apart, the agreed grade, and no auditor anywhere", async () => {
    const [disagreed, same, single] = [await pair(0), await pair(1), await pair(2)];
    const rows = await moderationSheet();
    expect(rows.find((r) => r.case_ref === disagreed.caseRef)).toMatchObject({ status: "agreed", first_grade: "Good", second_grade: "Requires Improvement", steps_apart: "1", agreed_grade: "Requires Improvement" });
    expect(rows.find((r) => r.case_ref === same.caseRef)).toMatchObject({ status: "agreed", first_grade: "Good", second_grade: "Good", steps_apart: "0", agreed_grade: "Good" });
    expect(rows.find((r) => r.case_ref === single.caseRef)).toMatchObject({ status: "single audit used", first_grade: "Good", second_grade: "", agreed_grade: "Good" });
    const everything = JSON.stringify(rows);
    for (const p of [disagreed, same, single]) for (const part of [p.firstEmail, p.secondEmail, p.first.name, p.second.name]) expect(everything).not.toContain(part);
  });

  it("puts one moderation line in the month's digest, counts only: no auditor, no grade of either audit", async () => {
    const settings = { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 20 };
    const figures = await digestFigures(h.core, MONTH, MONTH, settings);
    const card = JSON.stringify(expandTemplate("digest", digestView(figures, null, settings).data as DigestCardData));
    expect(card).toContain("Moderation: 2 cases graded twice, blind; too few for agreement figures (5 needed).");
    const auditors = [...new Set(plan.seconds!.flatMap((s) => [s.auditorEmail, plan.assignments.find((a) => a.caseRef === s.caseRef)!.auditorEmail]))];
    const people = (await h.core.people.all()).filter((p) => auditors.includes(p.email));
    for (const p of people) for (const part of [p.email, p.name]) expect(card).not.toContain(part);
    // The first audits are the month's grades; a second audit never adds to them.
    expect(figures.completed).toBe((await h.core.allocations.listMonth(MONTH)).filter((a) => a.status === "submitted").length);
  });
});
