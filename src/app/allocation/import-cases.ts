// Use case: load the open-case register. Idempotent upserts; a case missing from a later register is marked no longer open, never deleted.
import { sameCaseFile, type CaseFile } from "../../domain/case-file";
import { londonDate } from "../../domain/working-days";
import { CASE_COLUMNS_REQUIRED, parseCaseRow } from "./case-rows";
import { collectRows, readCsv, type RowProblem } from "./csv-table";
import { fail, ok, type Result } from "../errors";
import type { CaseRepository, Clock, EventLog } from "../ports";

export interface ImportReport {
  added: number;
  updated: number;
  unchanged: number;
  markedNoLongerOpen: number;
  rejected: RowProblem[];
}

/**
 * A register that would close more than half of the open cases (and at least this many) is probably the wrong
 * file, a filtered export or a partial one: it is refused unless the person confirms.
 */
export const MASS_CLOSURE_FLOOR = 10;

export async function importCases(
  deps: { cases: CaseRepository; events: EventLog; clock: Clock },
  file: Uint8Array,
  actor: string,
  options: { allowMassClosure?: boolean } = {},
): Promise<Result<ImportReport>> {
  const table = readCsv(file, "case register", CASE_COLUMNS_REQUIRED);
  if (!table.ok) return table;

  const { accepted: incoming, rejected } = collectRows(table.value.rows, parseCaseRow, (c) => c.caseRef, "case_ref");
  const refsOnRejectedRows = new Set(rejected.map((p) => p.ref).filter((ref): ref is string => ref !== null));

  const today = londonDate(deps.clock.now());
  const existing = new Map((await deps.cases.all()).map((c) => [c.caseRef, c]));
  const changed: CaseFile[] = [];
  const report: ImportReport = { added: 0, updated: 0, unchanged: 0, markedNoLongerOpen: 0, rejected };
  for (const { value } of incoming.values()) {
    const before = existing.get(value.caseRef);
    // The day of the last change is carried over, so it takes no part in the comparison.
    const next: CaseFile = { ...value, missingFromRegisterSince: null, ...(before?.registerChangedOn ? { registerChangedOn: before.registerChangedOn } : {}) };
    if (!before) report.added++;
    else if (sameCaseFile(before, next)) {
      report.unchanged++;
      continue;
    } else report.updated++;
    changed.push(before ? { ...next, registerChangedOn: today } : next);
  }
  for (const before of existing.values()) {
    // A case on a rejected row is still in the register: its row only needs fixing.
    if (incoming.has(before.caseRef) || refsOnRejectedRows.has(before.caseRef)) continue;
    if (before.status === "open" && before.missingFromRegisterSince === null) {
      changed.push({ ...before, missingFromRegisterSince: today });
      report.markedNoLongerOpen++;
    }
  }

  const openBefore = [...existing.values()].filter((c) => c.status === "open" && c.missingFromRegisterSince === null).length;
  if (!options.allowMassClosure && report.markedNoLongerOpen >= MASS_CLOSURE_FLOOR && report.markedNoLongerOpen * 2 > openBefore) {
    return fail(
      "import_mass_closure",
      `This file would mark ${report.markedNoLongerOpen} of ${openBefore} open cases as no longer open, so nothing was imported. ` +
        "Check it is the full register; if it is, run the import again with --allow-mass-closure.",
    );
  }
  await deps.cases.saveMany(changed, new Map([...existing.values()].map((c) => [c.caseRef, c.serviceArea])));
  await deps.events.append({
    at: deps.clock.now().toISOString(),
    actor,
    type: "cases_imported",
    subject: "register",
    data: { added: report.added, updated: report.updated, unchanged: report.unchanged, markedNoLongerOpen: report.markedNoLongerOpen, rejected: rejected.length },
  });
  return ok(report);
}
