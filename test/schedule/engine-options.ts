import { type Store, systemClock } from '../../src/core';
import { silentLogger } from '../../src/core/ports/logger.port';
import type { BullMqOptions } from '../../src/schedule/bullmq-scheduler';
import { testRedisUrl } from '../setup/redis';

/**
 * The BullMQ engine's settings in tests, on the test Redis: a 2 h grace window, and a 1 s
 * lock with a 0.5 s stalled check, so that the job of a dead worker moves on quickly.
 */
export function testEngineOptions(
  queueName: string,
  store: Store,
  extra: Partial<BullMqOptions> = {},
): BullMqOptions {
  return {
    redisUrl: testRedisUrl(),
    queueName,
    logger: silentLogger,
    clock: systemClock,
    store,
    graceMs: 2 * 3600_000,
    lockDurationMs: 1000,
    stalledIntervalMs: 500,
    ...extra,
  };
}
