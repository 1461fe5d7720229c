// The audit trail on real storage: each event is stored in its decision's transaction, then reaches the Events table
// once, however the copy is cut short. What a QA officer shows an inspector must be neither missing nor doubled.
import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../src/app/ports";
import { createAuditRepository } from "../../src/storage/audit-repository";
import { createEventLog } from "../../src/storage/event-log";
import { createPeopleRepository } from "../../src/storage/people-repository";
import { listWhere, type TableName, type Tables } from "../../src/storage/tables";
import { newAudit } from "../../src/domain/audit";
import { freshTables, withEventsUnavailable } from "../support/tables";

const MONTH = "2026-12";
const AT = "2026-12-03T10:00:00.000Z";
const asha = { email: "asha.patel@example.gov.uk", name: "Asha Patel", roles: ["auditor" as const], serviceArea: null, managerEmail: null, monthlyCapacity: 2 };

const event = (type: string, data: AuditEvent["data"] = {}): AuditEvent => ({ at: AT, actor: asha.email, type, subject: `${MONTH}/CAF-1`, data });

const anAudit = () =>
  newAudit({ month: MONTH, caseRef: "CAF-1", serviceArea: "Family Hubs", auditorEmail: asha.email, toolkitId: "caf-file-audit-2016", dueOn: "2026-12-31", allocatedAt: "2026-12-01T09:00:00.000Z" });

/** The trail rows still waiting beside decisions in a table. */
const waiting = async (tables: Tables, table: TableName) => listWhere(tables.table(table), tables.endpoint, "RowKey ge 'trail-' and RowKey lt 'trail.'");

/** Fresh tables with one allocated audit, and its ETag. */
async function withAudit() {
  const tables = await freshTables();
  const audits = createAuditRepository(tables);
  await audits.createAudits(MONTH, [{ audit: anAudit(), outbox: [] }]);
  const stored = (await audits.get(MONTH, "CAF-1"))!;
  return { tables, audits, stored, log: createEventLog(tables) };
}

describe("the audit trail", () => {
  it("stores a decision's events with it and copies them to the Events table, leaving nothing behind", async () => {
    const { tables, audits, stored, log } = await withAudit();
    const events = [event("audit_started"), event("audit_reopened_for_correction")];
    await audits.update({ ...stored.audit, status: "in_progress" }, stored.version, { events });
    expect(await log.listMonth(MONTH)).toEqual(events);
    expect(await waiting(tables, "Allocations")).toEqual([]);
    expect(await log.catchUp(0)).toBe(0);
  });

  it("stores no event for a decision that was not stored (someone changed the audit first)", async () => {
    const { audits, stored, log } = await withAudit();
    await audits.update({ ...stored.audit, sectionIndex: 1 }, stored.version, {});
    const lost = await audits.update({ ...stored.audit, status: "in_progress" }, stored.version, { events: [event("audit_started")] }).catch((e) => e);
    expect(lost).toMatchObject({ code: "storage_precondition_failed" });
    expect(await log.listMonth(MONTH)).toEqual([]);
  });

  it("keeps the events of a decision stored while the log cannot be written, and copies each once, in order, when it can", async () => {
    const { tables, stored, log } = await withAudit();
    const cut = createAuditRepository(withEventsUnavailable(tables));
    const events = [event("audit_started"), event("audit_submitted", { version: 1 })];
    await cut.update({ ...stored.audit, status: "in_progress" }, stored.version, { events });

    expect((await createAuditRepository(tables).get(MONTH, "CAF-1"))!.audit.status).toBe("in_progress");
    expect(await log.listMonth(MONTH)).toEqual([]);
    expect(await waiting(tables, "Allocations")).toHaveLength(2);

    // Moments old, the rows are left to a copy that may still be under way.
    expect(await log.catchUp()).toBe(0);
    expect(await log.catchUp(0)).toBe(2);
    expect(await log.listMonth(MONTH)).toEqual(events);
    expect(await waiting(tables, "Allocations")).toEqual([]);
    expect(await log.catchUp(0)).toBe(0);
    expect(await log.listMonth(MONTH)).toHaveLength(2);
  });

  it("copies an event once when an earlier copy reached the log but was cut short before clearing it", async () => {
    const { tables, stored, log } = await withAudit();
    await createAuditRepository(withEventsUnavailable(tables)).update({ ...stored.audit, status: "in_progress" }, stored.version, { events: [event("audit_started")] });
    const [row] = await waiting(tables, "Allocations");
    // What the cut copy had done: the Events row, under the same key, and nothing more.
    await tables.table("Events").createEntity({ partitionKey: MONTH, rowKey: row!.rowKey.slice("trail-".length), at: row!.at, actor: row!.actor, type: row!.type, subject: row!.subject, data: row!.data });

    expect(await log.catchUp(0)).toBe(1);
    expect((await log.listMonth(MONTH)).map((e) => e.type)).toEqual(["audit_started"]);
    expect(await waiting(tables, "Allocations")).toEqual([]);
  });

  it("keeps a person's events beside them without showing them as people, and never takes a person for an event", async () => {
    const tables = await freshTables();
    const people = createPeopleRepository(tables);
    const trailRunner = { ...asha, email: "trail-runner@example.gov.uk", name: "Tom Trail" };
    await people.saveMany([asha, trailRunner]);
    await createPeopleRepository(withEventsUnavailable(tables)).setAway(asha.email, "2026-12-24", { events: [{ ...event("away_set", { until: "2026-12-24" }), subject: asha.email }] });

    expect((await people.all()).map((p) => p.email).sort()).toEqual([asha.email, trailRunner.email]);
    expect((await people.get(asha.email))!.awayUntil).toBe("2026-12-24");
    const log = createEventLog(tables);
    expect(await log.catchUp(0)).toBe(1);
    expect((await log.listMonth(MONTH)).map((e) => [e.type, e.subject])).toEqual([["away_set", asha.email]]);
    expect((await people.all()).map((p) => p.email).sort()).toEqual([asha.email, trailRunner.email]);
  });
});
