// Draws the Teams app icons into manifest/teams/ (run once after changing the mark or the accent colour):
//   npx tsx scripts/make-teams-icons.ts [OUT_DIR]
// The mark is a case file ticked off: a rounded square with a tick in it. color.png is 192x192, the white mark on
// the manifest's accentColor; outline.png is 32x32, the same mark in white on transparent, as Teams requires.
// Shapes are tested at 4x4 points per pixel, so edges are smooth and the output is the same on every machine.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PNG } from "pngjs";
import { readManifest, TEAMS_DIR } from "./teams-manifest";

/** Where the mark sits, in pixels of an icon of `size`; the outline icon needs relatively thicker strokes. */
interface Geometry {
  size: number;
  /** The rounded square: left/top, right/bottom edge, corner radius, stroke width. */
  frame: { from: number; to: number; radius: number; stroke: number };
  /** The tick: three points and its stroke width. */
  tick: { points: [number, number][]; stroke: number };
}

const COLOR: Geometry = {
  size: 192,
  frame: { from: 48, to: 144, radius: 18, stroke: 9 },
  tick: { points: [[71, 98], [88, 115], [121, 80]], stroke: 13 },
};

const OUTLINE: Geometry = {
  size: 32,
  frame: { from: 3, to: 29, radius: 5, stroke: 2 },
  tick: { points: [[9.5, 16.5], [14, 21], [22.5, 11.5]], stroke: 3.2 },
};

const SAMPLES = 4;

function insideRoundedSquare(x: number, y: number, from: number, to: number, radius: number): boolean {
  if (x < from || x > to || y < from || y > to) return false;
  const dx = Math.max(from + radius - x, 0, x - (to - radius));
  const dy = Math.max(from + radius - y, 0, y - (to - radius));
  return dx * dx + dy * dy <= radius * radius;
}

function distanceToSegment(x: number, y: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const vx = bx - ax;
  const vy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(x - (ax + t * vx), y - (ay + t * vy));
}

function onMark(g: Geometry, x: number, y: number): boolean {
  const { from, to, radius, stroke } = g.frame;
  const ring = insideRoundedSquare(x, y, from, to, radius) && !insideRoundedSquare(x, y, from + stroke, to - stroke, Math.max(radius - stroke, 0));
  if (ring) return true;
  const pts = g.tick.points;
  for (let i = 0; i + 1 < pts.length; i++) if (distanceToSegment(x, y, pts[i]!, pts[i + 1]!) <= g.tick.stroke / 2) return true;
  return false;
}

/** How much of each pixel the mark covers, 0..1, row by row. */
function coverage(g: Geometry): number[] {
  const out: number[] = [];
  for (let py = 0; py < g.size; py++) {
    for (let px = 0; px < g.size; px++) {
      let hits = 0;
      for (let sy = 0; sy < SAMPLES; sy++) for (let sx = 0; sx < SAMPLES; sx++) if (onMark(g, px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) hits++;
      out.push(hits / (SAMPLES * SAMPLES));
    }
  }
  return out;
}

function hexColor(hex: string): [number, number, number] {
  const m = /^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(hex);
  if (!m) throw new Error(`The accent colour ${hex} is not a colour like #1D70B8.`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** 192x192: the white mark on a solid square of the accent colour (Teams rounds the corners itself). */
export function colorIcon(accent: string): Buffer {
  const [r, g, b] = hexColor(accent);
  const png = new PNG({ width: COLOR.size, height: COLOR.size });
  coverage(COLOR).forEach((c, i) => {
    png.data[i * 4] = Math.round(r + (255 - r) * c);
    png.data[i * 4 + 1] = Math.round(g + (255 - g) * c);
    png.data[i * 4 + 2] = Math.round(b + (255 - b) * c);
    png.data[i * 4 + 3] = 255;
  });
  return PNG.sync.write(png);
}

/** 32x32: the mark in white, everything else fully transparent; only the edges are partly transparent white. */
export function outlineIcon(): Buffer {
  const png = new PNG({ width: OUTLINE.size, height: OUTLINE.size });
  coverage(OUTLINE).forEach((c, i) => {
    png.data[i * 4] = 255;
    png.data[i * 4 + 1] = 255;
    png.data[i * 4 + 2] = 255;
    png.data[i * 4 + 3] = Math.round(255 * c);
  });
  return PNG.sync.write(png);
}

export async function makeIcons(outDir = TEAMS_DIR): Promise<{ color: string; outline: string }> {
  const manifest = await readManifest();
  await mkdir(outDir, { recursive: true });
  const color = join(outDir, manifest.icons.color);
  const outline = join(outDir, manifest.icons.outline);
  await writeFile(color, colorIcon(manifest.accentColor));
  await writeFile(outline, outlineIcon());
  return { color, outline };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const written = await makeIcons(process.argv[2] ? resolve(process.argv[2]) : TEAMS_DIR);
  process.stdout.write(`Wrote ${written.color} and ${written.outline}\n`);
}
