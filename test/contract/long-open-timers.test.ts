// An escalation can stay open for months (acknowledged, waiting on MASH, reminded to resolve every few days), and a
// feedback's corrective actions can run past a quarter. The ladder and the reminders must still find them: a timer
// that silently stops is a Family Support Manager who is never reminded again.
import { describe, expect, it } from "vitest";
import { createEscalationRepository } from "../../src/storage/escalation-repository";
import { createFeedbackRepository, feedbackToEntity } from "../../src/storage/feedback-repository";
import { createOutboxStore } from "../../src/storage/outbox-store";
import { freshTables } from "../support/tables";
import { acknowledgedEscalation, feedbackRow, raisedEscalation } from "../support/timer-rows";

const NOW = "2026-12-03T10:00:00.000Z";

describe("timers that have run for months", () => {
  it("the ladder still finds an escalation raised in August that nobody has resolved", async () => {
    const tables = await freshTables();
    const escalations = createEscalationRepository(tables);
    const august = acknowledgedEscalation("CAF-AUG", "2026-08-10T10:00:00.000Z", "2026-08-10T11:00:00.000Z");
    const lastWeek = raisedEscalation("CAF-NOV", "2026-11-26T10:00:00.000Z");
    const notYet = { ...raisedEscalation("CAF-DEC", "2026-12-03T09:00:00.000Z"), nextCheckAt: "2026-12-04T09:00:00.000Z" };
    for (const e of [august, lastWeek, notYet]) expect(await escalations.create(e, {})).toBe("created");

    const due = (await escalations.due(new Date(NOW))).map((d) => d.escalation.caseRef).sort();
    expect(due).toEqual(["CAF-AUG", "CAF-NOV"]);
  });

  it("the reminders still find a feedback from July whose corrective actions are not confirmed", async () => {
    const tables = await freshTables();
    const allocations = tables.table("Allocations");
    const rows = [
      feedbackRow("CAF-JUL", { month: "2026-07", nextReminderAt: "2026-12-02T09:00:00.000Z" }),
      feedbackRow("CAF-NOV", { month: "2026-11", nextReminderAt: "2026-12-03T09:00:00.000Z" }),
      feedbackRow("CAF-CLOSED", { month: "2026-06", status: "closed", nextReminderAt: null }),
      feedbackRow("CAF-LATER", { month: "2026-05", nextReminderAt: "2026-12-10T09:00:00.000Z" }),
    ];
    for (const f of rows) await allocations.createEntity(feedbackToEntity(f));

    const due = (await createFeedbackRepository(tables).due(new Date(NOW))).map((d) => d.feedback.caseRef).sort();
    expect(due).toEqual(["CAF-JUL", "CAF-NOV"]);
  });

  it("the relay still sends a message stored beside a feedback from May: a reminder or re-check months after its audit", async () => {
    const tables = await freshTables();
    const feedback = createFeedbackRepository(tables);
    const may = feedbackRow("CAF-MAY", { month: "2026-05", nextReminderAt: "2026-12-02T09:00:00.000Z" });
    await tables.table("Allocations").createEntity(feedbackToEntity(may));
    const stored = (await feedback.get("2026-05", "CAF-MAY"))!;
    const notice = { template: "notice" as const, data: { title: "Re-check", text: "Case CAF-MAY" } };
    await feedback.update({ ...may, nextReminderAt: null }, stored.version, { outbox: [{ id: "fb:2026-05:CAF-MAY:recheck", recipientEmail: "asha.patel@example.gov.uk", view: notice, createdAt: NOW }] });

    const due = await createOutboxStore(tables, { now: () => new Date(NOW) }).due(new Date(NOW));
    expect(due.map((m) => m.id)).toEqual(["fb:2026-05:CAF-MAY:recheck"]);
  });
});
