// How the agreement figures read, in the digest's moderation line and the QA team's table: one wording for both.
import { DEFAULT_PAIR_FLOOR, type AgreementFigures } from "../../domain/moderation-figures";

export const percentText = (x: number | null) => (x === null ? "" : `${Math.round(x * 100)}%`);

export function kappaText(f: AgreementFigures): string {
  if (f.tooFew) return "too few pairs";
  if (f.kappa === null) return "not defined";
  return `${f.kappa.toFixed(2)} (${f.kappaLow!.toFixed(2)} to ${f.kappaHigh!.toFixed(2)})`;
}

/** The digest's line: counts and the overall figures only, never an auditor. Empty when nothing was moderated. */
export function moderationLine(f: AgreementFigures): string {
  if (f.pairs === 0) return "";
  const cases = `${f.pairs} case${f.pairs === 1 ? "" : "s"} graded twice, blind`;
  if (f.tooFew) return `Moderation: ${cases}; too few for agreement figures (${DEFAULT_PAIR_FLOOR} needed).`;
  const kappa = f.kappa === null ? "weighted kappa not defined (every grade the same)" : `weighted kappa ${kappaText(f).replace("(", "(95% CI ")}`;
  return `Moderation: ${cases}. The overall grades agreed exactly in ${percentText(f.exact)} and within one step in ${percentText(f.withinOne)}; ${kappa}.`;
}
