import type { IncomingMessage } from 'node:http';
import type { Logger, Platform } from '../core';

/** What is known about the HTTP request being handled: its id, and later its platform and tenant. */
export interface RequestFields {
  readonly reqId: string;
  platform?: Platform;
  tenant?: string;
}

/** Each request's fields, kept beside the request (no async context: see `requestLogger`). */
const fieldsOf = new WeakMap<IncomingMessage, RequestFields>();

/** Starts tracking a request (the request observer does, first thing). */
export function openRequest(req: IncomingMessage, fields: RequestFields): void {
  fieldsOf.set(req, fields);
}

/**
 * Adds what an adapter learnt from the body (platform, tenant) to the request: its
 * later log lines and its access-log line carry them.
 */
export function annotateRequest(
  req: IncomingMessage,
  fields: { platform?: Platform; tenant?: string },
): void {
  const current = fieldsOf.get(req);
  if (!current) return;
  if (fields.platform) current.platform = fields.platform;
  if (fields.tenant) current.tenant = fields.tenant;
}

/**
 * `logger` with the request's fields (`reqId`, and `platform` and `tenant` once an
 * adapter named them, as they are when a line is written) added to every line; fields
 * given at the call win. Adapters hand it down with the request's work (Bolt's context,
 * botbuilder's turn state, the core's `handle`, a post's options), so that adapters and
 * the core, which know nothing of HTTP, tag what they log while handling it.
 *
 * Passed explicitly rather than found through `AsyncLocalStorage`: on Node 20 that
 * turns on promise hooks for every promise the process makes, which cost about a fifth
 * of a Teams answer click's CPU.
 */
export function requestLogger(logger: Logger, req: IncomingMessage): Logger {
  const fields = fieldsOf.get(req);
  if (!fields) return logger;
  const tagged = (f: Record<string, unknown>) => ({ ...fields, ...f });
  return {
    debug: (f, msg) => logger.debug(tagged(f), msg),
    info: (f, msg) => logger.info(tagged(f), msg),
    warn: (f, msg) => logger.warn(tagged(f), msg),
    error: (f, msg) => logger.error(tagged(f), msg),
  };
}
