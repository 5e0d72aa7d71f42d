import Redis from 'ioredis';

/**
 * A connection to the test Redis (global setup sets `REDIS_URL`). Fails loudly
 * when there is none: Redis tests never skip.
 */
export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url)
    throw new Error(
      'REDIS_URL is not set: jest global setup should have started redis-server (see test/setup/global-setup.ts)',
    );
  return url;
}

/** A fresh ioredis client on the test Redis, using logical database `db`. */
export function testRedis(db = 0): Redis {
  return new Redis(testRedisUrl(), { db, lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** A tenant id unique to one test, so tests never see each other's data. */
export function uniqueTenant(prefix = 'test'): string {
  return `local:${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}
