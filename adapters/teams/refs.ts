import type { ChannelAccount, ConversationReference } from 'botbuilder';
import type { Store } from '../../src/core';

/**
 * What the Teams adapter keeps through the store's conversation-reference primitive,
 * all under the tenant. Keys are built here only, so their layout is in one place.
 */
export const refKeys = {
  /** The reference used to post proactively in a conversation (channel, group chat, 1:1). */
  conversation: (conversationId: string) => `teams:conv:${conversationId}`,
  /** A user's personal (1:1) chat with the bot, by stable user id. */
  personal: (userId: string) => `teams:user:${userId}`,
  /** How to reach a user when no 1:1 chat exists yet: their channel account id (29:…). */
  member: (userId: string) => `teams:member:${userId}`,
  /** Channel account id (29:…) → stable user id, for @mentions that carry no Entra id. */
  aad: (accountId: string) => `teams:aad:${accountId}`,
  /** Set when the bot was removed from a conversation or the app uninstalled. */
  removed: (conversationId: string) => `teams:removed:${conversationId}`,
  /** The tenant's Bot Connector endpoint and the bot's account, for 1:1 chats started from nowhere. */
  tenantBot: () => 'teams:bot',
  /** A channel post: the members who answered (channel account ids, for the card's `refresh.userIds`). */
  answerers: (postId: string) => `teams:post:${postId}:answerers`,
  /** A channel post: one member's own view (their feedback). */
  view: (postId: string, userId: string) => `teams:post:${postId}:view:${userId}`,
  /** A channel post: the shared card as last sent. */
  sharedCard: (postId: string) => `teams:post:${postId}:card`,
} as const;

/** How to reach one user: their channel account and where the connector is. */
export interface MemberContact {
  readonly accountId: string;
  readonly name?: string;
}

/** The bot's own account and the connector endpoint of a tenant. */
export interface TenantBot {
  readonly serviceUrl: string;
  readonly bot: ChannelAccount;
  readonly channelId: string;
}

/**
 * A reference that posts at the top level of a conversation: without `activityId`
 * (which would turn every proactive send into a reply) and with the channel's own id.
 */
export function toplevelReference(
  ref: Partial<ConversationReference>,
  conversationId: string,
): Partial<ConversationReference> {
  const { activityId: _drop, ...rest } = ref;
  return {
    ...rest,
    conversation: { ...(ref.conversation as ConversationReference['conversation']), id: conversationId },
  };
}

/** Typed reads and writes of the keys above. */
export class TeamsRefs {
  constructor(private readonly store: Store) {}

  saveConversation(
    tenant: string,
    conversationId: string,
    ref: Partial<ConversationReference>,
  ): Promise<void> {
    return this.store.saveConversationRef(tenant, refKeys.conversation(conversationId), ref);
  }

  conversation(tenant: string, conversationId: string): Promise<Partial<ConversationReference> | undefined> {
    return this.store.getConversationRef<Partial<ConversationReference>>(
      tenant,
      refKeys.conversation(conversationId),
    );
  }

  async savePersonal(tenant: string, userId: string, ref: Partial<ConversationReference>): Promise<void> {
    await this.store.saveConversationRef(tenant, refKeys.personal(userId), ref);
    await this.saveConversation(tenant, ref.conversation?.id as string, ref);
  }

  personal(tenant: string, userId: string): Promise<Partial<ConversationReference> | undefined> {
    return this.store.getConversationRef<Partial<ConversationReference>>(tenant, refKeys.personal(userId));
  }

  async isRemoved(tenant: string, conversationId: string): Promise<boolean> {
    return (await this.store.getConversationRef<boolean>(tenant, refKeys.removed(conversationId))) === true;
  }

  markRemoved(tenant: string, conversationId: string, removed: boolean): Promise<void> {
    return this.store.saveConversationRef(tenant, refKeys.removed(conversationId), removed);
  }

  member(tenant: string, userId: string): Promise<MemberContact | undefined> {
    return this.store.getConversationRef<MemberContact>(tenant, refKeys.member(userId));
  }

  async saveMember(tenant: string, userId: string, contact: MemberContact): Promise<void> {
    await this.store.saveConversationRef(tenant, refKeys.member(userId), contact);
    await this.store.saveConversationRef(tenant, refKeys.aad(contact.accountId), userId);
  }

  userIdOfAccount(tenant: string, accountId: string): Promise<string | undefined> {
    return this.store.getConversationRef<string>(tenant, refKeys.aad(accountId));
  }

  tenantBot(tenant: string): Promise<TenantBot | undefined> {
    return this.store.getConversationRef<TenantBot>(tenant, refKeys.tenantBot());
  }

  saveTenantBot(tenant: string, bot: TenantBot): Promise<void> {
    return this.store.saveConversationRef(tenant, refKeys.tenantBot(), bot);
  }
}
