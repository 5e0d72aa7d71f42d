import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { AnswerRecord, Group } from '../../src/core';
import { RedisStore } from '../../src/store/redis/redis-store';
import { RECORD_ANSWER } from '../../src/store/redis/scripts';
import { testRedis, uniqueTenant } from '../setup/redis';

/**
 * What the Redis server executes for `recordAnswer`: a MONITOR connection sees every
 * command of every client; we keep those that come from the store's own connection,
 * between two ECHO markers sent on that connection (so the count is exact even while
 * other test files use the same server). A client-side wrapper of `sendCommand` counts
 * the same thing from ioredis' side.
 */
interface Seen {
  readonly args: string[];
  readonly source: string;
}

const RECORD_SHA = createHash('sha1').update(RECORD_ANSWER).digest('hex');

describe('RedisStore round trips', () => {
  let redis: Redis;
  let monitorClient: Redis;
  let monitor: Redis;
  let store: RedisStore;
  const seen: Seen[] = [];
  const sent: string[] = [];

  beforeAll(async () => {
    redis = testRedis();
    await redis.ping();
    // Client-side counter: every command the store's client sends.
    const original = redis.sendCommand.bind(redis);
    redis.sendCommand = ((command, ...rest) => {
      sent.push(command.name.toLowerCase());
      return original(command, ...rest);
    }) as typeof redis.sendCommand;
    store = new RedisStore(redis);
    monitorClient = testRedis();
    monitor = await monitorClient.monitor();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      seen.push({ args, source });
    });
  });

  afterAll(async () => {
    monitor.disconnect();
    monitorClient.disconnect();
    await store.close();
  });

  /** The store connection's address as MONITOR shows it. */
  function source(): string {
    const s = redis.stream;
    return `${s.localAddress}:${s.localPort}`;
  }

  /** Runs `fn` and returns the commands the server ran for the store connection meanwhile. */
  async function serverCommands(fn: () => Promise<void>): Promise<{ server: string[][]; client: string[] }> {
    const id = Math.random().toString(36).slice(2);
    const start = `start-${id}`;
    const end = `end-${id}`;
    await redis.echo(start);
    const from = sent.length;
    await fn();
    const client = sent.slice(from);
    await redis.echo(end);
    const deadline = Date.now() + 5000;
    while (!seen.some((x) => x.args[1] === end)) {
      if (Date.now() > deadline) throw new Error('MONITOR did not show the end marker');
      await new Promise((r) => setTimeout(r, 10));
    }
    const mine = seen.filter((x) => x.source === source()).map((x) => x.args);
    const i = mine.findIndex((a) => a[1] === start);
    const j = mine.findIndex((a) => a[1] === end);
    return { server: mine.slice(i + 1, j), client };
  }

  function record(tenant: string, o: Partial<AnswerRecord> = {}): AnswerRecord {
    const group: Group = { id: 'ch-c1', name: '#c1', kind: 'channel', members: 0 };
    const questionId = o.questionId ?? 'q1';
    return {
      tenant,
      userId: 'U1',
      name: 'Ada',
      attempt: `post:p1:${questionId}`,
      questionId,
      domain: 'd1',
      skill: 'd1.s1',
      correct: true,
      award: 10,
      day: 20_455,
      streakMode: 'daily',
      week: '2026-W01',
      weekExpiresAt: Date.now() + 35 * 86_400_000,
      groups: ['g1', 'g2'],
      post: { id: 'p1', group, choice: ['a'], late: false, address: 'U1' },
      at: Date.now(),
      ...o,
    };
  }

  it('records an answer with exactly one EVALSHA, all its keys in the tenant hash tag', async () => {
    const tenant = uniqueTenant('rt');
    // Warm-up: ioredis sends the first call of a script on a connection as EVAL.
    await store.recordAnswer(
      record(tenant, { questionId: 'warm', attempt: 'session:s0:warm', post: undefined }),
    );

    const { server, client } = await serverCommands(async () => {
      const r = await store.recordAnswer(record(tenant));
      expect(r).toMatchObject({
        status: 'recorded',
        firstAttempt: true,
        points: 10,
        totalPoints: 20,
        tally: 1,
      });
    });
    expect(client).toEqual(['evalsha']);
    expect(server).toHaveLength(1);
    const [cmd, sha, numKeys, ...rest] = server[0] ?? [];
    expect(cmd?.toLowerCase()).toBe('evalsha');
    expect(sha).toBe(RECORD_SHA);
    const keys = rest.slice(0, Number(numKeys));
    // 5 user keys, 6 post keys, 3 boards × (workspace + g1 + g2 + the channel group), cards,
    // due, qstats, posts, the post's answerers.
    expect(keys).toHaveLength(5 + 6 + 3 * 4 + 5);
    for (const key of keys) expect(key.startsWith(`sc:{${tenant}}:`)).toBe(true);

    // Steady state: several answers, one EVALSHA each and nothing else.
    const more = await serverCommands(async () => {
      for (let i = 2; i <= 4; i++) {
        await store.recordAnswer(
          record(tenant, { questionId: `q${i}`, attempt: `session:s1:q${i}`, post: undefined }),
        );
      }
    });
    expect(more.client).toEqual(['evalsha', 'evalsha', 'evalsha']);
    expect(more.server.map((a) => `${a[0]?.toLowerCase()} ${a[1]}`)).toEqual(
      Array(3).fill(`evalsha ${RECORD_SHA}`),
    );
  });

  it('answers a duplicate with already-answered in one EVALSHA and changes no figure', async () => {
    const tenant = uniqueTenant('rt');
    const rec = record(tenant);
    await store.recordAnswer(rec);
    const figures = async () => ({
      stats: await store.getStats(tenant, 'U1'),
      all: await store.leaderboard(tenant, { period: 'all' }, 'U1', 10),
      week: await store.leaderboard(tenant, { period: 'week', week: '2026-W01' }, 'U1', 10),
      group: await store.leaderboard(tenant, { period: 'week', week: '2026-W01', groupId: 'g1' }, 'U1', 10),
      channel: await store.leaderboard(tenant, { period: 'streak', groupId: 'ch-c1' }, 'U1', 10),
      post: await store.postAnswers(tenant, 'p1'),
      names: await store.names(tenant, ['U1']),
    });
    const keysBefore = await redis.keys(`sc:{${tenant}}:*`);
    const dump = async (keys: string[]) => Promise.all(keys.sort().map((k) => redis.dump(k)));
    const before = await figures();
    const rawBefore = await dump(keysBefore);

    const { server, client } = await serverCommands(async () => {
      expect(await store.recordAnswer({ ...rec, name: 'Someone else', correct: false, day: 20_456 })).toEqual(
        {
          status: 'already-answered',
        },
      );
    });
    expect(client).toEqual(['evalsha']);
    expect(server.map((a) => a[0]?.toLowerCase())).toEqual(['evalsha']);

    expect(await figures()).toEqual(before);
    const keysAfter = await redis.keys(`sc:{${tenant}}:*`);
    expect(keysAfter.sort()).toEqual(keysBefore.sort());
    expect(await dump(keysAfter)).toEqual(rawBefore);
    expect(before.stats.points).toBe(10);
    expect(before.post).toEqual({ answered: 1, correct: 1, firstCorrect: ['U1'] });
  });

  it('finds no result for a post answer kept before results were (a bare 1 or 0)', async () => {
    const tenant = uniqueTenant('rt');
    await redis.hset(`sc:{${tenant}}:post:p1:answers`, 'U1', '1', 'U2', '0');
    expect(await store.postResult(tenant, 'p1', 'U1')).toBeUndefined();
    expect(await store.postResult(tenant, 'p1', 'U2')).toBeUndefined();
    expect(await store.postAnswers(tenant, 'p1')).toMatchObject({ answered: 2 });
  });
});
