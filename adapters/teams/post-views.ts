import type { Feedback, QuestionCard, Store } from '../../src/core';
import { refKeys } from './refs';

/** Teams refreshes a card automatically for at most this many users. */
export const MAX_REFRESH_USERS = 60;

/** How long this process reuses what it read of a post (see {@link PostViews}). */
export const RECENT_MS = 2000;

/** Posts whose reads are kept at once (a post is busy for a few hours; a replica sees few at a time). */
const MAX_CACHED_POSTS = 500;

/** A read kept for {@link RECENT_MS}, per tenant and post. */
class Recent<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  get(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until > Date.now()) return e.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    if (this.entries.size >= MAX_CACHED_POSTS)
      this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, until: Date.now() + RECENT_MS });
  }
}

/**
 * What a shared channel card needs beyond the core's post: who answered (their
 * channel account ids go into the card's `refresh.userIds`; each one's own result comes
 * from the core) and the shared card as last sent. The list of answerers is the store's
 * atomic ordered list, so replicas never drop a member.
 *
 * Every answer click renders the shared card's state and the first answerers; at a few
 * hundred clicks a second on one post, reading both for each click was two of its eleven
 * store round trips. So this process keeps, for {@link RECENT_MS}:
 * - the answerers once the first {@link MAX_REFRESH_USERS} + 1 are known: the list only
 *   grows at its end, so that prefix no longer changes (but for a member who asks to be
 *   forgotten, which the short life of the copy covers);
 * - the shared card, for callers that accept a copy that old (`recent`): an answer on
 *   time, whose card can only differ by a tally that is coalesced over seconds anyway.
 *   The card is closed only at the reveal, after which every answer is late and reads it.
 *   A card saved by this process replaces its copy at once.
 */
export class PostViews {
  private readonly firstAnswerers = new Recent<readonly string[]>();
  private readonly cards = new Recent<QuestionCard>();

  constructor(private readonly store: Store) {}

  /**
   * Channel account ids of the members who answered, first answer first: the first
   * {@link MAX_REFRESH_USERS} and one more (which tells that there are more). The core
   * lists them as it records each answer (the actor's first alias); a post answered before
   * 2026-11-29 also has the list this adapter kept then, whose members come first.
   */
  async answerers(tenant: string, postId: string): Promise<readonly string[]> {
    const key = `${tenant}|${postId}`;
    const known = this.firstAnswerers.get(key);
    if (known) return known;
    const limit = MAX_REFRESH_USERS + 1;
    const [legacy, recorded] = await Promise.all([
      this.store.listGet(tenant, refKeys.answerers(postId), limit),
      this.store.postAnswerers(tenant, postId, limit),
    ]);
    const list = [...new Set([...legacy, ...recorded])].slice(0, limit);
    if (list.length <= MAX_REFRESH_USERS) return list;
    const full = Object.freeze(list);
    this.firstAnswerers.set(key, full);
    return full;
  }

  /**
   * A member's own view of a post as versions before 2026-11-29 kept it (their whole
   * feedback, saved with a 35-day TTL); the core now keeps each member's result with
   * their answer. Read only; remove once views saved before the upgrade have expired.
   */
  legacyView(tenant: string, postId: string, userId: string): Promise<Feedback | undefined> {
    return this.store.getConversationRef<Feedback>(tenant, refKeys.view(postId, userId));
  }

  /**
   * The shared card as last posted or edited (question, tally, closed). With `recent`, a
   * copy this process read or saved within {@link RECENT_MS} will do (see the class).
   */
  async sharedCard(
    tenant: string,
    postId: string,
    options: { recent?: boolean } = {},
  ): Promise<QuestionCard | undefined> {
    const key = `${tenant}|${postId}`;
    if (options.recent) {
      const known = this.cards.get(key);
      if (known) return known;
    }
    const card = await this.store.getConversationRef<QuestionCard>(tenant, refKeys.sharedCard(postId));
    if (card) this.cards.set(key, card);
    return card;
  }

  async saveSharedCard(tenant: string, postId: string, q: QuestionCard): Promise<void> {
    await this.store.saveConversationRef(tenant, refKeys.sharedCard(postId), q);
    this.cards.set(`${tenant}|${postId}`, q);
  }
}
