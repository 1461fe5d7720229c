// The moderated cases of a period as pairs of overall grades, for the agreement figures: a case counts once both
// of its audits are submitted, whether or not the QA team has agreed its grade yet (the figures are about the
// auditors' own grades). Grades are ranked on the toolkit's own overall scale, in the order of its file.
import { overallCategories, overallRank, type GradePair } from "../domain/moderation-figures";
import type { Toolkit } from "../domain/toolkit";
import type { AuditRepository } from "./ports";

export async function moderationPairs(repo: AuditRepository, toolkits: ReadonlyMap<string, Toolkit>, months: readonly string[]): Promise<{ pairs: GradePair[]; categories: number | null }> {
  const pairs: GradePair[] = [];
  let categories: number | null = null;
  for (const month of months) {
    const [firsts, seconds] = await Promise.all([repo.listMonth(month), repo.listSeconds(month)]);
    const firstOf = new Map(firsts.map((a) => [a.caseRef, a]));
    for (const second of seconds) {
      const first = firstOf.get(second.caseRef);
      const toolkit = first && toolkits.get(first.toolkitId);
      if (!first || !toolkit || first.status !== "submitted" || second.status !== "submitted") continue;
      const [a, b] = [overallRank(toolkit, first.final?.overallGrade ?? ""), overallRank(toolkit, second.final?.overallGrade ?? "")];
      if (a === null || b === null) continue;
      categories = Math.max(categories ?? 0, overallCategories(toolkit));
      pairs.push({ month, caseRef: first.caseRef, first: { auditorEmail: first.auditorEmail, rank: a }, second: { auditorEmail: second.auditorEmail, rank: b } });
    }
  }
  return { pairs, categories };
}
