// The self-evaluation evidence pack of a year with 5,000 audits (the digest bench's data, on Azurite): reading it,
// the figures, the Vega-Lite charts, the page and the workbook written to disk, and the process's peak memory while
// that runs. Then the whole command once, process start to exit.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { evidenceDocuments, makeEvidencePack } from "../src/app/reporting/make-evidence-pack";
import type { DigestSettings } from "../src/app/reporting/make-digest";
import type { Core } from "../src/wiring";

type Figure = (name: string, ms: number, target: string) => void;
export interface BenchYear {
  core: Core;
  settings: DigestSettings;
  from: string;
  to: string;
  connectionString: string;
  tablePrefix: string;
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const megabytes = (name: string, bytes: number) => console.log(`${name.padEnd(58)} ${(bytes / 1024 / 1024).toFixed(1).padStart(9)} MB   (target -)`);

export async function benchEvidencePack(year: BenchYear, root: string, figure: Figure): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "caf-bench-pack-"));
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const runs: number[] = [];
  let sizes = "";
  try {
    for (let i = 0; i < 3; i++) {
      const t = process.hrtime.bigint();
      const pack = await makeEvidencePack(year.core, year.from, year.to, year.settings);
      const { html, workbook } = await evidenceDocuments(pack);
      await writeFile(join(dir, "pack.html"), html, "utf8");
      await workbook.xlsx.writeFile(join(dir, "pack.xlsx"));
      runs.push(ms(t));
      if (pack.completed.value !== 5_000) throw new Error(`bench evidence pack: the year holds ${pack.completed.text} audits, not 5,000`);
      sizes = `${Math.round(html.length / 1024)} KB page`;
    }
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage.rss());
  figure(`evidence pack of a year, 5,000 audits (median of 3; ${sizes})`, median(runs), "< 10000 ms");
  megabytes("evidence pack of a year: peak RSS of the process (with Azurite)", peak);
  megabytes("  RSS just before the pack's runs", before);

  const t = process.hrtime.bigint();
  await promisify(execFile)(process.execPath, [join(root, "bin/caf-audit.js"), "evidence-pack", "--from", year.from, "--to", year.to, "--out", dir], {
    cwd: root,
    env: { ...process.env, AZURE_TABLES_CONNECTION_STRING: year.connectionString, CAF_TABLE_PREFIX: year.tablePrefix, CAF_SAMPLE_MODE: "coverage", LOG_LEVEL: "silent" },
  });
  figure("whole command: caf-audit evidence-pack, a year of 5,000 audits", ms(t), "< 10000 ms");
}
