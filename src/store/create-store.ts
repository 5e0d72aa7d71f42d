import type { Clock, Logger, Store } from '../core';
import { MemoryStore } from './memory/memory-store';
import { RedisStore } from './redis/redis-store';

export interface CreateStoreOptions {
  /** `redis://…` or `rediss://…`: the Redis store. Absent: the in-memory store (the caller warns). */
  readonly redisUrl?: string;
  readonly clock: Clock;
  readonly logger?: Logger;
}

/**
 * The store for this process: `RedisStore` when a URL is given (connected, so a wrong URL
 * fails start-up), else `MemoryStore`.
 */
export async function createStore(options: CreateStoreOptions): Promise<Store> {
  if (!options.redisUrl) return new MemoryStore(options.clock);
  const store = await RedisStore.connect(options.redisUrl, { clock: options.clock });
  const { logger } = options;
  if (logger) {
    store.client.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
    store.client.on('reconnecting', () => logger.info({}, 'redis reconnecting'));
    logger.info({}, 'redis store connected');
  }
  return store;
}
