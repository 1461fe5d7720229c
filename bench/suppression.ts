// Complementary suppression of the widest table a council could publish: 500 groups (say, every team by primary need),
// half of them under the floor, so the check runs as often as it can. Pure domain; the table is built first.
import { createSeededRandom } from "../src/app/allocation/seeded-random";
import { suppressCounts } from "../src/domain/suppression";

type Figure = (name: string, ms: number, target: string) => void;

const GROUPS = 500;
const FLOOR = 3;
const RUNS = 20;

export function benchSuppression(figure: Figure): void {
  const random = createSeededRandom(11);
  // Half the groups hold 1 or 2 audits, the rest 3 to 40.
  const rows = Array.from({ length: GROUPS }, (_, i) => ({ key: `Group ${String(i).padStart(3, "0")}`, count: i % 2 === 0 ? 1 + random.nextInt(2) : 3 + random.nextInt(38) }));
  const times: number[] = [];
  let hidden = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    const result = suppressCounts(rows, FLOOR);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    hidden = result.rows.filter((r) => r.visibility !== "shown").length;
  }
  times.sort((a, b) => a - b);
  figure(`suppress a ${GROUPS}-group table, half under the floor (p50 of ${RUNS}; ${hidden} hidden)`, times[RUNS / 2]!, "-");
}
