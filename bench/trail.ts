// The audit trail's cost: a decision stored with its event (one transaction, then the copy to Events) against the
// same decision followed by a separate append (how events were written before), and the catch-up pass the bot runs
// with the reminders, over a year's worth of rows with nothing left behind and with events left behind.
import type { AuditEvent } from "../src/app/ports";
import { newAudit } from "../src/domain/audit";
import { createAuditRepository } from "../src/storage/audit-repository";
import { createEventLog } from "../src/storage/event-log";
import { createTables, upsertInBatches, type Entity } from "../src/storage/tables";
import { withEventsUnavailable } from "../test/support/events-unavailable";

type Figure = (name: string, value: number, target: string) => void;

const MONTH = "2026-12";
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchTrail(connectionString: string, figure: Figure, runs = 200): Promise<void> {
  const tables = createTables({ connectionString, tablePrefix: "benchtrail" });
  await tables.ensure();
  const audits = createAuditRepository(tables);
  const log = createEventLog(tables);
  const audit = newAudit({ month: MONTH, caseRef: "CAF-B1", serviceArea: "Family Hubs", auditorEmail: "asha.patel@example.gov.uk", toolkitId: "caf-file-audit-2016", dueOn: "2026-12-31", allocatedAt: "2026-12-01T09:00:00.000Z" });
  await audits.createAudits(MONTH, [{ audit, outbox: [] }]);
  const event = (i: number): AuditEvent => ({ at: new Date(Date.UTC(2026, 11, 3, 10, 0, 0, i)).toISOString(), actor: audit.auditorEmail, type: "audit_saved", subject: `${MONTH}/CAF-B1`, data: { version: i } });

  const withEvent: number[] = [];
  const thenAppend: number[] = [];
  for (let i = 0; i < runs; i++) {
    let stored = (await audits.get(MONTH, "CAF-B1"))!;
    let t = process.hrtime.bigint();
    await audits.update({ ...stored.audit, sectionIndex: i % 5 }, stored.version, { events: [event(i)] });
    withEvent.push(ms(t));
    stored = (await audits.get(MONTH, "CAF-B1"))!;
    t = process.hrtime.bigint();
    await audits.update({ ...stored.audit, sectionIndex: (i + 1) % 5 }, stored.version, {});
    await log.append(event(i));
    thenAppend.push(ms(t));
  }
  figure(`a decision with its event in its transaction, then copied (p50 of ${runs})`, median(withEvent), "-");
  figure(`  before: the decision, then a separate append (p50 of ${runs})`, median(thenAppend), "-");

  // A year of rows in the tables the catch-up reads, none of them left behind.
  const filler: Entity[] = [];
  for (let m = 1; m <= 12; m++) {
    for (let i = 0; i < 1_000; i++) filler.push({ partitionKey: `2026-${String(m).padStart(2, "0")}`, rowKey: `case-F${i}`, status: "submitted", audit0: "x".repeat(400) });
  }
  await upsertInBatches(tables.table("Allocations"), tables.endpoint, filler);
  const passes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    await log.catchUp(0);
    passes.push(ms(t));
  }
  figure("catch-up pass, 12,000 rows in Allocations, nothing left behind (p50 of 5)", median(passes), "-");

  const cut = createAuditRepository(withEventsUnavailable(tables, connectionString));
  for (let i = 0; i < 100; i++) {
    const stored = (await audits.get(MONTH, "CAF-B1"))!;
    await cut.update({ ...stored.audit, sectionIndex: i % 5 }, stored.version, { events: [event(1_000 + i)] });
  }
  const t = process.hrtime.bigint();
  const copied = await log.catchUp(0);
  figure(`catch-up of ${copied} events left behind by a failed log`, ms(t), "-");
}
