// The report's Supervision sheet: one row per case and quarter of the period with a checklist, done or not, and how
// many items were answered No. The manager's notes only with --include-text (names blanked).
import type { Supervision, SupervisionStage } from "../../domain/supervision";
import { quarterLabel } from "../../domain/supervision";
import { londonDate } from "../../domain/working-days";
import type { Cell, RowSet } from "./report-rows";

export const SUPERVISION_COLUMNS = ["quarter", "case_ref", "service_area", "status", "done_on", "items", "items_no", "no_items"] as const;

export function supervisionRows(supervisions: readonly Supervision[], stage: SupervisionStage, includeText: boolean, clean: (text: string) => string): RowSet {
  const rows = [...supervisions]
    .sort((a, b) => a.quarter.localeCompare(b.quarter) || a.caseRef.localeCompare(b.caseRef))
    .map((s): Cell[] => {
      const no = s.answers ? stage.items.filter((i) => s.answers![i.id] === "no") : [];
      return [
        quarterLabel(s.quarter),
        s.caseRef,
        s.serviceArea,
        s.status,
        s.doneAt ? londonDate(new Date(s.doneAt)) : null,
        stage.items.length,
        s.answers ? no.length : null,
        // Item numbers, not their words: the sheet stays short and the checklist file says what each is.
        s.answers ? no.map((i) => stage.items.indexOf(i) + 1).join(", ") : null,
        ...(includeText ? [s.comment ? clean(s.comment) : null] : []),
      ];
    });
  return { name: "Supervision", columns: [...SUPERVISION_COLUMNS, ...(includeText ? ["notes"] : [])], rows };
}
