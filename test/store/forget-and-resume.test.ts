import type { Actor, QuestionCard, Reply, Where } from '../../src/core';
import { StudyCore } from '../../src/core';
import { silentLogger } from '../../src/core/ports/logger.port';
import { RedisStore } from '../../src/store/redis/redis-store';
import { FakeClock, actor as fixtureActor, fixtureBank } from '../core/fixtures';
import { RecordingMessenger } from '../core/recording-messenger';
import { scanKeys, testCluster, testRedis, uniqueTenant } from '../setup/redis';

const cardOf = (r: Reply[]) => r.find((x) => x.kind === 'question') as QuestionCard;

const clientFactories: Array<[string, () => ReturnType<typeof testRedis> | ReturnType<typeof testCluster>]> =
  [
    ['Redis', testRedis],
    ['Redis Cluster', testCluster],
  ];

describe.each(clientFactories)(
  'on %s: forget me, and a mock exam that survives a restart',
  (_name, client) => {
    const clients: Array<ReturnType<typeof client>> = [];
    const open = (clock: FakeClock) => {
      const redis = client();
      clients.push(redis);
      return new RedisStore(redis, { clock });
    };
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    });

    // The second id is a Teams channel account id (used where no Entra object id comes): it holds a ':'.
    it.each(['Uforgetme1', '29:1forgetMe'])(
      'leaves no trace of user %s seeded into every feature: no key, value, or set or board member',
      async (userId) => {
        const tenant = uniqueTenant('forget');
        const clock = new FakeClock(Date.now());
        const store = open(clock);
        const messenger = new RecordingMessenger();
        const core = new StudyCore({ bank: fixtureBank(), store, clock, logger: silentLogger, messenger });
        const who = fixtureActor(userId, { tenant, name: 'Forget Me' });
        const other = fixtureActor('Ukeep2', { tenant });
        const dmWhere = { platform: 'local' as const, tenant, id: `D-${userId}`, kind: 'dm' as const };
        const channel = {
          platform: 'local' as const,
          tenant,
          id: 'C9',
          kind: 'channel' as const,
          name: 'devops',
        };

        // Seed: settings, a quiz, groups, a channel answer, organizer role, a report, an open exam, caches.
        await core.handle(who, dmWhere, { kind: 'command', text: 'timezone Europe/Berlin' });
        await core.handle(who, dmWhere, { kind: 'command', text: 'streak weekdays' });
        await core.handle(who, dmWhere, { kind: 'command', text: 'plan 2027-03-01' });
        const answerRight = (a: Actor, where: Where, card: QuestionCard) =>
          core.handle(a, where, {
            kind: 'answer',
            target: card.target,
            questionId: card.questionId,
            choice: [...(core.bank.item(card.questionId)?.key ?? [])],
          });
        const quiz = cardOf(await core.handle(who, dmWhere, { kind: 'command', text: 'quiz 2' }));
        await answerRight(who, dmWhere, quiz);
        await core.handle(who, dmWhere, { kind: 'command', text: 'group create Night Owls' });
        await core.handle(other, dmWhere, { kind: 'command', text: 'group join Night Owls' });
        await core.handle(who, channel, { kind: 'command', text: 'daily now' });
        const post = messenger.posts[0]?.reply as QuestionCard;
        await answerRight(who, channel, post);
        await answerRight(other, channel, post);
        await core.handle(who, channel, { kind: 'command', text: 'organizer add <@Ukeep2>' });
        await core.handle(who, dmWhere, {
          kind: 'report',
          questionId: 'fx-single-1',
          reason: 'unclear',
          note: 'hmm',
        });
        await core.handle(who, dmWhere, { kind: 'command', text: 'exam 20' });
        await core.handle(who, dmWhere, { kind: 'command', text: 'leaderboard hide' });
        await core.handle(who, dmWhere, { kind: 'command', text: 'remind 08:15 weekdays' });
        await core.handle(who, dmWhere, { kind: 'command', text: 'quiet 22:00-07:00' });
        await store.claimSend(`remind:${tenant}:${userId}:2026-11-30:0`, 'worker-1', 1000, 3600);
        await store.cacheProfile(tenant, userId, { tz: 'Europe/Berlin' }, 3600);
        await store.saveConversationRef(tenant, `teams:user:${userId}`, { user: { id: userId } });

        const redis = client();
        clients.push(redis);
        const traces = async () => {
          const found: string[] = [];
          for (const key of await scanKeys(redis, `sc:{${tenant}}:*`)) {
            if (key.includes(userId)) found.push(`key ${key}`);
            const type = await redis.type(key);
            const content =
              type === 'hash'
                ? JSON.stringify(await redis.hgetall(key))
                : type === 'set'
                  ? JSON.stringify(await redis.smembers(key))
                  : type === 'zset'
                    ? JSON.stringify(await redis.zrange(key, 0, -1))
                    : type === 'list'
                      ? JSON.stringify(await redis.lrange(key, 0, -1))
                      : String(await redis.get(key));
            if (content.includes(userId)) found.push(`${type} ${key}`);
          }
          return found;
        };
        expect((await traces()).length).toBeGreaterThan(10);

        await core.handle(who, dmWhere, { kind: 'command', text: 'forget me' });
        await core.handle(who, dmWhere, { kind: 'confirm', action: 'forget-me', yes: true });
        expect(await traces()).toEqual([]);
        // Nor outside the tenant's keys (on any node): the schedules index and send records.
        expect(await scanKeys(redis, `*${userId}*`)).toEqual([]);
        expect((await redis.smembers('sc:schedules')).filter((e) => e.includes(userId))).toEqual([]);
        // Other people's data is intact.
        expect((await store.getStats(tenant, 'Ukeep2')).points).toBe(10);
        expect(await store.groupMembers(tenant, 'g-night-owls')).toEqual(['Ukeep2']);
      },
    );

    it('resumes a mock exam after the store is reopened', async () => {
      const tenant = uniqueTenant('resume');
      const clock = new FakeClock(Date.now());
      const who = fixtureActor('Uexam', { tenant });
      const dmWhere = { platform: 'local' as const, tenant, id: 'D-exam', kind: 'dm' as const };
      const first = new StudyCore({ bank: fixtureBank(), store: open(clock), clock, logger: silentLogger });
      const c = cardOf(await first.handle(who, dmWhere, { kind: 'command', text: 'exam 20' }));
      await first.handle(who, dmWhere, {
        kind: 'answer',
        target: c.target,
        questionId: c.questionId,
        choice: [...(first.bank.item(c.questionId)?.key ?? [])],
      });

      // A new process: a new client and core on the same Redis.
      clock.advance(2 * 60_000);
      const second = new StudyCore({ bank: fixtureBank(), store: open(clock), clock, logger: silentLogger });
      const resumed = await second.handle(who, dmWhere, { kind: 'command', text: 'exam' });
      expect((resumed[0] as { text: string }).text).toMatch(
        /Resuming your mock exam: 1 of 9 answered, 16 minutes left/,
      );
      expect(cardOf(resumed).exam?.answered).toBe(1);
    });
  },
);
