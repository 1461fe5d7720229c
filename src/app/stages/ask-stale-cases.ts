// Use case: the month's stale-case run. Each open case with no recorded activity for the age goes to its lead
// professional as a "Still open?" card, stored with its check in one transaction. Idempotent: a check is keyed by
// month and case, so a re-run (or a second instance) finds it there and sends nothing twice.
import pLimit from "p-limit";
import { staleChecksDue } from "../../domain/stale-case";
import type { ChatDeps } from "../chat-deps";
import { staleCaseView } from "../cards/stale-views";

export interface StaleRunReport {
  asked: number;
  noLeadProfessional: number;
  alreadyAsked: number;
}

export async function askStaleCases(deps: Pick<ChatDeps, "cases" | "staleChecks" | "staleRules" | "events" | "clock">, month: string, actor: string): Promise<StaleRunReport> {
  const now = deps.clock.now();
  const [cases, earlier] = await Promise.all([deps.cases.all(), deps.staleChecks.all()]);
  const due = staleChecksDue(cases, earlier, now, month, deps.staleRules);
  const report: StaleRunReport = { asked: 0, noLeadProfessional: 0, alreadyAsked: 0 };
  const limit = pLimit(8);
  await Promise.all(
    due.map((check) =>
      limit(async () => {
        const lp = check.leadProfessionalEmail;
        const outbox = lp ? [{ id: `stale:${month}:${check.caseRef}:card`, recipientEmail: lp, view: staleCaseView(check, deps.staleRules), createdAt: now.toISOString() }] : [];
        if ((await deps.staleChecks.create(check, outbox)) === "exists") report.alreadyAsked++;
        else if (lp) report.asked++;
        else report.noLeadProfessional++;
      }),
    ),
  );
  await deps.events.append({ at: now.toISOString(), actor, type: "stale_cases_asked", subject: month, data: { ...report } });
  return report;
}
