// Checks on text that comes from outside (a CSV cell, a card's ids): pure, shared by the register, the Tier 1 events,
// the cards and the storage keys, so every door refuses the same characters.

/** C0 controls, DEL and C1 controls (U+0000 to U+001F, U+007F to U+009F): never in a reference, a key or a name. */
export function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}
