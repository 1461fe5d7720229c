// The bot under load as its own process: `caf-audit serve` (src/main.ts serve(): settings, storage, the real server,
// relay and jobs), plus a message channel to its parent so the month's allocation runs inside the bot, as the
// scheduled monthly-allocation job does, and the relay is nudged at once rather than at its next tick.
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { serve } from "../../src/main";

const serving = await serve(process.env);
process.send!({ kind: "ready", port: serving.bot.port });

process.on("message", (message: { kind: string; month?: string; seed?: number }) => {
  if (message.kind === "allocate") {
    allocateMonth(serving.bot.core, { month: message.month!, seed: message.seed!, actor: "load", dryRun: false }).then(
      (r) => process.send!({ kind: "allocated", ok: r.ok, allocated: r.ok ? r.value.plan.assignments.length : 0, problem: r.ok ? undefined : r.problem.message }),
      (err: unknown) => process.send!({ kind: "allocated", ok: false, allocated: 0, problem: String(err) }),
    );
  }
  if (message.kind === "stop") {
    void serving.stop().then(() => process.exit(0));
  }
});
