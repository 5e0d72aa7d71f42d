import type { Progress, QuestionCard, Reply } from '../../src/core';
import { StudyCore } from '../../src/core';
import { packCard, ratingFor, retentionFor, reviewCard, unpackCard } from '../../src/core/learning/cards';
import { studyPlan } from '../../src/core/learning/plan';
import { readiness } from '../../src/core/learning/readiness';
import { silentLogger } from '../../src/core/ports/logger.port';
import { parseDay } from '../../src/core/time';
import { MemoryStore } from '../../src/store/memory/memory-store';
import { actor, channel, dm, FakeClock, fixtureBank, tenant } from './fixtures';

const DAY = 86_400_000;

function setup() {
  const clock = FakeClock.at('2026-11-30T09:00:00Z');
  const store = new MemoryStore(clock);
  const core = new StudyCore({ bank: fixtureBank(), store, clock, logger: silentLogger });
  return { clock, store, core };
}
const cardOf = (r: Reply[]) => r.find((x) => x.kind === 'question') as QuestionCard;
const text = (r: Reply[]) => r.map((x) => ('text' in x ? x.text : '')).join('\n');

/** Answers every question of the session that `replies` opened; `right` decides per item. */
async function answerAll(core: StudyCore, who: string, replies: Reply[], right: (id: string) => boolean) {
  let c: QuestionCard | undefined = cardOf(replies);
  while (c) {
    const item = core.bank.item(c.questionId);
    const key = [...(item?.key ?? [])];
    const wrong =
      item?.type === 'order'
        ? [...key].reverse()
        : (item?.options
            .filter((o) => !key.includes(o.id))
            .slice(0, key.length)
            .map((o) => o.id) ?? []);
    const out = await core.handle(actor(who), dm(who), {
      kind: 'answer',
      target: c.target,
      questionId: c.questionId,
      choice: right(c.questionId) ? key : wrong,
    });
    c = out.some((r) => r.kind === 'summary')
      ? undefined
      : cardOf(await core.handle(actor(who), dm(who), { kind: 'next', target: c.target }));
  }
}

describe('spaced repetition (FSRS)', () => {
  it('brings a wrong card back sooner than a right one, and a fast right one later still', () => {
    const now = new Date('2026-11-30T09:00:00Z');
    const again = reviewCard(undefined, now, ratingFor(false));
    const good = reviewCard(undefined, now, ratingFor(true, 60_000));
    const easy = reviewCard(undefined, now, ratingFor(true, 5_000));
    expect(again.due.getTime()).toBeLessThan(good.due.getTime());
    expect(good.due.getTime()).toBeLessThan(easy.due.getTime());
    expect(unpackCard(packCard(good))?.due).toEqual(good.due);
    expect(packCard(good).length).toBeLessThan(48);
  });

  it('aims for higher retention as the exam nears', () => {
    expect(retentionFor(undefined)).toBe(0.9);
    expect(retentionFor(120)).toBe(0.85);
    expect(retentionFor(30)).toBeCloseTo(0.89);
    expect(retentionFor(0)).toBe(0.93);
  });

  it('serves due cards in `review`, wrong ones first', async () => {
    const { core, clock } = setup();
    const wrongOnes = new Set<string>();
    await answerAll(
      core,
      'ana',
      await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'quiz 6' }),
      (id) => {
        const right = wrongOnes.size >= 2;
        if (!right) wrongOnes.add(id);
        return right;
      },
    );
    expect(text(await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'review' }))).toMatch(
      /Nothing is due/,
    );
    clock.advance(1.5 * DAY);
    const review = await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'review' });
    expect(text(review)).toMatch(/Review: 2 cards due/);
    expect(wrongOnes.has(cardOf(review).questionId)).toBe(true);
    const [prog] = (await core.handle(actor('ana'), dm('ana'), {
      kind: 'command',
      text: 'progress',
    })) as Progress[];
    expect(prog?.dueReviews).toBe(2);
  });
});

describe('drill, readiness and plan', () => {
  it('drills the weakest sub-skills', async () => {
    const { core } = setup();
    await answerAll(
      core,
      'ana',
      await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'quiz 9' }),
      (id) => core.bank.item(id)?.skill !== '4.2',
    );
    const drill = await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'drill' });
    expect(text(drill)).toMatch(/weakest sub-skills: 4\.2/);
    expect(core.bank.item(cardOf(drill).questionId)?.skill).toBe('4.2');
  });

  it('moves readiness with answers and narrows its margin', () => {
    const bank = fixtureBank();
    const none = readiness(bank, {});
    expect(none.score).toBe(500);
    const good = readiness(
      bank,
      Object.fromEntries(bank.manifest.domains.map((d) => [d.id, { correct: 18, total: 20 }])),
    );
    expect(good.score).toBeGreaterThan(800);
    expect(good.margin).toBeLessThan(none.margin);
  });

  it('plans a 4-week sprint when the exam is near and 10 weeks when far', () => {
    const bank = fixtureBank();
    const today = parseDay('2026-11-30') as number;
    const near = studyPlan(bank, today, today + 30, readiness(bank, {}));
    expect(near.weeks).toHaveLength(4);
    expect(near.weeks.at(-1)).toMatchObject({ to: '2026-12-29', mockExam: true });
    const far = studyPlan(
      bank,
      today,
      today + 120,
      readiness(bank, { pipelines: { correct: 1, total: 10 } }),
    );
    expect(far.weeks).toHaveLength(10);
    expect(far.weeks[0]?.from).toBe('2027-01-19');
    expect(far.weeks[0]?.focus[0]).toBe('pipelines');
  });

  it('answers `plan` and `certified` with dates', async () => {
    const { core, store } = setup();
    const plan = text(
      await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'plan 2027-01-15' }),
    );
    expect(plan).toMatch(/Exam on \*\*2027-01-15\*\*: 46 days to go/);
    expect(plan).toMatch(/Week 4/);
    expect((await store.getProfile(tenant, 'ana')).examDate).toBe('2027-01-15');
    const cert = text(
      await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'certified 2026-11-20' }),
    );
    expect(cert).toMatch(/2027-11-20/);
    expect(cert).toMatch(/2027-05-20/);
  });
});

describe('reports, team view, privacy', () => {
  it('files reports and lists them for organizers, worst first', async () => {
    const { core } = setup();
    await core.handle(actor('ana'), dm('ana'), {
      kind: 'report',
      questionId: 'fx-single-1',
      reason: 'wrong-key',
      note: 'B looks right too',
    });
    await core.handle(actor('ben'), dm('ben'), {
      kind: 'report',
      questionId: 'fx-single-1',
      reason: 'unclear',
    });
    await core.handle(actor('ben'), dm('ben'), {
      kind: 'report',
      questionId: 'fx-order-1',
      reason: 'outdated',
    });
    const out = text(
      await core.handle(actor('olga', { isAdmin: true }), channel, { kind: 'command', text: 'reports' }),
    );
    expect(out.indexOf('fx-single-1')).toBeLessThan(out.indexOf('fx-order-1'));
    expect(out).toMatch(/1× wrong answer key, 1× unclear/);
    expect(out).toMatch(/B looks right too/);
  });

  it('shows the team view as aggregates only, and nothing under 3 members', async () => {
    const { core, store } = setup();
    await store.createGroup(tenant, { id: 'ch-c1', name: '#devops', kind: 'channel' });
    for (const u of ['ana', 'ben']) await store.joinGroup(tenant, 'ch-c1', u);
    const few = text(
      await core.handle(actor('olga', { isAdmin: true }), channel, { kind: 'command', text: 'team' }),
    );
    expect(few).toMatch(/at least 3 members/);
    await store.joinGroup(tenant, 'ch-c1', 'cy');
    for (const u of ['ana', 'ben', 'cy'])
      await answerAll(
        core,
        u,
        await core.handle(actor(u), dm(u), { kind: 'command', text: 'quiz 2' }),
        () => true,
      );
    const team = text(
      await core.handle(actor('olga', { isAdmin: true }), channel, { kind: 'command', text: 'team' }),
    );
    expect(team).toMatch(/3 members/);
    expect(team).not.toMatch(/ANA|BEN|CY/);
  });

  it('exports a user’s data and forgets them after confirmation', async () => {
    const { core, store } = setup();
    await answerAll(
      core,
      'ana',
      await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'quiz 2' }),
      () => true,
    );
    const exported = await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'export' });
    const file = exported.find((r) => r.kind === 'file');
    expect(file && 'content' in file ? JSON.parse(file.content) : {}).toMatchObject({
      userId: 'ana',
      stats: { points: 20 },
    });
    const ask = await core.handle(actor('ana'), dm('ana'), { kind: 'command', text: 'forget me' });
    expect(ask[0]).toMatchObject({ kind: 'confirm', action: 'forget-me' });
    await core.handle(actor('ana'), dm('ana'), { kind: 'confirm', action: 'forget-me', yes: false });
    expect((await store.getStats(tenant, 'ana')).points).toBe(20);
    await core.handle(actor('ana'), dm('ana'), { kind: 'confirm', action: 'forget-me', yes: true });
    expect((await store.getStats(tenant, 'ana')).points).toBe(0);
    expect((await store.leaderboard(tenant, { period: 'all' }, 'ana', 10)).rows).toEqual([]);
  });
});
