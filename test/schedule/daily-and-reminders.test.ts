import {
  type AnySession,
  DeliveryError,
  type Job,
  type MessageRef,
  type QuestionCard,
  type Reply,
  type Reveal,
  StudyCore,
  type Where,
} from '../../src/core';
import { silentLogger } from '../../src/core/ports/logger.port';
import { defaultLimits } from '../../src/schedule/rate-limits';
import { SendOnceMessenger } from '../../src/schedule/send-once';
import { MemoryStore } from '../../src/store/memory/memory-store';
import { actor, channel, dm, FakeClock, fixtureBank, tenant } from '../core/fixtures';
import { RecordingMessenger } from '../core/recording-messenger';
import { FakeTimeScheduler } from './fake-time-scheduler';

/** The core on a fake clock; `sendOnce` puts the engine's send-once pacing before the messenger. */
function setup(
  iso: string,
  messenger = new RecordingMessenger(),
  options: { store?: (clock: FakeClock) => MemoryStore; sendOnce?: boolean; prepareAheadMs?: number } = {},
) {
  const clock = FakeClock.at(iso);
  const store = options.store?.(clock) ?? new MemoryStore(clock);
  const sender = options.sendOnce
    ? new SendOnceMessenger(messenger, { store, clock, logger: silentLogger, limits: defaultLimits.local })
    : messenger;
  const core = new StudyCore({ bank: fixtureBank(), store, clock, logger: silentLogger, messenger: sender });
  const scheduler = new FakeTimeScheduler(clock, (job) => core.runJob(job), options.prepareAheadMs);
  core.attach({ scheduler });
  return { clock, store, messenger, core, scheduler };
}

const say = (core: StudyCore, who: string, where: Where, line: string, extra = {}) =>
  core.handle(actor(who, extra), where, { kind: 'command', text: line });
const textOf = (replies: Reply[]) => replies.map((r) => (r.kind === 'text' ? r.text : r.kind)).join('\n');
const cards = (m: RecordingMessenger) => m.posts.filter((p) => p.reply.kind === 'question');
/** The job of channel C1's daily post due at `iso`, as an engine hands it over. */
const dailyPostAt = (iso: string): Job => ({
  name: 'daily-post',
  tenant,
  channelId: 'C1',
  due: Date.parse(iso),
});

describe('daily question', () => {
  it('posts at 09:00 local every day, across the DST change', async () => {
    const { core, messenger, scheduler } = setup('2026-03-26T10:00:00Z');
    const on = await say(core, 'ana', channel, 'daily on 09:00 Europe/Berlin daily');
    expect(textOf(on)).toMatch(
      /every day at 09:00 \(Europe\/Berlin\).*first question comes Fri 27 Mar, 09:00/,
    );
    expect(on[0]?.audience).toBeUndefined(); // public
    await scheduler.runUntil('2026-03-31T00:00:00Z');
    const daily = scheduler.ran.filter((r) => r.job.name === 'daily-post').map((r) => r.at.toISOString());
    expect(daily).toEqual([
      '2026-03-27T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    expect(cards(messenger).map((p) => p.sendKey)).toEqual([
      `daily:${tenant}:C1:2026-03-27`,
      `daily:${tenant}:C1:2026-03-28`,
      `daily:${tenant}:C1:2026-03-29`,
      `daily:${tenant}:C1:2026-03-30`,
    ]);
    // Four different questions: the channel is not asked one it had.
    expect(new Set(cards(messenger).map((p) => (p.reply as QuestionCard).questionId)).size).toBe(4);
  });

  it('skips Saturday and Sunday with weekdays', async () => {
    const { core, messenger, scheduler } = setup('2026-12-04T08:00:00Z'); // a Friday
    await say(core, 'ana', channel, 'daily on 09:30 UTC weekdays');
    await scheduler.runUntil('2026-12-08T12:00:00Z');
    expect(cards(messenger).map((p) => p.sendKey?.slice(-10))).toEqual([
      '2026-12-04',
      '2026-12-07',
      '2026-12-08',
    ]);
  });

  it('a second run of the same occurrence posts nothing more', async () => {
    const { core, messenger, scheduler } = setup('2026-12-01T08:00:00Z');
    await say(core, 'ana', channel, 'daily on 09:00 UTC');
    await scheduler.runUntil('2026-12-01T09:00:01Z');
    await core.runJob(dailyPostAt('2026-12-01T09:00:00Z'));
    expect(cards(messenger)).toHaveLength(1);
  });

  describe('prepared ahead (the engine fires a minute early)', () => {
    const channels = ['C1', 'C2', 'C3'].map((id) => ({ ...channel, id }));

    it("prepares each post early and sends the workspace's posts from one batch at the due time", async () => {
      const { core, store, messenger, scheduler } = setup('2026-12-01T08:00:00Z', undefined, {
        prepareAheadMs: 60_000,
      });
      for (const c of channels) await say(core, 'ana', c, 'daily on 09:00 UTC');
      // Prepared a minute ahead; the batch starts 2 s before 09:00 (it waits for 09:00 in real time).
      await scheduler.runUntil('2026-12-01T08:59:57Z');
      expect(cards(messenger)).toEqual([]);
      for (const c of channels) {
        const post = await store.getPost(tenant, `d-${c.id}-2026-12-01`);
        expect(post).toMatchObject({ postedAt: Date.parse('2026-12-01T09:00:00Z'), revealed: false });
        expect(post?.message).toBeUndefined();
        expect(scheduler.has(`reveal:d-${c.id}-2026-12-01`)).toBe(true);
      }
      await scheduler.runUntil('2026-12-01T09:00:00Z');
      expect(cards(messenger).map((p) => p.sendKey)).toEqual(
        channels.map((c) => `daily:${tenant}:${c.id}:2026-12-01`),
      );
      // One batch, started 2 s early to read and build its posts, for the 09:00 occurrence.
      const batches = scheduler.ran.filter((r) => r.job.name === 'daily-batch');
      expect(batches.map((r) => [r.at.toISOString(), r.job])).toEqual([
        [
          '2026-12-01T08:59:58.000Z',
          { name: 'daily-batch', tenant, due: Date.parse('2026-12-01T09:00:00Z') },
        ],
      ]);
      expect((await store.getPost(tenant, 'd-C2-2026-12-01'))?.message).toEqual(cards(messenger)[1]?.ref);
      // The next day again, from a fresh batch; then the reveals, in their threads.
      await scheduler.runUntil('2026-12-02T09:00:00Z');
      expect(cards(messenger)).toHaveLength(6);
      expect(messenger.posts.filter((p) => p.reply.kind === 'reveal')).toHaveLength(3);
    });

    it('sends nothing, and reveals nothing, for a channel turned off after its post was prepared', async () => {
      const { core, messenger, scheduler } = setup('2026-12-01T08:00:00Z', undefined, {
        prepareAheadMs: 60_000,
      });
      for (const c of channels.slice(0, 2)) await say(core, 'ana', c, 'daily on 09:00 UTC');
      await scheduler.runUntil('2026-12-01T08:59:30Z');
      await say(core, 'ana', channels[1] as Where, 'daily off');
      await scheduler.runUntil('2026-12-01T18:00:00Z');
      expect(cards(messenger).map((p) => p.where.id)).toEqual(['C1']);
      expect(messenger.posts.filter((p) => p.reply.kind === 'reveal').map((p) => p.where.id)).toEqual(['C1']);
    });

    it('a batch waits out rate limits inline and sends every post once', async () => {
      let refusals = 2;
      const limited = new (class extends RecordingMessenger {
        override async post(where: Where, reply: Reply, options?: { thread?: MessageRef; sendKey?: string }) {
          if (reply.kind === 'question' && refusals-- > 0)
            throw new DeliveryError('rate-limited', 'HTTP 429', 20);
          return super.post(where, reply, options);
        }
      })();
      const { core, messenger, scheduler } = setup('2026-12-01T08:00:00Z', limited, {
        prepareAheadMs: 60_000,
        sendOnce: true,
      });
      for (const c of channels) await say(core, 'ana', c, 'daily on 09:00 UTC');
      await scheduler.runUntil('2026-12-01T09:00:00Z');
      expect(
        cards(messenger)
          .map((p) => p.where.id)
          .sort(),
      ).toEqual(['C1', 'C2', 'C3']);
      expect(scheduler.ran.filter((r) => r.job.name === 'daily-batch')).toHaveLength(1); // no retry of the batch
    });

    it('a batch sends its first post alone, then the others side by side', async () => {
      // The platform's rate window opens when the first post arrives: it goes out unhurried.
      const started: Array<{ id: string; inFlight: number; done: number }> = [];
      let inFlight = 0;
      const slow = new (class extends RecordingMessenger {
        override async post(where: Where, reply: Reply, options?: { thread?: MessageRef; sendKey?: string }) {
          if (reply.kind !== 'question') return super.post(where, reply, options);
          started.push({ id: where.id, inFlight: inFlight++, done: cards(this).length });
          await new Promise((r) => setTimeout(r, 10));
          inFlight--;
          return super.post(where, reply, options);
        }
      })();
      const { core, messenger, scheduler } = setup('2026-12-01T08:00:00Z', slow, { prepareAheadMs: 60_000 });
      const four = ['C1', 'C2', 'C3', 'C4'].map((id) => ({ ...channel, id }));
      for (const c of four) await say(core, 'ana', c, 'daily on 09:00 UTC');
      await scheduler.runUntil('2026-12-01T09:00:00Z');
      expect(cards(messenger)).toHaveLength(4);
      expect(started[0]).toEqual({ id: 'C1', inFlight: 0, done: 0 });
      // The others wait for the first, then go together.
      expect(started.slice(1).map((s) => s.done)).toEqual([1, 1, 1]);
      expect(Math.max(...started.map((s) => s.inFlight))).toBe(2);
    });

    it('a post prepared too close to its due time is sent by its own job', async () => {
      const { core, messenger, scheduler } = setup('2026-12-01T08:59:59.500Z', undefined, {
        prepareAheadMs: 60_000,
      });
      await core.runJob(dailyPostAt('2026-12-01T09:00:00Z'));
      expect(cards(messenger)).toHaveLength(0); // not a daily channel yet
      await say(core, 'ana', channel, 'daily on 09:00 UTC');
      await core.runJob(dailyPostAt('2026-12-01T09:00:00Z'));
      expect(cards(messenger)).toHaveLength(1);
      await scheduler.runUntil('2026-12-01T09:00:01Z');
      expect(cards(messenger)).toHaveLength(1);
    });
  });

  it('reveals in the thread with the right figures at the reveal time', async () => {
    const { core, messenger, scheduler } = setup('2026-12-01T08:00:00Z');
    await say(core, 'ana', channel, 'daily on 09:00 UTC');
    expect(textOf(await say(core, 'ana', channel, 'daily reveal 12:00'))).toMatch(/revealed at 12:00/);
    await scheduler.runUntil('2026-12-01T09:00:01Z');
    const [posted] = cards(messenger);
    const card = posted?.reply as QuestionCard;
    expect(card.answerBy).toBe('12:00');
    const key = [...(core.bank.item(card.questionId)?.key ?? [])];
    const wrong = card.options.map((o) => o.id).filter((id) => !key.includes(id));
    const answer = (who: string, choice: string[]) =>
      core.handle(actor(who), channel, {
        kind: 'answer',
        target: card.target,
        questionId: card.questionId,
        choice,
      });
    await answer('bob', key);
    await answer('cy', wrong.slice(0, key.length));
    await answer('dee', key);
    await scheduler.runUntil('2026-12-01T12:00:01Z');
    const reveal = messenger.posts.find((p) => p.reply.kind === 'reveal');
    expect(reveal?.thread).toEqual(posted?.ref);
    expect(reveal?.reply as Reveal).toMatchObject({ answered: 3, correct: 2, firstCorrect: ['BOB', 'DEE'] });
    expect(messenger.updates.at(-1)?.reply).toMatchObject({ kind: 'question', closed: true });
  });

  it('a card sent only after its reveal time (the platform was down) gets a fresh window and one reveal', async () => {
    const { core, messenger, scheduler, store } = setup('2026-12-01T08:00:00Z');
    await say(core, 'ana', channel, 'daily on 09:00 UTC');
    expect(textOf(await say(core, 'ana', channel, 'daily reveal 12:00'))).toMatch(/revealed at 12:00/);
    // The platform refuses every post from 09:00 to 12:30: the job fails (the engine retries it).
    const post = messenger.post.bind(messenger);
    let down = true;
    messenger.post = async (...args) => {
      if (down) throw new DeliveryError('failed', 'the platform answered 503');
      return post(...args);
    };
    await expect(scheduler.runUntil('2026-12-01T09:00:01Z')).rejects.toThrow('503');
    // The reveal job finds nothing sent, and does nothing.
    await scheduler.runUntil('2026-12-01T12:30:00Z');
    expect(messenger.posts).toHaveLength(0);
    down = false;
    // The engine's retry at 12:30: 12:00 has passed today, so the card is open for the
    // channel's hours after a post (8 by default), as a post prepared late would be.
    await core.runJob(dailyPostAt('2026-12-01T09:00:00Z'));
    const [posted, note] = messenger.posts;
    const card = posted?.reply as QuestionCard;
    expect(card.answerBy).toBe('20:30');
    const saved = await store.getPost(tenant, card.target.id);
    expect(saved?.revealAt).toBe(Date.parse('2026-12-01T20:30:00Z'));
    expect(note?.reply).toMatchObject({
      kind: 'text',
      text: expect.stringMatching(/late.*open until 20:30/),
    });
    // The first reveal job, run again late (as an engine backlog would), does nothing;
    // the new one reveals at the new time, once.
    expect(await core.reveal(tenant, saved!.id, Date.parse('2026-12-01T12:00:00Z'))).toBeUndefined();
    await scheduler.runUntil('2026-12-01T20:29:00Z');
    expect(messenger.posts.filter((p) => p.reply.kind === 'reveal')).toHaveLength(0);
    await scheduler.runUntil('2026-12-01T20:30:01Z');
    const reveals = messenger.posts.filter((p) => p.reply.kind === 'reveal');
    expect(reveals).toHaveLength(1);
    expect(reveals[0]?.thread).toEqual(posted?.ref);
  });

  it('favours the sub-skill where the channel does worst', async () => {
    const { core, store, messenger, scheduler } = setup('2026-12-01T08:00:00Z');
    const bank = core.bank;
    const daily = bank.items.filter((i) => ['single', 'multiple', 'order'].includes(i.type) && !i.parent);
    const weak = daily[daily.length - 1];
    if (!weak) throw new Error('fixture pack has no daily question');
    // Members of the channel's group: everything right except the weak sub-skill.
    await store.createGroup(tenant, { id: 'ch-c1', name: '#devops', kind: 'channel' });
    for (const u of ['m1', 'm2']) {
      await store.joinGroup(tenant, 'ch-c1', u);
      for (const [n, item] of bank.items.entries()) {
        const correct = item.skill !== weak.skill;
        await store.recordAnswer({
          tenant,
          userId: u,
          name: u,
          attempt: `seed:${n}`,
          questionId: item.id,
          domain: item.domain,
          skill: item.skill,
          correct,
          award: 0,
          day: 20_000,
          streakMode: 'daily',
          week: '2024-W40',
          weekExpiresAt: Date.now() + 86_400_000,
          groups: [],
          at: Date.now(),
        });
      }
    }
    await say(core, 'ana', channel, 'daily on 09:00 UTC');
    await scheduler.runUntil('2026-12-01T09:00:01Z');
    const first = cards(messenger)[0]?.reply as QuestionCard;
    expect(bank.item(first.questionId)?.skill).toBe(weak.skill);
  });

  it('turns itself off when the bot was removed from the channel, and tells the organizer', async () => {
    class Removed extends RecordingMessenger {
      override async post(where: Where, reply: Reply, options?: { thread?: MessageRef; sendKey?: string }) {
        if (where.kind === 'channel') throw new DeliveryError('not-in-channel', 'not_in_channel');
        return super.post(where, reply, options);
      }
    }
    const { core, store, messenger, scheduler } = setup('2026-12-01T08:00:00Z', new Removed());
    await say(core, 'ana', channel, 'daily on 09:00 UTC');
    await scheduler.runUntil('2026-12-03T10:00:00Z');
    expect(await store.getDailySchedule(tenant, 'C1')).toMatchObject({
      enabled: false,
      disabledReason: 'not-in-channel',
    });
    expect(scheduler.has(`daily:${tenant}:C1`)).toBe(false);
    expect(scheduler.ran.filter((r) => r.job.name === 'daily-post')).toHaveLength(1);
    expect(messenger.posts).toHaveLength(1);
    expect(messenger.posts[0]?.where.id).toBe('dm-ana');
    expect(textOf([messenger.posts[0]?.reply as Reply])).toMatch(/removed.*daily question is off/);
  });

  it('is for organizers only once the channel has one', async () => {
    const { core } = setup('2026-12-01T08:00:00Z');
    await say(core, 'ana', channel, 'daily on 09:00 UTC');
    expect(textOf(await say(core, 'bob', channel, 'daily off'))).toMatch(/Only this channel's organizers/);
    expect(textOf(await say(core, 'bob', channel, 'daily off', { isAdmin: true }))).toMatch(
      /Daily question off/,
    );
  });
});

describe('reminders', () => {
  it('quiet hours hold a reminder until the end of the window', async () => {
    const { core, messenger, scheduler } = setup('2026-06-01T00:00:00Z');
    const berlin = { tz: 'Europe/Berlin' };
    await say(core, 'ana', dm('ana'), 'remind 06:30', berlin);
    const q = await say(core, 'ana', dm('ana'), 'quiet 22:00-07:00', berlin);
    expect(textOf(q)).toMatch(/06:30 is inside your quiet hours \(22:00–07:00\), so it comes at 07:00/);
    await scheduler.runUntil('2026-06-01T04:59:00Z'); // 06:59 in Berlin
    expect(messenger.posts).toHaveLength(0);
    await scheduler.runUntil('2026-06-01T05:00:01Z');
    expect(messenger.posts.map((p) => p.sendKey)).toEqual([
      `remind:${tenant}:ana:2026-06-01:0`,
      `remind:${tenant}:ana:2026-06-01:1`,
    ]);
    expect(messenger.posts[1]?.reply.kind).toBe('question');
  });

  it('sends a question to answer in place, the streak at stake, and an evening nudge', async () => {
    const { core, messenger, scheduler } = setup('2026-12-01T00:00:00Z');
    await say(core, 'ana', dm('ana'), 'remind 08:00');
    await scheduler.runUntil('2026-12-01T08:00:01Z');
    const card = messenger.posts.find((p) => p.reply.kind === 'question')?.reply as QuestionCard;
    const fb = await core.handle(actor('ana'), dm('ana'), {
      kind: 'answer',
      target: card.target,
      questionId: card.questionId,
      choice: [...(core.bank.item(card.questionId)?.key ?? [])],
    });
    expect(fb.find((r) => r.kind === 'feedback')).toMatchObject({ correct: true, streak: 1 });
    await scheduler.runUntil('2026-12-01T23:00:00Z');
    expect(messenger.posts.filter((p) => p.sendKey?.startsWith('nudge:'))).toHaveLength(0); // answered today
    await scheduler.runUntil('2026-12-02T08:00:01Z');
    expect(textOf([messenger.posts.at(-2)?.reply as Reply])).toMatch(/1-day streak is at stake/);
    await scheduler.runUntil('2026-12-02T19:00:01Z');
    const nudge = messenger.posts.at(-1);
    expect(nudge?.sendKey).toBe(`nudge:${tenant}:ana:2026-12-02`);
    expect(textOf([nudge?.reply as Reply])).toMatch(/1-day streak ends tonight/);
  });

  it.each(['intro', 'question'])(
    'a retry after the platform rate-limited the %s reuses the one session, and grades its question',
    async (limited) => {
      /** The platform: answers the first send of the `limited` reply with a 429. */
      class LimitedOnce extends RecordingMessenger {
        tries = 0;
        override async post(where: Where, reply: Reply, options?: { thread?: MessageRef; sendKey?: string }) {
          const kind = limited === 'intro' ? 'text' : 'question';
          if (reply.kind === kind && this.tries++ === 0)
            throw new DeliveryError('rate-limited', 'HTTP 429', 30_000);
          return super.post(where, reply, options);
        }
      }
      /** The real store, watched: which sessions get saved. */
      class WatchedStore extends MemoryStore {
        readonly saved: string[] = [];
        override async saveSession(session: AnySession, ttlSeconds: number): Promise<void> {
          this.saved.push(session.id);
          return super.saveSession(session, ttlSeconds);
        }
      }
      let store: WatchedStore | undefined;
      const platform = new LimitedOnce();
      const { core, scheduler } = setup('2026-12-01T00:00:00Z', platform, {
        store: (clock) => {
          store = new WatchedStore(clock);
          return store;
        },
        sendOnce: true,
      });
      await say(core, 'ana', dm('ana'), 'remind 08:00');
      await scheduler.runUntil('2026-12-01T08:05:00Z');

      // Two runs of the occurrence, one DM: the intro and one question, each sent once.
      expect(scheduler.ran.filter((r) => r.job.name === 'reminder').map((r) => r.at.toISOString())).toEqual([
        '2026-12-01T08:00:00.000Z',
        '2026-12-01T08:00:00.000Z',
      ]);
      expect(platform.tries).toBe(2);
      expect(platform.posts.map((p) => p.sendKey)).toEqual([
        `remind:${tenant}:ana:2026-12-01:0`,
        `remind:${tenant}:ana:2026-12-01:1`,
      ]);
      const card = platform.posts[1]?.reply as QuestionCard;
      // One session opened, the one the question belongs to, and it is the current one.
      expect(store?.saved).toEqual([card.target.id]);
      expect(await store?.getActiveSession(tenant, 'ana')).toBe(card.target.id);
      expect(await store?.getSession(tenant, card.target.id)).toMatchObject({ items: [card.questionId] });

      // Typed letters answer the question on screen: graded against the question the DM shows.
      const item = core.bank.item(card.questionId);
      const letters = (item?.key ?? []).map((id) => card.options.find((o) => o.id === id)?.letter).join(' ');
      const fb = await say(core, 'ana', dm('ana'), letters);
      expect(fb.find((r) => r.kind === 'feedback')).toMatchObject({
        questionId: card.questionId,
        target: card.target,
        correct: true,
      });
    },
  );

  it('remind off stops both jobs', async () => {
    const { core, scheduler } = setup('2026-12-01T00:00:00Z');
    await say(core, 'ana', dm('ana'), 'remind 08:00 weekdays');
    expect(scheduler.has(`remind:${tenant}:ana`)).toBe(true);
    expect(textOf(await say(core, 'ana', dm('ana'), 'remind off'))).toMatch(/Reminders off/);
    expect(scheduler.has(`remind:${tenant}:ana`)).toBe(false);
    expect(scheduler.has(`nudge:${tenant}:ana`)).toBe(false);
  });
});
