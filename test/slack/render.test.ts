import { join } from 'node:path';
import { LIMITS, render, renderHome } from '../../adapters/slack';
import { escapeText, toMrkdwn } from '../../adapters/slack/mrkdwn';
import { type Bank, grade, type Item, type NavAction, type Reply } from '../../src/core';
import { feedback } from '../../src/core/features/record-answer';
import { optionOrder, optionViews, questionCard, viewsOf } from '../../src/core/views';
import { loadPack } from '../../src/packs/load-pack';

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON is walked generically
type Json = any;

const ALL_NAV: NavAction[] = ['skip', 'back', 'flag', 'review', 'next-section', 'submit'];

/** Every Block Kit limit the adapter must respect, checked over one message's blocks. */
function checkLimits(blocks: Json[], maxBlocks: number = LIMITS.blocksPerMessage): string[] {
  const problems: string[] = [];
  const bad = (what: string) => problems.push(what);
  if (blocks.length > maxBlocks) bad(`${blocks.length} blocks`);
  const actionIds = new Set<string>();
  const blockIds = new Set<string>();
  const checkOption = (o: Json) => {
    if (o.text.text.length > LIMITS.optionText) bad(`option text ${o.text.text.length}`);
    if (o.value.length > LIMITS.optionValue) bad(`option value ${o.value.length}`);
  };
  for (const b of blocks) {
    if (b.block_id !== undefined) {
      if (b.block_id.length > LIMITS.blockId) bad('block_id length');
      if (blockIds.has(b.block_id)) bad(`duplicate block_id ${b.block_id}`);
      blockIds.add(b.block_id);
    }
    if (b.type === 'section') {
      if (!b.text?.text || b.text.text.length > LIMITS.sectionText)
        bad(`section text ${b.text?.text?.length}`);
      if (
        b.accessory?.type === 'overflow' &&
        (b.accessory.options.length < 2 || b.accessory.options.length > LIMITS.overflowOptions)
      )
        bad('overflow options');
      b.accessory?.options?.forEach(checkOption);
    }
    if (b.type === 'header' && b.text.text.length > LIMITS.headerText) bad('header text');
    if (b.type === 'context') {
      if (b.elements.length === 0 || b.elements.length > LIMITS.contextElements) bad('context elements');
      for (const e of b.elements)
        if (!e.text || e.text.length > LIMITS.contextText) bad(`context text ${e.text?.length}`);
    }
    if (b.type === 'actions') {
      if (b.elements.length === 0 || b.elements.length > LIMITS.actionsElements)
        bad(`actions elements ${b.elements.length}`);
      for (const e of b.elements) {
        if (!e.action_id || e.action_id.length > LIMITS.actionId) bad('action_id length');
        if (actionIds.has(e.action_id)) bad(`duplicate action_id ${e.action_id}`);
        actionIds.add(e.action_id);
        if (e.type === 'button') {
          if (!e.text.text || e.text.text.length > LIMITS.buttonText)
            bad(`button text ${e.text.text.length}`);
          if (e.value.length > LIMITS.buttonValue) bad('button value');
        }
        if (e.type === 'checkboxes' && e.options.length > LIMITS.checkboxOptions) bad('checkbox options');
        if (e.type === 'static_select' && e.options.length > LIMITS.selectOptions) bad('select options');
        if (e.placeholder && e.placeholder.text.length > LIMITS.placeholderText) bad('placeholder');
        e.options?.forEach(checkOption);
        e.initial_options?.forEach(checkOption);
      }
    }
  }
  return problems;
}

/** Every `value` in a payload (buttons, options). */
function values(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) values(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'value' && typeof v === 'string') out.push(v);
      else values(v, out);
    }
  }
  return out;
}

/** The option ids a card's controls carry: answer-button choices and checkbox/select option values. */
function optionIdsIn(blocks: Json[]): Set<string> {
  const ids = new Set<string>();
  for (const b of blocks.filter((x: Json) => x.type === 'actions')) {
    for (const e of b.elements) {
      if (/^sc_answer_/.test(e.action_id))
        for (const id of (JSON.parse(e.value) as string[]).slice(3)) ids.add(id);
      for (const o of e.options ?? []) ids.add(o.value);
    }
  }
  return ids;
}

function cardStates(bank: Bank, item: Item): Array<[string, Reply]> {
  const order = optionOrder(item, 'seed');
  const session = questionCard(bank, item, { kind: 'session', id: 'q123' }, order, {
    position: { index: 3, total: 20 },
  });
  const post = (extra: object) =>
    questionCard(bank, item, { kind: 'post', id: 'p123' }, order, { answerBy: '17:30', ...extra });
  const exam = questionCard(bank, item, { kind: 'exam', id: 'x123' }, order, {
    position: { index: 12, total: 50 },
    exam: {
      section: item.parent ? item.parent.kind : 'main',
      minutesLeft: 87,
      chosen: order.slice(0, 1),
      flagged: true,
      answered: 11,
      total: 50,
    },
    actions: ALL_NAV,
  });
  return [
    ['session', session],
    ['post open', post({ tally: 0 })],
    ['post tally', post({ tally: 1234 })],
    ['post closed', post({ tally: 1234, closed: true })],
    ['exam', exam],
  ];
}

function feedbackStates(item: Item): Array<[string, Reply]> {
  const shown = optionViews(item, optionOrder(item, 'seed'));
  const wrong =
    item.type === 'order'
      ? [...item.key].reverse()
      : item.options
          .filter((o) => !item.key.includes(o.id))
          .map((o) => o.id)
          .slice(0, item.key.length);
  const figures = { points: 10, totalPoints: 12_340, streak: 42, hasNext: true };
  return [
    ['right', feedback(item, { kind: 'session', id: 'q1' }, shown, item.key, grade(item, item.key), figures)],
    [
      'wrong',
      feedback(item, { kind: 'session', id: 'q1' }, shown, wrong, grade(item, wrong), {
        ...figures,
        points: 0,
      }),
    ],
    [
      'late',
      feedback(item, { kind: 'post', id: 'p1' }, shown, wrong, grade(item, wrong), {
        ...figures,
        hasNext: false,
        note: 'late',
      }),
    ],
    [
      'repeat',
      feedback(item, { kind: 'post', id: 'p1' }, shown, item.key, grade(item, item.key), {
        ...figures,
        hasNext: false,
        note: 'already-answered',
      }),
    ],
    [
      'reveal',
      {
        kind: 'reveal',
        postId: 'p1',
        stem: item.stem,
        answer: viewsOf(item.key, shown),
        explanation: item.explanation,
        links: item.links,
        answered: 40,
        correct: 13,
        firstCorrect: ['Ann', 'Bob <script>', 'Chloé'],
      },
    ],
  ];
}

/** The same item with another key of the same size: the rendered card must not change. */
function withOtherKey(item: Item): Item {
  const others = item.options.map((o) => o.id).filter((id) => !item.key.includes(id));
  const key =
    item.type === 'order' ? [...item.key].reverse() : [...others, ...item.key].slice(0, item.key.length);
  return { ...item, key };
}

function checkBank(name: string, bank: Bank): void {
  describe(`every item of ${name} (${bank.items.length} items)`, () => {
    it('renders every card state within Block Kit limits, with option ids only and never the key', () => {
      const problems: string[] = [];
      for (const item of bank.items) {
        for (const [state, card] of cardStates(bank, item)) {
          const msg = render(card);
          for (const p of checkLimits(msg.blocks)) problems.push(`${item.id} ${state}: ${p}`);
          for (const v of values(msg.blocks))
            if (/correct/i.test(v)) problems.push(`${item.id} ${state}: value mentions correct: ${v}`);
          const ids = optionIdsIn(msg.blocks);
          const expected =
            state === 'post closed' ? new Set<string>() : new Set(item.options.map((o) => o.id));
          if ([...ids].sort().join() !== [...expected].sort().join())
            problems.push(`${item.id} ${state}: option ids ${[...ids]} ≠ ${[...expected]}`);
          if (state === 'post closed' && msg.blocks.some((b) => b.type === 'actions'))
            problems.push(`${item.id}: closed card has controls`);
          const other = cardStates(bank, withOtherKey(item)).find(([s]) => s === state)?.[1];
          if (other && JSON.stringify(render(other)) !== JSON.stringify(msg))
            problems.push(`${item.id} ${state}: rendering depends on the key`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('renders feedback and reveals of every item within the limits', () => {
      const problems: string[] = [];
      for (const item of bank.items) {
        for (const [state, reply] of feedbackStates(item)) {
          const msg = render(reply);
          for (const p of checkLimits(msg.blocks)) problems.push(`${item.id} ${state}: ${p}`);
          expect(msg.text.length).toBeGreaterThan(0);
        }
      }
      expect(problems).toEqual([]);
    });
  });
}

checkBank('the fixture pack', loadPack(join(__dirname, '..', 'fixtures', 'pack-core')));
checkBank('the live AZ-400 bank', loadPack(join(__dirname, '..', '..', 'questions', 'az400')));

describe('shapes', () => {
  const bank = loadPack(join(__dirname, '..', 'fixtures', 'pack-core'));
  const byType = (t: Item['type']) =>
    bank.items.find((i) => i.type === t && !i.parent) ?? bank.items.find((i) => i.type === t);
  const card = (item: Item) =>
    render(questionCard(bank, item, { kind: 'session', id: 'q1' }, optionOrder(item, 's')));

  it('gives single answers one button per letter, multiple answers checkboxes + submit, ordering one select per step + submit', () => {
    const single = card(byType('single') as Item);
    const multiple = card(byType('multiple') as Item);
    const order = byType('order') as Item;
    const ordering = card(order);
    const els = (m: { blocks: Json[] }) =>
      m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);
    expect(
      els(single)
        .filter((e: Json) => e.type === 'button' && /^sc_answer_/.test(e.action_id))
        .map((e: Json) => e.text.text),
    ).toEqual(['A', 'B', 'C', 'D'].slice(0, (byType('single') as Item).options.length));
    expect(els(multiple).map((e: Json) => e.type)).toEqual(['checkboxes', 'button', 'button']);
    expect(els(ordering).filter((e: Json) => e.type === 'static_select')).toHaveLength(order.key.length);
    expect(els(ordering).some((e: Json) => e.action_id === 'sc_submit')).toBe(true);
  });

  it('collapses a long case scenario to a summary with the full text in small print', () => {
    const item = bank.items.find((i) => i.parent?.kind === 'case') as Item;
    const long = {
      ...item,
      parent: {
        ...(item.parent as NonNullable<Item['parent']>),
        title: 'T'.repeat(400),
        text: 'Contoso runs… '.repeat(2000),
      },
    };
    const msg = render(questionCard(bank, long, { kind: 'session', id: 'q1' }, optionOrder(long, 's')));
    expect(checkLimits(msg.blocks)).toEqual([]);
    expect(msg.blocks[0].type).toBe('section');
    expect(JSON.stringify(msg.blocks[0]).length).toBeLessThan(900);
    expect(msg.blocks[1].type).toBe('context');
  });

  it('renders progress with text bars and the home tab with quiz buttons', () => {
    const progress: Reply = {
      kind: 'progress',
      name: 'Ann',
      streak: 3,
      bestStreak: 9,
      freezes: 1,
      streakMode: 'daily',
      streakAtRisk: true,
      points: 120,
      weekPoints: 30,
      rank: 2,
      answered: 25,
      correct: 13,
      domains: [{ domain: { id: 'd1', name: 'Processes' }, correct: 13, total: 25 }],
      dueReviews: 4,
      readiness: { score: 640, margin: 80, passingScore: 700 },
    };
    expect(JSON.stringify(render(progress).blocks)).toContain('█████░░░░░ 52%');
    const home = renderHome([progress]);
    expect(checkLimits(home.blocks, LIMITS.blocksPerHomeView)).toEqual([]);
    expect(values(home.blocks)).toEqual(expect.arrayContaining(['quiz', 'quiz 10']));
  });
});

describe('CommonMark → mrkdwn', () => {
  it('converts bold, links, lists and single-star italics; keeps _italics_, code and mentions', () => {
    expect(toMrkdwn('**b** and _i_ and *e*')).toBe('*b* and _i_ and _e_');
    expect(toMrkdwn('[Docs](https://learn.microsoft.com/a?b=1&c=2)')).toBe(
      '<https://learn.microsoft.com/a?b=1&c=2|Docs>',
    );
    expect(toMrkdwn('- one\n- two')).toBe('• one\n• two');
    expect(toMrkdwn('use `a **b** <c>` here')).toBe('use `a **b** &lt;c&gt;` here');
    expect(toMrkdwn('<@U123> is now an organizer')).toBe('<@U123> is now an organizer');
    expect(escapeText('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
  });
});
