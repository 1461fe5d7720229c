// Turns user text (case references, emails, service areas) into Azure Tables keys, and refuses what cannot be one.
// Azure forbids / \ # ? and control characters in keys (Azurite answers 500 and the SDK retries for seconds),
// so they are checked here, before any request leaves the process.
import { hasControlCharacter } from "../domain/text";

export class KeyError extends Error {
  readonly code = "storage_key_invalid";
  constructor(readonly what: string, reason: string) {
    super(`The ${what} ${reason}.`);
  }
}

const MAX_KEY_LENGTH = 512;
const FORBIDDEN = /[/\\#?%]/g;

/**
 * A reversible key for free text: the four forbidden characters (and % itself) are percent-escaped,
 * so a real case reference such as "CAF/2024/001" still works. Control characters are refused.
 */
export function toKey(text: string, what: string): string {
  if (text.length === 0) throw new KeyError(what, "is empty");
  if (hasControlCharacter(text)) throw new KeyError(what, "contains a control character");
  const key = text.replace(FORBIDDEN, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
  if (key.length > MAX_KEY_LENGTH) throw new KeyError(what, `is longer than ${MAX_KEY_LENGTH} characters`);
  return key;
}

export function fromKey(key: string): string {
  return key.replace(/%(2F|5C|23|3F|25)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** True when `key` may be used as a key as it is (what assertSafeKey accepts). */
export function isSafeKey(key: string): boolean {
  return !(key.length === 0 || key.length > MAX_KEY_LENGTH || hasControlCharacter(key) || /[/\\#?]/.test(key));
}

/** For keys the program builds itself (months, fixed names): checked, never escaped. */
export function assertSafeKey(key: string, what: string): string {
  if (!isSafeKey(key)) {
    throw new KeyError(what, "is not a valid storage key");
  }
  return key;
}
