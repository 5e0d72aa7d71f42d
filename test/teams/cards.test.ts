import { join } from 'node:path';
import { renderCard, renderCards, renderMemberView, renderSharedCard } from '../../adapters/teams';
import type { AdaptiveCard } from '../../adapters/teams/cards/card';
import type { Bank, Item, Reply, ReplyBody, Reveal } from '../../src/core';
import { help } from '../../src/core/features/help';
import { feedback } from '../../src/core/features/record-answer';
import { grade } from '../../src/core/grading';
import { optionOrder, optionViews, questionCard, viewsOf } from '../../src/core/views';
import { loadPack } from '../../src/packs/load-pack';
import { elements } from './teams-harness';

// The UMD bundle is the build that loads in Node without a DOM (see PITFALLS.md).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

/** Parse events of a card under Adaptive Cards 1.5 (unknown types, bad values…). */
function parseProblems(card: AdaptiveCard): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  new AC.AdaptiveCard().parse(card, context);
  return Array.from({ length: context.eventCount as number }, (_, i) =>
    String(context.getEventAt(i).message),
  );
}

/** Teams refuses messages above about 28 KB. */
const MAX_CARD_BYTES = 28 * 1024;

const bank: Bank = loadPack(join(__dirname, '..', '..', 'questions', 'az400'));

function wrongChoice(item: Item): string[] {
  const wrong = item.options.map((o) => o.id).filter((id) => !item.key.includes(id));
  if (item.type === 'order') return [...item.key].reverse();
  if (item.type === 'multiple') return [...wrong, ...item.key].slice(0, item.key.length);
  return [wrong[0] ?? (item.options[0] as { id: string }).id];
}

/** Every card the bot can send for one item, by state. */
function cardsFor(item: Item): Array<[string, AdaptiveCard, 'secret' | 'open']> {
  const order = optionOrder(item, 'seed');
  const shown = optionViews(item, order);
  const session = { kind: 'session' as const, id: 'q1' };
  const post = { kind: 'post' as const, id: 'p1' };
  const q = questionCard(bank, item, session, order, { position: { index: 3, total: 10 } });
  const examQ = {
    ...questionCard(bank, item, { kind: 'exam', id: 'e1' }, order, { position: { index: 7, total: 50 } }),
    exam: {
      section:
        item.parent?.kind === 'case'
          ? ('case' as const)
          : item.parent
            ? ('series' as const)
            : ('main' as const),
      minutesLeft: 42,
      chosen: [],
      flagged: true,
      answered: 6,
      total: 50,
    },
    actions: ['skip', 'back', 'flag', 'review', 'submit'] as const,
  };
  const shared = questionCard(bank, item, post, order, { answerBy: '16:00', tally: 14 });
  const closed = { ...shared, closed: true };
  const figures = { points: 10, totalPoints: 120, streak: 4, hasNext: true };
  const right = feedback(item, session, shown, item.key, grade(item, item.key), figures);
  const wrong = feedback(item, session, shown, wrongChoice(item), grade(item, wrongChoice(item)), {
    ...figures,
    points: 0,
    note: 'repeat',
  });
  const late = feedback(item, post, shown, wrongChoice(item), grade(item, wrongChoice(item)), {
    ...figures,
    points: 0,
    hasNext: false,
    note: 'late',
  });
  const reveal: Reveal = {
    kind: 'reveal',
    postId: 'p1',
    stem: item.stem,
    answer: viewsOf(item.key, shown),
    explanation: item.explanation,
    links: item.links,
    answered: 14,
    correct: 9,
    firstCorrect: ['Dana', 'Lee'],
  };
  const answerers = Array.from({ length: 75 }, (_, i) => `29:user-${i}`);
  return [
    ['question', renderCard(q), 'secret'],
    ['exam question', renderCard(examQ), 'secret'],
    ['shared card', renderSharedCard(shared, answerers.slice(0, 3)), 'secret'],
    ['shared card beyond 60', renderSharedCard(shared, answerers), 'secret'],
    ['closed card', renderSharedCard(closed, answerers.slice(0, 3)), 'secret'],
    ['feedback right', renderCard(right), 'open'],
    ['feedback wrong', renderCard(wrong), 'open'],
    ['member view', renderMemberView('p1', late, closed, 3, answerers[0]!), 'open'],
    ['reveal', renderCard(reveal), 'open'],
  ];
}

describe('Teams Adaptive Cards parse clean as 1.5 and leak no key', () => {
  it('covers every item of the live bank in every card state', () => {
    expect(bank.items.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const item of bank.items) {
      for (const [state, card, kind] of cardsFor(item)) {
        const json = JSON.stringify(card);
        for (const p of parseProblems(card)) problems.push(`${item.id} ${state}: ${p}`);
        if (json.length > MAX_CARD_BYTES) problems.push(`${item.id} ${state}: ${json.length} bytes`);
        if (kind !== 'secret') continue;
        // No key before the answer: no explanation, no "why", no flag, only ids in action data.
        if (json.includes(item.explanation.trim().slice(0, 60)))
          problems.push(`${item.id} ${state}: explanation leaked`);
        for (const o of item.options)
          if (o.why && json.includes(o.why.trim().slice(0, 60)))
            problems.push(`${item.id} ${state}: why of ${o.id} leaked`);
        if (/"(correct|key|isCorrect)"/.test(json)) problems.push(`${item.id} ${state}: key field`);
        for (const a of elements(card).filter((e) => e.data)) {
          const extra = Object.keys(a.data).filter((k) => !['verb', 't', 'id', 'q', 'nav'].includes(k));
          if (extra.length) problems.push(`${item.id} ${state}: data carries ${extra.join(',')}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('covers summary, exam result, leaderboard, progress, help text, confirm and report-ack', () => {
    const d = bank.manifest.domains.map((x) => ({
      domain: { id: x.id, name: x.name },
      correct: 3,
      total: 5,
    }));
    const items = bank.items.slice(0, 30);
    const replies: ReplyBody[] = [
      {
        kind: 'summary',
        correct: 4,
        total: 5,
        domains: d,
        pointsEarned: 40,
        totalPoints: 130,
        streak: 5,
        drill: [{ id: '1.1', name: 'Design' }],
      },
      {
        kind: 'exam-result',
        score: 640,
        passingScore: 700,
        passed: false,
        earned: 32,
        possible: 50,
        answered: 48,
        total: 50,
        minutes: 100,
        timedOut: true,
        points: 200,
        domains: d,
        misses: items.map((i) => {
          const shown = optionViews(i, optionOrder(i, 's'));
          return {
            questionId: i.id,
            type: i.type,
            stem: i.stem,
            chosen: viewsOf(wrongChoice(i), shown),
            answer: viewsOf(i.key, shown),
            earned: 0,
            possible: 1,
            explanation: i.explanation,
            links: i.links,
          };
        }),
      },
      {
        kind: 'leaderboard',
        period: 'week',
        scope: { kind: 'group', name: '#devops' },
        week: '2026-W48',
        entries: Array.from({ length: 10 }, (_, i) => ({
          rank: i + 1,
          name: `Person ${i} <script>`,
          userId: `u${i}`,
          score: 100 - i,
        })),
        me: { rank: 12, score: 40, hidden: false },
      },
      { kind: 'leaderboard', period: 'all', scope: { kind: 'workspace' }, entries: [] },
      {
        kind: 'progress',
        name: 'Dana',
        streak: 4,
        bestStreak: 9,
        freezes: 1,
        streakMode: 'weekdays',
        streakAtRisk: true,
        points: 340,
        weekPoints: 60,
        rank: 3,
        answered: 40,
        correct: 28,
        domains: d,
        dueReviews: 7,
        readiness: { score: 690, margin: 80, passingScore: 700 },
        examDate: '2026-12-01',
        daysToExam: 20,
      },
      ...(help(true) as ReplyBody[]),
      {
        kind: 'text',
        text: 'A **bold** _italic_ `code` [link](https://learn.microsoft.com)\n\n- one\n- two',
      },
      { kind: 'confirm', action: 'forget-me', text: 'Delete **everything**?' },
      { kind: 'report-ack', questionId: 'x', reason: 'unclear' },
      {
        kind: 'file',
        name: 'study-companion-export.json',
        mime: 'application/json',
        content: JSON.stringify({ due_reviews: 3, big: 'x'.repeat(45_000) }),
      },
    ];
    const problems: string[] = [];
    for (const r of replies as Reply[]) {
      for (const card of renderCards(r)) {
        for (const p of parseProblems(card)) problems.push(`${r.kind}: ${p}`);
        if (JSON.stringify(card).length > MAX_CARD_BYTES) problems.push(`${r.kind}: too big`);
      }
    }
    expect(problems).toEqual([]);
    expect(renderCards(replies[1]!).length).toBeGreaterThan(1);
    expect(renderCards(replies[replies.length - 1]!)).toHaveLength(3);
  });

  it('the parser does report a broken card (the check is real)', () => {
    const broken = {
      ...renderCard({ kind: 'text', text: 'x' }),
      body: [{ type: 'TextBlok', text: 'x' }],
    } as AdaptiveCard;
    expect(parseProblems(broken).length).toBeGreaterThan(0);
  });
});
