import restify, { type Server } from 'restify';
import type { Logger, Store } from './core';
import { limitBodySize } from './http/body-limit';
import { type Drain, trackInFlight } from './http/drain';
import { observeRequests } from './http/request-observer';
import type { Metrics } from './metrics';

/**
 * The HTTP server: `/healthz` (the process is up), `/readyz` (the store answers and the
 * server is not draining), `/metrics` (Prometheus). Every request gets an id, an
 * access-log line and metrics (src/http/request-observer.ts); bodies over 1 MiB are
 * refused with 413 on every route. No body parser runs globally: Slack's signature
 * check needs the raw body, so each adapter parses its own route. `drain` closes it
 * gracefully.
 */
export function createHttpServer(deps: {
  store: Store;
  logger: Logger;
  metrics: Metrics;
}): Server & { readonly drain: Drain } {
  const server = restify.createServer({ name: 'study-companion', handleUncaughtExceptions: false });
  const drain = trackInFlight(server);
  observeRequests(server, deps);
  limitBodySize(server);
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });
  server.get('/readyz', (_req, res, next) => {
    if (drain.draining) {
      res.send(503, { status: 'shutting down' });
      return next();
    }
    deps.store
      .ping()
      .then((ok) => res.send(ok ? 200 : 503, { status: ok ? 'ready' : 'store unavailable' }))
      .catch(() => res.send(503, { status: 'store unavailable' }))
      .finally(() => next());
  });
  server.get('/metrics', (_req, res, next) => {
    deps.metrics
      .scrape()
      .then(({ contentType, body }) => {
        res.setHeader('content-type', contentType);
        res.sendRaw(200, body);
      })
      .catch((err: unknown) => {
        deps.logger.error({ err }, 'metrics scrape failed');
        res.send(500, { status: 'metrics unavailable' });
      })
      .finally(() => next());
  });
  server.on('restifyError', (req, _res, err, cb) => {
    deps.logger.warn({ err: err.message, url: req.url }, 'request failed');
    return cb();
  });
  return Object.assign(server, { drain });
}
