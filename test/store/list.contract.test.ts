import type { Store } from '../../src/core';
import { MemoryStore } from '../../src/store/memory/memory-store';
import { RedisStore } from '../../src/store/redis/redis-store';
import { testCluster, testRedis, uniqueTenant } from '../setup/redis';

const clients: Array<ReturnType<typeof testRedis> | ReturnType<typeof testCluster>> = [];
const factories: Array<[string, () => Store[]]> = [
  [
    'memory',
    () => {
      const one = new MemoryStore();
      return [one, one];
    },
  ],
  [
    'redis (two replicas)',
    () => {
      const a = testRedis();
      const b = testRedis();
      clients.push(a, b);
      return [new RedisStore(a), new RedisStore(b)];
    },
  ],
  [
    'redis-cluster (two replicas)',
    () => {
      const a = testCluster();
      const b = testCluster();
      clients.push(a, b);
      return [new RedisStore(a), new RedisStore(b)];
    },
  ],
];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
});

describe.each(factories)('ordered lists (%s)', (_name, make) => {
  it('appends each member once, in order, and loses none under concurrent adds from two replicas', async () => {
    const [a, b] = make() as [Store, Store];
    const tenant = uniqueTenant('list');
    const members = Array.from({ length: 40 }, (_, i) => `29:user-${i}`);
    await Promise.all(
      members.flatMap((m, i) => [
        a.listAdd(tenant, 'answerers:p1', m),
        (i % 2 ? a : b).listAdd(tenant, 'answerers:p1', m),
      ]),
    );
    const list = await b.listGet(tenant, 'answerers:p1');
    expect([...list].sort()).toEqual([...members].sort());
    expect(await a.listAdd(tenant, 'answerers:p1', members[0] as string)).toBe(40);
    expect(await a.listGet(tenant, 'answerers:p1', 3)).toEqual(list.slice(0, 3));
    expect(await a.listGet(uniqueTenant('other'), 'answerers:p1')).toEqual([]);
  });
});
