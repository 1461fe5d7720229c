// The `caf-audit` command: the QA team's and an admin's tools (import, allocate). Each error is one sentence and a non-zero exit.
import { Command } from "commander";
import { runAllocate } from "./allocate-command";
import { runImport } from "./import-command";
import { runImportEvents } from "./import-events-command";
import { runUnreachable } from "./unreachable-command";
import { runJobs } from "./jobs-command";
import { runReport } from "./report-command";
import { runDigest } from "./digest-command";
import { runReview } from "./review-command";
import { runEvidencePack } from "./evidence-pack-command";
import { runModeration } from "./moderation-command";
import { runStale } from "./stale-command";
import { runCli } from "./run-cli";
import { serveUntilSignalled } from "../main";

const program = new Command()
  .name("caf-audit")
  .description("Quality assurance of CAF case files: import the register and people, allocate the month's audits.")
  .showHelpAfterError();

program
  .command("import-cases")
  .argument("<file>", "CSV export of the case register")
  .option("--allow-mass-closure", "accept a register that marks more than half of the open cases as no longer open")
  .option("--tier1", "also record Tier 1 events from the register's caf_assessment_on, last_taf_review_on and closed_on dates (last 12 months)")
  .description("Load or refresh the open-case register (idempotent; cases missing from it are marked no longer open).")
  .action((file: string, opts: { allowMassClosure?: boolean; tier1?: boolean }) => runCli((ctx) => runImport(ctx, "cases", file, !!opts.allowMassClosure, !!opts.tier1)));

program
  .command("import-people")
  .argument("<file>", "CSV of people: email, name, roles, service_area, manager_email, monthly_capacity")
  .description("Load or refresh the people directory (idempotent).")
  .action((file: string) => runCli((ctx) => runImport(ctx, "people", file)));

program
  .command("import-events")
  .argument("<file>", "CSV of Tier 1 events: case_ref, event (assessment, taf_review or closure), event_date, optional event_id")
  .description("Record CAF assessments, TAF reviews and closures; each new one gets a Tier 1 quality control card to the case's checker (idempotent).")
  .action((file: string) => runCli((ctx) => runImportEvents(ctx, file)));

program
  .command("allocate")
  .requiredOption("--month <YYYY-MM>", "the month to allocate")
  .option("--dry-run", "print the plan and write nothing")
  .option("--json", "print the plan as JSON")
  .option("--seed <n>", "replay a draw with this seed")
  .description("Draw the month's sample of open cases and allocate it to auditors (once per month).")
  .action((opts: { month: string; dryRun?: boolean; json?: boolean; seed?: string }) => runCli((ctx) => runAllocate(ctx, opts)));

program
  .command("unreachable")
  .option("--json", "print as JSON")
  .description("List the people whose cards are waiting because they have not installed the bot yet.")
  .action((opts: { json?: boolean }) => runCli((ctx) => runUnreachable(ctx, opts)));

program
  .command("digest")
  .option("--month <YYYY-MM>", "one month")
  .option("--from <YYYY-MM>", "first month of a span")
  .option("--to <YYYY-MM>", "last month of a span")
  .option("--post", "store it for the running bot to post to the Champions Group's channel")
  .option("--json", "print the figures as JSON")
  .description("The digest figures of a period: counts and case references only, small groups hidden.")
  .action((opts: { month?: string; from?: string; to?: string; post?: boolean; json?: boolean }) => runCli((ctx) => runDigest(ctx, opts)));

program
  .command("jobs")
  .option("--json", "print as JSON")
  .description("List each scheduled job's last run (and who ran it) and its next run.")
  .action((opts: { json?: boolean }) => runCli((ctx) => runJobs(ctx, opts)));

program
  .command("report")
  .requiredOption("--from <YYYY-MM>", "the first month of the period")
  .requiredOption("--to <YYYY-MM>", "the last month of the period (a report covers at most 24 months)")
  .option("--format <xlsx|csv>", "an Excel workbook, or three CSV files named after --out", "xlsx")
  .requiredOption("--out <file>", "where to write: the workbook, or the stem of <out>-audits.csv, -answers.csv, -actions.csv")
  .option("--include-text", "add the free text (justifications, comments, actions, by whom) for the QA team's own use only; names and emails are still left out")
  .description(
    "Write the period's findings (one row per audit, per answer, per action) for the QA team's analysis and the annual QA report. Anonymised by default: case references only, no names, no free text.",
  )
  .action((opts: { from: string; to: string; format: string; out: string; includeText?: boolean }) => runCli((ctx) => runReport(ctx, opts)));

program
  .command("review")
  .requiredOption("--from <YYYY-MM>", "the first month of the review (normally six months: April to September, or October to March)")
  .requiredOption("--to <YYYY-MM>", "the last month of the review")
  .option("--format <html|xlsx>", "a printable HTML page, or an Excel workbook", "html")
  .requiredOption("--out <file>", "where to write it")
  .description("The six-monthly service review: per service area, audits and grades against the period before, themes, actions, unsafe practice and the average against the threshold. Counts only; small areas hidden.")
  .action((opts: { from: string; to: string; format: string; out: string }) => runCli((ctx) => runReview(ctx, opts)));

program
  .command("evidence-pack")
  .option("--from <YYYY-MM>", "the first month (default: April of the financial year)")
  .option("--to <YYYY-MM>", "the last month (default: this month)")
  .requiredOption("--out <dir>", "the folder to write the page and the workbook to (made if missing)")
  .description("The self-evaluation evidence pack of the year to date: a printable HTML page with charts and an Excel workbook of the same figures (coverage against the target, grades by month, themes, the learning loop, escalations and response times, moderation). Counts only; small groups hidden.")
  .action((opts: { from?: string; to?: string; out: string }) => runCli((ctx) => runEvidencePack(ctx, opts)));

program
  .command("moderation")
  .requiredOption("--from <YYYY-MM>", "the first month")
  .requiredOption("--to <YYYY-MM>", "the last month")
  .option("--json", "print the figures as JSON")
  .description("For the QA team: how far the grades of moderated cases agree, overall and per auditor (exact, within one step, weighted kappa with its 95% interval, too few pairs below 5), and any auditor who drifts. Names auditors: never post it.")
  .action((opts: { from: string; to: string; json?: boolean }) => runCli((ctx) => runModeration(ctx, opts)));

program
  .command("stale")
  .option("--month <YYYY-MM>", "only the cases asked in this month (default: the latest check of every case)")
  .option("--json", "print the list as JSON, for the case system")
  .description("For the QA team: open cases put to their lead professional as stale (no recorded activity for CAF_STALE_AGE_MONTHS), with each answer (still open, or closed on a date for a reason), those not answered and those with no lead professional. Names LPs' emails: keep it within the QA team.")
  .action((opts: { month?: string; json?: boolean }) => runCli((ctx) => runStale(ctx, opts)));

program
  .command("serve")
  .description("Run the bot: Teams on POST /api/messages (port PORT, default 3978) and the outbox relay.")
  .action(async () => {
    try {
      await serveUntilSignalled();
    } catch (err) {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
  });

await program.parseAsync(process.argv);
