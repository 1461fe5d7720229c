// The one check every door (register, Tier 1 events, card ids, storage keys) makes on outside text.
import { describe, expect, it } from "vitest";
import { hasControlCharacter } from "../../src/domain/text";

describe("hasControlCharacter", () => {
  it("finds C0 controls, DEL and C1 controls anywhere in the text", () => {
    for (const c of [0x00, 0x09, 0x0a, 0x1f, 0x7f, 0x80, 0x85, 0x9f]) expect(hasControlCharacter(`CAF-${String.fromCharCode(c)}1`), `U+${c.toString(16)}`).toBe(true);
  });
  it("passes printable text, including accents, non-Latin letters and emoji", () => {
    for (const s of ["", "CAF-1001", "Café Ōtaki", "Ysgol Gymraeg", "北区", "team 👍", "\u00a0"]) expect(hasControlCharacter(s), s).toBe(false);
  });
});
