// JobRuns table: partition = job name, row = period. The row is the claim: created once (409 for every other
// instance), taken over with an ETag update only after its lease ran out, and marked done at the end.
import { StorageError } from "../app/errors";
import type { JobClaims, JobRun } from "../app/ports";
import { assertSafeKey } from "./keys";
import { getOrUndefined, guard, listWhere, type Entity, type Tables } from "./tables";

export function createJobClaims(tables: Tables): JobClaims {
  const client = tables.table("JobRuns");
  const endpoint = tables.endpoint;
  const toRun = (e: Entity): JobRun => ({
    job: e.partitionKey,
    period: e.rowKey,
    owner: String(e.owner),
    startedAt: String(e.startedAt),
    finishedAt: e.finishedAt ? String(e.finishedAt) : null,
    leaseUntil: String(e.leaseUntil),
    status: e.status === "done" ? "done" : "running",
  });
  return {
    async claim(job, period, owner, now, leaseMs) {
      const row = { partitionKey: assertSafeKey(job, "job"), rowKey: assertSafeKey(period, "period"), owner, startedAt: now.toISOString(), finishedAt: "", leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), status: "running" };
      try {
        await guard(endpoint, () => client.createEntity(row));
        return "claimed";
      } catch (err) {
        if (!(err instanceof StorageError && err.code === "storage_conflict")) throw err;
      }
      const existing = await getOrUndefined(client, endpoint, row.partitionKey, row.rowKey);
      if (!existing) return "held";
      const run = toRun(existing);
      if (run.status === "done") return "done";
      if (new Date(run.leaseUntil) > now) return "held";
      try {
        // The owner died mid-run: take it over. The job itself is resumable and its sends idempotent.
        await guard(endpoint, () => client.updateEntity(row, "Replace", { etag: String(existing.etag) }));
        return "claimed";
      } catch (err) {
        if (err instanceof StorageError && err.code === "storage_precondition_failed") return "held";
        throw err;
      }
    },
    async complete(job, period, owner, now) {
      await guard(endpoint, () => client.updateEntity({ partitionKey: job, rowKey: period, owner, status: "done", finishedAt: now.toISOString() }, "Merge"));
    },
    async recent() {
      return (await listWhere(client, endpoint)).map(toRun).sort((a, b) => a.job.localeCompare(b.job) || b.period.localeCompare(a.period));
    },
  };
}
