// The evidence pack as one HTML page that prints to A4: per topic a chart (inline SVG, drawn headless) and the table
// of the same figures beneath it. Counts and toolkit labels only, every value escaped.
import type { EvidencePack } from "../../domain/evidence-pack";
import type { EvidenceChart } from "./evidence-charts";
import type { EvidenceTable } from "./evidence-tables";
import { monthLabel } from "../cards/format";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
export const packSpan = (p: EvidencePack) => (p.fromMonth === p.toMonth ? monthLabel(p.fromMonth) : `${monthLabel(p.fromMonth)} to ${monthLabel(p.toMonth)}`);

function tableHtml(t: EvidenceTable): string {
  const head = t.columns.map((c) => `<th scope="col">${escape(c)}</th>`).join("");
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escape(String(c))}</th>` : `<td>${escape(String(c))}</td>`)).join("")}</tr>`).join("\n");
  return `<table data-table="${t.id}"><thead><tr>${head}</tr></thead><tbody>\n${rows || `<tr><td colspan="${t.columns.length}">${escape(t.empty ?? "None in this period.")}</td></tr>`}\n</tbody></table>`;
}

function sectionHtml(t: EvidenceTable, chart: EvidenceChart | undefined): string {
  // Vega's SVG is its own markup, with every label already escaped.
  const caption = chart && chart.title !== t.title ? `<figcaption>${escape(chart.title)}</figcaption>\n` : "";
  const figure = chart ? `<figure data-chart="${chart.id}" aria-label="${escape(chart.title)}">${caption}${chart.svg}\n</figure>\n` : "";
  return `<section><h2>${escape(t.title)}</h2>\n${figure}${tableHtml(t)}</section>`;
}

export function evidenceHtml(p: EvidencePack, tables: EvidenceTable[], charts: EvidenceChart[]): string {
  const title = `CAF audit self-evaluation evidence: ${packSpan(p)}`;
  const body = p.hasAudits
    ? tables.map((t) => sectionHtml(t, charts.find((c) => c.id === t.id))).join("\n")
    : `<p class="empty">No audits were allocated or completed in ${escape(packSpan(p))}, so this pack has no figures yet.</p>`;
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
@page { size: A4; margin: 15mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #111; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 6mm; }
figure { margin: 0 0 3mm; } figcaption { font-weight: bold; margin-bottom: 1mm; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin-bottom: 4mm; }
th, td { border: 1px solid #999; padding: 1.5mm; text-align: left; vertical-align: top; }
section { break-inside: avoid; }
</style></head>
<body><h1>${escape(title)}</h1>
<p>Counts only: no names and nothing anyone wrote. Any group of fewer than ${p.anonymityFloor} (audits in the period or a month, audited cases, agreed actions, concerns raised, moderated cases) shows only "fewer than ${p.anonymityFloor}" and is not broken down, so no case can be recognised.</p>
${body}
</body></html>
`;
}
