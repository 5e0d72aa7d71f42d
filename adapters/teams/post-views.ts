import type { Feedback, QuestionCard, Store } from '../../src/core';
import { refKeys } from './refs';

/** Teams refreshes a card automatically for at most this many users. */
export const MAX_REFRESH_USERS = 60;

/**
 * What a shared channel card needs beyond the core's post: who answered (their
 * channel account ids go into the card's `refresh.userIds`), each member's own view
 * (their feedback, rebuilt on refresh), and the shared card as last sent. Kept through
 * the store's conversation-reference primitive; the list is updated under a
 * per-process lock (see the report: a store set-add would make it safe across replicas).
 */
export class PostViews {
  private readonly locks = new Map<string, Promise<void>>();

  constructor(private readonly store: Store) {}

  /** Channel account ids of the members who answered, first answer first. */
  async answerers(tenant: string, postId: string): Promise<string[]> {
    return (await this.store.getConversationRef<string[]>(tenant, refKeys.answerers(postId))) ?? [];
  }

  /** Adds a member to the post's answerers (once). */
  addAnswerer(tenant: string, postId: string, accountId: string): Promise<void> {
    const key = `${tenant}|${postId}`;
    const run = (this.locks.get(key) ?? Promise.resolve()).then(async () => {
      const list = await this.answerers(tenant, postId);
      if (!list.includes(accountId))
        await this.store.saveConversationRef(tenant, refKeys.answerers(postId), [...list, accountId]);
    });
    const settled = run.catch(() => undefined);
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return run;
  }

  /** A member's own view of a post: the feedback they got when they answered. */
  view(tenant: string, postId: string, userId: string): Promise<Feedback | undefined> {
    return this.store.getConversationRef<Feedback>(tenant, refKeys.view(postId, userId));
  }

  saveView(tenant: string, postId: string, userId: string, feedback: Feedback): Promise<void> {
    return this.store.saveConversationRef(tenant, refKeys.view(postId, userId), feedback);
  }

  /** The shared card as last posted or edited (question, tally, closed). */
  sharedCard(tenant: string, postId: string): Promise<QuestionCard | undefined> {
    return this.store.getConversationRef<QuestionCard>(tenant, refKeys.sharedCard(postId));
  }

  saveSharedCard(tenant: string, postId: string, q: QuestionCard): Promise<void> {
    return this.store.saveConversationRef(tenant, refKeys.sharedCard(postId), q);
  }
}
