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

  it('lets a list given a TTL expire as a whole, counted from its last add', async () => {
    const [a, b] = make() as [Store, Store];
    const tenant = uniqueTenant('list-ttl');
    await a.listAdd(tenant, 'batch', 'C1', 0.3);
    await a.listAdd(tenant, 'kept', 'C1');
    await new Promise((r) => setTimeout(r, 200));
    expect(await b.listAdd(tenant, 'batch', 'C2', 0.3)).toBe(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(await b.listGet(tenant, 'batch')).toEqual(['C1', 'C2']);
    await new Promise((r) => setTimeout(r, 250));
    expect(await a.listGet(tenant, 'batch')).toEqual([]);
    expect(await a.listAdd(tenant, 'batch', 'C3', 0.3)).toBe(1);
    expect(await b.listGet(tenant, 'kept')).toEqual(['C1']);
  });
});

describe('ordered lists in Redis: the member set', () => {
  it('indexes a list written before its member set once, and still adds each member once', async () => {
    const redis = testRedis();
    clients.push(redis);
    const store = new RedisStore(redis);
    const tenant = uniqueTenant('list-legacy');
    const key = `sc:{${tenant}}:list:answerers:p1`;
    await redis.rpush(key, '29:a', '29:b', '29:c');
    expect(await store.listAdd(tenant, 'answerers:p1', '29:b')).toBe(3);
    expect(await store.listAdd(tenant, 'answerers:p1', '29:d')).toBe(4);
    expect(await store.listAdd(tenant, 'answerers:p1', '29:a')).toBe(4);
    expect(await store.listGet(tenant, 'answerers:p1')).toEqual(['29:a', '29:b', '29:c', '29:d']);
    expect((await redis.smembers(`${key}:members`)).sort()).toEqual(['29:a', '29:b', '29:c', '29:d']);
  });

  it('lets a forgotten member be added again, at the end', async () => {
    const redis = testRedis();
    clients.push(redis);
    const store = new RedisStore(redis);
    const tenant = uniqueTenant('list-forget');
    for (const m of ['U1', 'U2', 'U3']) await store.listAdd(tenant, 'organizers', m);
    await store.forgetUser(tenant, 'U2');
    expect(await store.listGet(tenant, 'organizers')).toEqual(['U1', 'U3']);
    expect(await store.listAdd(tenant, 'organizers', 'U2')).toBe(3);
    expect(await store.listGet(tenant, 'organizers')).toEqual(['U1', 'U3', 'U2']);
  });
});
