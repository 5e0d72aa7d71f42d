import {
  type Activity,
  ActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationReference,
  type InvokeResponse,
  TurnContext,
} from 'botbuilder';
import type { Feedback, Intent, Logger, Reply, Store, StudyCore, Where } from '../../src/core';
import { type CardAction, parseCardAction } from './cards/action-data';
import { type AdaptiveCard, CARD_CONTENT_TYPE } from './cards/card';
import { plain } from './cards/markdown';
import { renderCard } from './cards/render-card';
import { renderFeedback } from './cards/render-feedback';
import { renderMemberView, renderSharedCard } from './cards/render-post';
import { actorOf, baseConversationId, commandText, whereOf } from './identity';
import { cardActivities, cardMessage, type TeamsMessenger } from './messenger';
import type { PostViews } from './post-views';
import { type TeamsRefs, toplevelReference } from './refs';
import { defaultRetryPolicy, type RetryPolicy, useOwnRetries, withRetry } from './retry';

/** What the bot's turn logic is built from. */
export interface StudyBotDeps {
  readonly core: StudyCore;
  readonly store: Store;
  readonly refs: TeamsRefs;
  readonly views: PostViews;
  readonly messenger: TeamsMessenger;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
}

/** The outcome of a card action before it is shown: a card for the clicker, a short note, more replies. */
interface ActionOutcome {
  readonly card?: AdaptiveCard;
  readonly note?: string;
  readonly rest: readonly Reply[];
}

/** Turn state: the request's logger (the receiver sets it; see `requestLogger`). */
export const REQUEST_LOGGER = Symbol('request logger');

/** A turn's logger: the request's when the receiver set one, else `fallback`. */
export function turnLogger(ctx: TurnContext, fallback: Logger): Logger {
  return ctx.turnState.get(REQUEST_LOGGER) ?? fallback;
}

const DEDUPE_SECONDS = 3600;
/** What a user hears when their turn failed outside the core (nothing personal in it). */
const SORRY = 'Sorry, something went wrong on my side. Please try again in a moment.';
const WELCOME_ONCE_SECONDS = 400 * 86_400;

/**
 * The Teams turn logic: transport and rendering only. Messages become `command`
 * intents, card actions (`Action.Execute` invokes, or `Action.Submit` messages from
 * older clients) become answer/next/stop/report intents, install and removal events
 * keep the conversation references; the core decides, this renders its replies.
 */
export class StudyBot extends ActivityHandler {
  /** Conversations, members and tenants already saved by this process (saves are idempotent; this only spares writes). */
  private readonly remembered = new Set<string>();
  private readonly retry: RetryPolicy;

  constructor(private readonly deps: StudyBotDeps) {
    super();
    this.retry = deps.retry ?? defaultRetryPolicy;
    this.onMessage(async (ctx, next) => {
      // A message that failed before the core answered (e.g. a mention looked up while the
      // store is down) still gets a reply; the core's own "try again" covers the rest.
      await this.guard(
        ctx,
        'message',
        () => this.message(ctx),
        () => this.sayHere(ctx, { kind: 'text', text: SORRY }),
      );
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      if (ctx.activity.membersAdded?.some((m) => m.id === ctx.activity.recipient.id))
        await this.guard(ctx, 'install', () => this.installed(ctx));
      await next();
    });
    this.onMembersRemoved(async (ctx, next) => {
      if (ctx.activity.membersRemoved?.some((m) => m.id === ctx.activity.recipient.id))
        await this.guard(ctx, 'removal', () => this.removed(ctx));
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await this.guard(ctx, 'install', () => this.installed(ctx));
      await next();
    });
    this.onInstallationUpdateRemove(async (ctx, next) => {
      await this.guard(ctx, 'removal', () => this.removed(ctx));
      await next();
    });
  }

  /** The turn's logger: the request's, so that what the turn logs carries the request. */
  private log(ctx: TurnContext): Logger {
    return turnLogger(ctx, this.deps.logger);
  }

  /** Every turn first keeps what later proactive sends need, then dispatches. */
  override async run(ctx: TurnContext): Promise<void> {
    useOwnRetries(ctx.turnState.get(ctx.adapter.ConnectorClientKey));
    await this.guard(ctx, 'remember', () => this.remember(ctx));
    await super.run(ctx);
  }

  /**
   * Invokes: only `adaptiveCard/action` with an action object is ours. Any other name, or
   * a value without an action (on which botbuilder throws), is answered 400: botbuilder's
   * own answers would be 501, a server error for what is the sender's mistake.
   */
  protected override async onInvokeActivity(ctx: TurnContext): Promise<InvokeResponse> {
    const { name, value } = ctx.activity;
    const action = (value as { action?: unknown } | null | undefined)?.action;
    if (name !== 'adaptiveCard/action' || !action || typeof action !== 'object')
      return { status: 400, body: { error: 'unsupported invoke' } };
    return super.onInvokeActivity(ctx);
  }

  /** `Action.Execute`: the returned card replaces the clicked card for the clicker only. */
  protected override async onAdaptiveCardInvoke(
    ctx: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    try {
      const data = {
        ...(value.action.data as Record<string, unknown> | undefined),
        ...(value.action.verb ? { verb: value.action.verb } : {}),
      };
      const action = parseCardAction(data);
      if (!action) return messageResponse('That button no longer works. Type `help` to see what I can do.');
      const outcome = await this.runAction(ctx, action);
      await this.deliver(ctx, outcome.rest);
      if (outcome.card)
        return {
          statusCode: 200,
          type: CARD_CONTENT_TYPE,
          value: outcome.card as unknown as Record<string, unknown>,
        };
      return messageResponse(outcome.note ?? 'Done.');
    } catch (err) {
      this.log(ctx).error({ err, verb: value.action?.verb }, 'Teams card action failed');
      return messageResponse(SORRY);
    }
  }

  private async message(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    if (a.value && typeof a.value === 'object' && 'verb' in a.value) return this.submitted(ctx, a.value);
    const actor = actorOf(a);
    if (a.id && !(await this.firstDelivery(ctx, actor.tenant, a.id))) return;
    const text = commandText(a, await this.mentionIds(ctx, actor.tenant));
    const replies = await this.deps.core.handle(actor, whereOf(a), { kind: 'command', text }, this.log(ctx));
    await this.deliver(ctx, replies);
  }

  /**
   * Teams retries deliveries it thinks were lost: a command runs once per activity id.
   * Without the store an activity counts as new, so the user still hears back ("try again").
   */
  private async firstDelivery(ctx: TurnContext, tenant: string, activityId: string): Promise<boolean> {
    try {
      return await this.deps.store.claimOnce(
        `teams:activity:${tenant}:${baseConversationId(ctx.activity.conversation.id)}:${activityId}`,
        DEDUPE_SECONDS,
      );
    } catch (err) {
      this.log(ctx).warn(
        { err: (err as Error).message },
        'Teams replay guard unavailable: handling the message',
      );
      return true;
    }
  }

  /** `Action.Submit` fallback: the same action, its result sent as messages instead of a card swap. */
  private async submitted(ctx: TurnContext, value: unknown): Promise<void> {
    const action = parseCardAction(value);
    if (!action)
      return this.deliver(ctx, [
        {
          kind: 'text',
          text: 'That button no longer works. Type `help` to see what I can do.',
          audience: 'private',
        },
      ]);
    const outcome = await this.runAction(ctx, action);
    const where = whereOf(ctx.activity);
    if (outcome.card)
      await this.sendCard(ctx, outcome.card, where.kind === 'dm' ? 'here' : 'private', 'Your result');
    else if (outcome.note)
      await this.deliver(ctx, [{ kind: 'text', text: outcome.note, audience: 'private' }]);
    await this.deliver(ctx, outcome.rest);
  }

  /** Runs a card action through the core and decides what the clicker sees first. */
  private async runAction(ctx: TurnContext, action: CardAction): Promise<ActionOutcome> {
    if (action.kind === 'refresh') return { card: await this.memberCard(ctx, action.postId), rest: [] };
    const replies = await this.deps.core.handle(
      actorOf(ctx.activity),
      whereOf(ctx.activity),
      action.intent,
      this.log(ctx),
    );
    return this.shape(ctx, action.intent, replies);
  }

  private async shape(ctx: TurnContext, intent: Intent, replies: readonly Reply[]): Promise<ActionOutcome> {
    const i = replies.findIndex((r) => r.kind === 'feedback');
    const feedback = replies[i] as Feedback | undefined;
    if (intent.kind === 'answer' && feedback) {
      const rest = replies.filter((_, k) => k !== i);
      if (feedback.target.kind !== 'post') return { card: renderFeedback(feedback), rest };
      // The core kept the member's result and listed them among the post's answerers (by
      // their channel account id, the actor's alias): their card refreshes to that result.
      const saved = feedback.note !== 'already-answered';
      return { card: await this.memberCard(ctx, feedback.target.id, { feedback, saved }), rest };
    }
    const first = replies[0];
    if (replies.length === 1 && first?.kind === 'text') return { note: plain(first.text), rest: [] };
    return { note: intent.kind === 'next' ? 'Here is what comes next.' : 'Done.', rest: replies };
  }

  /**
   * A member's own view of a channel card: their saved result (else `fresh`), or the
   * shared card when they have not answered. A view saved just now is not read back, and
   * an answer on time takes the shared card as this process saw it a moment ago
   * (post-views.ts says why that is the same card).
   */
  private async memberCard(
    ctx: TurnContext,
    postId: string,
    fresh?: { feedback: Feedback; saved: boolean },
  ): Promise<AdaptiveCard> {
    const actor = actorOf(ctx.activity);
    const onTime = fresh?.saved === true && fresh.feedback.note !== 'late';
    // An answer's own view needs the answerers only when the shared card is missing.
    const [view, shared, known] = await Promise.all([
      fresh?.saved ? fresh.feedback : this.ownResult(ctx, postId),
      this.deps.views.sharedCard(actor.tenant, postId, { recent: onTime }),
      fresh ? undefined : this.deps.views.answerers(actor.tenant, postId),
    ]);
    const answerers = async () => known ?? (await this.deps.views.answerers(actor.tenant, postId));
    const mine = view ?? fresh?.feedback;
    if (mine) {
      const tally = shared?.tally ?? (await answerers()).length;
      return renderMemberView(postId, mine, shared, tally, ctx.activity.from.id);
    }
    if (shared) return renderSharedCard(shared, await answerers());
    return renderCard({ kind: 'text', text: 'This question is no longer available.' });
  }

  /** The caller's result on a post; else a view kept by an earlier version, while it lasts. */
  private async ownResult(ctx: TurnContext, postId: string): Promise<Feedback | undefined> {
    const actor = actorOf(ctx.activity);
    const [result, legacy] = await Promise.all([
      this.deps.core.postResult(actor, whereOf(ctx.activity), postId),
      this.deps.views.legacyView(actor.tenant, postId, actor.userId),
    ]);
    return result ?? legacy;
  }

  /**
   * Shows replies: `here` in this conversation; `private` and `direct` in a channel or
   * group chat go to the user's 1:1 chat (Teams has no ephemeral messages), except a
   * `shareable` one (nothing personal: a "try again", a pointer to the 1:1 chat), which is
   * said here. A failed send is logged and the others still go out.
   */
  private async deliver(ctx: TurnContext, replies: readonly Reply[]): Promise<void> {
    const where = whereOf(ctx.activity);
    for (const reply of replies) {
      const audience = where.kind === 'dm' || reply.shareable ? 'here' : (reply.audience ?? 'here');
      try {
        if (audience === 'here') await this.sayHere(ctx, reply);
        else await this.sayPrivately(ctx, reply);
      } catch (err) {
        this.log(ctx).error({ err, kind: reply.kind, audience, where: where.kind }, 'Teams send failed');
      }
    }
  }

  /** A reply to the incoming activity: it needs nothing from the store. */
  private async sayHere(ctx: TurnContext, reply: Reply): Promise<void> {
    for (const activity of cardActivities(reply))
      await withRetry('reply', () => ctx.sendActivity(activity), this.log(ctx), this.retry);
  }

  /**
   * A reply in the caller's 1:1 chat. Reaching it takes the store (the chat's reference,
   * its removal mark) and may take opening the chat; when that fails the reply stays
   * unsaid: personal figures never go in a channel.
   */
  private async sayPrivately(ctx: TurnContext, reply: Reply): Promise<void> {
    await this.deps.messenger.post(await this.directOf(ctx), reply, { logger: this.log(ctx) });
  }

  private async sendCard(
    ctx: TurnContext,
    card: AdaptiveCard,
    audience: 'here' | 'private',
    summary: string,
  ): Promise<void> {
    try {
      if (audience === 'here')
        await withRetry(
          'reply',
          () => ctx.sendActivity(cardMessage(card, summary)),
          this.log(ctx),
          this.retry,
        );
      else await this.deps.messenger.sendCard(await this.directOf(ctx), card, summary);
    } catch (err) {
      this.log(ctx).error({ err, audience }, 'Teams send failed');
    }
  }

  /** The caller's 1:1 chat: this one, the saved one, or a new one opened with their account id. */
  private async directOf(ctx: TurnContext): Promise<Where> {
    const a = ctx.activity;
    const actor = actorOf(a);
    const where = whereOf(a);
    if (where.kind === 'dm') return where;
    const known = await this.deps.refs.personal(actor.tenant, actor.userId);
    const id =
      known?.conversation?.id ??
      (await this.deps.messenger.createPersonal(actor.tenant, actor.userId, {
        accountId: a.from.id,
        serviceUrl: a.serviceUrl,
        bot: a.recipient,
      }));
    return { platform: 'teams', tenant: actor.tenant, id, kind: 'dm' };
  }

  /**
   * Stable ids for people @mentioned in a message (their Entra id, else the one we learnt
   * from their own messages). The bot's own mention, which every channel message carries,
   * is dropped from the text and needs no look-up: a command reaches the core without the store.
   */
  private async mentionIds(
    ctx: TurnContext,
    tenant: string,
  ): Promise<(m: { id?: string; aadObjectId?: string }) => string | undefined> {
    const known = new Map<string, string>();
    for (const e of ctx.activity.entities ?? []) {
      const m = (e as { mentioned?: { id?: string; aadObjectId?: string } }).mentioned;
      if (e.type !== 'mention' || !m?.id || m.aadObjectId || m.id === ctx.activity.recipient.id) continue;
      const userId = await this.deps.refs.userIdOfAccount(tenant, m.id);
      if (userId) known.set(m.id, userId);
    }
    return (m) => m.aadObjectId ?? (m.id ? (known.get(m.id) ?? m.id) : undefined);
  }

  /** Keeps the conversation reference, the sender's account and the tenant's connector endpoint. */
  private async remember(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const actor = actorOf(a);
    const where = whereOf(a);
    const once = async (key: string, save: () => Promise<void>) => {
      if (this.remembered.has(key)) return;
      await save();
      this.remembered.add(key);
    };
    // Built only when something is saved: most turns come from conversations already remembered.
    const ref = () => toplevelReference(TurnContext.getConversationReference(a), where.id);
    await once(`conv|${actor.tenant}|${where.id}`, () =>
      this.deps.refs.saveConversation(actor.tenant, where.id, ref()),
    );
    await once(`bot|${actor.tenant}|${a.serviceUrl}`, () =>
      this.deps.refs.saveTenantBot(actor.tenant, {
        serviceUrl: a.serviceUrl,
        bot: a.recipient,
        channelId: a.channelId,
      }),
    );
    if (a.from.role === 'bot' || a.from.id === a.recipient.id) return;
    await once(`member|${actor.tenant}|${actor.userId}|${a.from.id}`, () =>
      this.deps.refs.saveMember(actor.tenant, actor.userId, {
        accountId: a.from.id,
        ...(a.from.name ? { name: a.from.name } : {}),
      }),
    );
    if (where.kind === 'dm')
      await once(`personal|${actor.tenant}|${actor.userId}|${where.id}`, () =>
        this.deps.refs.savePersonal(actor.tenant, actor.userId, ref()),
      );
  }

  /** Installed in a conversation (or the bot added to it): a short welcome, once, and the reference kept. */
  private async installed(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const actor = actorOf(a);
    const where = whereOf(a);
    const ref = toplevelReference(TurnContext.getConversationReference(a), where.id);
    await this.deps.refs.saveConversation(actor.tenant, where.id, ref as Partial<ConversationReference>);
    if (where.kind === 'dm') await this.deps.refs.savePersonal(actor.tenant, actor.userId, ref);
    await this.deps.refs.markRemoved(actor.tenant, where.id, false);
    this.log(ctx).info(
      { tenant: actor.tenant, conversation: where.id, kind: where.kind },
      'Teams app installed',
    );
    // Teams may send both conversationUpdate and installationUpdate for one install: welcome once.
    if (!(await this.deps.store.claimOnce(`teams:welcome:${actor.tenant}:${where.id}`, WELCOME_ONCE_SECONDS)))
      return;
    const help = await this.deps.core.handle(actor, where, { kind: 'command', text: 'help' }, this.log(ctx));
    const hello: Reply = {
      kind: 'text',
      text:
        where.kind === 'dm'
          ? "👋 Hi! I'm **Study Companion**: I help you prepare for AZ-400. Type `quiz` to start."
          : "👋 Hi! I'm **Study Companion**: I help this team prepare for AZ-400 together. Mention me with `@Study Companion daily now` to post a question here.",
    };
    await this.deliver(ctx, [hello, ...help.map((r) => ({ ...r, audience: 'here' as const }))]);
  }

  /** Uninstalled, or removed from a team or chat: marked so the schedules stop sending there. */
  private async removed(ctx: TurnContext): Promise<void> {
    const actor = actorOf(ctx.activity);
    const where = whereOf(ctx.activity);
    await this.deps.refs.markRemoved(actor.tenant, where.id, true);
    this.log(ctx).info(
      { tenant: actor.tenant, conversation: where.id, kind: where.kind },
      'Teams app removed from a conversation',
    );
  }

  /**
   * Runs one part of a turn; an error is logged with what caused it, never thrown out of
   * the turn, and `excuse` (when given) tells the user.
   */
  private async guard(
    ctx: TurnContext,
    what: string,
    run: () => Promise<void>,
    excuse?: () => Promise<void>,
  ): Promise<void> {
    try {
      await run();
    } catch (err) {
      const a: Partial<Activity> = ctx.activity;
      this.log(ctx).error(
        { err, what, type: a.type, conversation: a.conversation?.conversationType },
        'Teams turn failed',
      );
      if (excuse) await this.guard(ctx, `${what} excuse`, excuse);
    }
  }
}

/** An invoke answer that shows a short message and leaves the card as it is. */
function messageResponse(text: string): AdaptiveCardInvokeResponse {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text as unknown as Record<string, unknown>,
  };
}
