// One row of the people file to a Person, or the reasons the row is refused.
import { CHATS, ROLES, type Chat, type Person, type Role } from "../../domain/person";
import type { CsvRow, RowProblem } from "./csv-table";
import { email, list, optionalText, overlongFields } from "./row-fields";

export const PEOPLE_COLUMNS_REQUIRED = ["email", "name", "roles"] as const;
export const MAX_MONTHLY_CAPACITY = 10;

export function parsePersonRow(row: CsvRow): { ok: true; value: Person } | { ok: false; problem: RowProblem } {
  const v = row.values;
  const reasons = overlongFields(row);
  const address = email(v.email, "email", true);
  if (!address.ok) reasons.push(address.reason);
  const name = optionalText(v.name);
  if (name === null) reasons.push("name is missing");
  const roles = list(v.roles).map((r) => r.toLowerCase());
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0) reasons.push("roles is empty");
  if (unknown.length > 0) reasons.push(`unknown role ${unknown.map((r) => `"${r}"`).join(", ")} (use ${ROLES.join(", ")})`);
  const manager = email(v.manager_email, "manager_email", false);
  if (!manager.ok) reasons.push(manager.reason);

  const capacityText = optionalText(v.monthly_capacity);
  // An auditor with no stated capacity takes one case: the low end of the seed guide's 1-2.
  const capacity = capacityText === null ? (roles.includes("auditor") ? 1 : 0) : /^\d{1,3}$/.test(capacityText) ? Number(capacityText) : NaN;
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_MONTHLY_CAPACITY) {
    reasons.push(`monthly_capacity "${capacityText}" is not a whole number from 0 to ${MAX_MONTHLY_CAPACITY}`);
  }
  const chat = optionalText(v.chat)?.toLowerCase() ?? null;
  if (chat !== null && !(CHATS as readonly string[]).includes(chat)) reasons.push(`chat "${chat}" is not one of ${CHATS.join(", ")} (leave it empty for the organisation's default)`);
  if (reasons.length > 0) {
    return { ok: false, problem: { line: row.line, ref: address.ok ? address.value : null, code: "row_invalid", reason: reasons.join("; ") } };
  }
  return {
    ok: true,
    value: {
      email: (address as { value: string }).value,
      name: name!,
      roles: [...new Set(roles)] as Role[],
      serviceArea: optionalText(v.service_area),
      managerEmail: manager.ok ? manager.value : null,
      monthlyCapacity: capacity,
      ...(chat ? { chat: chat as Chat } : {}),
    },
  };
}
