import type { ServerResponse } from 'node:http';
import type { Server } from 'restify';

/** Graceful close of the HTTP server. */
export interface Drain {
  /** True once {@link Drain.close} was called: `/readyz` answers 503 from then on. */
  readonly draining: boolean;
  /** Requests being handled now. */
  readonly inFlight: number;
  /**
   * Stops accepting connections at once, lets the requests in flight finish, and
   * resolves when the last connection is gone. Keep-alive connections are closed as
   * soon as they are idle (Node's `server.close` alone would wait for their timeout),
   * and answers sent while draining carry `Connection: close`. Not bounded: the caller
   * bounds the whole shutdown.
   */
  close(): Promise<void>;
}

/** Tracks the requests in flight on `server`, so it can be closed gracefully. */
export function trackInFlight(server: Server): Drain {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let closed: Promise<void> | undefined;
  server.pre((_req, res, next) => {
    inFlight.add(res);
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      if (draining) server.server.closeIdleConnections();
    });
    next();
  });
  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight.size;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        draining = true;
        for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
        server.close(() => resolve());
        server.server.closeIdleConnections();
      });
      return closed;
    },
  };
}
