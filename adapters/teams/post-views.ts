import type { Feedback, QuestionCard, Store } from '../../src/core';
import { refKeys } from './refs';

/** Teams refreshes a card automatically for at most this many users. */
export const MAX_REFRESH_USERS = 60;

/**
 * What a shared channel card needs beyond the core's post: who answered (their
 * channel account ids go into the card's `refresh.userIds`), each member's own view
 * (their feedback, rebuilt on refresh), and the shared card as last sent. The list of
 * answerers is the store's atomic ordered list, so replicas never drop a member.
 */
export class PostViews {
  constructor(private readonly store: Store) {}

  /**
   * Channel account ids of the members who answered, first answer first: the first
   * {@link MAX_REFRESH_USERS} and one more (which tells that there are more).
   */
  answerers(tenant: string, postId: string): Promise<string[]> {
    return this.store.listGet(tenant, refKeys.answerers(postId), MAX_REFRESH_USERS + 1);
  }

  /** Adds a member to the post's answerers (once). */
  async addAnswerer(tenant: string, postId: string, accountId: string): Promise<void> {
    await this.store.listAdd(tenant, refKeys.answerers(postId), accountId);
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
