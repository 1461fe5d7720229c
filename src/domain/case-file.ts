// A case file on the open-case register, as the case management system exports it.
export type CaseStatus = "open" | "closed";

export interface CaseFile {
  caseRef: string;
  serviceArea: string;
  status: CaseStatus;
  openedOn: string | null;
  closedOn: string | null;
  leadProfessionalEmail: string | null;
  lpManagerEmail: string | null;
  involvedEmails: string[];
  stepDown: boolean;
  ageBand: string | null;
  primaryNeed: string | null;
  lastAuditedOn: string | null;
  /** Set when a later register no longer lists the case: it is treated as no longer open, and kept. */
  missingFromRegisterSince: string | null;
  /**
   * The day an import last found this case's register row different from the one stored: recorded activity on the
   * case. Absent while the row has not changed since the case was first imported (its first row is not a change).
   */
  registerChangedOn?: string;
}

export function isOpen(c: CaseFile): boolean {
  return c.status === "open" && c.missingFromRegisterSince === null;
}

/** Everyone who must not audit this case: the LP, the LP's manager and anyone recorded as involved. */
export function conflictedEmails(c: CaseFile): Set<string> {
  const emails = [c.leadProfessionalEmail, c.lpManagerEmail, ...c.involvedEmails];
  return new Set(emails.filter((e): e is string => !!e).map((e) => e.toLowerCase()));
}

export function sameCaseFile(a: CaseFile, b: CaseFile): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with sorted keys at every depth, so two records compare equal whatever order their fields were built in. */
export function canonical(value: object): string {
  // Not JSON.stringify(value, keys): a key list filters nested objects too, so nested answers would vanish from the comparison.
  return JSON.stringify(sortedKeys(value));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, sortedKeys(record[k])]));
}
