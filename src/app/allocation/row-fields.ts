// Field readers shared by the register and people importers: each returns a value or a reason the row is refused.
import { z } from "zod";
import { isValidIsoDate } from "../../domain/working-days";

export type Field<T> = { ok: true; value: T } | { ok: false; reason: string };

const emailSchema = z.email();

export function optionalText(raw: string | undefined): string | null {
  const v = (raw ?? "").trim();
  return v === "" ? null : v;
}

export function email(raw: string | undefined, column: string, required: boolean): Field<string | null> {
  const v = optionalText(raw);
  if (v === null) return required ? { ok: false, reason: `${column} is missing` } : { ok: true, value: null };
  if (!emailSchema.safeParse(v).success) return { ok: false, reason: `${column} "${v}" is not an email address` };
  return { ok: true, value: v.toLowerCase() };
}

/** Accepts dd/mm/yyyy (how councils write dates) and ISO yyyy-mm-dd; refuses impossible dates such as 31/02/2026. */
export function date(raw: string | undefined, column: string): Field<string | null> {
  const v = optionalText(raw);
  if (v === null) return { ok: true, value: null };
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  const iso = uk ? `${uk[3]}-${uk[2]!.padStart(2, "0")}-${uk[1]!.padStart(2, "0")}` : v;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || !isValidIsoDate(iso)) {
    return { ok: false, reason: `${column} "${v}" is not a real date (use dd/mm/yyyy or yyyy-mm-dd)` };
  }
  return { ok: true, value: iso };
}

/** No register field needs more; a longer one is a broken export and would not fit a storage property anyway. */
export const MAX_FIELD_LENGTH = 2000;

export function overlongFields(row: { values: Record<string, string> }): string[] {
  return Object.entries(row.values)
    .filter(([, v]) => typeof v === "string" && v.length > MAX_FIELD_LENGTH)
    .map(([column, v]) => `${column} is ${v.length} characters long (at most ${MAX_FIELD_LENGTH})`);
}

export function list(raw: string | undefined): string[] {
  return (raw ?? "").split(";").map((s) => s.trim()).filter((s) => s !== "");
}
