import type {
  Activity,
  ChannelAccount,
  CloudAdapter,
  ConversationParameters,
  ConversationReference,
  ResourceResponse,
  TurnContext,
} from 'botbuilder';
import {
  type Actor,
  DeliveryError,
  type Logger,
  type MessageRef,
  type Messenger,
  type PostOptions,
  type Reply,
  type ReplyBody,
  type Where,
} from '../../src/core';
import { type AdaptiveCard, CARD_CONTENT_TYPE } from './cards/card';
import { renderCards, summaryLine } from './cards/render-card';
import { renderSharedCard } from './cards/render-post';
import type { PostViews } from './post-views';
import { type TeamsRefs, toplevelReference } from './refs';
import {
  defaultRetryPolicy,
  type RetryPolicy,
  retryAfterMs,
  statusOf,
  useOwnRetries,
  withRetry,
} from './retry';

/** What the Teams messenger is built from. */
export interface TeamsMessengerDeps {
  readonly adapter: CloudAdapter;
  /** The bot's app id; empty when running anonymously. */
  readonly appId: string;
  readonly refs: TeamsRefs;
  readonly views: PostViews;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
}

/** The audience of tokens for the Bot Connector (botframework-connector's `ToChannelFromBotOAuthScope`). */
const CONNECTOR_AUDIENCE = 'https://api.botframework.com';

/** The Bot Connector calls the messenger makes (a slice of botframework-connector's ConnectorClient). */
interface Connector {
  readonly conversations: {
    sendToConversation(conversationId: string, activity: Activity): Promise<ResourceResponse>;
    replyToActivity(
      conversationId: string,
      activityId: string,
      activity: Activity,
    ): Promise<ResourceResponse>;
    updateActivity(conversationId: string, activityId: string, activity: Activity): Promise<ResourceResponse>;
  };
}

/** A message activity carrying one Adaptive Card. */
export function cardMessage(card: AdaptiveCard, summary: string): Partial<Activity> {
  return { type: 'message', summary, attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }] };
}

/** The message activities of a reply: one card each (a long exam review takes several). */
export function cardActivities(reply: ReplyBody): Partial<Activity>[] {
  return renderCards(reply).map((c) => cardMessage(c, summaryLine(reply)));
}

/** The Teams tenant id inside our "teams:<id>" tenant key. */
export const teamsTenantId = (tenant: string) => tenant.replace(/^teams:/, '');

/**
 * The Teams {@link Messenger}: proactive sends through `continueConversationAsync`
 * with conversation references kept in the store; 1:1 chats opened with
 * `createConversationAsync`. 429 and 5xx are retried with backoff; a removed
 * conversation (403/404) becomes a {@link DeliveryError}.
 */
export class TeamsMessenger implements Messenger {
  private readonly retry: RetryPolicy;

  constructor(private readonly deps: TeamsMessengerDeps) {
    this.retry = deps.retry ?? defaultRetryPolicy;
  }

  async post(where: Where, reply: Reply, options?: PostOptions): Promise<MessageRef> {
    let first: string | undefined;
    for (const activity of await this.activitiesFor(where.tenant, reply)) {
      const id = await this.send(where, activity, options?.thread?.id, options?.logger);
      first ??= id;
    }
    if (reply.kind === 'question' && reply.target.kind === 'post')
      await this.deps.views.saveSharedCard(where.tenant, reply.target.id, reply);
    return { where, id: first ?? '' };
  }

  /** Sends one prepared card to a conversation (a member's own result sent to their 1:1 chat). */
  async sendCard(where: Where, card: AdaptiveCard, summary: string): Promise<MessageRef> {
    return { where, id: await this.send(where, cardMessage(card, summary)) };
  }

  /** One message: a new post, or a reply in `thread`. Returns the new activity id. */
  private async send(
    where: Where,
    activity: Partial<Activity>,
    thread?: string,
    logger?: Logger,
  ): Promise<string> {
    const res = await this.withConnector(
      where,
      'post',
      (client, convId) =>
        thread
          ? client.conversations.replyToActivity(convId, thread, activity as Activity)
          : client.conversations.sendToConversation(convId, activity as Activity),
      logger,
    );
    return res.id ?? '';
  }

  async update(ref: MessageRef, reply: Reply): Promise<void> {
    const [activity] = await this.activitiesFor(ref.where.tenant, reply);
    // Save first: members refreshing while the edit is in flight already see the new state.
    if (reply.kind === 'question' && reply.target.kind === 'post')
      await this.deps.views.saveSharedCard(ref.where.tenant, reply.target.id, reply);
    await this.withConnector(ref.where, 'update', (client, convId) =>
      client.conversations.updateActivity(convId, ref.id, { ...activity, id: ref.id } as Activity),
    );
  }

  async postPrivate(where: Where, userId: string, reply: Reply): Promise<void> {
    // Teams has no ephemeral messages: "only you" means the user's 1:1 chat with the bot.
    const dm = await this.openDirect({ platform: 'teams', tenant: where.tenant, userId });
    await this.post(dm, reply);
  }

  async openDirect(actor: Pick<Actor, 'platform' | 'tenant' | 'userId'>): Promise<Where> {
    const known = await this.deps.refs.personal(actor.tenant, actor.userId);
    const id = known?.conversation?.id ?? (await this.createPersonal(actor.tenant, actor.userId));
    return { platform: 'teams', tenant: actor.tenant, id, kind: 'dm' };
  }

  /**
   * Opens a 1:1 chat with a user the bot has seen (their channel account id is kept
   * from their last activity), saves its reference and returns its id.
   */
  async createPersonal(
    tenant: string,
    userId: string,
    hint?: { accountId: string; serviceUrl: string; bot: ChannelAccount },
  ): Promise<string> {
    const member = hint ? { accountId: hint.accountId } : await this.deps.refs.member(tenant, userId);
    const bot = hint
      ? { serviceUrl: hint.serviceUrl, bot: hint.bot, channelId: 'msteams' }
      : await this.deps.refs.tenantBot(tenant);
    if (!member || !bot)
      throw new DeliveryError(
        'failed',
        `cannot open a Teams 1:1 chat with ${userId}: the bot has not seen this user yet`,
      );
    const tenantId = teamsTenantId(tenant);
    const params: ConversationParameters = {
      isGroup: false,
      bot: bot.bot,
      members: [{ id: member.accountId, name: '' }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as ConversationParameters;
    let conversationId: string | undefined;
    let failure: unknown;
    await this.deps.adapter
      .createConversationAsync(
        this.deps.appId,
        bot.channelId,
        bot.serviceUrl,
        CONNECTOR_AUDIENCE,
        params,
        async (ctx) => {
          conversationId = ctx.activity.conversation?.id;
        },
      )
      .catch((err: unknown) => {
        failure = err;
      });
    if (failure || !conversationId) throw this.deliveryError(failure, 'dm', 'openDirect');
    const ref: Partial<ConversationReference> = {
      channelId: bot.channelId,
      serviceUrl: bot.serviceUrl,
      bot: bot.bot,
      user: { id: member.accountId, name: '' },
      conversation: { id: conversationId, conversationType: 'personal', isGroup: false, tenantId, name: '' },
    };
    await this.deps.refs.savePersonal(tenant, userId, ref);
    return conversationId;
  }

  /** The activities for a reply; a shared channel card carries its members' refresh list. */
  private async activitiesFor(tenant: string, reply: Reply): Promise<Partial<Activity>[]> {
    if (reply.kind === 'question' && reply.target.kind === 'post') {
      const answerers = await this.deps.views.answerers(tenant, reply.target.id);
      return [cardMessage(renderSharedCard(reply, answerers), summaryLine(reply))];
    }
    return cardActivities(reply);
  }

  /**
   * Runs one connector call in a proactive turn of `where`'s conversation. Errors
   * inside the turn are carried out of it (the adapter's turn-error handler would
   * otherwise swallow them) and mapped to {@link DeliveryError}s.
   */
  private async withConnector<T>(
    where: Where,
    what: string,
    call: (client: Connector, conversationId: string) => Promise<T>,
    /** Where retries are logged: the request's logger when a request made the call. */
    logger: Logger = this.deps.logger,
  ): Promise<T> {
    if (await this.deps.refs.isRemoved(where.tenant, where.id))
      throw new DeliveryError('uninstalled', `the bot was removed from ${where.id}`);
    const stored = await this.deps.refs.conversation(where.tenant, where.id);
    if (!stored)
      throw new DeliveryError(
        'not-in-channel',
        `no conversation reference for ${where.id}: the bot was never installed there`,
      );
    const ref = toplevelReference(stored, where.id);
    let result: { value: T } | undefined;
    let failure: unknown;
    try {
      await this.deps.adapter.continueConversationAsync(this.deps.appId, ref, async (ctx: TurnContext) => {
        const client = ctx.turnState.get<Connector>(ctx.adapter.ConnectorClientKey);
        useOwnRetries(client);
        try {
          result = {
            value: await withRetry(`${what} ${where.kind}`, () => call(client, where.id), logger, this.retry),
          };
        } catch (err) {
          failure = err;
        }
      });
    } catch (err) {
      failure ??= err;
    }
    if (result) return result.value;
    throw this.deliveryError(failure, where.kind, what);
  }

  private deliveryError(err: unknown, kind: Where['kind'], what: string): DeliveryError {
    if (err instanceof DeliveryError) return err;
    const status = statusOf(err);
    const message = `Teams ${what} failed${status ? ` with HTTP ${status}` : ''}: ${(err as Error | undefined)?.message ?? 'no result'}`;
    if (status === 403 || status === 404)
      return new DeliveryError(kind === 'dm' ? 'uninstalled' : 'not-in-channel', message);
    if (status === 429) return new DeliveryError('rate-limited', message, retryAfterMs(err));
    return new DeliveryError('failed', message);
  }
}
