// Use case: load the people directory (emails, names, roles, capacity). Idempotent upserts; nobody is deleted.
import { collectRows, readCsv, type RowProblem } from "./csv-table";
import { ok, type Result } from "../errors";
import { PEOPLE_COLUMNS_REQUIRED, parsePersonRow } from "./person-rows";
import type { Clock, EventLog, PeopleRepository } from "../ports";
import type { Person } from "../../domain/person";
import { canonical } from "../../domain/case-file";

export interface PeopleImportReport {
  added: number;
  updated: number;
  unchanged: number;
  rejected: RowProblem[];
}

export async function importPeople(
  deps: { people: PeopleRepository; events: EventLog; clock: Clock },
  file: Uint8Array,
  actor: string,
): Promise<Result<PeopleImportReport>> {
  const table = readCsv(file, "people", PEOPLE_COLUMNS_REQUIRED);
  if (!table.ok) return table;
  const { accepted: incoming, rejected } = collectRows(table.value.rows, parsePersonRow, (p) => p.email, "email");
  const existing = new Map((await deps.people.all()).map((p) => [p.email, p]));
  const report: PeopleImportReport = { added: 0, updated: 0, unchanged: 0, rejected };
  const changed: Person[] = [];
  for (const { value: person } of incoming.values()) {
    const before = existing.get(person.email);
    if (!before) report.added++;
    else if (canonical({ ...before, awayUntil: undefined }) === canonical(person)) {
      report.unchanged++;
      continue;
    } else report.updated++;
    changed.push(person);
  }
  await deps.people.saveMany(changed);
  await deps.events.append({
    at: deps.clock.now().toISOString(),
    actor,
    type: "people_imported",
    subject: "directory",
    data: { added: report.added, updated: report.updated, unchanged: report.unchanged, rejected: rejected.length },
  });
  return ok(report);
}
