// Runs a job every interval, one run at a time; a failed run is logged and the next one tries again.
// The job itself must be safe to run on several instances at once (ETag claims), so this holds no lock.
import type { Logger } from "../logger";

export function startInterval(intervalMs: number, job: () => Promise<void>, log: Logger): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    running = job()
      .catch((err) => log.warn({ code: "job_failed", error: err instanceof Error ? err.message : String(err) }, "scheduled job failed"))
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
