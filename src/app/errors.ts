// The project's own coded errors. Adapters translate SDK faults into these once, at the edge;
// the person sees `message`, the log sees `code` and the cause.
export type StorageErrorCode =
  | "storage_unreachable"
  | "storage_conflict"
  | "storage_precondition_failed"
  | "storage_not_found"
  | "storage_failed";

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An expected business outcome: a stable code and a sentence for the person. */
export interface Problem {
  code: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: string, message: string): Result<T> => ({ ok: false, problem: { code, message } });
