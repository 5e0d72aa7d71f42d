import type { RespondFn } from '@slack/bolt';
import { type Logger, sleep } from '../../src/core';

/** How a `respond` call is retried: attempts in all (the first included) and the backoff. */
export interface RespondRetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

/** Five attempts, 250 ms doubling to at most 5 s between them; a 429 waits at least 1 s. */
export const respondRetryPolicy: RespondRetryPolicy = { attempts: 5, baseMs: 250, maxMs: 5000 };

/** Network failures worth another try; anything else (a bad URL) would fail the same way again. */
const TRANSIENT = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/** Bolt's `RespondError` carries the HTTP status; `fetch` failures carry a cause with a code. */
interface RespondFailure {
  readonly statusCode?: unknown;
  readonly cause?: { readonly code?: unknown };
}

/**
 * `respond` (a POST to the interaction's `response_url`, which is how feedback reaches
 * the member) retried on 429, on 5xx and on transient network errors, a bounded number
 * of times with exponential backoff; the last error is rethrown. Bolt's own `respond`
 * tries once, so a moment of trouble at Slack would lose the member's feedback. (Bolt
 * does not expose Retry-After here: a 429 waits at least a second.)
 */
export function retryingRespond(
  respond: RespondFn,
  logger: Logger,
  policy: RespondRetryPolicy = respondRetryPolicy,
): RespondFn {
  return async (message) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await respond(message);
      } catch (err) {
        const e = err as RespondFailure;
        const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
        const network = status === undefined && TRANSIENT.has(String(e.cause?.code));
        if (!(status === 429 || (status ?? 0) >= 500 || network) || attempt >= policy.attempts) throw err;
        const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
        const wait = status === 429 ? Math.max(1000, backoff) : backoff;
        logger.warn({ status, code: e.cause?.code, attempt, waitMs: wait }, 'slack respond failed; retrying');
        await sleep(wait);
      }
    }
  };
}
