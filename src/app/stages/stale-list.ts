// The QA team's list of stale cases for the case system: the latest check of each case (or a month's checks), how it
// stands, and the answer. Case references, service areas, dates and the LP's email: no child's details.
import { latestChecks, staleCounts, staleState, type StaleCounts, type StaleState } from "../../domain/stale-case";
import type { ChatDeps } from "../chat-deps";

export interface StaleRow {
  caseRef: string;
  serviceArea: string;
  askedIn: string;
  openedOn: string;
  lastActivityOn: string;
  leadProfessionalEmail: string | null;
  state: StaleState;
  closedOn: string | null;
  closureReason: string | null;
  answeredAt: string | null;
}

export async function staleList(deps: Pick<ChatDeps, "staleChecks">, month?: string): Promise<{ rows: StaleRow[]; counts: StaleCounts }> {
  const checks = month ? await deps.staleChecks.listMonth(month) : [...latestChecks(await deps.staleChecks.all()).values()];
  const rows = checks
    .map((c): StaleRow => ({
      caseRef: c.caseRef,
      serviceArea: c.serviceArea,
      askedIn: c.month,
      openedOn: c.openedOn,
      lastActivityOn: c.lastActivityOn,
      leadProfessionalEmail: c.leadProfessionalEmail,
      state: staleState(c),
      closedOn: c.answer?.outcome === "closed" ? c.answer.closedOn : null,
      closureReason: c.answer?.outcome === "closed" ? c.answer.reason : null,
      answeredAt: c.answer?.at ?? null,
    }))
    .sort((a, b) => a.serviceArea.localeCompare(b.serviceArea) || a.caseRef.localeCompare(b.caseRef));
  return { rows, counts: staleCounts(checks, () => true) };
}
