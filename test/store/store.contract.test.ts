import type {
  AnswerRecord,
  ChannelPost,
  Clock,
  Group,
  Session,
  Store,
  StreakMode,
  StreakState,
} from '../../src/core';
import { applyAnswerDay, emptyStreak } from '../../src/core';
import { MemoryStore } from '../../src/store/memory/memory-store';
import { RedisStore } from '../../src/store/redis/redis-store';
import { testCluster, testRedis, uniqueTenant } from '../setup/redis';

/** A clock moved by hand; it starts at the real time so that Redis TTLs and the clock agree. */
class TestClock implements Clock {
  private t = Date.now();
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

interface Harness {
  readonly store: Store;
  readonly clock: TestClock;
  /** Lets `seconds` pass for expiry: the clock moves, and a store with native TTLs also waits. */
  pass(seconds: number): Promise<void>;
}

type Factory = (clock: TestClock) => { store: Store; realTtl: boolean };

const factories: Array<[string, Factory]> = [
  ['memory', (clock) => ({ store: new MemoryStore(clock), realTtl: false })],
  ['redis', (clock) => ({ store: new RedisStore(testRedis(), { clock }), realTtl: true })],
  ['redis-cluster', (clock) => ({ store: new RedisStore(testCluster(), { clock }), realTtl: true })],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAY = 20_000;
const FRIDAY = 20_455; // 2026-01-02

describe.each(factories)('Store contract: %s', (_name, factory) => {
  let h: Harness;
  let tenant: string;

  beforeAll(() => {
    const clock = new TestClock();
    const { store, realTtl } = factory(clock);
    h = {
      store,
      clock,
      pass: async (seconds) => {
        clock.advance(seconds * 1000);
        if (realTtl) await sleep(seconds * 1000);
      },
    };
  });

  afterAll(async () => {
    await h.store.close();
  });

  beforeEach(() => {
    tenant = uniqueTenant('contract');
  });

  /** A post answer's part of a record: choice `a`, on time unless said; `answer` sets the address. */
  const onPost = (id: string, group: Group, choice = ['a'], late = false) => ({
    id,
    group,
    choice,
    late,
    address: '',
  });

  /** An answer with defaults: a correct first attempt in session s1, on DAY, in week W10. */
  function answer(userId: string, o: Partial<AnswerRecord> = {}): AnswerRecord {
    const questionId = o.questionId ?? 'q1';
    return {
      tenant,
      userId,
      name: `Name ${userId}`,
      attempt: `session:s1:${questionId}`,
      questionId,
      domain: 'd1',
      skill: 'd1.s1',
      correct: true,
      award: 10,
      day: DAY,
      streakMode: 'daily',
      week: '2026-W10',
      weekExpiresAt: h.clock.now().getTime() + 35 * 86_400_000,
      groups: [],
      at: h.clock.now().getTime(),
      ...o,
      ...(o.post ? { post: { ...o.post, address: o.post.address || `29:${userId}` } } : {}),
    };
  }

  /** Everything a user's answer can move, to compare before and after. */
  async function snapshot(userId: string, postId?: string, groupId?: string) {
    const s = h.store;
    const boards = await Promise.all(
      (['all', 'week', 'streak'] as const).flatMap((period) =>
        [undefined, groupId].map((g) =>
          s.leaderboard(tenant, { period, week: '2026-W10', ...(g ? { groupId: g } : {}) }, userId, 10),
        ),
      ),
    );
    return {
      stats: await s.getStats(tenant, userId),
      seen: [...(await s.seenQuestions(tenant, userId))].sort(),
      boards,
      names: await s.names(tenant, [userId]),
      groups: await s.userGroups(tenant, userId),
      post: postId ? await s.postAnswers(tenant, postId) : undefined,
      group: groupId ? await s.getGroup(tenant, groupId) : undefined,
    };
  }

  describe('profiles', () => {
    it('starts from the defaults and applies patches', async () => {
      const s = h.store;
      expect(await s.getProfile(tenant, 'u1')).toEqual({ streakMode: 'daily', hidden: false });
      expect(await s.updateProfile(tenant, 'u1', { tz: 'Europe/Berlin' })).toEqual({
        streakMode: 'daily',
        hidden: false,
        tz: 'Europe/Berlin',
      });
      const p = await s.updateProfile(tenant, 'u1', {
        streakMode: 'weekdays',
        hidden: true,
        examDate: '2026-06-01',
      });
      expect(p).toEqual({
        streakMode: 'weekdays',
        hidden: true,
        tz: 'Europe/Berlin',
        examDate: '2026-06-01',
      });
      expect(await s.getProfile(tenant, 'u1')).toEqual(p);
      expect(await s.updateProfile(tenant, 'u1', {})).toEqual(p);
      expect(await s.getProfile(tenant, 'u2')).toEqual({ streakMode: 'daily', hidden: false });
    });
  });

  describe('recordAnswer', () => {
    it('scores a correct first attempt, and later attempts count in tallies for 0 points', async () => {
      const s = h.store;
      expect(await s.getStats(tenant, 'u1')).toEqual({
        points: 0,
        answered: 0,
        correct: 0,
        streak: emptyStreak,
        domains: {},
        skills: {},
      });
      const first = await s.recordAnswer(answer('u1'));
      expect(first).toEqual({
        status: 'recorded',
        firstAttempt: true,
        points: 10,
        totalPoints: 10,
        weekPoints: 10,
        streak: { streak: 1, best: 1, freezes: 0, lastDay: DAY },
        usedFreezes: 0,
      });
      // The same question in a later session: a new attempt, no points, still counted.
      const again = await s.recordAnswer(answer('u1', { attempt: 'session:s2:q1' }));
      expect(again).toMatchObject({
        status: 'recorded',
        firstAttempt: false,
        points: 0,
        totalPoints: 10,
        weekPoints: 10,
      });
      // A wrong first attempt scores nothing; a correct later attempt of it neither.
      expect(
        await s.recordAnswer(
          answer('u1', { questionId: 'q2', correct: false, domain: 'd2', skill: 'd2.s1' }),
        ),
      ).toMatchObject({ firstAttempt: true, points: 0, totalPoints: 10 });
      expect(
        await s.recordAnswer(
          answer('u1', { questionId: 'q2', attempt: 'session:s3:q2', domain: 'd2', skill: 'd2.s1' }),
        ),
      ).toMatchObject({ firstAttempt: false, points: 0, totalPoints: 10 });
      // award 0 (late, mock exam): a correct first attempt for 0 points.
      expect(await s.recordAnswer(answer('u1', { questionId: 'q3', award: 0 }))).toMatchObject({
        firstAttempt: true,
        points: 0,
        totalPoints: 10,
      });
      expect(await s.getStats(tenant, 'u1')).toEqual({
        points: 10,
        answered: 5,
        correct: 4,
        streak: { streak: 1, best: 1, freezes: 0, lastDay: DAY },
        domains: { d1: { correct: 3, total: 3 }, d2: { correct: 1, total: 2 } },
        skills: { 'd1.s1': { correct: 3, total: 3 }, 'd2.s1': { correct: 1, total: 2 } },
      });
      expect(await s.seenQuestions(tenant, 'u1')).toEqual(new Set(['q1', 'q2', 'q3']));
      expect(await s.names(tenant, ['u1', 'nobody'])).toEqual({ u1: 'Name u1' });
    });

    it('keeps domain and skill names with colons apart', async () => {
      await h.store.recordAnswer(answer('u1', { domain: 'a:c', skill: 's:t:c', correct: false }));
      const stats = await h.store.getStats(tenant, 'u1');
      expect(stats.domains).toEqual({ 'a:c': { correct: 0, total: 1 } });
      expect(stats.skills).toEqual({ 's:t:c': { correct: 0, total: 1 } });
    });

    it('records the same attempt once: a duplicate changes no figure', async () => {
      const s = h.store;
      await s.createGroup(tenant, { id: 'g1', name: 'G1', kind: 'named' });
      await s.joinGroup(tenant, 'g1', 'u1');
      const group: Group = { id: 'ch-c1', name: '#c1', kind: 'channel', members: 0 };
      const rec = answer('u1', { attempt: 'post:p1:q1', groups: ['g1'], post: onPost('p1', group) });
      expect(await s.recordAnswer(rec)).toMatchObject({ status: 'recorded', points: 10, tally: 1 });
      await s.recordAnswer(answer('u2', { attempt: 'post:p1:q1', groups: [], post: onPost('p1', group) }));
      const before = await snapshot('u1', 'p1', 'g1');
      const beforeChannel = await snapshot('u1', 'p1', 'ch-c1');
      // The same click again, even with other figures (a later day, wrong, a new name): nothing moves.
      const dup = { ...rec, day: DAY + 1, correct: false, name: 'Other', week: '2026-W11' };
      expect(await s.recordAnswer(dup)).toEqual({ status: 'already-answered' });
      expect(await s.recordAnswer(rec)).toEqual({ status: 'already-answered' });
      expect(await snapshot('u1', 'p1', 'g1')).toEqual(before);
      expect(await snapshot('u1', 'p1', 'ch-c1')).toEqual(beforeChannel);
      expect(before.post).toEqual({ answered: 2, correct: 2, firstCorrect: ['u1', 'u2'] });
      const week11 = await s.leaderboard(tenant, { period: 'week', week: '2026-W11' }, 'u1', 10);
      expect(week11).toEqual({ rows: [], myRank: null, myScore: 0 });
    });
  });

  describe('streaks', () => {
    async function on(userId: string, day: number, mode: StreakMode = 'daily') {
      const r = await h.store.recordAnswer(
        answer(userId, {
          day,
          streakMode: mode,
          questionId: `q${day}-${Math.random()}`,
          attempt: `a${day}-${Math.random()}`,
        }),
      );
      if (r.status !== 'recorded') throw new Error('not recorded');
      return r;
    }

    it('counts days, earns a freeze per 7-day run, uses one on a missed day, breaks without', async () => {
      for (let d = 100; d < 106; d++) await on('u1', d);
      let r = await on('u1', 106);
      expect(r.streak).toEqual({ streak: 7, best: 7, freezes: 1, lastDay: 106 });
      r = await on('u1', 106); // the same day again counts once
      expect(r.streak).toEqual({ streak: 7, best: 7, freezes: 1, lastDay: 106 });
      r = await on('u1', 108); // 107 missed: a freeze covers it
      expect(r).toMatchObject({ streak: { streak: 8, best: 8, freezes: 0, lastDay: 108 }, usedFreezes: 1 });
      r = await on('u1', 105); // an earlier day changes nothing
      expect(r).toMatchObject({ streak: { streak: 8, best: 8, freezes: 0, lastDay: 108 }, usedFreezes: 0 });
      r = await on('u1', 110); // 109 missed, no freeze: broken
      expect(r).toMatchObject({ streak: { streak: 1, best: 8, freezes: 0, lastDay: 110 }, usedFreezes: 0 });
      expect((await h.store.getStats(tenant, 'u1')).streak).toEqual({
        streak: 1,
        best: 8,
        freezes: 0,
        lastDay: 110,
      });
      const board = await h.store.leaderboard(tenant, { period: 'streak' }, 'u1', 10);
      expect(board).toMatchObject({ myRank: 1, myScore: 1 });
    });

    it('holds at most two freezes, and a long gap uses them all and breaks', async () => {
      let r = await on('u1', 200);
      for (let d = 201; d < 221; d++) r = await on('u1', d);
      expect(r.streak).toEqual({ streak: 21, best: 21, freezes: 2, lastDay: 220 });
      r = await on('u1', 224); // three missed, two freezes
      expect(r).toMatchObject({ streak: { streak: 1, best: 21, freezes: 0, lastDay: 224 }, usedFreezes: 2 });
    });

    it('ignores weekends in weekdays mode', async () => {
      await on('u1', FRIDAY - 1, 'weekdays');
      let r = await on('u1', FRIDAY, 'weekdays');
      expect(r.streak.streak).toBe(2);
      r = await on('u1', FRIDAY + 1, 'weekdays'); // Saturday: recorded, the streak stands still
      expect(r).toMatchObject({ streak: { streak: 2, lastDay: FRIDAY }, usedFreezes: 0 });
      r = await on('u1', FRIDAY + 3, 'weekdays'); // Monday
      expect(r).toMatchObject({ streak: { streak: 3, freezes: 0, lastDay: FRIDAY + 3 }, usedFreezes: 0 });
      // In daily mode, the same weekend breaks it.
      await on('u2', FRIDAY - 1);
      await on('u2', FRIDAY);
      expect((await on('u2', FRIDAY + 3)).streak.streak).toBe(1);
      // A weekend-only first answer in weekdays mode leaves the streak empty.
      expect((await on('u3', FRIDAY + 1, 'weekdays')).streak).toEqual(emptyStreak);
    });

    it('follows applyAnswerDay exactly over a long random history', async () => {
      let seed = 42;
      const rand = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      let expected: StreakState = emptyStreak;
      let day = FRIDAY - 30;
      for (let i = 0; i < 120; i++) {
        const roll = rand();
        day += roll < 0.1 ? -1 : roll < 0.25 ? 0 : roll < 0.75 ? 1 : roll < 0.9 ? 2 : roll < 0.97 ? 3 : 5;
        const mode: StreakMode = rand() < 0.5 ? 'daily' : 'weekdays';
        const { usedFreezes, ...next } = applyAnswerDay(expected, day, mode);
        const r = await on('u1', day, mode);
        expect({ step: i, streak: r.streak, usedFreezes: r.usedFreezes }).toEqual({
          step: i,
          streak: next,
          usedFreezes,
        });
        expected = next;
      }
    });
  });

  describe('leaderboards', () => {
    it('keeps weekly boards by week and moves the boards of the user groups', async () => {
      const s = h.store;
      await s.recordAnswer(answer('u1', { questionId: 'q1', week: '2026-W10', groups: ['g1'] }));
      const r = await s.recordAnswer(answer('u1', { questionId: 'q2', week: '2026-W11', groups: ['g1'] }));
      expect(r).toMatchObject({ totalPoints: 20, weekPoints: 10 });
      await s.recordAnswer(answer('u2', { questionId: 'q1', week: '2026-W11', award: 30 }));
      const w10 = await s.leaderboard(tenant, { period: 'week', week: '2026-W10' }, 'u1', 10);
      expect(w10).toEqual({ rows: [{ userId: 'u1', name: 'Name u1', score: 10 }], myRank: 1, myScore: 10 });
      const w11 = await s.leaderboard(tenant, { period: 'week', week: '2026-W11' }, 'u1', 10);
      expect(w11).toEqual({
        rows: [
          { userId: 'u2', name: 'Name u2', score: 30 },
          { userId: 'u1', name: 'Name u1', score: 10 },
        ],
        myRank: 2,
        myScore: 10,
      });
      const all = await s.leaderboard(tenant, { period: 'all' }, 'u1', 10);
      expect(all.rows.map((x) => [x.userId, x.score])).toEqual([
        ['u2', 30],
        ['u1', 20],
      ]);
      const g1 = await s.leaderboard(tenant, { period: 'all', groupId: 'g1' }, 'u2', 10);
      expect(g1).toEqual({ rows: [{ userId: 'u1', name: 'Name u1', score: 20 }], myRank: null, myScore: 0 });
      const g1week = await s.leaderboard(
        tenant,
        { period: 'week', week: '2026-W11', groupId: 'g1' },
        'u1',
        10,
      );
      expect(g1week).toMatchObject({ myRank: 1, myScore: 10 });
      const streak = await s.leaderboard(tenant, { period: 'streak', groupId: 'g1' }, 'u1', 10);
      expect(streak).toEqual({ rows: [{ userId: 'u1', name: 'Name u1', score: 1 }], myRank: 1, myScore: 1 });
    });

    it('lets weekly boards expire at weekExpiresAt', async () => {
      const s = h.store;
      await s.recordAnswer(answer('u1', { weekExpiresAt: h.clock.now().getTime() + 1000 }));
      expect((await s.leaderboard(tenant, { period: 'week', week: '2026-W10' }, 'u1', 10)).rows).toHaveLength(
        1,
      );
      await h.pass(1.5);
      expect(await s.leaderboard(tenant, { period: 'week', week: '2026-W10' }, 'u1', 10)).toEqual({
        rows: [],
        myRank: null,
        myScore: 0,
      });
      expect((await s.leaderboard(tenant, { period: 'all' }, 'u1', 10)).myScore).toBe(10);
    });

    it('puts a member who scores nothing on each of their boards at 0, weekly ones expiring too', async () => {
      const s = h.store;
      const week = { groups: ['g1', 'g2'], weekExpiresAt: h.clock.now().getTime() + 1000 };
      const r = await s.recordAnswer(answer('u1', { correct: false, ...week }));
      expect(r).toMatchObject({ points: 0, totalPoints: 0, weekPoints: 0 });
      const zero = { rows: [{ userId: 'u1', name: 'Name u1', score: 0 }], myRank: 1, myScore: 0 };
      for (const groupId of [undefined, 'g1', 'g2']) {
        const scope = groupId ? { groupId } : {};
        expect(await s.leaderboard(tenant, { period: 'all', ...scope }, 'u1', 10)).toEqual(zero);
        expect(await s.leaderboard(tenant, { period: 'week', week: '2026-W10', ...scope }, 'u1', 10)).toEqual(
          zero,
        );
        expect(await s.leaderboard(tenant, { period: 'streak', ...scope }, 'u1', 10)).toMatchObject({
          myScore: 1,
        });
      }
      // Points later in the week land on the same boards.
      const later = await s.recordAnswer(answer('u1', { questionId: 'q2', ...week }));
      expect(later).toMatchObject({ points: 10, totalPoints: 10, weekPoints: 10 });
      expect(
        await s.leaderboard(tenant, { period: 'week', week: '2026-W10', groupId: 'g2' }, 'u1', 10),
      ).toMatchObject({
        myScore: 10,
      });
      await h.pass(1.5);
      expect(
        (await s.leaderboard(tenant, { period: 'week', week: '2026-W10', groupId: 'g2' }, 'u1', 10)).rows,
      ).toEqual([]);
    });

    it('leaves hidden users out of rows and ranks, orders ties by member, and honours limit', async () => {
      const s = h.store;
      const scores: Record<string, number> = { a: 50, b: 40, c: 30, d: 20, e: 10, f: 5, g: 30, h: 30, i: 30 };
      for (const [u, award] of Object.entries(scores)) await s.recordAnswer(answer(u, { award }));
      await s.setHidden(tenant, 'b', true);
      await s.setHidden(tenant, 'd', true);
      await s.setHidden(tenant, 'f', true);
      await s.setHidden(tenant, 'x', true); // hidden, never answered
      await s.setHidden(tenant, 'i', true); // hidden, tied with c, g and h, ordered before them
      const full = await s.leaderboard(tenant, { period: 'all' }, 'c', 10);
      expect(full.rows.map((r) => [r.userId, r.score])).toEqual([
        ['a', 50],
        ['h', 30],
        ['g', 30],
        ['c', 30],
        ['e', 10],
      ]);
      expect(full).toMatchObject({ myRank: 4, myScore: 30 });
      for (const [i, row] of full.rows.entries()) {
        const mine = await s.leaderboard(tenant, { period: 'all' }, row.userId, 0);
        expect(mine).toEqual({ rows: [], myRank: i + 1, myScore: row.score });
      }
      expect(await s.leaderboard(tenant, { period: 'all' }, 'b', 2)).toEqual({
        rows: [
          { userId: 'a', name: 'Name a', score: 50 },
          { userId: 'h', name: 'Name h', score: 30 },
        ],
        myRank: null,
        myScore: 40,
      });
      await s.setHidden(tenant, 'b', false);
      expect(await s.leaderboard(tenant, { period: 'all' }, 'e', 1)).toEqual({
        rows: [{ userId: 'a', name: 'Name a', score: 50 }],
        myRank: 6,
        myScore: 10,
      });
      expect((await s.leaderboard(tenant, { period: 'all' }, 'b', 0)).myRank).toBe(2);
    });

    // 40 and 70 hidden: a few are found by their scores, many by walking the board.
    it.each([40, 70])('fills the rows past %i hidden users above', async (hiddenCount) => {
      const s = h.store;
      for (let i = 0; i < hiddenCount; i++) {
        const u = `h${String(i).padStart(2, '0')}`;
        await s.recordAnswer(answer(u, { award: 1000 + i }));
        await s.setHidden(tenant, u, true);
      }
      for (let i = 1; i <= 15; i++)
        await s.recordAnswer(answer(`v${String(i).padStart(2, '0')}`, { award: i }));
      const top = await s.leaderboard(tenant, { period: 'all' }, 'v01', 10);
      expect(top.rows.map((r) => r.userId)).toEqual([
        'v15',
        'v14',
        'v13',
        'v12',
        'v11',
        'v10',
        'v09',
        'v08',
        'v07',
        'v06',
      ]);
      expect(top).toMatchObject({ myRank: 15, myScore: 1 });
      expect((await s.leaderboard(tenant, { period: 'all' }, 'v15', 0)).myRank).toBe(1);
      expect((await s.leaderboard(tenant, { period: 'all' }, 'v08', 0)).myRank).toBe(8);
    });
  });

  describe('isolation', () => {
    it('shows nothing of one tenant in another, for the same user id', async () => {
      const s = h.store;
      const other = uniqueTenant('other');
      await s.updateProfile(tenant, 'u1', { tz: 'Europe/Berlin', hidden: true });
      await s.createGroup(tenant, { id: 'g1', name: 'G1', kind: 'named' });
      await s.joinGroup(tenant, 'g1', 'u1');
      const group: Group = { id: 'ch-c1', name: '#c1', kind: 'channel', members: 0 };
      await s.recordAnswer(
        answer('u1', { groups: ['g1'], attempt: 'post:p1:q1', post: onPost('p1', group) }),
      );
      await s.saveSession(session('s1', 'u1'), 60);
      await s.setActiveSession(tenant, 'u1', 's1');
      await s.savePost(post('p1'));
      await s.setWorkspaceTz(tenant, 'Europe/Berlin');
      await s.addOrganizer(tenant, 'c1', 'u1');
      await s.saveConversationRef(tenant, 'c1', { a: 1 });
      await s.cacheProfile(tenant, 'u1', { tz: 'Europe/Berlin' }, 60);
      await s.setHidden(tenant, 'u1', true);

      expect(await s.getProfile(other, 'u1')).toEqual({ streakMode: 'daily', hidden: false });
      expect(await s.getStats(other, 'u1')).toEqual({
        points: 0,
        answered: 0,
        correct: 0,
        streak: emptyStreak,
        domains: {},
        skills: {},
      });
      expect(await s.seenQuestions(other, 'u1')).toEqual(new Set());
      for (const period of ['all', 'week', 'streak'] as const) {
        expect(await s.leaderboard(other, { period, week: '2026-W10' }, 'u1', 10)).toEqual({
          rows: [],
          myRank: null,
          myScore: 0,
        });
        expect(await s.leaderboard(other, { period, week: '2026-W10', groupId: 'g1' }, 'u1', 10)).toEqual({
          rows: [],
          myRank: null,
          myScore: 0,
        });
      }
      expect(await s.listGroups(other)).toEqual([]);
      expect(await s.userGroups(other, 'u1')).toEqual([]);
      expect(await s.getGroup(other, 'g1')).toBeUndefined();
      expect(await s.joinGroup(other, 'g1', 'u1')).toBe(false);
      expect(await s.getSession(other, 's1')).toBeUndefined();
      expect(await s.getActiveSession(other, 'u1')).toBeUndefined();
      expect(await s.getPost(other, 'p1')).toBeUndefined();
      expect(await s.markRevealed(other, 'p1')).toBe(false);
      expect(await s.postAnswers(other, 'p1')).toEqual({ answered: 0, correct: 0, firstCorrect: [] });
      expect(await s.getWorkspaceTz(other)).toBeUndefined();
      expect(await s.organizers(other, 'c1')).toEqual([]);
      expect(await s.names(other, ['u1'])).toEqual({});
      expect(await s.getConversationRef(other, 'c1')).toBeUndefined();
      expect(await s.getCachedProfile(other, 'u1')).toBeUndefined();
      // And the first tenant still has it all.
      expect((await s.getStats(tenant, 'u1')).points).toBe(10);
      expect(await s.getPost(tenant, 'p1')).toBeDefined();
      // An answer in the other tenant starts from nothing there.
      expect(await s.recordAnswer({ ...answer('u1'), tenant: other })).toMatchObject({
        firstAttempt: true,
        totalPoints: 10,
      });
    });
  });

  describe('groups', () => {
    it('creates, joins, leaves and lists groups', async () => {
      const s = h.store;
      expect(await s.createGroup(tenant, { id: 'zeta', name: 'Zeta', kind: 'named' })).toBe('created');
      expect(await s.createGroup(tenant, { id: 'zeta', name: 'Other', kind: 'named' })).toBe('exists');
      expect(await s.createGroup(tenant, { id: 'alpha', name: 'Alpha', kind: 'named' })).toBe('created');
      expect(await s.createGroup(tenant, { id: 'ch-c1', name: '#c1', kind: 'channel' })).toBe('created');
      expect(await s.getGroup(tenant, 'zeta')).toEqual({
        id: 'zeta',
        name: 'Zeta',
        kind: 'named',
        members: 0,
      });
      expect(await s.getGroup(tenant, 'nope')).toBeUndefined();
      expect(await s.joinGroup(tenant, 'zeta', 'u1')).toBe(true);
      expect(await s.joinGroup(tenant, 'zeta', 'u1')).toBe(false);
      expect(await s.joinGroup(tenant, 'zeta', 'u2')).toBe(true);
      expect(await s.joinGroup(tenant, 'alpha', 'u1')).toBe(true);
      expect(await s.joinGroup(tenant, 'nope', 'u1')).toBe(false);
      expect(await s.userGroups(tenant, 'u1')).toEqual([
        { id: 'alpha', name: 'Alpha', kind: 'named', members: 1 },
        { id: 'zeta', name: 'Zeta', kind: 'named', members: 2 },
      ]);
      expect(await s.listGroups(tenant)).toEqual([
        { id: 'alpha', name: 'Alpha', kind: 'named', members: 1 },
        { id: 'ch-c1', name: '#c1', kind: 'channel', members: 0 },
        { id: 'zeta', name: 'Zeta', kind: 'named', members: 2 },
      ]);
      expect(await s.leaveGroup(tenant, 'zeta', 'u1')).toBe(true);
      expect(await s.leaveGroup(tenant, 'zeta', 'u1')).toBe(false);
      expect(await s.leaveGroup(tenant, 'nope', 'u1')).toBe(false);
      expect(await s.userGroups(tenant, 'u1')).toEqual([
        { id: 'alpha', name: 'Alpha', kind: 'named', members: 1 },
      ]);
      expect(await s.userGroupIds(tenant, 'u1')).toEqual(['alpha']);
      expect(await s.userGroupIds(tenant, 'u2')).toEqual(['zeta']);
      expect((await s.getGroup(tenant, 'zeta'))?.members).toBe(1);
      expect(await s.userGroups(tenant, 'u3')).toEqual([]);
      expect(await s.userGroupIds(tenant, 'u3')).toEqual([]);
    });

    it("keeps each member's result and address on a post, from their first answer", async () => {
      const s = h.store;
      const group: Group = { id: 'ch-c1', name: '#c1', kind: 'channel', members: 0 };
      await s.recordAnswer(answer('u1', { attempt: 'post:p1:q1', post: onPost('p1', group, ['b', 'c']) }));
      const first = {
        choice: ['b', 'c'],
        correct: true,
        points: 10,
        totalPoints: 10,
        streak: 1,
        firstAttempt: true,
        late: false,
      };
      expect(await s.postResult(tenant, 'p1', 'u1')).toEqual(first);
      // The same click again with another choice: still the first answer.
      await s.recordAnswer(
        answer('u1', { attempt: 'post:p1:q1', correct: false, post: onPost('p1', group, ['a']) }),
      );
      expect(await s.postResult(tenant, 'p1', 'u1')).toEqual(first);
      // Seen before (a quiz), answered late and wrong: no points, and the figures as they stood.
      await s.recordAnswer(answer('u2', { attempt: 'session:s9:q1', award: 10 }));
      await s.recordAnswer(
        answer('u2', {
          attempt: 'post:p1:q1',
          correct: false,
          award: 0,
          post: onPost('p1', group, ['d'], true),
        }),
      );
      expect(await s.postResult(tenant, 'p1', 'u2')).toEqual({
        choice: ['d'],
        correct: false,
        points: 0,
        totalPoints: 10,
        streak: 1,
        firstAttempt: false,
        late: true,
      });
      expect(await s.postResult(tenant, 'p1', 'u3')).toBeUndefined();
      expect(await s.postResult(tenant, 'p2', 'u1')).toBeUndefined();
      expect(await s.postAnswers(tenant, 'p1')).toEqual({ answered: 2, correct: 1, firstCorrect: ['u1'] });
      // The answerers by address, first answer first, each once.
      expect(await s.postAnswerers(tenant, 'p1', 10)).toEqual(['29:u1', '29:u2']);
      expect(await s.postAnswerers(tenant, 'p1', 1)).toEqual(['29:u1']);
      expect(await s.postAnswerers(tenant, 'p2', 10)).toEqual([]);
      // Forgetting a member (their id, then their address) forgets their result and address.
      await s.forgetUser(tenant, 'u2');
      await s.forgetUser(tenant, '29:u2');
      expect(await s.postResult(tenant, 'p1', 'u2')).toBeUndefined();
      expect(await s.postAnswerers(tenant, 'p1', 10)).toEqual(['29:u1']);
      expect(await s.postResult(tenant, 'p1', 'u1')).toEqual(first);
    });

    it('joins the channel group on a post answer, creating it when missing', async () => {
      const s = h.store;
      const group: Group = { id: 'ch-c1', name: '#c1', kind: 'channel', members: 0 };
      const r = await s.recordAnswer(answer('u1', { attempt: 'post:p1:q1', post: onPost('p1', group) }));
      expect(r).toMatchObject({ status: 'recorded', tally: 1 });
      expect(await s.getGroup(tenant, 'ch-c1')).toEqual({
        id: 'ch-c1',
        name: '#c1',
        kind: 'channel',
        members: 1,
      });
      expect(await s.userGroups(tenant, 'u1')).toEqual([
        { id: 'ch-c1', name: '#c1', kind: 'channel', members: 1 },
      ]);
      expect(await s.listGroups(tenant)).toEqual([{ id: 'ch-c1', name: '#c1', kind: 'channel', members: 1 }]);
      const board = await s.leaderboard(tenant, { period: 'all', groupId: 'ch-c1' }, 'u1', 10);
      expect(board).toMatchObject({ myRank: 1, myScore: 10 });
      // An existing group keeps its record; the member joins it.
      await s.createGroup(tenant, { id: 'ch-c2', name: '#general', kind: 'channel' });
      await s.recordAnswer(
        answer('u1', {
          questionId: 'q2',
          attempt: 'post:p2:q2',
          post: onPost('p2', { ...group, id: 'ch-c2', name: '#renamed' }),
        }),
      );
      expect(await s.getGroup(tenant, 'ch-c2')).toEqual({
        id: 'ch-c2',
        name: '#general',
        kind: 'channel',
        members: 1,
      });
    });
  });

  describe('channel posts', () => {
    it('reads what recording an answer needs, and the post, in one call as the reads apart do', async () => {
      const s = h.store;
      const none = await s.answerReads(tenant, 'u1', 'q1', 'p1');
      expect(none).toEqual({
        profile: await s.getProfile(tenant, 'u1'),
        workspaceTz: undefined,
        groupIds: [],
        packed: undefined,
        post: undefined,
      });
      await s.updateProfile(tenant, 'u1', { tz: 'Europe/Berlin', hidden: true });
      await s.setWorkspaceTz(tenant, 'America/Chicago');
      await s.createGroup(tenant, { id: 'g2', name: 'G2', kind: 'named' });
      await s.createGroup(tenant, { id: 'g1', name: 'G1', kind: 'named' });
      await s.joinGroup(tenant, 'g2', 'u1');
      await s.joinGroup(tenant, 'g1', 'u1');
      await s.recordAnswer(answer('u1', { card: { packed: 'packed-card-q1', due: 1 } }));
      const p = post('p1');
      await s.savePost(p);
      await s.markRevealed(tenant, 'p1');
      const all = await s.answerReads(tenant, 'u1', 'q1', 'p1');
      expect(all).toEqual({
        profile: await s.getProfile(tenant, 'u1'),
        workspaceTz: 'America/Chicago',
        groupIds: ['g1', 'g2'],
        packed: 'packed-card-q1',
        post: { ...p, revealed: true },
      });
      expect(all.profile).toMatchObject({ tz: 'Europe/Berlin', hidden: true });
      expect(await s.answerReads(tenant, 'u1', 'q2')).toMatchObject({ packed: undefined, post: undefined });
      expect(await s.answerReads(uniqueTenant('other'), 'u1', 'q1', 'p1')).toMatchObject({
        workspaceTz: undefined,
        groupIds: [],
        post: undefined,
      });
    });

    it('saves, reads and reveals a post once', async () => {
      const s = h.store;
      const p = post('p1');
      await s.savePost(p);
      expect(await s.getPost(tenant, 'p1')).toEqual(p);
      const withMessage: ChannelPost = { ...p, message: { where: p.where, id: '1767225600.000100' } };
      await s.savePost(withMessage);
      expect(await s.getPost(tenant, 'p1')).toEqual(withMessage);
      expect(await s.markRevealed(tenant, 'p1')).toBe(true);
      expect(await s.markRevealed(tenant, 'p1')).toBe(false);
      expect(await s.getPost(tenant, 'p1')).toEqual({ ...withMessage, revealed: true });
      expect(await s.markRevealed(tenant, 'nope')).toBe(false);
      expect(await s.getPost(tenant, 'nope')).toBeUndefined();
      await s.savePost({ ...p, id: 'p2', revealed: true });
      expect(await s.markRevealed(tenant, 'p2')).toBe(false);
    });

    it('tallies answers, correct answers and the first five correct answerers', async () => {
      const s = h.store;
      const group: Group = { id: 'ch-c1', name: '#c1', kind: 'channel', members: 0 };
      expect(await s.postAnswers(tenant, 'p1')).toEqual({ answered: 0, correct: 0, firstCorrect: [] });
      const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'];
      const tallies: Array<number | undefined> = [];
      for (const [i, u] of users.entries()) {
        const r = await s.recordAnswer(
          answer(u, { attempt: 'post:p1:q1', correct: i !== 1, post: onPost('p1', group) }),
        );
        tallies.push(r.status === 'recorded' ? r.tally : undefined);
      }
      expect(tallies).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(await s.postAnswers(tenant, 'p1')).toEqual({
        answered: 8,
        correct: 7,
        firstCorrect: ['u1', 'u3', 'u4', 'u5', 'u6'],
      });
      expect((await s.getGroup(tenant, 'ch-c1'))?.members).toBe(8);
      expect(await s.postAnswers(tenant, 'p2')).toEqual({ answered: 0, correct: 0, firstCorrect: [] });
    });
  });

  describe('sessions', () => {
    it('saves and reads sessions, which expire after their TTL', async () => {
      const s = h.store;
      const one = session('s1', 'u1');
      await s.saveSession(one, 60);
      expect(await s.getSession(tenant, 's1')).toEqual(one);
      const next = {
        ...one,
        index: 1,
        answers: { q1: { choice: ['a'], correct: true, earned: 1, possible: 1, points: 10 } },
      };
      await s.saveSession(next, 1);
      expect(await s.getSession(tenant, 's1')).toEqual(next);
      expect(await s.getSession(tenant, 's2')).toBeUndefined();
      await h.pass(1.2);
      expect(await s.getSession(tenant, 's1')).toBeUndefined();
    });

    it('keeps the active session pointer', async () => {
      const s = h.store;
      expect(await s.getActiveSession(tenant, 'u1')).toBeUndefined();
      await s.setActiveSession(tenant, 'u1', 's1');
      expect(await s.getActiveSession(tenant, 'u1')).toBe('s1');
      expect(await s.getActiveSession(tenant, 'u2')).toBeUndefined();
      await s.setActiveSession(tenant, 'u1', undefined);
      expect(await s.getActiveSession(tenant, 'u1')).toBeUndefined();
    });
  });

  describe('workspace and channels', () => {
    it('keeps the workspace time zone, organizers in order, and names', async () => {
      const s = h.store;
      expect(await s.getWorkspaceTz(tenant)).toBeUndefined();
      await s.setWorkspaceTz(tenant, 'Europe/Berlin');
      await s.setWorkspaceTz(tenant, 'America/New_York');
      expect(await s.getWorkspaceTz(tenant)).toBe('America/New_York');
      expect(await s.organizers(tenant, 'c1')).toEqual([]);
      await s.addOrganizer(tenant, 'c1', 'u2');
      await s.addOrganizer(tenant, 'c1', 'u1');
      await s.addOrganizer(tenant, 'c1', 'u2');
      expect(await s.organizers(tenant, 'c1')).toEqual(['u2', 'u1']);
      expect(await s.organizers(tenant, 'c2')).toEqual([]);
      expect(await s.names(tenant, [])).toEqual({});
      await s.recordAnswer(answer('u1', { name: 'Ada' }));
      await s.recordAnswer(answer('u1', { name: 'Ada L.', attempt: 'session:s2:q1' }));
      expect(await s.names(tenant, ['u1', 'u2'])).toEqual({ u1: 'Ada L.' });
    });
  });

  describe('shared primitives', () => {
    it('claims a key once within its TTL', async () => {
      const s = h.store;
      const key = `send:${tenant}:1`;
      expect(await s.claimOnce(key, 1)).toBe(true);
      expect(await s.claimOnce(key, 1)).toBe(false);
      expect(await s.claimOnce(`send:${tenant}:2`, 60)).toBe(true);
      await h.pass(1.2);
      expect(await s.claimOnce(key, 60)).toBe(true);
      expect(await s.claimOnce(key, 60)).toBe(false);
    });

    it('keeps conversation references', async () => {
      const s = h.store;
      const ref = { conversation: { id: 'c1' }, serviceUrl: 'https://x', nested: [1, { b: true }] };
      expect(await s.getConversationRef(tenant, 'c1')).toBeUndefined();
      await s.saveConversationRef(tenant, 'c1', ref);
      expect(await s.getConversationRef(tenant, 'c1')).toEqual(ref);
      await s.saveConversationRef(tenant, 'c1', { conversation: { id: 'c1b' } });
      expect(await s.getConversationRef(tenant, 'c1')).toEqual({ conversation: { id: 'c1b' } });
    });

    it('caches profile data for its TTL', async () => {
      const s = h.store;
      expect(await s.getCachedProfile(tenant, 'u1')).toBeUndefined();
      await s.cacheProfile(tenant, 'u1', { tz: 'Europe/Berlin', name: 'Ada' }, 1);
      await s.cacheProfile(tenant, 'u2', {}, 60);
      expect(await s.getCachedProfile(tenant, 'u1')).toEqual({ tz: 'Europe/Berlin', name: 'Ada' });
      expect(await s.getCachedProfile(tenant, 'u2')).toEqual({});
      await h.pass(1.2);
      expect(await s.getCachedProfile(tenant, 'u1')).toBeUndefined();
      expect(await s.getCachedProfile(tenant, 'u2')).toEqual({});
    });

    it('takes tokens up to the capacity, then says how long to wait, and refills', async () => {
      const s = h.store;
      const bucket = { key: `chan:${tenant}`, capacity: 3, perSecond: 2 };
      for (let i = 0; i < 3; i++) expect(await s.takeToken(bucket)).toEqual({ ok: true, retryAfterMs: 0 });
      const refused = await s.takeToken(bucket);
      expect(refused.ok).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(500);
      h.clock.advance(250);
      const half = await s.takeToken(bucket);
      expect(half).toEqual({ ok: false, retryAfterMs: 250 });
      h.clock.advance(250);
      expect(await s.takeToken(bucket)).toEqual({ ok: true, retryAfterMs: 0 });
      expect((await s.takeToken(bucket)).ok).toBe(false);
      h.clock.advance(10_000);
      for (let i = 0; i < 3; i++) expect((await s.takeToken(bucket)).ok).toBe(true);
      expect((await s.takeToken(bucket)).ok).toBe(false);
      // Another bucket is untouched.
      expect((await s.takeToken({ ...bucket, key: `team:${tenant}` })).ok).toBe(true);
    });

    it('answers ping', async () => {
      expect(await h.store.ping()).toBe(true);
    });
  });

  function session(id: string, userId: string): Session {
    return {
      id,
      tenant,
      userId,
      kind: 'quiz',
      items: ['q1', 'q2'],
      index: 0,
      answers: {},
      startedAt: h.clock.now().getTime(),
      done: false,
    };
  }

  function post(id: string): ChannelPost {
    return {
      id,
      tenant,
      where: { platform: 'local', tenant, id: 'c1', kind: 'channel', name: 'c1' },
      questionId: 'q1',
      order: ['b', 'a', 'c'],
      postedAt: h.clock.now().getTime(),
      revealAt: h.clock.now().getTime() + 3_600_000,
      answerBy: '17:00',
      revealed: false,
    };
  }
});
