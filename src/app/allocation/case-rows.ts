// One row of the open-case register to a CaseFile, or the reasons the row is refused.
import type { CaseFile } from "../../domain/case-file";
import type { CsvRow, RowProblem } from "./csv-table";
import { date, email, list, optionalText, overlongFields, type Field } from "./row-fields";
import { hasControlCharacter } from "../../domain/text";

export const CASE_COLUMNS_REQUIRED = ["case_ref", "service_area", "status", "lead_professional_email", "lp_manager_email"] as const;



export function parseCaseRow(row: CsvRow): { ok: true; value: Omit<CaseFile, "missingFromRegisterSince"> } | { ok: false; problem: RowProblem } {
  const v = row.values;
  const reasons = overlongFields(row);
  const take = <T>(f: Field<T>, fallback: T): T => (f.ok ? f.value : (reasons.push(f.reason), fallback));

  const caseRef = optionalText(v.case_ref);
  if (caseRef === null) reasons.push("case_ref is missing");
  else if (hasControlCharacter(caseRef) || caseRef.length > 100) reasons.push("case_ref has control characters or is longer than 100 characters");
  const serviceArea = optionalText(v.service_area);
  if (serviceArea === null) reasons.push("service_area is missing");
  else if (hasControlCharacter(serviceArea) || serviceArea.length > 100) reasons.push("service_area has control characters or is longer than 100 characters");
  const status = (v.status ?? "").trim().toLowerCase();
  if (status !== "open" && status !== "closed") reasons.push(`status "${v.status ?? ""}" is not open or closed`);
  const stepDown = (v.step_down ?? "").trim().toLowerCase();
  if (!["", "yes", "no", "y", "n"].includes(stepDown)) reasons.push(`step_down "${v.step_down}" is not yes or no`);

  const value = {
    caseRef: caseRef ?? "",
    serviceArea: serviceArea ?? "",
    status: status as "open" | "closed",
    openedOn: take(date(v.opened_on, "opened_on"), null),
    closedOn: take(date(v.closed_on, "closed_on"), null),
    leadProfessionalEmail: take(email(v.lead_professional_email, "lead_professional_email", false), null),
    lpManagerEmail: take(email(v.lp_manager_email, "lp_manager_email", false), null),
    involvedEmails: list(v.involved_emails).map((e) => take(email(e, "involved_emails", true), null)).filter((e): e is string => e !== null),
    stepDown: stepDown.startsWith("y"),
    ageBand: optionalText(v.age_band),
    primaryNeed: optionalText(v.primary_need),
    lastAuditedOn: take(date(v.last_audited_on, "last_audited_on"), null),
  };
  if (reasons.length > 0) return { ok: false, problem: { line: row.line, ref: caseRef, code: "row_invalid", reason: reasons.join("; ") } };
  return { ok: true, value };
}
