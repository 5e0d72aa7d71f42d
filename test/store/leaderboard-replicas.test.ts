import type { AnswerRecord, Store } from '../../src/core';
import { RedisStore } from '../../src/store/redis/redis-store';
import { testCluster, testRedis, uniqueTenant } from '../setup/redis';

/**
 * RedisStore reads a leaderboard with plain commands while nobody is hidden and keeps
 * display names a minute (see `leaderboard`): what another replica changes must still show.
 */
const clients: Array<ReturnType<typeof testRedis> | ReturnType<typeof testCluster>> = [];
const pairs: Array<[string, () => [Store, Store]]> = [
  [
    'redis',
    () => {
      const [a, b] = [testRedis(), testRedis()];
      clients.push(a, b);
      return [new RedisStore(a), new RedisStore(b)];
    },
  ],
  [
    'redis-cluster',
    () => {
      const [a, b] = [testCluster(), testCluster()];
      clients.push(a, b);
      return [new RedisStore(a), new RedisStore(b)];
    },
  ],
];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
});

const answer = (tenant: string, userId: string, award: number, name = `Name ${userId}`): AnswerRecord => ({
  tenant,
  userId,
  name,
  attempt: `session:s1:q-${award}-${name}`,
  questionId: `q-${award}-${name}`,
  domain: 'd1',
  skill: 'd1.s1',
  correct: true,
  award,
  day: 20_000,
  streakMode: 'daily',
  week: '2026-W10',
  weekExpiresAt: Date.now() + 86_400_000,
  groups: [],
  at: Date.now(),
});

describe.each(pairs)('leaderboard across replicas (%s)', (_name, make) => {
  it('hides and shows again at once what another replica changed, and shows a name it recorded', async () => {
    const [a, b] = make();
    const tenant = uniqueTenant('lb');
    for (const [u, points] of [
      ['u1', 10],
      ['u2', 30],
      ['u3', 20],
    ] as const)
      await a.recordAnswer(answer(tenant, u, points));
    const board = () => a.leaderboard(tenant, { period: 'all' }, 'u1', 10);
    const ids = async () => (await board()).rows.map((r) => r.userId);
    expect(await board()).toEqual({
      rows: [
        { userId: 'u2', name: 'Name u2', score: 30 },
        { userId: 'u3', name: 'Name u3', score: 20 },
        { userId: 'u1', name: 'Name u1', score: 10 },
      ],
      myRank: 3,
      myScore: 10,
    });
    await b.setHidden(tenant, 'u2', true);
    expect(await ids()).toEqual(['u3', 'u1']);
    expect((await board()).myRank).toBe(2);
    await b.setHidden(tenant, 'u2', false);
    expect(await ids()).toEqual(['u2', 'u3', 'u1']);
    expect(await ids()).toEqual(['u2', 'u3', 'u1']);
    await a.recordAnswer(answer(tenant, 'u1', 5, 'Ana'));
    expect((await board()).rows.at(-1)).toEqual({ userId: 'u1', name: 'Ana', score: 15 });
    await a.setHidden(tenant, 'u1', true);
    expect(await board()).toMatchObject({ myRank: null, myScore: 15 });
  });
});
