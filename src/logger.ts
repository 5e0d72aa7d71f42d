import { createHash } from 'node:crypto';
import pino, { type DestinationStream } from 'pino';
import type { Logger } from './core';

/** A short, stable, non-reversible stand-in for a user id in logs. */
export function hashUserId(id: string): string {
  return `u_${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;
}

const CENSORED = '[redacted]';
const USER_FIELDS = new Set(['userId', 'user', 'aadObjectId']);
/** Fields censored one level down (in any field's object, and in an error). */
const SECRET_FIELDS = new Set(['token', 'botToken', 'signingSecret', 'appPassword', 'authorization']);
/** Headers censored in any field's `headers`. */
const SECRET_HEADERS = ['authorization', 'x-slack-signature'];

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null;

/** `obj` with `change` applied to each value, copied only when a value changed. */
function mapFields(obj: Fields, change: (key: string, value: unknown) => unknown): Fields {
  let out: Fields | undefined;
  for (const k in obj) {
    const v = obj[k];
    const changed = change(k, v);
    if (changed !== v) {
      out ??= { ...obj };
      out[k] = changed;
    }
  }
  return out ?? obj;
}

/** One field's object with its secret fields and secret headers censored (a copy; the original is left alone). */
function censorSecrets(value: Fields): Fields {
  return mapFields(value, (k, v) => {
    if (SECRET_FIELDS.has(k) && v !== undefined) return CENSORED;
    if (k !== 'headers' || !isObject(v) || !SECRET_HEADERS.some((h) => h in v)) return v;
    return mapFields(v, (h, hv) => (SECRET_HEADERS.includes(h) ? CENSORED : hv));
  });
}

/**
 * A line's fields as written: user ids hashed (one level deep and inside `actor`),
 * secret fields censored one level down and secret headers in any field's `headers`.
 * Errors are serialized first (pino's own serializer) so their fields are censored too.
 * Only what changes is copied; a line of plain values (the access log) passes as is.
 */
function safeFields(obj: Fields): Fields {
  return mapFields(obj, (k, v) => {
    if (USER_FIELDS.has(k) && typeof v === 'string') return hashUserId(v);
    if (!isObject(v)) return v;
    const fields = v instanceof Error ? (pino.stdSerializers.err(v) as unknown as Fields) : v;
    return censorSecrets(k === 'actor' ? safeFields(fields) : fields);
  });
}

/**
 * The service's structured logger (pino, JSON lines on stdout). User ids are hashed;
 * tokens, secrets and authorization headers are censored, and so is any configured
 * secret value wherever it appears in a message or field.
 *
 * Censoring is a log formatter rather than pino's `redact`: with wildcard paths
 * (`*.token`), `redact` copies and re-parses every path for every field of every line,
 * strings and numbers included, which was 2 % of an answer click's CPU for one access
 * log line; the formatter looks only inside objects.
 */
export function createLogger(
  level: string,
  options: { secrets?: readonly string[]; destination?: DestinationStream } = {},
): Logger & pino.Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 8);
  const scrub = (s: string) =>
    secrets.reduce((acc, secret) => (acc.includes(secret) ? acc.split(secret).join(CENSORED) : acc), s);
  return pino(
    {
      level,
      base: { service: 'study-companion' },
      formatters: { log: safeFields },
      // Errors are serialized by `safeFields` already; pino's would take the copy for an error again.
      serializers: { err: (err: unknown) => err },
      hooks: secrets.length ? { streamWrite: scrub } : {},
    },
    options.destination,
  );
}
