import type { IncomingMessage } from 'node:http';
import type { Server } from 'restify';
import type { Logger } from '../core';
import type { Metrics } from '../metrics';
import { openRequest, type RequestFields } from './request-context';

/** Probes answer every few seconds per load balancer: logged at debug unless they fail. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** A caller's `x-request-id` is kept when it looks like an id (a proxy's or the platform's), else a UUID. */
const ID_PATTERN = /^[\w.:@-]{1,128}$/;

function requestIdOf(req: IncomingMessage & { id(): string }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && ID_PATTERN.test(given) ? given : req.id();
}

/**
 * Access log and HTTP metrics for every request: a request id (the caller's
 * `x-request-id`, else restify's `req.id()`), echoed in the `x-request-id` response
 * header and carried by the log lines written while the request is handled (adapters
 * log through `requestLogger`); at the end one line with method, route, status and duration
 * (plus platform and tenant when an adapter named them) and the request counted in
 * `sc_http_requests_total` / `sc_http_request_duration_seconds`. A request the client
 * gave up on before the answer is logged with `aborted: true`.
 */
export function observeRequests(server: Server, deps: { logger: Logger; metrics: Metrics }): void {
  server.pre((req, res, next) => {
    const started = process.hrtime.bigint();
    const fields: RequestFields = { reqId: requestIdOf(req) };
    res.setHeader('x-request-id', fields.reqId);
    let done = false;
    const end = (aborted: boolean) => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.getRoute()?.path?.toString() ?? 'unmatched';
      const method = req.method ?? 'GET';
      const status = aborted ? 499 : res.statusCode;
      const labels = { route, method, status: String(status) };
      deps.metrics.httpRequests.inc(labels);
      deps.metrics.httpDuration.observe(labels, seconds);
      const line = {
        ...fields,
        method,
        route,
        status,
        ms: Math.round(seconds * 10_000) / 10,
        ...(aborted ? { aborted: true } : {}),
      };
      if (status >= 500) deps.logger.warn(line, 'request');
      else if (PROBES.has(route) && status < 400) deps.logger.debug(line, 'request');
      else deps.logger.info(line, 'request');
    };
    res.once('finish', () => end(false));
    res.once('close', () => end(!res.writableFinished));
    openRequest(req, fields);
    next();
  });
}
