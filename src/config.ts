import { z } from 'zod';

const optional = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
  REDIS_URL: optional.pipe(
    z.url({ protocol: /^rediss?$/, error: 'REDIS_URL must look like redis://host:6379' }).optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QUESTION_PACK: z.string().default('questions/az400'),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: optional.pipe(z.url().optional()),
  MicrosoftAppId: optional,
  MicrosoftAppPassword: optional,
  MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
  MicrosoftAppTenantId: optional,
  TEAMS_OPENID_METADATA_URL: optional.pipe(z.url().optional()),
  SCHEDULE_GRACE_MINUTES: z.coerce.number().min(0).default(120),
  SCHEDULE_PREPARE_AHEAD_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
  BULLMQ_LOCK_MS: z.coerce.number().int().min(100).default(30_000),
  BULLMQ_STALLED_MS: z.coerce.number().int().min(100).default(30_000),
  BULLMQ_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
  USER_RATE_BURST: optional.pipe(z.coerce.number<string>().int().min(1).optional()),
  USER_RATE_PER_SECOND: optional.pipe(z.coerce.number<string>().positive().optional()),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
});

/** The name of every environment variable the service reads (deployment checks and docs use it). */
export const configVariables: readonly string[] = Object.keys(envSchema.shape);

/** Schedules (src/schedule): the grace window after downtime, and BullMQ's worker settings. */
export interface ScheduleConfig {
  /** A post or reminder missed by less than this goes out late; an older one is skipped. */
  readonly graceMs: number;
  /** How long a worker's job lock lasts before another worker may take the job over. */
  readonly lockDurationMs: number;
  /** How often workers look for jobs whose lock expired (stalled). */
  readonly stalledIntervalMs: number;
  readonly concurrency: number;
  /** How long before its due time a daily post is prepared (the send alone runs on time). */
  readonly prepareAheadMs: number;
}

/** The schedule settings' defaults: 2 h grace, BullMQ's 30 s lock and stalled check. */
export const defaultScheduleConfig: ScheduleConfig = {
  graceMs: 120 * 60_000,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  concurrency: 50,
  prepareAheadMs: 60_000,
};

/** Slack settings: HTTP mode (bot token + signing secret) or Socket Mode (bot token + app token). */
export interface SlackConfig {
  readonly botToken: string;
  readonly signingSecret?: string;
  readonly appToken?: string;
  readonly apiUrl?: string;
}

/** Teams (Bot Framework) settings; no app id means anonymous local use. */
export interface TeamsConfig {
  readonly appId?: string;
  readonly appPassword?: string;
  readonly appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  readonly tenantId?: string;
  /** Tests point this at a local issuer; production leaves it unset. */
  readonly openIdMetadataUrl?: string;
}

/** The service's whole configuration, read once from the environment. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly redisUrl?: string;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly questionPack: string;
  readonly slack?: SlackConfig;
  readonly teams: TeamsConfig;
  /** Absent (hand-built configs in tests): {@link defaultScheduleConfig}. */
  readonly schedule?: ScheduleConfig;
  /** Per-user command rate limit (a burst, then a steady rate); a field left out keeps the core's default (20, 0.5/s). */
  readonly userRate?: { readonly burst?: number; readonly perSecond?: number };
  /** How long shutdown may take before the process exits anyway (code 1). Absent: 10 s. */
  readonly shutdownTimeoutMs?: number;
}

/** Thrown for a configuration that cannot work; the message says how to fix it. */
export class ConfigError extends Error {
  readonly code = 'sc_config_invalid';
}

/**
 * Reads and validates the configuration: the one place that reads `process.env`.
 * Slack is on exactly when a complete set is given (HTTP: `SLACK_BOT_TOKEN` +
 * `SLACK_SIGNING_SECRET`; Socket Mode: `SLACK_BOT_TOKEN` + `SLACK_APP_TOKEN`); a partial
 * set is an error naming what is missing.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(
      `Invalid configuration:\n${lines.join('\n')}\nFix the variables above (see README, "Configuration").`,
    );
  }
  const e = parsed.data;
  const slackVars = {
    SLACK_BOT_TOKEN: e.SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET: e.SLACK_SIGNING_SECRET,
    SLACK_APP_TOKEN: e.SLACK_APP_TOKEN,
  };
  let slack: SlackConfig | undefined;
  if (Object.values(slackVars).some(Boolean)) {
    if (!e.SLACK_BOT_TOKEN)
      throw new ConfigError(
        'Slack is partly configured: set SLACK_BOT_TOKEN (xoxb-…) too, or unset the other SLACK_* variables.',
      );
    if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN)
      throw new ConfigError(
        'Slack is partly configured: set SLACK_SIGNING_SECRET for HTTP mode, or SLACK_APP_TOKEN (xapp-…) for Socket Mode.',
      );
    slack = {
      botToken: e.SLACK_BOT_TOKEN,
      ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
      ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
      ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}),
    };
  }
  if (e.MicrosoftAppId && !e.MicrosoftAppPassword && e.MicrosoftAppType !== 'UserAssignedMSI')
    throw new ConfigError(
      'MicrosoftAppId is set but MicrosoftAppPassword is not: set the client secret of the Azure Bot app registration.',
    );
  if (e.MicrosoftAppId && e.MicrosoftAppType === 'SingleTenant' && !e.MicrosoftAppTenantId)
    throw new ConfigError(
      'MicrosoftAppType is SingleTenant (the default): set MicrosoftAppTenantId to your Microsoft Entra tenant id.',
    );
  return {
    port: e.PORT,
    host: e.HOST,
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
    logLevel: e.LOG_LEVEL,
    questionPack: e.QUESTION_PACK,
    ...(slack ? { slack } : {}),
    teams: {
      appType: e.MicrosoftAppType,
      ...(e.MicrosoftAppId ? { appId: e.MicrosoftAppId } : {}),
      ...(e.MicrosoftAppPassword ? { appPassword: e.MicrosoftAppPassword } : {}),
      ...(e.MicrosoftAppTenantId ? { tenantId: e.MicrosoftAppTenantId } : {}),
      ...(e.TEAMS_OPENID_METADATA_URL ? { openIdMetadataUrl: e.TEAMS_OPENID_METADATA_URL } : {}),
    },
    schedule: {
      graceMs: e.SCHEDULE_GRACE_MINUTES * 60_000,
      lockDurationMs: e.BULLMQ_LOCK_MS,
      stalledIntervalMs: e.BULLMQ_STALLED_MS,
      concurrency: e.BULLMQ_CONCURRENCY,
      prepareAheadMs: e.SCHEDULE_PREPARE_AHEAD_SECONDS * 1000,
    },
    userRate: {
      ...(e.USER_RATE_BURST !== undefined ? { burst: e.USER_RATE_BURST } : {}),
      ...(e.USER_RATE_PER_SECOND !== undefined ? { perSecond: e.USER_RATE_PER_SECOND } : {}),
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}

/** The configured secret values, so logs can redact them wherever they appear. */
export function secretsOf(config: Config): string[] {
  return [
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.slack?.appToken,
    config.teams.appPassword,
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
}
