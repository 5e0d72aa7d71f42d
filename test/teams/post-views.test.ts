import { MAX_REFRESH_USERS, PostViews, RECENT_MS } from '../../adapters/teams/post-views';
import { refKeys } from '../../adapters/teams/refs';
import type { QuestionCard } from '../../src/core';
import { MemoryStore } from '../../src/store/memory/memory-store';

const T = 'teams:t1';
const card = (tally: number, closed = false): QuestionCard => ({
  kind: 'question',
  target: { kind: 'post', id: 'p1' },
  questionId: 'q1',
  type: 'single',
  domain: { id: 'd1', name: 'Domain' },
  skill: { id: 's1', name: 'Skill' },
  stem: 'Which one?',
  options: [],
  answerBy: '17:00',
  tally,
  closed,
});

/** A member's answer to post p1, as the core records it (listing their channel account id). */
function answer(store: MemoryStore, accountId: string) {
  const group = { id: 'ch-c1', name: '#c1', kind: 'channel' as const, members: 0 };
  return store.recordAnswer({
    tenant: T,
    userId: `aad-${accountId}`,
    name: accountId,
    attempt: `post:p1:q1`,
    questionId: 'q1',
    domain: 'd1',
    skill: 'd1.s1',
    correct: true,
    award: 10,
    day: 20_000,
    streakMode: 'daily',
    week: '2026-W48',
    weekExpiresAt: Date.now() + 86_400_000,
    groups: [],
    post: { id: 'p1', group, choice: ['a'], late: false, address: accountId },
    at: Date.now(),
  });
}

describe('Teams post views, as two replicas over one store see them', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the answerers until the first ones are known, then keeps them for a moment', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const store = new MemoryStore();
    const b = new PostViews(store);
    await answer(store, '29:first');
    expect(await b.answerers(T, 'p1')).toEqual(['29:first']);
    await answer(store, '29:second');
    // Not full yet: every read goes to the store.
    expect(await b.answerers(T, 'p1')).toEqual(['29:first', '29:second']);
    for (let i = 2; i <= MAX_REFRESH_USERS + 1; i++) await answer(store, `29:m${i}`);
    const full = await b.answerers(T, 'p1');
    expect(full).toHaveLength(MAX_REFRESH_USERS + 1);
    expect(full.slice(0, 3)).toEqual(['29:first', '29:second', '29:m2']);
    const read = jest.spyOn(store, 'postAnswerers');
    expect(await b.answerers(T, 'p1')).toEqual(full);
    expect(read).not.toHaveBeenCalled();
    jest.advanceTimersByTime(RECENT_MS + 1);
    expect(await b.answerers(T, 'p1')).toEqual(full);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('lists the answerers an earlier version kept first, then those the core recorded, each once', async () => {
    const store = new MemoryStore();
    await store.listAdd(T, refKeys.answerers('p1'), '29:old');
    await store.listAdd(T, refKeys.answerers('p1'), '29:both');
    await answer(store, '29:both');
    await answer(store, '29:new');
    expect(await new PostViews(store).answerers(T, 'p1')).toEqual(['29:old', '29:both', '29:new']);
  });

  it('gives a recent shared card only to callers that accept one, and a saved one at once', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const store = new MemoryStore();
    const [a, b] = [new PostViews(store), new PostViews(store)];
    await a.saveSharedCard(T, 'p1', card(0));
    expect((await b.sharedCard(T, 'p1', { recent: true }))?.tally).toBe(0);
    // Another replica edits the card: a caller that takes a recent copy may see the old
    // tally for a moment; one that does not (a late answer, a refresh) sees the close.
    await a.saveSharedCard(T, 'p1', card(5, true));
    expect((await b.sharedCard(T, 'p1', { recent: true }))?.tally).toBe(0);
    expect(await b.sharedCard(T, 'p1')).toMatchObject({ tally: 5, closed: true });
    expect(await b.sharedCard(T, 'p1', { recent: true })).toMatchObject({ tally: 5, closed: true });
    // What this replica saves, it sees at once.
    await b.saveSharedCard(T, 'p1', card(7, true));
    expect((await b.sharedCard(T, 'p1', { recent: true }))?.tally).toBe(7);
    await a.saveSharedCard(T, 'p1', card(9, true));
    jest.advanceTimersByTime(RECENT_MS + 1);
    expect((await b.sharedCard(T, 'p1', { recent: true }))?.tally).toBe(9);
  });
});
