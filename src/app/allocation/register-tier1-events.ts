// The register as a second Tier 1 trigger (`caf-audit import-cases FILE --tier1`): its closed_on, caf_assessment_on
// and last_taf_review_on dates are events, recorded like the event file's. A date outside the last 12 months is
// history, not an event to check now, so it is passed over rather than refused; a date that is not a date is refused.
import { eventDateProblem, type Tier1Event } from "../../domain/tier1";
import type { EventKind } from "../../domain/tier1-checklist";
import { londonDate } from "../../domain/working-days";
import { readCsv, type RowProblem } from "./csv-table";
import { ok, type Result } from "../errors";
import { recordTier1Events, type Tier1ImportReport } from "./import-tier1-events";
import { date, optionalText } from "./row-fields";

export const REGISTER_EVENT_COLUMNS: readonly { column: string; kind: EventKind }[] = [
  { column: "caf_assessment_on", kind: "assessment" },
  { column: "last_taf_review_on", kind: "taf_review" },
  { column: "closed_on", kind: "closure" },
];

export async function registerTier1Events(deps: Parameters<typeof recordTier1Events>[0], file: Uint8Array, actor: string): Promise<Result<Tier1ImportReport>> {
  const table = readCsv(file, "case register", ["case_ref"]);
  if (!table.ok) return table;
  const today = londonDate(deps.clock.now());
  const events: { line: number; value: Tier1Event }[] = [];
  const rejected: RowProblem[] = [];
  for (const row of table.value.rows) {
    const caseRef = optionalText(row.values.case_ref);
    if (caseRef === null) continue; // the register import has already said so
    for (const { column, kind } of REGISTER_EVENT_COLUMNS) {
      const d = date(row.values[column], column);
      if (!d.ok) {
        if (column !== "closed_on") rejected.push({ line: row.line, ref: caseRef, code: "row_invalid", reason: d.reason }); // closed_on: said already
        continue;
      }
      if (d.value !== null && eventDateProblem(d.value, today) === null) events.push({ line: row.line, value: { caseRef, kind, eventOn: d.value, eventId: null } });
    }
  }
  return ok(await recordTier1Events(deps, events, rejected, actor));
}
