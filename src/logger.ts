import { createHash } from 'node:crypto';
import pino, { type DestinationStream } from 'pino';
import type { Logger } from './core';

/** A short, stable, non-reversible stand-in for a user id in logs. */
export function hashUserId(id: string): string {
  return `u_${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;
}

const USER_FIELDS = new Set(['userId', 'user', 'aadObjectId']);

/** Replaces user ids by their hash, one level deep and inside `actor`. */
function hideUsers(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (USER_FIELDS.has(k) && typeof v === 'string') out[k] = hashUserId(v);
    else if (k === 'actor' && v && typeof v === 'object') out[k] = hideUsers(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

/**
 * The service's structured logger (pino, JSON lines on stdout). User ids are hashed;
 * tokens, secrets and authorization headers are redacted, and so is any configured
 * secret value wherever it appears in a message or field.
 */
export function createLogger(
  level: string,
  options: { secrets?: readonly string[]; destination?: DestinationStream } = {},
): Logger & pino.Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 8);
  const scrub = (s: string) => secrets.reduce((acc, secret) => acc.split(secret).join('[redacted]'), s);
  return pino(
    {
      level,
      base: { service: 'study-companion' },
      redact: {
        paths: [
          '*.token',
          '*.botToken',
          '*.signingSecret',
          '*.appPassword',
          '*.authorization',
          '*.headers.authorization',
          '*.headers["x-slack-signature"]',
        ],
        censor: '[redacted]',
      },
      formatters: { log: hideUsers },
      hooks: secrets.length
        ? {
            streamWrite: scrub,
          }
        : {},
    },
    options.destination,
  );
}
