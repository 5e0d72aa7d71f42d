import { webApi } from '@slack/bolt';
import type { SlackConfig } from '../../src/config';
import { DeliveryError, type Logger } from '../../src/core';
import { boltLogger } from './bolt-logger';

/**
 * Retries for outgoing calls. On a 429 the client itself waits `Retry-After` and tries
 * again (`rejectRateLimitedCalls: false`), so nothing is dropped; network errors and 5xx
 * back off exponentially. Slack platform errors (`ok: false`) are not retried.
 */
export const retryConfig = { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000, randomize: true };

/** Options for every WebClient of the adapter (Bolt's per-event clients get the same). */
export function clientOptions(config: SlackConfig, logger: Logger): webApi.WebClientOptions {
  return {
    ...(config.apiUrl
      ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` }
      : {}),
    retryConfig,
    rejectRateLimitedCalls: false,
    logger: boltLogger(logger),
  };
}

/** The bot's client for the one workspace it is installed in. */
export function createWebClient(config: SlackConfig, logger: Logger): webApi.WebClient {
  return new webApi.WebClient(config.botToken, clientOptions(config, logger));
}

const NOT_IN_CHANNEL = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);
const UNINSTALLED = new Set([
  'account_inactive',
  'token_revoked',
  'invalid_auth',
  'not_authed',
  'team_not_found',
]);

/** The Slack error code of a failed Web API call, if it was a platform error. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: unknown } };
  return e?.code === webApi.ErrorCode.PlatformError && typeof e.data?.error === 'string'
    ? e.data.error
    : undefined;
}

/** Maps a failed call to the core's {@link DeliveryError}, so the core can act on the reason. */
export function toDeliveryError(err: unknown, method: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const code = slackErrorCode(err);
  if (code && NOT_IN_CHANNEL.has(code)) return new DeliveryError('not-in-channel', `${method}: ${code}`);
  if (code && UNINSTALLED.has(code)) return new DeliveryError('uninstalled', `${method}: ${code}`);
  const e = err as { code?: string; retryAfter?: number; message?: string };
  if (e?.code === webApi.ErrorCode.RateLimitedError)
    return new DeliveryError('rate-limited', `${method}: rate limited`, (e.retryAfter ?? 1) * 1000);
  return new DeliveryError('failed', `${method}: ${code ?? e?.message ?? String(err)}`);
}
