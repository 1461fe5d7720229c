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

/** JSON with sorted keys, so two records compare equal whatever order their fields were built in. */
export function canonical(value: object): string {
  return JSON.stringify(value, Object.keys(value).sort());
}
