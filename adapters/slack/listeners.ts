import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  RespondFn,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  webApi,
} from '@slack/bolt';
import type { Actor, Intent, Logger, Reply, Store, StudyCore, Where } from '../../src/core';
import { ACTION, BLOCK, decodeAnswer, decodeNavigate, decodeReport, decodeTarget } from './action-values';
import { context, type KnownBlock } from './blocks';
import { repeated } from './dedupe';
import { deliver, type Outlet, respondOutlet, singleOutlet } from './deliver';
import { Identities, tenantOf, whereOf } from './identity';
import { type SlackMessenger, UNINSTALLED_REF } from './messenger';
import { render } from './render';
import { renderHome } from './render-home';
import { retryingRespond } from './respond-retry';

/** What the listeners need: the core, and the adapter's Slack-side helpers. */
export interface ListenerDeps {
  readonly core: StudyCore;
  readonly store: Store;
  readonly logger: Logger;
  readonly client: webApi.WebClient;
  readonly messenger: SlackMessenger;
}

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type EventArgs<E extends string> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;

/** What the receiver adds to Bolt's context: the request's logger (see `requestLogger`). */
export interface RequestContext {
  readonly requestLogger: Logger;
  /**
   * A click's replay guard, claimed after the ack (see the receiver): true the first time
   * this delivery is seen. Absent for other requests, which the receiver claimed already.
   */
  readonly firstDelivery?: () => Promise<boolean>;
}

/** Anything in an incoming text that is not a command: the bot's own mention, surrounding space. */
function commandText(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId ? text.split(`<@${botUserId}>`).join(' ') : text.replace(/^\s*<@[^>]+>/, ' ');
  return withoutBot.replace(/\s+/g, ' ').trim();
}

/**
 * Registers every Bolt listener. Each one acks first, turns the Slack payload into an
 * actor, a conversation and a neutral {@link Intent}, calls the core, and shows the
 * replies: no study logic lives here.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { core, logger, messenger } = deps;
  const identities = new Identities(deps.client, deps.store, logger);
  /** The request's logger from Bolt's context: what a listener logs, and the core's lines, carry the request. */
  const logOf = (context: unknown): Logger => (context as Partial<RequestContext>).requestLogger ?? logger;
  /** A click's replay guard (see RequestContext); a request without one was claimed before it came here. */
  const guardOf = (context: unknown) =>
    (context as Partial<RequestContext>).firstDelivery ?? (async () => true);

  /** The user's DM, opened once per request when a reply is meant for it. */
  const directTo = (actor: Actor) => {
    let dm: Promise<Where> | undefined;
    return async (reply: Reply) => {
      dm ??= messenger.openDirect(actor);
      await messenger.post(await dm, reply);
    };
  };

  /** Adds file uploads (to the user's DM) to an outlet. */
  const withFiles = (outlet: Outlet, actor: Actor): Outlet => ({
    ...outlet,
    file: async (file) => messenger.upload(await messenger.openDirect(actor), file),
  });

  /** Listener errors are logged with the listener's name, never thrown back into Bolt. */
  const safe = async (what: string, log: Logger, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      log.error({ err, listener: what }, 'slack listener failed');
    }
  };

  /** Events by type, dispatched by one Bolt listener (see `onAction` below for why). */
  const events = new Map<string, (args: EventArgs<string>) => Promise<void>>();
  const onEvent = <E extends string>(type: E, fn: (args: EventArgs<E>) => Promise<void>) =>
    events.set(type, fn as unknown as (args: EventArgs<string>) => Promise<void>);

  // Slash command: `/study <command>` anywhere.
  app.command('/study', async ({ command, ack, respond, context }) => {
    const log = logOf(context);
    await safe('command', log, async () => {
      await ack();
      const reply = retryingRespond(respond, log);
      const actor = await identities.actor(command.team_id, command.user_id, command.user_name);
      const where = whereOf(actor.tenant, command.channel_id, { channelName: command.channel_name });
      const replies = await core.handle(actor, where, { kind: 'command', text: command.text ?? '' }, log);
      await deliver(replies, withFiles(respondOutlet(reply, directTo(actor)), actor), log);
    });
  });

  // Direct messages: plain text commands (and answer letters) in the app's Messages tab.
  onEvent('message', async ({ event, body, context }) => {
    const log = logOf(context);
    await safe('message', log, async () => {
      const m = event as {
        channel_type?: string;
        subtype?: string;
        bot_id?: string;
        user?: string;
        text?: string;
        channel: string;
      };
      if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user || !m.text?.trim()) return;
      const actor = await identities.actor(String(body.team_id), m.user);
      const where = whereOf(actor.tenant, m.channel, { channelType: 'im' });
      const replies = await core.handle(actor, where, { kind: 'command', text: m.text }, log);
      await deliver(
        replies,
        withFiles(
          singleOutlet((r) => messenger.post(where, r).then(() => undefined)),
          actor,
        ),
        log,
      );
    });
  });

  // `@Study Companion <command>` in a channel.
  onEvent('app_mention', async ({ event, body, context: ctx }) => {
    const log = logOf(ctx);
    await safe('app_mention', log, async () => {
      const e = event as {
        user?: string;
        text: string;
        channel: string;
        channel_type?: string;
        thread_ts?: string;
        bot_id?: string;
      };
      if (!e.user || e.bot_id) return;
      const botUserId =
        ctx.botUserId ??
        (body as { authorizations?: Array<{ user_id?: string }> }).authorizations?.[0]?.user_id;
      const actor = await identities.actor(String(body.team_id), e.user);
      const where = whereOf(actor.tenant, e.channel, e.channel_type ? { channelType: e.channel_type } : {});
      const replies = await core.handle(
        actor,
        where,
        { kind: 'command', text: commandText(e.text, botUserId) },
        log,
      );
      const thread = e.thread_ts ? { thread: { where, id: e.thread_ts } } : undefined;
      const outlet: Outlet = {
        file: async (file) => messenger.upload(await messenger.openDirect(actor), file),
        here: (r) => messenger.post(where, r, thread).then(() => undefined),
        private: (r) => messenger.postPrivate(where, actor.userId, r),
        direct: directTo(actor),
      };
      await deliver(replies, outlet, log);
    });
  });

  // App Home: progress, streak, due reviews and quiz buttons.
  onEvent('app_home_opened', async ({ event, body, context }) => {
    const log = logOf(context);
    await safe('app_home_opened', log, async () => {
      if (event.tab !== 'home') return;
      const actor = await identities.actor(String(body.team_id), event.user);
      const dm = event.channel
        ? whereOf(actor.tenant, event.channel, { channelType: 'im' })
        : await messenger.openDirect(actor);
      const replies = await core.handle(actor, dm, { kind: 'command', text: 'progress' }, log);
      await deps.client.views.publish({ user_id: actor.userId, view: renderHome(replies) });
    });
  });

  // Lifecycle: remember that the workspace is gone, so schedules can stop.
  for (const name of ['app_uninstalled', 'tokens_revoked'] as const) {
    onEvent(name, async ({ body, context }) => {
      const log = logOf(context);
      await safe(name, log, async () => {
        const tenant = tenantOf(String(body.team_id));
        log.warn({ tenant, event: name }, 'slack app removed from a workspace');
        await deps.store.saveConversationRef(tenant, UNINSTALLED_REF, true);
      });
    });
  }
  app.event(new RegExp(`^(${[...events.keys()].join('|')})$`), async (args) => {
    await events.get(args.event.type)?.(args);
  });

  /** Actor, conversation and outlet of a click: in a message via its response_url, on the Home tab via the DM. */
  const fromAction = async (body: BlockAction, respond: RespondFn) => {
    const teamId = body.team?.id ?? body.user.team_id;
    if (!teamId) throw new Error('block action without a team id');
    const actor = await identities.actor(teamId, body.user.id, body.user.name ?? body.user.username);
    if (!body.channel || body.container?.type === 'view') {
      const where = await messenger.openDirect(actor);
      return {
        actor,
        where,
        outlet: withFiles(
          singleOutlet((r) => messenger.post(where, r).then(() => undefined)),
          actor,
        ),
      };
    }
    const where = whereOf(actor.tenant, body.channel.id, { channelName: body.channel.name });
    return {
      actor,
      where,
      outlet: withFiles(
        respondOutlet(respond, directTo(actor), body.container?.is_ephemeral === true),
        actor,
      ),
    };
  };

  /** Replaces the clicked message by its text without controls, so a question is answered once. */
  const closeControls = async (body: BlockAction, respond: RespondFn, note?: string) => {
    const blocks = body.message?.blocks as KnownBlock[] | undefined;
    if (!blocks) return;
    const kept = blocks.filter((b) => b.type !== 'actions');
    await respond({
      replace_original: true,
      text: body.message?.text ?? 'Study Companion',
      blocks: note ? [...kept, context(note)] : kept,
    });
  };

  /** Answers: feedback for sessions and posts; an exam card is replaced in place by what comes next. */
  const answer = async (args: ActionArgs, decoded: NonNullable<ReturnType<typeof decodeAnswer>>) => {
    const { body, respond, context } = args;
    const { actor, where, outlet } = await fromAction(body, respond);
    const log = logOf(context);
    // The core claims the replay guard with the answer's first reads: one round trip less.
    const replies = await core.handle(actor, where, { kind: 'answer', ...decoded }, log, guardOf(context));
    if (!replies.length) return repeated(log, body);
    await afterClick(args, decoded.target.kind, replies, outlet, (r) => {
      const fb = r.find((x) => x.kind === 'feedback' && x.questionId === decoded.questionId);
      return fb?.kind === 'feedback' ? `Answered: ${fb.chosen.map((o) => o.letter).join(', ')}` : undefined;
    });
  };

  /**
   * After a click in a DM session or exam: the clicked card loses its controls (or, in an
   * exam, becomes the next card); on a shared channel post nothing changes, since the
   * shared card is only edited by the coalesced tally job.
   */
  const afterClick = async (
    { body, respond, context }: ActionArgs,
    kind: 'session' | 'exam' | 'post',
    replies: Reply[],
    outlet: Outlet,
    noteFor: (replies: Reply[]) => string | undefined,
  ) => {
    if (kind === 'exam' && body.message && body.channel) {
      const cards = replies.filter((r) => r.kind === 'question');
      const [card] = cards;
      if (cards.length === 1 && card) {
        await respond({ ...render(card), replace_original: true });
        await deliver(
          replies.filter((r) => r !== card),
          outlet,
          logOf(context),
        );
        return;
      }
    }
    if (kind !== 'post') {
      const note = noteFor(replies);
      if (note !== undefined || kind === 'exam') await closeControls(body, respond, note);
    }
    await deliver(replies, outlet, logOf(context));
  };

  /**
   * Block actions by action id. One Bolt listener dispatches them all: Bolt runs every
   * registered listener's middleware for every request, so one listener per id would
   * cost each click a dozen chains.
   */
  interface ActionRoute {
    readonly id: string | RegExp;
    readonly what: string;
    readonly fn: (args: ActionArgs) => Promise<void>;
    /** The route hands the replay guard to the core (answers); any other is claimed before it runs. */
    readonly guardInCore?: boolean;
  }
  const actions: ActionRoute[] = [];
  const onAction = (id: string | RegExp, what: string, fn: ActionRoute['fn']) =>
    actions.push({ id, what, fn });
  /** A route that records an answer: the core claims its replay guard. */
  const onAnswer = (id: string | RegExp, what: string, fn: ActionRoute['fn']) =>
    actions.push({ id, what, fn, guardInCore: true });
  app.action<BlockAction>({ type: 'block_actions' }, async (args: ActionArgs) => {
    await args.ack();
    const actionId = args.action.action_id;
    const route = actions.find((a) => (typeof a.id === 'string' ? a.id === actionId : a.id.test(actionId)));
    if (!route) return;
    const log = logOf(args.context);
    await safe(route.what, log, async () => {
      if (!route.guardInCore && !(await guardOf(args.context)())) return repeated(log, args.body);
      await route.fn({ ...args, respond: retryingRespond(args.respond, log) });
    });
  });

  // A value is a string when Slack sends one of our own elements; anything else is not ours.
  const actionValue = (args: ActionArgs) => {
    const value = (args.action as { value?: unknown }).value;
    return typeof value === 'string' ? value : undefined;
  };

  onAnswer(new RegExp(`^${ACTION.answer}_\\d+$`), 'answer', async (args) => {
    const decoded = decodeAnswer(actionValue(args));
    if (decoded && decoded.choice.length > 0) await answer(args, decoded);
  });

  // Checkbox and select changes only change the form; the answer is read on Submit.
  onAction(ACTION.pick, 'pick', async () => {});
  onAction(new RegExp(`^${ACTION.orderStep}_\\d+$`), 'order step', async () => {});

  onAnswer(ACTION.submit, 'submit', async (args) => {
    const decoded = decodeAnswer(actionValue(args));
    if (!decoded) return;
    const values = args.body.state?.values ?? {};
    const picked: string[] = [];
    const steps: Array<[number, string]> = [];
    for (const [blockId, block] of Object.entries(values)) {
      for (const [actionId, v] of Object.entries(block)) {
        const state = v as {
          selected_options?: Array<{ value: string }>;
          selected_option?: { value: string } | null;
        };
        if (actionId === ACTION.pick && blockId.startsWith(BLOCK.pick))
          picked.push(...(state.selected_options ?? []).map((o) => o.value));
        const step = new RegExp(`^${ACTION.orderStep}_(\\d+)$`).exec(actionId);
        if (step && state.selected_option) steps.push([Number(step[1]), state.selected_option.value]);
      }
    }
    const choice = steps.length ? steps.sort((a, b) => a[0] - b[0]).map(([, v]) => v) : picked;
    await answer(args, { ...decoded, choice });
  });

  onAction(ACTION.next, 'next', async (args) => {
    const target = decodeTarget(actionValue(args));
    if (!target) return;
    const { actor, where, outlet } = await fromAction(args.body, args.respond);
    const log = logOf(args.context);
    const replies = await core.handle(actor, where, { kind: 'next', target }, log);
    await closeControls(args.body, args.respond);
    await deliver(replies, outlet, log);
  });

  onAction(ACTION.stop, 'stop', async (args) => {
    const target = decodeTarget(actionValue(args));
    if (!target) return;
    const { actor, where, outlet } = await fromAction(args.body, args.respond);
    const log = logOf(args.context);
    const replies = await core.handle(actor, where, { kind: 'stop', target }, log);
    await closeControls(args.body, args.respond);
    await deliver(replies, outlet, log);
  });

  onAction(new RegExp(`^${ACTION.navigate}_`), 'navigate', async (args) => {
    const nav = decodeNavigate(actionValue(args));
    if (!nav) return;
    const { actor, where, outlet } = await fromAction(args.body, args.respond);
    const replies = await core.handle(
      actor,
      where,
      { kind: 'navigate', target: nav.target, action: nav.action },
      logOf(args.context),
    );
    await afterClick(args, 'exam', replies, outlet, () => undefined);
  });

  onAction(ACTION.report, 'report', async (args) => {
    const report = decodeReport(
      (args.action as { selected_option?: { value?: string } }).selected_option?.value,
    );
    if (!report) return;
    const { actor, where, outlet } = await fromAction(args.body, args.respond);
    // A report is between the member and the organizers: never shown to the channel.
    const log = logOf(args.context);
    const replies = await core.handle(actor, where, { kind: 'report', ...report }, log);
    await deliver(
      replies.map((r) => (where.kind === 'dm' ? r : { ...r, audience: 'private' as const })),
      outlet,
      log,
    );
  });

  onAction(new RegExp(`^${ACTION.command}_\\d+$`), 'command button', async (args) => {
    const text = actionValue(args);
    if (!text) return;
    const { actor, where, outlet } = await fromAction(args.body, args.respond);
    const log = logOf(args.context);
    await deliver(await core.handle(actor, where, { kind: 'command', text }, log), outlet, log);
  });

  onAction(ACTION.confirm, 'confirm', async (args) => {
    const { actor, where, outlet } = await fromAction(args.body, args.respond);
    const log = logOf(args.context);
    const replies = await core.handle(
      actor,
      where,
      { kind: 'confirm', action: 'forget-me', yes: actionValue(args) === 'yes' },
      log,
    );
    await closeControls(args.body, args.respond);
    await deliver(replies, outlet, log);
  });
}
