import { createHash } from 'node:crypto';
import pino, { type DestinationStream } from 'pino';
import type { Logger } from './core';

/** A short, stable, non-reversible stand-in for a user id in logs. */
export function hashUserId(id: string): string {
  return `u_${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;
}

const USER_FIELDS = new Set(['userId', 'user', 'aadObjectId']);

/** Replaces user ids by their hash, one level deep and inside `actor` (a line without any is passed as is). */
function hideUsers(obj: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const k in obj) {
    const v = obj[k];
    let hidden: unknown = v;
    if (USER_FIELDS.has(k) && typeof v === 'string') hidden = hashUserId(v);
    else if (k === 'actor' && v && typeof v === 'object') hidden = hideUsers(v as Record<string, unknown>);
    if (hidden !== v) {
      out ??= { ...obj };
      out[k] = hidden;
    }
  }
  return out ?? obj;
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
  const scrub = (s: string) =>
    secrets.reduce((acc, secret) => (acc.includes(secret) ? acc.split(secret).join('[redacted]') : acc), s);
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
