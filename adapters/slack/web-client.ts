import { webApi } from '@slack/bolt';
import type { SlackConfig } from '../../src/config';
import { DeliveryError, type Logger } from '../../src/core';
import type { PlatformApiMetrics } from '../../src/platform-adapter';
import { boltLogger } from './bolt-logger';
import { keepAliveFetch } from './keep-alive-fetch';

/**
 * Retries for outgoing calls. On a 429 the client itself waits `Retry-After` and tries
 * again (`rejectRateLimitedCalls: false`), so nothing is dropped; network errors and 5xx
 * back off exponentially. Slack platform errors (`ok: false`) are not retried.
 */
export const retryConfig = { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000, randomize: true };

/**
 * Options for every WebClient of the adapter (Bolt's per-event clients and `respond` get
 * the same): HTTP over {@link keepAliveFetch}, counted when metrics are given.
 */
export function clientOptions(
  config: SlackConfig,
  logger: Logger,
  metrics?: PlatformApiMetrics,
): webApi.WebClientOptions {
  return {
    ...(config.apiUrl
      ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` }
      : {}),
    retryConfig,
    rejectRateLimitedCalls: false,
    logger: boltLogger(logger),
    fetch: metrics ? countingFetch(metrics) : keepAliveFetch,
  };
}

/** The bot's client for the one workspace it is installed in. */
export function createWebClient(
  config: SlackConfig,
  logger: Logger,
  metrics?: PlatformApiMetrics,
): webApi.WebClient {
  return new webApi.WebClient(config.botToken, clientOptions(config, logger, metrics));
}

/**
 * `fetch` that counts, per Web API method, 429s (the client waits and retries them) and
 * failures: network errors, HTTP errors, and `ok: false` Web API answers by Slack error code.
 * Every attempt is counted, retries included. The response is handed on untouched.
 */
function countingFetch(metrics: PlatformApiMetrics): webApi.WebClientOptions['fetch'] {
  return async (url, init) => {
    const apiMethod = /\/api\/([\w.]+)/.exec(new URL(url).pathname)?.[1];
    const method = apiMethod ?? 'other';
    let res: Response;
    try {
      res = await keepAliveFetch(url, init);
    } catch (err) {
      metrics.apiError('slack', method, 'network');
      throw err;
    }
    if (res.status === 429) metrics.rateLimited('slack', method);
    else if (res.status !== 200) metrics.apiError('slack', method, String(res.status));
    // Only Web API answers carry `ok`; reading one costs a copy of the body, so a
    // response_url's answer (the feedback of every click) is judged by its status alone.
    else if (apiMethod && res.headers.get('content-type')?.includes('application/json')) {
      const body = (await res
        .clone()
        .json()
        .catch(() => undefined)) as { ok?: unknown; error?: unknown } | undefined;
      // Slack's codes are snake_case words; anything else (a proxy's text) is not made a label.
      const code =
        typeof body?.error === 'string' && /^[a-z0-9_]{1,64}$/.test(body.error) ? body.error : 'other';
      if (body?.ok === false) metrics.apiError('slack', method, code);
    }
    return res;
  };
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
