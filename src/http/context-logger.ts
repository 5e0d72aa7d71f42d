import type { Logger } from '../core';
import { currentRequest } from './request-context';

/**
 * The logger with the current HTTP request's fields (`reqId`, and `platform` and
 * `tenant` once an adapter has named them) added to every line written while that
 * request is handled, including by adapters and the core, which know nothing of
 * requests. Fields given at the call win.
 */
export function withRequestContext(logger: Logger): Logger {
  const fields = (f: Record<string, unknown>) => {
    const req = currentRequest();
    return req ? { ...req, ...f } : f;
  };
  return {
    debug: (f, msg) => logger.debug(fields(f), msg),
    info: (f, msg) => logger.info(fields(f), msg),
    warn: (f, msg) => logger.warn(fields(f), msg),
    error: (f, msg) => logger.error(fields(f), msg),
  };
}
