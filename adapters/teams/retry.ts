import { type Logger, sleep } from '../../src/core';
import type { PlatformApiMetrics } from '../../src/platform-adapter';

/** How connector calls are retried. */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
  /** Counts every failed attempt: 429s as rate limited, others by HTTP status (`error` without one). */
  readonly metrics?: PlatformApiMetrics;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseMs: 500, maxMs: 30_000 };

/** The HTTP status of a failed connector call, when there is one. */
export function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | undefined;
  const s = e?.statusCode ?? e?.response?.status ?? e?.status;
  return typeof s === 'number' ? s : undefined;
}

/** Retry-After of a failed call in milliseconds (seconds or an HTTP date), when given. */
export function retryAfterMs(err: unknown): number | undefined {
  const headers = (
    err as { response?: { headers?: { get?(n: string): string | undefined } & Record<string, unknown> } }
  )?.response?.headers;
  const raw = headers?.get?.('retry-after') ?? (headers?.['retry-after'] as string | undefined);
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** 429 (throttled) and 5xx are worth another try; anything else will fail the same way again. */
export function isRetryable(err: unknown): boolean {
  const s = statusOf(err);
  return s === 429 || (s !== undefined && s >= 500);
}

/**
 * Runs one connector call, retrying 429 and 5xx with exponential backoff and full
 * jitter, honouring Retry-After, a bounded number of times. The last error is
 * rethrown: nothing is dropped silently.
 */
export async function withRetry<T>(
  what: string,
  call: () => Promise<T>,
  logger: Logger,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const status = statusOf(err);
      if (status === 429) policy.metrics?.rateLimited('teams', what);
      else policy.metrics?.apiError('teams', what, status === undefined ? 'error' : String(status));
      if (!isRetryable(err) || attempt >= policy.attempts) throw err;
      const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      const wait = Math.min(policy.maxMs, retryAfterMs(err) ?? Math.random() * backoff);
      logger.warn({ what, status, attempt, waitMs: Math.round(wait) }, 'Bot Connector call failed; retrying');
      await sleep(wait);
    }
  }
}

const ownRetries = new WeakSet<object>();

/**
 * Makes {@link withRetry} the only retry layer of a Bot Connector client: the SDK's
 * pipeline retries 429 and 5xx by itself (four attempts, seconds apart), which under
 * ours would multiply attempts and delays. Removing its "Retry" phase (a public
 * `@azure/core-rest-pipeline` call) keeps one policy, bounded and logged. If the client
 * has another shape, nothing changes and both layers stay bounded.
 */
export function useOwnRetries(client: unknown): void {
  if (!client || typeof client !== 'object' || ownRetries.has(client)) return;
  const pipeline = (client as { client?: { pipeline?: { removePolicy?(o: { phase: 'Retry' }): unknown } } })
    .client?.pipeline;
  pipeline?.removePolicy?.({ phase: 'Retry' });
  ownRetries.add(client);
}
