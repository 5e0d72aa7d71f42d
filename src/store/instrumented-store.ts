import type { AnswerRecord, RecordResult, Store } from '../core';
import type { Metrics } from '../metrics';
import { RedisStore } from './redis/redis-store';

type StoreMetrics = Pick<Metrics, 'answerRecorded' | 'storeErrors' | 'redisConnectionErrors'>;

/**
 * The store with metrics: every method is passed through unchanged, with the same
 * arguments, results and errors (a Proxy, so methods added to the `Store` port later
 * pass through too, and so do properties such as `RedisStore.client`). It counts:
 * - each `recordAnswer` by outcome (first attempt, later attempt, duplicate) and correctness;
 * - each call that throws or rejects, by method (on Redis: Redis errors);
 * - on a `RedisStore`, each error event of its connection.
 *
 * Methods run bound to the real store, never to the proxy. Counting never changes what
 * the caller sees: a failing metric would be a bug in prom-client, not a store failure.
 */
export function instrumentStore(store: Store, metrics: StoreMetrics): Store {
  if (store instanceof RedisStore) store.client.on('error', () => metrics.redisConnectionErrors.inc());
  const failed = (operation: string) => (err: unknown) => {
    metrics.storeErrors.inc({ operation });
    throw err;
  };
  const wrap = (operation: string, fn: (...args: unknown[]) => unknown) => {
    const fail = failed(operation);
    return function instrumented(...args: unknown[]): unknown {
      let result: unknown;
      try {
        result = fn.apply(store, args);
      } catch (err) {
        return fail(err);
      }
      if (!(result instanceof Promise)) return result;
      if (operation === 'recordAnswer') {
        const record = args[0] as AnswerRecord;
        return result.then((r: RecordResult) => {
          metrics.answerRecorded(record.correct, r);
          return r;
        }, fail);
      }
      return result.catch(fail);
    };
  };
  // One wrapper per method, rebuilt only if the underlying function is replaced (tests stub `ping`).
  const wrappers = new Map<PropertyKey, { fn: unknown; wrapped: unknown }>();
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'constructor') return value;
      const known = wrappers.get(prop);
      if (known?.fn === value) return known.wrapped;
      const wrapped = wrap(prop, value as (...args: unknown[]) => unknown);
      wrappers.set(prop, { fn: value, wrapped });
      return wrapped;
    },
  });
}
