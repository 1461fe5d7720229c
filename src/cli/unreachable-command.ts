// `caf-audit unreachable`: who has messages waiting because they have not reached the bot yet, for the QA team to chase.
import type { CliContext } from "./run-cli";

export async function runUnreachable(ctx: CliContext, opts: { json?: boolean }): Promise<number> {
  // Undelivered messages to people the bot has no way to reach yet (delivery may simply not have run).
  const undelivered = await ctx.core.outbox.undelivered();
  const recipients = [...new Set(undelivered.map((m) => m.recipientEmail))];
  const reachable = new Set<string>();
  for (const email of recipients) if (await ctx.core.directory.identity(email, "teams")) reachable.add(email);
  const waiting = undelivered.filter((m) => !reachable.has(m.recipientEmail));
  const byPerson = new Map<string, { count: number; oldest: string }>();
  for (const m of waiting) {
    const seen = byPerson.get(m.recipientEmail);
    if (!seen) byPerson.set(m.recipientEmail, { count: 1, oldest: m.createdAt });
    else byPerson.set(m.recipientEmail, { count: seen.count + 1, oldest: seen.oldest < m.createdAt ? seen.oldest : m.createdAt });
  }
  const rows = [...byPerson.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([email, v]) => ({ email, waiting: v.count, since: v.oldest }));
  if (opts.json) {
    ctx.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (rows.length === 0) {
    ctx.out("Everyone with messages has reached the bot: nothing is waiting.");
    return 0;
  }
  ctx.out(`${rows.length} ${rows.length === 1 ? "person has" : "people have"} not installed the bot yet; their cards wait until they do:`);
  for (const r of rows) ctx.out(`  ${r.email}: ${r.waiting} waiting since ${r.since.slice(0, 16).replace("T", " ")} UTC`);
  return 0;
}
