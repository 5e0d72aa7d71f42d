import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import type { Platform } from '../core';

/** What is known about the HTTP request being handled: its id, and later its platform and tenant. */
export interface RequestFields {
  readonly reqId: string;
  platform?: Platform;
  tenant?: string;
}

const storage = new AsyncLocalStorage<RequestFields>();

/**
 * Runs `fn` (the rest of the request's handler chain) with `fields` as the current
 * request, so that every log line written while handling it carries them. The request's
 * events run in the context too: restify's body parser reads the body from socket
 * callbacks, which would otherwise continue outside it. (`storage.run` per event, not
 * `AsyncResource.bind`, which halved the requests per second in a local measurement.)
 */
export function runInRequest<T>(req: IncomingMessage, fields: RequestFields, fn: () => T): T {
  const emit = req.emit;
  req.emit = function emitInRequest(this: IncomingMessage, ...args: Parameters<IncomingMessage['emit']>) {
    return storage.run(fields, () => emit.apply(this, args));
  } as IncomingMessage['emit'];
  return storage.run(fields, fn);
}

/** The fields of the request being handled; undefined outside a request (start-up, jobs). */
export function currentRequest(): Readonly<RequestFields> | undefined {
  return storage.getStore();
}

/**
 * Adds what an adapter learnt from the body (platform, tenant) to the current request:
 * its later log lines and its access-log line carry them. Does nothing outside a request.
 */
export function annotateRequest(fields: { platform?: Platform; tenant?: string }): void {
  const current = storage.getStore();
  if (!current) return;
  if (fields.platform) current.platform = fields.platform;
  if (fields.tenant) current.tenant = fields.tenant;
}
