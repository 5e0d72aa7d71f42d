import { silentLogger } from '../../src/core';
import { type Service, startService } from '../../src/service';
import { testConfig } from '../setup/service-config';
import { OwnRedis } from './own-redis';
import { scrape, seriesValue } from './scrape';

/** Polls `/readyz` until it answers `status`; fails after 10 s. */
async function readyzBecomes(service: Service, status: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = 0;
  while (Date.now() < deadline) {
    last = (await fetch(`${service.url}/readyz`)).status;
    if (last === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`/readyz stayed ${last}, expected ${status}`);
}

describe('/readyz follows Redis', () => {
  let redis: OwnRedis;
  let service: Service;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    service = await startService(testConfig({ redisUrl: redis.url }), { logger: silentLogger, adapters: [] });
  });

  afterAll(async () => {
    await service?.close();
    await redis?.stop();
  });

  it('is ready on a reachable Redis, fails while it is down, and recovers when it is back', async () => {
    // BullMQ's queue prints its connection errors with console.error (it has no listener
    // in src/schedule): expected here, since this test stops Redis on purpose.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);

    await redis.stop();
    await readyzBecomes(service, 503);
    expect(await (await fetch(`${service.url}/readyz`)).json()).toEqual({ status: 'store unavailable' });
    // Liveness is not readiness: the process is fine, only its store is not.
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    // A store call meanwhile fails, and is counted.
    await expect(service.store.getProfile('local:ready', 'u1')).rejects.toThrow();
    const down = await scrape(service.url);
    expect(seriesValue(down, 'sc_store_errors_total', { operation: 'getProfile' })).toBe(1);
    expect(seriesValue(down, 'sc_redis_connection_errors_total')).toBeGreaterThan(0);
    expect(seriesValue(down, 'sc_http_requests_total', { route: '/readyz', status: '503' })).toBeGreaterThan(
      0,
    );

    await redis.start();
    await readyzBecomes(service, 200);
    expect(await service.store.getProfile('local:ready', 'u1')).toMatchObject({ hidden: false });
    quiet.mockRestore();
  });
});
