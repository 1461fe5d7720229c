// The one way a use case survives a write that lost a race: every decision is read, decided and written with the
// ETag it was read with, and when someone else wrote first (the ETag no longer matches, or the row appeared
// meanwhile) the whole attempt runs again from a fresh read, so the decision is made on what is really stored.
import { StorageError } from "./errors";

/** A write lost to someone else's: the ETag no longer matched, or the row it creates was created meanwhile. */
export const lostRace = (err: unknown): boolean => err instanceof StorageError && (err.code === "storage_precondition_failed" || err.code === "storage_conflict");

/** Runs `attempt` (read, decide, write) up to `tries` times while its write loses a race; then `lost()` answers. */
export async function retryOnLostRace<T>(attempt: () => Promise<T>, lost: () => T, tries = 3): Promise<T> {
  for (let i = 0; i < tries; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!lostRace(err)) throw err;
    }
  }
  return lost();
}
