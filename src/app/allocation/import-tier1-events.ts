// Use case: record Tier 1 events (CAF assessments, TAF reviews, closures) from a CSV. Every event is checked, none
// sampled: each new one is stored with its card to the case's checker in the same transaction. Validated like the
// register (row errors with line numbers, the same encodings); importing the same file again adds nothing.
import { newTier1Check, eventDateProblem, eventKey, reminderAfter, type Tier1Check, type Tier1Event } from "../../domain/tier1";
import { hasRole } from "../../domain/person";
import { londonDate } from "../../domain/working-days";
import { collectRows, readCsv, type RowProblem } from "./csv-table";
import type { ChatDeps } from "../chat-deps";
import { ok, type Result } from "../errors";
import type { OutboxMessage } from "../delivery/outbox";
import { tier1View } from "../cards/tier1-views";
import { EVENT_COLUMNS_REQUIRED, parseEventRow } from "./tier1-event-rows";

export interface Tier1ImportReport {
  added: number;
  alreadyRecorded: number;
  /** New checks that went to the QA team's pool: no separate manager recorded for the lead professional. */
  toQaPool: number;
  rejected: RowProblem[];
}

type Deps = Pick<ChatDeps, "cases" | "people" | "tier1" | "checklist" | "events" | "clock" | "tier1ReminderDays">;

export async function importTier1Events(deps: Deps, file: Uint8Array, actor: string): Promise<Result<Tier1ImportReport>> {
  const table = readCsv(file, "Tier 1 event", EVENT_COLUMNS_REQUIRED);
  if (!table.ok) return table;
  const { accepted, rejected } = collectRows(table.value.rows, parseEventRow, eventKey, "the same event (event_id, or case_ref, event and event_date)");
  return ok(await recordTier1Events(deps, [...accepted.values()], rejected, actor));
}

/**
 * Stores a check, with its card, for each event not recorded yet. A row whose case is not in the register, whose
 * date is out of range, or that nobody may check joins `rejected`.
 */
export async function recordTier1Events(deps: Deps, events: readonly { line: number; value: Tier1Event }[], rejected: RowProblem[], actor: string): Promise<Tier1ImportReport> {
  const now = deps.clock.now();
  const today = londonDate(now);
  const remindAt = reminderAfter(now, deps.tier1ReminderDays);
  const [cases, people] = await Promise.all([deps.cases.all(), deps.people.all()]);
  const byRef = new Map(cases.map((c) => [c.caseRef, c]));
  const qa = people.filter((p) => hasRole(p, "qa")).map((p) => p.email.toLowerCase());
  const items: { check: Tier1Check; outbox: OutboxMessage[] }[] = [];
  for (const { line, value: event } of events) {
    const caseFile = byRef.get(event.caseRef);
    const dateProblem = eventDateProblem(event.eventOn, today);
    if (!caseFile || dateProblem) {
      rejected.push({ line, ref: event.caseRef, code: "row_invalid", reason: caseFile ? dateProblem! : `case_ref ${event.caseRef} is not in the case register: import the register first` });
      continue;
    }
    const check = newTier1Check(event, caseFile, deps.checklist, now, remindAt);
    // Never the lead professional, even when they are also in the QA team.
    const to = check.checkerEmail ? [check.checkerEmail] : qa.filter((e) => e !== check.leadProfessionalEmail);
    if (to.length === 0) {
      // Stored, it would wait for ever and block the event's re-import once the register is fixed: refused instead.
      rejected.push({ line, ref: event.caseRef, code: "row_invalid", reason: "nobody can check it: no manager other than the lead professional is recorded, and the QA team has nobody else; fix the register or the people file" });
      continue;
    }
    const view = tier1View(check, deps.checklist);
    items.push({ check, outbox: to.map((email) => ({ id: `t1:${check.eventOn}:${check.key}:card:${email}`, recipientEmail: email, view, createdAt: now.toISOString() })) });
  }
  rejected.sort((a, b) => a.line - b.line);
  const { created, existing } = await deps.tier1.createMany(items);
  const fresh = new Set(created);
  const report: Tier1ImportReport = { added: created.length, alreadyRecorded: existing, toQaPool: items.filter((i) => fresh.has(i.check.key) && i.check.checkerEmail === null).length, rejected };
  await deps.events.append({ at: now.toISOString(), actor, type: "tier1_events_imported", subject: "tier1", data: { added: created.length, alreadyRecorded: existing, toQaPool: report.toQaPool, rejected: rejected.length } });
  return report;
}
