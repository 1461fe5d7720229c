import { it } from "vitest";
import { readFile } from "node:fs/promises";
import { importCases } from "../../src/app/import-cases";
import { importPeople } from "../../src/app/import-people";
import { allocateMonth } from "../../src/app/allocate-month";
import { freshCore, fixedClock } from "../support/tables";
for (const size of ["8", "4", "1", "5"]) for (const seed of [1, 2, 3]) {
it(`size ${size} seed ${seed}`, async () => {
  const { core } = await freshCore({ CAF_SAMPLE_SIZE: size }, fixedClock("2026-12-01T09:30:00Z"));
  await importPeople(core, await readFile("examples/people.csv"), "test");
  await importCases(core, await readFile("examples/cases.csv"), "test");
  const r = await allocateMonth(core, { month: "2026-12", seed, actor: "test", dryRun: true });
  if (r.ok) console.log(size, seed, JSON.stringify(r.value.plan.assignments), JSON.stringify(r.value.plan.unallocated));
});
}
