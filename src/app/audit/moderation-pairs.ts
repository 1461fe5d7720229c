// The moderated cases of some months with both audits in, read month by month: see domain/moderation-pairs.ts.
import { pairAudits, type ModerationPairs } from "../../domain/moderation-pairs";
import type { Toolkit } from "../../domain/toolkit";
import type { AuditRepository } from "../ports";

export async function moderationPairs(repo: AuditRepository, toolkits: ReadonlyMap<string, Toolkit>, months: readonly string[]): Promise<ModerationPairs> {
  const [firsts, seconds] = await Promise.all([
    Promise.all(months.map((m) => repo.listMonth(m))).then((x) => x.flat()),
    Promise.all(months.map((m) => repo.listSeconds(m))).then((x) => x.flat()),
  ]);
  return pairAudits(firsts, seconds, toolkits);
}
