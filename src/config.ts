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
});

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
