// The environment, parsed once by zod. A bad setting stops the program with one sentence naming it.
import { z } from "zod";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  AZURE_TABLES_CONNECTION_STRING: z.string().min(1).optional(),
  // The account's table endpoint, reached with a managed identity (DefaultAzureCredential): production needs no key.
  AZURE_TABLES_ENDPOINT: z.url({ protocol: /^https$/, error: "must be the https URL of the table endpoint, such as https://ACCOUNT.table.core.windows.net" }).optional(),
  CAF_TABLE_PREFIX: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/, "must be letters and digits, starting with a letter").default("caf"),
  CAF_DATA_DIR: z.string().min(1).default(".caf-audit"),
  CAF_LOCAL_TABLES_PORT: z.coerce.number().int().min(1).max(65535).default(10002),
  CAF_SAMPLE_MODE: z.enum(["fixed", "coverage"]).default("fixed"),
  CAF_SAMPLE_SIZE: positiveInt(8),
  CAF_COVERAGE_PERCENT: z.coerce.number().positive().max(100).default(20),
  CAF_COVERAGE_MONTHS: positiveInt(12),
  CAF_REAUDIT_MONTHS: z.coerce.number().int().min(0).max(60).default(12),
  // The share of each month's allocated cases also audited, blind, by a second auditor (0 turns moderation off).
  CAF_MODERATION_SHARE: z.coerce.number().min(0).max(1).default(0.2),
  // Working days after an audit's due date before QA decides a moderated case whose second audit is missing.
  CAF_MODERATION_DEADLINE_DAYS: z.coerce.number().int().min(0).max(30).default(5),
  CAF_TOOLKIT: z.string().min(1).default("tier2-caf"),
  CAF_TOOLKIT_DIR: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  NODE_ENV: z.string().default("development"),
  MicrosoftAppId: z.string().min(1).optional(),
  MicrosoftAppPassword: z.string().min(1).optional(),
  MicrosoftAppTenantId: z.string().min(1).optional(),
  MicrosoftAppType: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).optional(),
  CAF_ESCALATION_REMIND_HOURS: z.coerce.number().positive().max(40).default(2),
  CAF_ESCALATION_ESCALATE_HOURS: z.coerce.number().positive().max(40).default(4),
  CAF_ESCALATION_RESOLVE_DAYS: z.coerce.number().int().positive().max(20).default(2),
  CAF_WORKING_HOURS_START: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:mm").default("09:00"),
  CAF_WORKING_HOURS_END: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:mm").default("17:00"),
  CAF_LADDER_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  CAF_ALERT_AFTER_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  CAF_FEEDBACK_RELEASE: z.enum(["after_review", "automatic"]).default("after_review"),
  CAF_FEEDBACK_REVIEW_REMINDER_DAYS: z.coerce.number().int().positive().max(30).default(2),
  CAF_CORRECTIVE_REMINDER_DAYS: z.coerce.number().int().positive().max(30).default(5),
  CAF_SELF_ASSESSMENT: z.enum(["off", "on"]).default("off"),
  CAF_SELF_ASSESSMENT_FILE: z.string().min(1).optional(),
  CAF_SUPERVISION: z.enum(["off", "on"]).default("off"),
  CAF_SUPERVISION_FILE: z.string().min(1).optional(),
  CAF_RECHECK_DELAY_DAYS: z.coerce.number().int().min(0).max(120).default(20),
  // Stale cases (seed 004): months with no recorded activity before an open case is put to its LP; months before the
  // same case is asked again (unset: the same as the age); the closure reasons offered, separated by semicolons.
  CAF_STALE_AGE_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  CAF_STALE_REASK_MONTHS: z.coerce.number().int().min(1).max(120).optional(),
  CAF_STALE_CLOSURE_REASONS: z
    .string()
    .default("Needs met;Stepped up to children's social care;Moved out of the area;Consent withdrawn;Did not engage;Other")
    .transform((s) => s.split(";").map((r) => r.trim()).filter((r) => r !== ""))
    .refine((reasons) => reasons.length > 0 && reasons.every((r) => r.length <= 80), "must be closure reasons separated by semicolons, each at most 80 characters"),
  CAF_TIER1_REMINDER_DAYS: z.coerce.number().int().min(0).max(30).default(5),
  CAF_SCHEDULER: z.enum(["on", "off"]).default("on"),
  CAF_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  CAF_ALLOCATION_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:mm").default("09:00"),
  CAF_REMINDER_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:mm").default("09:30"),
  CAF_ANONYMITY_FLOOR: z.coerce.number().int().min(1).max(50).default(3),
  CAF_SCORE_THRESHOLD: z.coerce.number().min(0).max(10).default(2.5),
  CAF_DIGEST_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:mm").default("09:00"),
  CAF_RELAY_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  // Slack is on when both the bot token and the signing secret are set.
  SLACK_BOT_TOKEN: z.string().regex(/^xox[bp]-/, "must be the bot token from the Slack app's OAuth page (it starts with xoxb-)").optional(),
  SLACK_SIGNING_SECRET: z.string().min(16, "must be the signing secret from the Slack app's Basic Information page").optional(),
  // The Web API's base URL: https://slack-gov.com/api/ for GovSlack; a loopback fake in tests.
  SLACK_API_URL: z.url({ protocol: /^https?$/, error: "must be the URL of Slack's Web API, such as https://slack.com/api/" }).optional(),
  // The Slack channel id (C0123ABCD) where the CAF Champions Group's digest is posted; the bot must be invited there.
  SLACK_CHAMPIONS_CHANNEL: z.string().regex(/^[A-Z0-9]{6,20}$/, "must be a Slack channel id such as C0123ABCD (channel details, at the bottom)").optional(),
  // Where a person reachable in both Teams and Slack gets their cards, unless their row in the people file says otherwise.
  CAF_DEFAULT_CHAT: z.enum(["teams", "slack"]).default("teams"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // JSON lines for log collectors; pretty, one readable line each, for a person at a terminal. Unset: JSON in production.
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().regex(/InstrumentationKey=/, "must be an Application Insights connection string (it contains InstrumentationKey=)").optional(),
});

export type AppConfig = z.infer<typeof schema>;

/** Every setting this file reads, for checks that a deployment sets nothing the program ignores. */
export const CONFIG_KEYS: readonly (keyof AppConfig)[] = Object.keys(schema.shape) as (keyof AppConfig)[];

export class ConfigError extends Error {
  readonly code = "config_invalid";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable means "not set", as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")) as Record<string, string>;
  const parsed = schema.safeParse(present);
  // Every problem at once, so a deployment is fixed in one go rather than one restart per mistake.
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`)), ...combinationProblems(present)];
  if (!parsed.success || problems.length > 0) throw new ConfigError(`Settings are not valid: ${problems.join("; ")}.`);
  return parsed.data;
}

/** Settings that are each fine alone but wrong together; read from the raw values so they are found even when another setting is bad. */
function combinationProblems(env: Record<string, string>): string[] {
  const problems: string[] = [];
  if (env.AZURE_TABLES_CONNECTION_STRING && env.AZURE_TABLES_ENDPOINT) {
    problems.push("set AZURE_TABLES_CONNECTION_STRING or AZURE_TABLES_ENDPOINT, not both (the endpoint uses the managed identity, the connection string a key)");
  }
  // The bot's own identity: botbuilder would refuse these at the first Teams request; say so at start instead.
  if (env.MicrosoftAppType === "UserAssignedMSI" && env.MicrosoftAppPassword) {
    problems.push("MicrosoftAppPassword must not be set when MicrosoftAppType is UserAssignedMSI (the managed identity signs in)");
  }
  if (env.MicrosoftAppId && env.MicrosoftAppType !== "MultiTenant" && !env.MicrosoftAppTenantId) {
    problems.push(`MicrosoftAppTenantId is required when MicrosoftAppType is ${env.MicrosoftAppType ?? "SingleTenant (the default)"}`);
  }
  // Without an app id the bot accepts unauthenticated requests: fine on a laptop, never in production.
  if (env.NODE_ENV === "production" && !env.MicrosoftAppId) {
    problems.push("MicrosoftAppId is required when NODE_ENV is production, so that Teams requests are authenticated");
  }
  if (!!env.SLACK_BOT_TOKEN !== !!env.SLACK_SIGNING_SECRET) {
    const [missing, given] = env.SLACK_BOT_TOKEN ? ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"] : ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"];
    problems.push(`${missing} is required when ${given} is set (Slack needs both)`);
  }
  return problems;
}

/** Slack's settings when Slack is on. */
export function slackSettings(config: AppConfig): { token: string; signingSecret: string; apiUrl: string | undefined; championsChannel: string | undefined } | undefined {
  if (!config.SLACK_BOT_TOKEN || !config.SLACK_SIGNING_SECRET) return undefined;
  return { token: config.SLACK_BOT_TOKEN, signingSecret: config.SLACK_SIGNING_SECRET, apiUrl: config.SLACK_API_URL, championsChannel: config.SLACK_CHAMPIONS_CHANNEL };
}
