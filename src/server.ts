import restify, { type Server } from 'restify';
import type { Logger, Store } from './core';

/**
 * The HTTP server: `/healthz` (the process is up) and `/readyz` (the store answers).
 * No body parser runs globally: Slack's signature check needs the raw body, so each
 * adapter parses its own route.
 */
export function createHttpServer(deps: { store: Store; logger: Logger }): Server {
  const server = restify.createServer({ name: 'study-companion', handleUncaughtExceptions: false });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });
  server.get('/readyz', (_req, res, next) => {
    deps.store
      .ping()
      .then((ok) => res.send(ok ? 200 : 503, { status: ok ? 'ready' : 'store unavailable' }))
      .catch(() => res.send(503, { status: 'store unavailable' }))
      .finally(() => next());
  });
  server.on('restifyError', (req, _res, err, cb) => {
    deps.logger.warn({ err: err.message, url: req.url }, 'request failed');
    return cb();
  });
  return server;
}
