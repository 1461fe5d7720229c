// Which audit of a case a person is working on: a moderated case has two, and each auditor only ever reaches their
// own. Anyone else gets the first audit, which refuses them in the same words as any audit that is not theirs.
import type { Audit } from "../../domain/audit";
import type { AuditRepository } from "../ports";

export async function auditHeldBy(repo: AuditRepository, month: string, caseRef: string, email: string): Promise<{ audit: Audit; version: string } | undefined> {
  const first = await repo.get(month, caseRef);
  if (!first?.audit.moderated || first.audit.auditorEmail === email.toLowerCase()) return first;
  const second = await repo.get(month, caseRef, "second");
  return second && second.audit.auditorEmail === email.toLowerCase() ? second : first;
}
