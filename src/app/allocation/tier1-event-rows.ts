// One row of the Tier 1 event file (case_ref, event, event_date, optional event_id) to an event, or why it is refused.
import { EVENT_KINDS, type EventKind } from "../../domain/tier1-checklist";
import type { Tier1Event } from "../../domain/tier1";
import type { CsvRow, RowProblem } from "./csv-table";
import { date, optionalText, overlongFields } from "./row-fields";
import { hasControlCharacter } from "../../domain/text";

export const EVENT_COLUMNS_REQUIRED = ["case_ref", "event", "event_date"] as const;


/** The words case systems and people use for each kind; matched after lower-casing and folding spaces and hyphens. */
const KIND_WORDS: Record<string, EventKind> = {
  assessment: "assessment",
  caf_assessment: "assessment",
  caf: "assessment",
  taf_review: "taf_review",
  taf: "taf_review",
  taf_meeting: "taf_review",
  closure: "closure",
  caf_closure: "closure",
};

export function parseEventRow(row: CsvRow): { ok: true; value: Tier1Event } | { ok: false; problem: RowProblem } {
  const v = row.values;
  const reasons = overlongFields(row);
  const caseRef = optionalText(v.case_ref);
  if (caseRef === null) reasons.push("case_ref is missing");
  else if (hasControlCharacter(caseRef) || caseRef.length > 100) reasons.push("case_ref has control characters or is longer than 100 characters");
  const kind = KIND_WORDS[(v.event ?? "").trim().toLowerCase().replace(/[\s-]+/g, "_")];
  if (!kind) reasons.push(`event "${v.event ?? ""}" is not one of ${EVENT_KINDS.join(", ")}`);
  const eventOn = date(v.event_date, "event_date");
  if (!eventOn.ok) reasons.push(eventOn.reason);
  else if (eventOn.value === null) reasons.push("event_date is missing");
  const eventId = optionalText(v.event_id);
  if (eventId !== null && (hasControlCharacter(eventId) || eventId.length > 100)) reasons.push("event_id has control characters or is longer than 100 characters");
  if (reasons.length > 0) return { ok: false, problem: { line: row.line, ref: caseRef, code: "row_invalid", reason: reasons.join("; ") } };
  return { ok: true, value: { caseRef: caseRef!, kind: kind!, eventOn: (eventOn as { value: string }).value, eventId } };
}
