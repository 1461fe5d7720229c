// The digest's chart for Slack, which has no chart block: overall grades and the month's allocated / completed /
// overdue as bars in an SVG drawn here, rendered to PNG for upload. Counts and labels only, never names.
import { Resvg } from "@resvg/resvg-js";
import type { DigestCardData } from "../../app/cards/views";

export interface ChartBar {
  group: "grades" | "completion";
  label: string;
  value: number;
}

const WIDTH = 800;
const HEIGHT = 400; // three lines of label under the baseline, and a margin
const FONT = "DejaVu Sans, sans-serif";
const PLOT_TOP = 110; // room above the tallest bar for its count
const BASELINE = 320;
const MAX_BAR = BASELINE - PLOT_TOP;
/** About the width of one 13 px DejaVu Sans character, to wrap labels under their bar. */
const CHAR_WIDTH = 7.5;

const PANELS = {
  grades: { x: 30, width: 470, title: "Overall grades of the audits completed", colour: "#1d4f91" },
  completion: { x: 530, width: 250, title: "Audits this period", colour: "#4a7ab8" },
} as const;
const OVERDUE_COLOUR = "#b3261e";

export function digestChartBars(data: DigestCardData): ChartBar[] {
  const grades = data.grades.map((g) => ({ group: "grades" as const, label: g.label, value: g.count }));
  const { allocated, completed, overdue } = data.counts;
  const completion = ([["Allocated", allocated], ["Completed", completed], ["Overdue", overdue]] as const).map(([label, value]) => ({ group: "completion" as const, label, value }));
  return [...grades, ...completion];
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Words packed into lines that fit under a bar; at most three lines, the last one ending in an ellipsis if cut. */
function wrap(label: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= maxChars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length > 3 ? [...lines.slice(0, 2), `${lines[2]}…`] : lines;
}

const text = (x: number, y: number, body: string, attrs = "") =>
  `<text x="${x}" y="${y}" font-family="${FONT}" text-anchor="middle" fill="#1b1b1b"${attrs}>${escapeXml(body)}</text>`;

function panel(group: ChartBar["group"], bars: ChartBar[]): string {
  const { x, width, title, colour } = PANELS[group];
  const parts = [text(x + width / 2, 80, title, ` font-size="15" font-weight="bold"`)];
  parts.push(`<line x1="${x}" y1="${BASELINE}" x2="${x + width}" y2="${BASELINE}" stroke="#6b6b6b" stroke-width="1"/>`);
  if (bars.length === 0) return parts.join("");
  const max = Math.max(...bars.map((b) => b.value));
  const slot = width / bars.length;
  const barWidth = Math.min(slot * 0.6, 80);
  bars.forEach((bar, i) => {
    // A zero bar has no height but keeps its place, label and count, so a missing grade reads as 0, not as absent.
    const height = max === 0 ? 0 : (bar.value / max) * MAX_BAR;
    const centre = x + slot * i + slot / 2;
    const fill = bar.label === "Overdue" ? OVERDUE_COLOUR : colour;
    parts.push(
      `<rect class="bar" data-group="${group}" data-label="${escapeXml(bar.label)}" data-value="${bar.value}" x="${(centre - barWidth / 2).toFixed(2)}" y="${(BASELINE - height).toFixed(2)}" width="${barWidth.toFixed(2)}" height="${height.toFixed(2)}" fill="${fill}"/>`,
    );
    parts.push(text(centre, BASELINE - height - 8, String(bar.value), ` font-size="14" font-weight="bold"`));
    wrap(bar.label, Math.max(4, Math.floor(slot / CHAR_WIDTH))).forEach((line, n) => parts.push(text(centre, BASELINE + 22 + n * 16, line, ` font-size="13"`)));
  });
  return parts.join("");
}

export function digestChartSvg(data: DigestCardData): string {
  const bars = digestChartBars(data);
  const body = [
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(WIDTH / 2, 38, data.title, ` font-size="20" font-weight="bold"`),
    panel("grades", bars.filter((b) => b.group === "grades")),
    panel("completion", bars.filter((b) => b.group === "completion")),
    data.hasGrades ? "" : text(PANELS.grades.x + PANELS.grades.width / 2, BASELINE - 40, "No audits were completed in this period.", ` font-size="14"`),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(data.title)}">${body.join("")}</svg>`;
}

export function digestChartPng(data: DigestCardData): Buffer {
  const resvg = new Resvg(digestChartSvg(data), {
    fitTo: { mode: "width", value: WIDTH },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}
