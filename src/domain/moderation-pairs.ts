// The moderated cases among some audits, as pairs of overall grades for the agreement figures. A case counts once
// both of its audits are submitted, whether or not the QA team has agreed its grade yet: the figures are about the
// auditors' own grades. Grades are ranked on the toolkit's own overall scale, in the order of its file. Pure.
import type { Audit } from "./audit";
import { overallCategories, overallRank, type GradePair } from "./moderation-figures";
import type { Toolkit } from "./toolkit";

export interface ModerationPairs {
  pairs: GradePair[];
  /** Grades on the widest overall scale among the pairs; null with no pairs. */
  categories: number | null;
}

export function pairAudits(firsts: readonly Audit[], seconds: readonly Audit[], toolkits: ReadonlyMap<string, Toolkit>): ModerationPairs {
  const firstOf = new Map(firsts.map((a) => [`${a.month}/${a.caseRef}`, a]));
  const pairs: GradePair[] = [];
  let categories: number | null = null;
  for (const second of seconds) {
    const first = firstOf.get(`${second.month}/${second.caseRef}`);
    const toolkit = first && toolkits.get(first.toolkitId);
    if (!first || !toolkit || first.status !== "submitted" || second.status !== "submitted") continue;
    const [a, b] = [overallRank(toolkit, first.final?.overallGrade ?? ""), overallRank(toolkit, second.final?.overallGrade ?? "")];
    if (a === null || b === null) continue;
    categories = Math.max(categories ?? 0, overallCategories(toolkit));
    pairs.push({ month: first.month, caseRef: first.caseRef, first: { auditorEmail: first.auditorEmail, rank: a }, second: { auditorEmail: second.auditorEmail, rank: b } });
  }
  return { pairs, categories };
}
