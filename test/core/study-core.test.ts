import type {
  Feedback,
  Leaderboard,
  Progress,
  QuestionCard,
  QuizSummary,
  Reply,
  Reveal,
} from '../../src/core';
import { StudyCore } from '../../src/core';
import { silentLogger } from '../../src/core/ports/logger.port';
import { InProcessScheduler } from '../../src/schedule/in-process-scheduler';
import { MemoryStore } from '../../src/store/memory/memory-store';
import { actor, channel, dm, FakeClock, fixtureBank, tenant } from './fixtures';
import { RecordingMessenger } from './recording-messenger';

function setup(iso = '2026-11-30T09:00:00Z', options: { userBurst?: number } = { userBurst: 1000 }) {
  const clock = FakeClock.at(iso);
  const store = new MemoryStore(clock);
  const messenger = new RecordingMessenger();
  const core = new StudyCore({ bank: fixtureBank(), store, clock, logger: silentLogger, messenger, options });
  return { clock, store, messenger, core };
}

const only = <K extends Reply['kind']>(replies: Reply[], kind: K) =>
  replies.filter((r) => r.kind === kind) as Array<Extract<Reply, { kind: K }>>;
const card = (replies: Reply[]): QuestionCard => {
  const c = only(replies, 'question')[0];
  if (!c) throw new Error(`no question card in ${JSON.stringify(replies)}`);
  return c;
};

/** The right choice for a card, from the bank (as a tester who knows the key). */
function rightChoice(core: StudyCore, c: QuestionCard): string[] {
  return [...(core.bank.item(c.questionId)?.key ?? [])];
}

describe('practice quiz', () => {
  it('runs start → answer → next → summary, with points, streak and the leaderboard', async () => {
    const { core } = setup();
    const ana = actor('ana');
    const start = await core.handle(ana, dm('ana'), { kind: 'command', text: 'quiz 3' });
    let c = card(start);
    expect(c.position).toEqual({ index: 1, total: 3 });
    expect(JSON.stringify(c)).not.toMatch(/"(key|correct|answer|explanation)":/);

    let fb: Feedback | undefined;
    for (let i = 0; i < 3; i++) {
      const replies = await core.handle(ana, dm('ana'), {
        kind: 'answer',
        target: c.target,
        questionId: c.questionId,
        choice: rightChoice(core, c),
      });
      fb = only(replies, 'feedback')[0];
      expect(fb).toMatchObject({
        correct: true,
        points: 10,
        totalPoints: 10 * (i + 1),
        streak: 1,
        hasNext: i < 2,
      });
      if (i < 2) c = card(await core.handle(ana, dm('ana'), { kind: 'next', target: c.target }));
      else {
        const summary = only(replies, 'summary')[0] as QuizSummary;
        expect(summary).toMatchObject({ correct: 3, total: 3, pointsEarned: 30, totalPoints: 30, streak: 1 });
      }
    }
    const [board] = (await core.handle(ana, dm('ana'), {
      kind: 'command',
      text: 'leaderboard',
    })) as Leaderboard[];
    expect(board?.entries).toEqual([{ rank: 1, name: 'ANA', userId: 'ana', score: 30 }]);
    expect(board?.me).toEqual({ rank: 1, score: 30, hidden: false });
    const [prog] = (await core.handle(ana, dm('ana'), { kind: 'command', text: 'progress' })) as Progress[];
    expect(prog).toMatchObject({ streak: 1, points: 30, weekPoints: 30, rank: 1, answered: 3, correct: 3 });
  });

  it('counts the same click twice once', async () => {
    const { core, store } = setup();
    const c = card(await core.handle(actor('bo'), dm('bo'), { kind: 'command', text: 'quiz 1' }));
    const answer = {
      kind: 'answer' as const,
      target: c.target,
      questionId: c.questionId,
      choice: rightChoice(core, c),
    };
    const [first, second] = await Promise.all([
      core.handle(actor('bo'), dm('bo'), answer),
      core.handle(actor('bo'), dm('bo'), answer),
    ]);
    const notes = [...only(first ?? [], 'feedback'), ...only(second ?? [], 'feedback')]
      .map((f) => f.note ?? 'fresh')
      .sort();
    expect(notes).toEqual(['already-answered', 'fresh']);
    expect((await store.getStats(tenant, 'bo')).points).toBe(10);
  });

  it('gives no points for a question answered before, but still counts the attempt', async () => {
    const { core, store } = setup();
    const ana = actor('ana');
    // The fixture pack has 9 items: two quizzes of 9 repeat every question.
    for (let round = 0; round < 2; round++) {
      let c = card(await core.handle(ana, dm('ana'), { kind: 'command', text: 'quiz 9' }));
      for (let i = 0; i < 9; i++) {
        const [fb] = only(
          await core.handle(ana, dm('ana'), {
            kind: 'answer',
            target: c.target,
            questionId: c.questionId,
            choice: rightChoice(core, c),
          }),
          'feedback',
        );
        expect(fb?.points).toBe(round === 0 ? 10 : 0);
        if (round === 1) expect(fb?.note).toBe('repeat');
        if (i < 8) c = card(await core.handle(ana, dm('ana'), { kind: 'next', target: c.target }));
      }
    }
    const stats = await store.getStats(tenant, 'ana');
    expect(stats).toMatchObject({ points: 90, answered: 18, correct: 18 });
  });

  it('shows partial credit for a multiple answer and no points', async () => {
    const { core } = setup();
    const ana = actor('ana');
    let c = card(await core.handle(ana, dm('ana'), { kind: 'command', text: 'quiz 9' }));
    while (c.type !== 'multiple') {
      await core.handle(ana, dm('ana'), {
        kind: 'answer',
        target: c.target,
        questionId: c.questionId,
        choice: rightChoice(core, c),
      });
      c = card(await core.handle(ana, dm('ana'), { kind: 'next', target: c.target }));
    }
    const key = rightChoice(core, c);
    const wrong = c.options.find((o) => !key.includes(o.id))?.id as string;
    const [fb] = only(
      await core.handle(ana, dm('ana'), {
        kind: 'answer',
        target: c.target,
        questionId: c.questionId,
        choice: [key[0] as string, wrong],
      }),
      'feedback',
    );
    expect(fb).toMatchObject({ correct: false, earned: 1, possible: 2, points: 0 });
    expect(fb?.whyWrong.map((w) => w.option.id)).toEqual([wrong]);
    // A wrong-sized choice is corrected and records nothing.
    const again = await core.handle(ana, dm('ana'), { kind: 'command', text: 'progress' });
    expect((again[0] as Progress).answered).toBeGreaterThan(0);
  });

  it('accepts typed letters in a DM as the answer to the question on screen', async () => {
    const { core } = setup();
    const ana = actor('ana');
    const c = card(await core.handle(ana, dm('ana'), { kind: 'command', text: 'quiz 1' }));
    const key = rightChoice(core, c);
    const letters = key.map((k) => c.options.find((o) => o.id === k)?.letter).join(' ');
    const [fb] = only(
      await core.handle(ana, dm('ana'), { kind: 'command', text: letters.toLowerCase() }),
      'feedback',
    );
    expect(fb?.correct).toBe(true);
  });
});

describe('commands in a channel', () => {
  it('moves personal study to the DM with a private pointer, and keeps figures private', async () => {
    const { core } = setup();
    const replies = await core.handle(actor('ana'), channel, { kind: 'command', text: 'quiz 2' });
    expect(replies[0]).toMatchObject({ kind: 'text', audience: 'private' });
    expect(replies.slice(1).every((r) => r.audience === 'direct')).toBe(true);
    const progress = await core.handle(actor('ana'), channel, { kind: 'command', text: 'progress' });
    expect(progress.every((r) => r.audience === 'private')).toBe(true);
    const typo = await core.handle(actor('ana'), channel, { kind: 'command', text: 'qiuz' });
    expect(typo[0]).toMatchObject({ kind: 'text', audience: 'private' });
    expect((typo[0] as { text: string }).text).toContain('quiz');
  });
});

describe('channel question', () => {
  it('is posted, answered privately by members who join the group, tallied, and revealed once', async () => {
    const { core, clock, store, messenger } = setup('2026-11-30T09:00:00Z');
    const scheduler = new InProcessScheduler((job) => core.runJob(job), clock, silentLogger);
    core.attach({ scheduler });
    const organizer = actor('olga');
    const ack = await core.handle(organizer, channel, { kind: 'command', text: 'daily now' });
    expect(ack[0]).toMatchObject({ kind: 'text', audience: 'private' });
    expect(messenger.posts).toHaveLength(1);
    const posted = messenger.posts[0];
    const c = posted?.reply as QuestionCard;
    expect(c).toMatchObject({ kind: 'question', tally: 0, answerBy: '17:00' });
    expect(['single', 'multiple', 'order']).toContain(c.type);
    expect(JSON.stringify(c)).not.toMatch(/"(key|correct|answer|explanation)":/);
    expect(scheduler.pending()).toContain(`reveal:${c.target.id}`);

    const key = rightChoice(core, c);
    const wrong =
      c.type === 'order'
        ? [...key].reverse()
        : c.options
            .filter((o) => !key.includes(o.id))
            .slice(0, key.length)
            .map((o) => o.id);
    const ana = await core.handle(actor('ana'), channel, {
      kind: 'answer',
      target: c.target,
      questionId: c.questionId,
      choice: key,
    });
    const ben = await core.handle(actor('ben'), channel, {
      kind: 'answer',
      target: c.target,
      questionId: c.questionId,
      choice: wrong,
    });
    expect(ana[0]).toMatchObject({ kind: 'feedback', correct: true, points: 10, audience: 'private' });
    expect(ben[0]).toMatchObject({ kind: 'feedback', correct: false, points: 0, audience: 'private' });
    // A second click by the same user changes nothing.
    const again = await core.handle(actor('ana'), channel, {
      kind: 'answer',
      target: c.target,
      questionId: c.questionId,
      choice: key,
    });
    expect(again[0]).toMatchObject({ note: 'already-answered', points: 0 });
    expect((await store.getStats(tenant, 'ana')).points).toBe(10);
    // Answering made both members of the channel's group.
    const group = await store.getGroup(tenant, 'ch-c1');
    expect(group).toMatchObject({ name: '#devops', members: 3 });
    // Nobody's choice went to the shared channel.
    expect(messenger.posts).toHaveLength(1);

    await core.runJob({ name: 'tally', tenant, postId: c.target.id });
    expect(messenger.updates.at(-1)?.reply).toMatchObject({ kind: 'question', tally: 2, closed: false });

    clock.set('2026-11-30T17:00:00Z');
    await core.runJob({ name: 'reveal', tenant, postId: c.target.id });
    await core.runJob({ name: 'reveal', tenant, postId: c.target.id });
    const reveals = messenger.posts.filter((p) => p.reply.kind === 'reveal');
    expect(reveals).toHaveLength(1);
    expect(reveals[0]?.thread).toEqual(posted?.ref);
    expect(reveals[0]?.reply as Reveal).toMatchObject({ answered: 2, correct: 1, firstCorrect: ['ANA'] });
    expect(messenger.updates.at(-1)?.reply).toMatchObject({ kind: 'question', tally: 2, closed: true });

    // A late answer trains the card but scores nothing.
    const late = await core.handle(actor('cy'), channel, {
      kind: 'answer',
      target: c.target,
      questionId: c.questionId,
      choice: key,
    });
    expect(late[0]).toMatchObject({ kind: 'feedback', correct: true, points: 0, note: 'late' });
    expect((await store.getStats(tenant, 'cy')).answered).toBe(1);

    // Each member's own result, later: the feedback they got, rebuilt from what was recorded.
    const own = (userId: string) => core.postResult(actor(userId), channel, c.target.id);
    const { audience: _a, ...anaFeedback } = ana[0] as Feedback & { audience?: string };
    const { audience: _b, ...benFeedback } = ben[0] as Feedback & { audience?: string };
    const { audience: _c, ...cyFeedback } = late[0] as Feedback & { audience?: string };
    expect(await own('ana')).toEqual(anaFeedback);
    expect(await own('ben')).toEqual(benFeedback);
    expect(await own('cy')).toEqual(cyFeedback);
    expect(await own('olga')).toBeUndefined();

    const board = await core.handle(actor('ana'), channel, { kind: 'command', text: 'leaderboard' });
    expect(board[0]).toMatchObject({ kind: 'leaderboard', scope: { kind: 'group', name: '#devops' } });
    expect(board[0]).not.toHaveProperty('me');
    expect(board[1]).toMatchObject({ kind: 'text', audience: 'private' });
    scheduler.close();
  });

  it('lets only organizers post once the channel has one', async () => {
    const { core } = setup();
    await core.handle(actor('olga'), channel, { kind: 'command', text: 'daily now' });
    const refused = await core.handle(actor('ben'), channel, { kind: 'command', text: 'daily now' });
    expect(refused[0]).toMatchObject({ kind: 'text', audience: 'private' });
    expect((refused[0] as { text: string }).text).toMatch(/organizers/);
    const admin = await core.handle(actor('ada', { isAdmin: true }), channel, {
      kind: 'command',
      text: 'daily now',
    });
    expect((admin[0] as { text: string }).text).toMatch(/Posted/);
  });
});

describe('groups, visibility and time zones', () => {
  it('keeps group boards and hides users who ask', async () => {
    const { core } = setup();
    await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'group create Night Owls' });
    await core.handle(actor('ben'), dm('ben'), { kind: 'command', text: 'group join night owls' });
    for (const u of ['ana', 'ben']) {
      const c = card(await core.handle(actor(u), dm(u), { kind: 'command', text: 'quiz 1' }));
      await core.handle(actor(u), dm(u), {
        kind: 'answer',
        target: c.target,
        questionId: c.questionId,
        choice: rightChoice(core, c),
      });
    }
    const [group] = (await core.handle(actor('ana'), dm('ana'), {
      kind: 'command',
      text: 'leaderboard all night owls',
    })) as Leaderboard[];
    expect(group?.entries.map((e) => e.userId).sort()).toEqual(['ana', 'ben']);
    await core.handle(actor('ben'), dm('ben'), { kind: 'command', text: 'leaderboard hide' });
    const [after] = (await core.handle(actor('ben'), dm('ben'), {
      kind: 'command',
      text: 'leaderboard all',
    })) as Leaderboard[];
    expect(after?.entries.map((e) => e.userId)).toEqual(['ana']);
    expect(after?.me).toEqual({ rank: null, score: 10, hidden: true });
    const groups = await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'groups' });
    expect((groups[0] as { text: string }).text).toContain('**night owls**: 2 members _(you)_');
  });

  it('uses the user time zone for the streak day', async () => {
    const { core, clock } = setup('2026-11-30T22:30:00Z');
    const ana = actor('ana', { tz: 'UTC' });
    await core.handle(ana, dm('ana'), { kind: 'command', text: 'timezone Asia/Tokyo' });
    const answerOne = async () => {
      const c = card(await core.handle(ana, dm('ana'), { kind: 'command', text: 'quiz 1' }));
      return only(
        await core.handle(ana, dm('ana'), {
          kind: 'answer',
          target: c.target,
          questionId: c.questionId,
          choice: rightChoice(core, c),
        }),
        'feedback',
      )[0];
    };
    expect((await answerOne())?.streak).toBe(1); // 07:30 on Dec 1 in Tokyo
    clock.set('2026-12-01T10:00:00Z'); // 19:00 on Dec 1 in Tokyo: same local day
    expect((await answerOne())?.streak).toBe(1);
    clock.set('2026-12-01T16:00:00Z'); // 01:00 on Dec 2 in Tokyo: next local day
    expect((await answerOne())?.streak).toBe(2);
  });
});

describe('failures', () => {
  it('answers a friendly "try again" when the store fails, and writes nothing half', async () => {
    const { core, store } = setup();
    const broken = Object.create(store) as MemoryStore;
    broken.recordAnswer = async () => {
      throw new Error('connection lost');
    };
    const flaky = new StudyCore({ bank: core.bank, store: broken, clock: core.clock, logger: silentLogger });
    const c = card(await flaky.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'quiz 1' }));
    const replies = await flaky.handle(actor('ana'), dm('ana'), {
      kind: 'answer',
      target: c.target,
      questionId: c.questionId,
      choice: rightChoice(core, c),
    });
    expect(replies[0]).toMatchObject({ kind: 'text' });
    expect((replies[0] as { text: string }).text).toMatch(/try again/);
    const session = await store.getSession(tenant, c.target.id);
    expect(session?.answers).toEqual({});
    expect((await store.getStats(tenant, 'ana')).answered).toBe(0);
  });
});

describe('per-user rate limit', () => {
  it('answers a friendly "slow down" past the burst, and recovers with time', async () => {
    const { core, clock } = setup('2026-11-30T09:00:00Z', {});
    const replies: string[] = [];
    for (let i = 0; i < 22; i++) {
      const [r] = await core.handle(actor('spam'), dm('spam'), { kind: 'command', text: 'help' });
      replies.push(r && 'text' in r ? r.text : '');
    }
    expect(replies.slice(0, 20).every((t) => t.includes('Study Companion'))).toBe(true);
    expect(replies[20]).toMatch(/Give me 2 seconds/);
    const [other] = await core.handle(actor('calm'), dm('calm'), { kind: 'command', text: 'help' });
    expect(other && 'text' in other ? other.text : '').toContain('Study Companion');
    clock.advance(2000);
    const [later] = await core.handle(actor('spam'), dm('spam'), { kind: 'command', text: 'help' });
    expect(later && 'text' in later ? later.text : '').toContain('Study Companion');
  });
});

describe('scheduled jobs', () => {
  it('fails a job it does not know (a newer version queued it), so the engine retries it elsewhere', async () => {
    const { core } = setup();
    await expect(core.runJob({ name: 'from-the-future', tenant: 't' } as never)).rejects.toThrow(
      'unknown job: from-the-future',
    );
  });
});
