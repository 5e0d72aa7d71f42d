import type { Server } from 'restify';

/** The largest request body the service accepts on any route: 1 MiB. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Refuses, on every route, a request whose declared `Content-Length` exceeds `limit`:
 * 413 before any of the body is read, and the connection is closed so the rest of
 * it is never read either. Bodies sent without a length (chunked) are capped where they
 * are read: the Slack route stops at the same 1 MiB, the Teams route at 256 KiB
 * (activities are small). Runs after routing, so unknown paths still answer 404.
 */
export function limitBodySize(server: Server, limit = BODY_LIMIT_BYTES): void {
  server.use((req, res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!(declared > limit)) return next();
    res.setHeader('connection', 'close');
    res.send(413, { code: 'PayloadTooLarge', message: `request body larger than ${limit} bytes` });
    return next(false);
  });
}
