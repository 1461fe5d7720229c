// Property values as Azure Tables takes them: strings capped below the 64 KiB property limit, objects as JSON.
export class ValueTooLongError extends Error {
  readonly code = "storage_value_too_long";
  constructor(readonly field: string, readonly length: number) {
    super(`The ${field} is too long to store (${length} characters; the limit is ${MAX_STRING_LENGTH}). Shorten it and try again.`);
  }
}

/** A property holds 64 KiB, that is 32,768 UTF-16 code units; keep a margin. */
export const MAX_STRING_LENGTH = 30_000;

export function cappedString(value: string, field: string): string {
  if (value.length > MAX_STRING_LENGTH) throw new ValueTooLongError(field, value.length);
  return value;
}

export function jsonProperty(value: unknown, field: string): string {
  return cappedString(JSON.stringify(value), field);
}

/**
 * Large JSON split across several properties (an entity holds 1 MiB), for the few rows that carry a whole plan.
 * Returns properties named `${field}0`, `${field}1`, ... and `${field}Parts`.
 */
export function chunkedJson(value: unknown, field: string, maxParts = 25): Record<string, string | number> {
  const text = JSON.stringify(value);
  const parts = Math.max(1, Math.ceil(text.length / MAX_STRING_LENGTH));
  if (parts > maxParts) throw new ValueTooLongError(field, text.length);
  const out: Record<string, string | number> = { [`${field}Parts`]: parts };
  for (let i = 0; i < parts; i++) out[`${field}${i}`] = text.slice(i * MAX_STRING_LENGTH, (i + 1) * MAX_STRING_LENGTH);
  return out;
}

export function readChunkedJson(entity: Record<string, unknown>, field: string): unknown {
  const parts = Number(entity[`${field}Parts`] ?? 0);
  let text = "";
  for (let i = 0; i < parts; i++) text += String(entity[`${field}${i}`] ?? "");
  return JSON.parse(text);
}
