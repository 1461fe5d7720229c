// The evidence pack's charts as SVG, drawn by Vega-Lite headless (no browser, no canvas). Each bar carries its
// figure in words ("Good: 3") as its aria-label, for screen readers and so a test can read the chart back; the
// number is also printed on the bar. Counts and toolkit labels only.
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { EvidencePack } from "../../domain/evidence-pack";
import { coveragePercent, type EvidenceTable } from "./evidence-tables";
import { monthLabel } from "../cards/format";

export interface EvidenceChart {
  id: EvidenceTable["id"];
  title: string;
  svg: string;
}

/** Fits the text width of an A4 page with 15 mm margins at 96 dpi. */
const WIDTH = 620;
const GRADE_COLOURS = ["#1b7837", "#7fbf7b", "#f1a340", "#b2182b", "#8c6bb1", "#4393c3"];

type Bar = { category: string; value: number; description: string };
const bar = (category: string, value: number, unit = ""): Bar => ({ category, value, description: `${category}: ${value}${unit}` });

/** A bar per category, its number at the end of the bar; horizontal when the labels are long. */
function barSpec(bars: Bar[], axisTitle: string, horizontal = false): TopLevelSpec {
  const category = { field: "category", type: "nominal" as const, sort: null, title: null, axis: { labelLimit: horizontal ? 320 : 200, labelAngle: 0 } };
  const value = { field: "value", type: "quantitative" as const, title: axisTitle, axis: { tickMinStep: 1 } };
  const [pos, len] = horizontal ? (["y", "x"] as const) : (["x", "y"] as const);
  return {
    width: horizontal ? WIDTH - 340 : WIDTH - 80,
    height: horizontal ? { step: 28 } : 220,
    data: { values: bars },
    layer: [
      { mark: { type: "bar", color: "#2b6cb0" }, encoding: { [pos]: category, [len]: value, description: { field: "description" } } },
      { mark: { type: "text", ...(horizontal ? { align: "left", dx: 4 } : { baseline: "bottom", dy: -3 }), fontSize: 12, aria: false }, encoding: { [pos]: category, [len]: value, text: { field: "value" } } },
    ],
  } as TopLevelSpec;
}

function monthsSpec(p: EvidencePack): TopLevelSpec {
  const months = p.months.map((m) => monthLabel(m.month));
  const labels = p.grades.map((g) => g.label);
  const segments = p.months.flatMap((m, i) => m.grades.filter((g) => g.count > 0).map((g) => ({ month: months[i]!, grade: g.label, value: g.count, description: `${months[i]}, ${g.label}: ${g.count}` })));
  const hidden = p.months.flatMap((m, i) => (m.completed.value === null ? [{ month: months[i]!, note: m.completed.text }] : []));
  const x = { field: "month", type: "ordinal" as const, sort: null, title: null, scale: { domain: months }, axis: { labelAngle: -45 } };
  return {
    width: WIDTH - 200,
    height: 240,
    layer: [
      {
        data: { values: segments },
        mark: "bar",
        encoding: { x, y: { field: "value", type: "quantitative", title: "Audits completed", stack: "zero", axis: { tickMinStep: 1 } }, color: { field: "grade", type: "nominal", title: "Grade", scale: { domain: labels, range: GRADE_COLOURS.slice(0, labels.length) }, sort: labels }, description: { field: "description" } },
      },
      { data: { values: hidden }, mark: { type: "text", angle: 270, align: "left", dx: 4, fontSize: 11, aria: false }, encoding: { x, y: { datum: 0, type: "quantitative" }, text: { field: "note" } } },
    ],
  } as TopLevelSpec;
}

async function svgOf(spec: TopLevelSpec): Promise<string> {
  const full = { ...spec, background: "white", config: { font: "DejaVu Sans, Arial, sans-serif", view: { stroke: null }, legend: { orient: "right", labelLimit: 200 } } } as TopLevelSpec;
  const view = new View(parse(compile(full).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The charts of a pack with figures to draw; a group hidden under the floor has no chart, only its table row. */
export async function evidenceCharts(p: EvidencePack): Promise<EvidenceChart[]> {
  if (!p.hasAudits) return [];
  const specs: { id: EvidenceChart["id"]; title: string; spec: TopLevelSpec }[] = [];
  const coverage = coveragePercent(p);
  if (coverage !== null) specs.push({ id: "coverage", title: "Coverage of open cases over the last 12 months, against the target", spec: barSpec([bar("Audited in the last 12 months", coverage, "%"), bar("Target", p.coverage.targetPercent, "%")], "% of open cases", true) });
  if (p.grades.length > 0) specs.push({ id: "grades", title: "Overall grades", spec: barSpec(p.grades.map((g) => bar(g.label, g.count)), "Audits") });
  if (p.months.some((m) => m.grades.length > 0)) specs.push({ id: "months", title: "Overall grades by month", spec: monthsSpec(p) });
  if (p.themes.belowGood.length > 0) specs.push({ id: "themes", title: "Questions most often graded below good", spec: barSpec(p.themes.belowGood.map((t) => bar(t.question, t.count)), "Audits", true) });
  const loop = p.learningLoop;
  if (loop.agreed.value !== null && loop.agreed.value > 0) {
    const steps = [bar("Agreed", loop.agreed.value), bar("Done (green)", loop.done!), bar("Confirmed by the manager", loop.confirmedByManager!), bar("Overdue", loop.overdue!)];
    if (loop.verifiedChange !== null) steps.push(bar("Verified change at re-check", loop.verifiedChange));
    specs.push({ id: "learning-loop", title: "The learning loop: agreed actions to verified change", spec: barSpec(steps, "Actions", true) });
  }
  if (p.escalations.responseTimes.length > 0) specs.push({ id: "response-times", title: "Time to acknowledge an unsafe practice concern", spec: barSpec(p.escalations.responseTimes.map((b) => bar(b.label, b.count)), "Concerns", true) });
  // One at a time: each render is quick, and the heap stays small for a year of audits.
  const charts: EvidenceChart[] = [];
  for (const s of specs) charts.push({ id: s.id, title: s.title, svg: await svgOf(s.spec) });
  return charts;
}
