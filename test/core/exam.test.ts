import { join } from 'node:path';
import type { StudyCore as Core, ExamResult, QuestionCard, Reply } from '../../src/core';
import { StudyCore } from '../../src/core';
import { drawExam } from '../../src/core/learning/exam-draw';
import { scoreExam } from '../../src/core/learning/exam-score';
import { silentLogger } from '../../src/core/ports/logger.port';
import { loadPack } from '../../src/packs/load-pack';
import { MemoryStore } from '../../src/store/memory/memory-store';
import { actor, dm, FakeClock, fixtureBank, tenant } from './fixtures';
import { RecordingMessenger } from './recording-messenger';

const ana = actor('ana');
const here = dm('ana');
const cardOf = (replies: Reply[]) =>
  replies.find((r): r is QuestionCard & { audience?: never } => r.kind === 'question') as QuestionCard;
const keyOf = (core: Core, c: QuestionCard) => [...(core.bank.item(c.questionId)?.key ?? [])];

function setup() {
  const clock = FakeClock.at('2026-11-30T09:00:00Z');
  const store = new MemoryStore(clock);
  const messenger = new RecordingMessenger();
  const core = new StudyCore({ bank: fixtureBank(), store, clock, logger: silentLogger, messenger });
  return { clock, store, core, messenger };
}

describe('mock exam draw and score', () => {
  it('draws the pack format within the domain weight bands', () => {
    const bank = loadPack(join(__dirname, '..', '..', 'questions', 'az400'));
    for (const seed of ['a', 'b', 'c']) {
      const sections = drawExam(bank, 50, seed);
      const ids = sections.flatMap((s) => s.items);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(50);
      for (const d of bank.manifest.domains) {
        const n = ids.filter((id) => bank.item(id)?.domain === d.id).length;
        // Within the band, give or take one question for rounding and the case study.
        expect(n).toBeGreaterThanOrEqual(Math.floor((d.weight.min / 100) * 50) - 1);
        expect(n).toBeLessThanOrEqual(Math.ceil((d.weight.max / 100) * 50) + 1);
      }
      expect(sections.map((s) => s.kind)).toEqual(['main', 'series', 'case']);
    }
  });

  it('scores per part with no penalty for guessing', () => {
    const bank = fixtureBank();
    const s = scoreExam(bank, ['fx-single-1', 'fx-multi-1', 'fx-order-1', 'fx-series-1-1'], {
      'fx-single-1': ['a'],
      'fx-multi-1': ['a', 'b'],
      'fx-order-1': ['b', 'c', 'a'],
    });
    expect(s).toMatchObject({
      earned: 1 + 1 + 1 + 0,
      possible: 1 + 2 + 3 + 1,
      score: Math.round(3000 / 7),
      passed: false,
    });
  });
});

describe('mock exam session', () => {
  it('answers without feedback, keeps the series one way, locks left sections, and scores at submit', async () => {
    const { core, store } = setup();
    const start = await core.handle(ana, here, { kind: 'command', text: 'exam 20' });
    expect(start[0]).toMatchObject({ kind: 'text' });
    let c = cardOf(start);
    expect(c.exam).toMatchObject({ section: 'main', answered: 0, total: 9, flagged: false });
    expect(c.actions).toEqual(['skip', 'flag', 'review', 'next-section', 'submit']);

    // Main section: answer everything right, but flag and revisit the first one.
    const first = c;
    await core.handle(ana, here, { kind: 'navigate', target: c.target, action: 'flag' });
    while (c.exam?.section === 'main') {
      const replies = await core.handle(ana, here, {
        kind: 'answer',
        target: c.target,
        questionId: c.questionId,
        choice: keyOf(core, c),
      });
      expect(replies.some((r) => r.kind === 'feedback')).toBe(false);
      const next = cardOf(replies);
      if (next.questionId === c.questionId) break; // end of section: the prompt repeats the last card
      c = next;
    }
    const review = cardOf(
      await core.handle(ana, here, { kind: 'navigate', target: c.target, action: 'review' }),
    );
    expect(review.questionId).toBe(first.questionId);
    expect(review.exam?.flagged).toBe(true);
    expect(review.exam?.chosen).toEqual(keyOf(core, first));

    // Into the series: one way.
    c = cardOf(await core.handle(ana, here, { kind: 'navigate', target: c.target, action: 'next-section' }));
    expect(c.exam?.section).toBe('series');
    expect(c.actions).not.toContain('back');
    await core.handle(ana, here, {
      kind: 'answer',
      target: c.target,
      questionId: c.questionId,
      choice: ['no'],
    });
    const back = await core.handle(ana, here, { kind: 'navigate', target: c.target, action: 'back' });
    expect((back[0] as { text: string }).text).toMatch(/cannot be revisited/);
    // The main section is locked now.
    const late = await core.handle(ana, here, {
      kind: 'answer',
      target: c.target,
      questionId: first.questionId,
      choice: keyOf(core, first),
    });
    expect((late[0] as { text: string }).text).toMatch(/section you have left/);

    const [result] = (await core.handle(ana, here, {
      kind: 'navigate',
      target: c.target,
      action: 'submit',
    })) as ExamResult[];
    expect(result).toMatchObject({ kind: 'exam-result', timedOut: false, total: 9 });
    // Main (4 items, 7 parts) right; 1 of 3 series statements answered (wrong: the first keyed "yes").
    expect(result?.earned).toBe(7);
    expect(result?.misses.length).toBe(5);
    expect(result?.points).toBe(40);
    expect((await store.getStats(tenant, 'ana')).points).toBe(40);
    const again = await core.handle(ana, here, { kind: 'navigate', target: c.target, action: 'submit' });
    expect((again[0] as { text: string }).text).toMatch(/already submitted/);
    expect((await store.getStats(tenant, 'ana')).points).toBe(40);
  });

  it('resumes the open exam and submits it automatically at the deadline', async () => {
    const { core, clock, messenger } = setup();
    const c = cardOf(await core.handle(ana, here, { kind: 'command', text: 'exam 20' }));
    await core.handle(ana, here, {
      kind: 'answer',
      target: c.target,
      questionId: c.questionId,
      choice: keyOf(core, c),
    });
    clock.advance(5 * 60_000);
    const resumed = await core.handle(ana, here, { kind: 'command', text: 'exam' });
    expect((resumed[0] as { text: string }).text).toMatch(
      /Resuming your mock exam: 1 of 9 answered, 13 minutes left/,
    );
    clock.advance(60 * 60_000);
    await core.runJob({
      name: 'exam-deadline',
      tenant,
      userId: 'ana',
      examId: c.target.id,
      platform: 'local',
    });
    const posted = messenger.posts.map((p) => p.reply);
    expect(posted[0]).toMatchObject({ kind: 'exam-result', timedOut: true, answered: 1 });
    const after = await core.handle(ana, here, {
      kind: 'answer',
      target: c.target,
      questionId: c.questionId,
      choice: keyOf(core, c),
    });
    expect((after[0] as { text: string }).text).toMatch(/already submitted/);
  });
});
