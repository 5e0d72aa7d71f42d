import { systemClock } from '../../src/core';
import { RedisStore } from '../../src/store/redis/redis-store';
import { testRedisUrl, uniqueTenant } from '../setup/redis';

/**
 * The store as the service connects it (auto-pipelining on): the first calls of a new
 * store, issued in one tick, mix plain commands with every kind of script. ioredis builds
 * an auto-pipeline with the commands defined at that moment, so a script defined later
 * (the schedule scripts used to be defined on first use) was missing from it, and the
 * pipeline's answer then crashed the whole process (ioredis#1931).
 */
describe('RedisStore with auto-pipelining', () => {
  it('answers a fresh store’s first concurrent calls, scripts of every kind among them', async () => {
    const store = await RedisStore.connect(testRedisUrl(), { clock: systemClock });
    const tenant = uniqueTenant('pipe');
    try {
      const [post, first, claim, token, profile] = await Promise.all([
        store.getPost(tenant, 'p1'),
        store.firstValue(tenant, 'daily:c1:2026-11-29', 'q1', 60),
        store.claimSend(`${tenant}|k1`, 'holder', 30_000, 60),
        store.takeToken({ key: `${tenant}:b`, capacity: 1, perSecond: 1 }),
        store.getProfile(tenant, 'u1'),
      ]);
      expect(post).toBeUndefined();
      expect(first).toBe('q1');
      expect(claim.state).toBe('fresh');
      expect(token.ok).toBe(true);
      expect(profile).toEqual({ streakMode: 'daily', hidden: false });
    } finally {
      await store.close();
    }
  });
});
