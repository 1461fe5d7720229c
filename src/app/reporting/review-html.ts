// The service review as one printable HTML page: a table per area, this period beside the one before. Counts and
// question labels only (toolkit text, not anything an auditor wrote), every value escaped.
import type { ServiceReview } from "../../domain/service-review";
import { monthLabel } from "../cards/format";
import { REVIEW_COLUMNS, reviewCells } from "./make-review";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const span = (from: string, to: string) => (from === to ? monthLabel(from) : `${monthLabel(from)} to ${monthLabel(to)}`);

export function reviewHtml(r: ServiceReview): string {
  const title = `CAF service review: ${span(r.fromMonth, r.toMonth)}`;
  const areas = r.areas.map((a) => {
    const now = reviewCells(a.period, r.scoreThreshold);
    const before = reviewCells(a.previous, r.scoreThreshold);
    const rows = REVIEW_COLUMNS.map((c) => `<tr><th scope="row">${escape(c)}</th><td>${escape(now[c])}</td><td>${escape(before[c])}</td></tr>`).join("\n");
    return `<section><h2>${escape(a.serviceArea)}</h2>
<table><thead><tr><th></th><th scope="col">${escape(span(a.period.fromMonth, a.period.toMonth))}</th><th scope="col">${escape(span(a.previous.fromMonth, a.previous.toMonth))}</th></tr></thead>
<tbody>
${rows}
</tbody></table></section>`;
  });
  const body = areas.length > 0 ? areas.join("\n") : "<p>No audits in this period or the one before it.</p>";
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
@page { size: A4; margin: 15mm; }
body { font-family: system-ui, sans-serif; font-size: 11pt; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8mm; }
th, td { border: 1px solid #999; padding: 2mm; text-align: left; vertical-align: top; }
section { break-inside: avoid; }
</style></head>
<body><h1>${escape(title)}</h1>
<p>Per service area, against the six months before. An area with fewer than ${r.anonymityFloor} audits in a period shows only that; where the period's total would give it away, the next smallest area shows only "not shown", so no case can be recognised. Evaluation threshold: ${r.scoreThreshold}.</p>
${body}
</body></html>
`;
}
