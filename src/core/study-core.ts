import type { Bank } from './bank';
import { type Command, type ParseContext, parseCommand, placeOf } from './commands';
import { Ctx, notice, text } from './context';
import { type CoreDeps, type CoreOptions, defaultCoreOptions } from './core-deps';
import {
  answerPost,
  channelGroup,
  postChannelQuestion,
  postResult,
  reveal,
  updateTally,
} from './features/channel-post';
import { dailyOff, dailyOn, dailyReveal, runDailyBatch, runDailyPost } from './features/daily';
import { answerInExam, examDeadline, navigateExam, startExam } from './features/exam';
import { createGroup, joinGroup, leaveGroup, listGroups } from './features/groups';
import { help } from './features/help';
import { leaderboard, setVisibility } from './features/leaderboard';
import {
  addOrganizer,
  claimOrganizer,
  isOrganizer,
  listOrganizers,
  organizersOnly,
} from './features/organizers';
import { setCertified, setPlan } from './features/plan';
import { confirmForget, exportData, forget } from './features/privacy';
import { progress } from './features/progress';
import { activeQuestion, answerInSession, nextInSession, startQuiz, stopSession } from './features/quiz';
import { type AnswerAhead, readForRecord } from './features/record-answer';
import { quiet, remind, remindOff, runNudge, runReminder } from './features/reminders';
import { listReports, reportQuestion } from './features/reports';
import { startDrill, startReview } from './features/review';
import { setStreakMode, setTimezone } from './features/settings';
import { teamView } from './features/team';
import type { Actor, Intent, Where } from './model';
import {
  type ChannelPost,
  type Clock,
  DeliveryError,
  type Job,
  type Logger,
  type Messenger,
  postingWith,
  type Scheduler,
  type Store,
} from './ports';
import type { Feedback, Reply, Reveal } from './reply';
import { lettersToIds, typedLetters } from './views';

type Handler<C extends Command = Command> = (ctx: Ctx, command: C) => Promise<Reply[]>;
type Handlers = { [N in Command['name']]: Handler<Extract<Command, { name: N }>> };

/**
 * The study core: platform-neutral. Adapters turn platform events into an
 * {@link Intent} and call {@link StudyCore.handle}; the scheduler calls
 * {@link StudyCore.runJob}. Replies are neutral {@link Reply} values that adapters render.
 */
export class StudyCore {
  readonly bank: Bank;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly options: CoreOptions;
  messenger?: Messenger;
  scheduler?: Scheduler;
  private readonly parseContext: ParseContext;

  constructor(deps: CoreDeps) {
    this.bank = deps.bank;
    this.store = deps.store;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.options = { ...defaultCoreOptions, ...deps.options };
    if (deps.messenger) this.messenger = deps.messenger;
    if (deps.scheduler) this.scheduler = deps.scheduler;
    this.parseContext = {
      findDomain: (w) => this.bank.findDomain(w)?.id,
      domainWords: this.bank.manifest.domains.flatMap((d) => [d.id, `d${d.number}`]),
    };
  }

  /** Connects the ports that are built after the core (adapters' messengers, the scheduler). */
  attach(ports: { messenger?: Messenger; scheduler?: Scheduler }): void {
    if (ports.messenger) this.messenger = ports.messenger;
    if (ports.scheduler) this.scheduler = ports.scheduler;
  }

  /** A context; with a request's `logger`, its lines and those of its posts carry the request. */
  private ctx(actor: Actor, where: Where, logger?: Logger): Ctx {
    const messenger = logger && this.messenger ? postingWith(this.messenger, { logger }) : this.messenger;
    return new Ctx(
      actor,
      where,
      this.bank,
      this.store,
      this.clock,
      logger ?? this.logger,
      this.options,
      messenger,
      this.scheduler,
    );
  }

  /** The core as a scheduled job sees it: every post it makes is `scheduled` (see `PostOptions`). */
  private forJobs(): StudyCore {
    const messenger = this.messenger;
    if (!messenger) return this;
    return Object.create(this, { messenger: { value: postingWith(messenger, { scheduled: true }) } });
  }

  /**
   * Handles one user action and returns what to show. Never throws: an unexpected
   * error is logged with the intent that caused it and answered with a friendly
   * "try again", and since each store call is atomic nothing is left half-written.
   * `logger` is the request's, when an adapter handles one: what is logged while handling
   * it, by the core or by the posts it makes, carries the request's fields.
   * `firstDelivery` is the platform's replay guard for the request, when the adapter leaves
   * it to the core: it is asked together with the first reads, and for a request seen
   * before nothing is done and no reply returned.
   */
  async handle(
    actor: Actor,
    where: Where,
    intent: Intent,
    logger?: Logger,
    firstDelivery?: () => Promise<boolean>,
  ): Promise<Reply[]> {
    const ctx = this.ctx(actor, where, logger);
    try {
      // The guard, the token and an answer's reads share one round trip; a repeated request
      // (which still takes a token) or a denied token wastes the reads.
      const [first, token, ahead] = await Promise.all([
        firstDelivery?.() ?? true,
        this.store.takeToken({
          key: `actions:${actor.tenant}:${actor.userId}`,
          capacity: this.options.userBurst,
          perSecond: this.options.userPerSecond,
        }),
        readsAhead(ctx, intent),
      ]);
      if (!first) return [];
      if (!token.ok) {
        const seconds = Math.max(1, Math.ceil(token.retryAfterMs / 1000));
        return [
          notice(
            `Whoa, that's a lot at once! Give me ${seconds} second${seconds === 1 ? '' : 's'} and try again.`,
            where,
          ),
        ];
      }
      return await this.dispatch(ctx, intent, ahead);
    } catch (err) {
      ctx.logger.error(
        { err, intent: intent.kind, tenant: actor.tenant, where: where.kind },
        'handling an intent failed',
      );
      return [
        notice(
          'Sorry, something went wrong on my side and nothing was saved. Please try again in a moment.',
          where,
        ),
      ];
    }
  }

  private async dispatch(ctx: Ctx, intent: Intent, ahead?: AnswerAhead): Promise<Reply[]> {
    switch (intent.kind) {
      case 'command':
        return this.command(ctx, intent.text);
      case 'answer':
        if (intent.target.kind === 'post')
          return answerPost(ctx, intent.target.id, intent.questionId, intent.choice, ahead?.reads);
        if (intent.target.kind === 'exam')
          return answerInExam(ctx, intent.target, intent.questionId, intent.choice);
        return answerInSession(ctx, intent.target, intent.questionId, intent.choice, ahead);
      case 'next':
        return intent.target.kind === 'exam'
          ? navigateExam(ctx, intent.target, 'skip')
          : nextInSession(ctx, intent.target);
      case 'navigate':
        if (intent.target.kind === 'exam') return navigateExam(ctx, intent.target, intent.action);
        return intent.action === 'submit'
          ? stopSession(ctx, intent.target)
          : nextInSession(ctx, intent.target);
      case 'stop':
        return stopSession(ctx, intent.target);
      case 'report':
        return reportQuestion(ctx, intent.questionId, intent.reason, intent.note);
      case 'confirm':
        return forget(ctx, intent.yes);
    }
  }

  private async command(ctx: Ctx, line: string): Promise<Reply[]> {
    // Letters typed in a DM answer the question on screen ("b", "a c"); only then is the
    // open session read, so other commands cost no extra store round trips.
    if (!ctx.inChannel && typedLetters(line)) {
      const active = await activeQuestion(ctx);
      const ids = active ? lettersToIds(line, active.order) : undefined;
      if (active && ids)
        return answerInSession(ctx, { kind: 'session', id: active.session.id }, active.item.id, ids);
    }
    const parsed = parseCommand(line, this.parseContext);
    if (!parsed.ok) return [text(parsed.message, ctx.inChannel ? 'private' : undefined)];
    const command = parsed.command;
    const place = placeOf[command.name] ?? 'any';
    if (place === 'channel' && !ctx.inChannel) {
      return [
        text('That command works in a channel: invite me there and type it, or use `/study` in Slack.'),
      ];
    }
    const handler = this.handlers[command.name] as Handler;
    if (place === 'dm' && ctx.inChannel) {
      // Personal study never happens in public: it moves to the DM, with a private pointer here.
      const replies = await handler(ctx, command);
      return [
        notice("I've sent you a direct message to continue there.", ctx.where),
        ...replies.map((r) => ({ ...r, audience: 'direct' as const })),
      ];
    }
    return handler(ctx, command);
  }

  private readonly handlers: Handlers = {
    help: async (ctx) => help(ctx.inChannel),
    quiz: (ctx, c) => startQuiz(ctx, c.count, c.domain),
    next: (ctx) => nextInSession(ctx),
    stop: (ctx) => stopSession(ctx),
    progress: (ctx) => progress(ctx),
    leaderboard: (ctx, c) => leaderboard(ctx, c.period, c.group),
    'leaderboard-visibility': (ctx, c) => setVisibility(ctx, c.hidden),
    'group-create': (ctx, c) => createGroup(ctx, c.group),
    'group-join': (ctx, c) => joinGroup(ctx, c.group),
    'group-leave': (ctx, c) => leaveGroup(ctx, c.group),
    groups: (ctx) => listGroups(ctx),
    timezone: (ctx, c) => setTimezone(ctx, c.tz, c.workspace),
    'streak-mode': (ctx, c) => setStreakMode(ctx, c.mode),
    organizers: (ctx) => listOrganizers(ctx),
    'organizer-add': (ctx, c) => addOrganizer(ctx, c.userId),
    'daily-now': (ctx) => this.dailyNow(ctx),
    exam: (ctx, c) => startExam(ctx, c.count),
    review: (ctx) => startReview(ctx),
    drill: (ctx) => startDrill(ctx),
    team: (ctx) => teamView(ctx),
    'daily-on': (ctx, c) => dailyOn(ctx, c),
    'daily-off': (ctx) => dailyOff(ctx),
    'daily-reveal': (ctx, c) => dailyReveal(ctx, c.time),
    reports: (ctx) => listReports(ctx),
    remind: (ctx, c) => remind(ctx, c.time, c.mode),
    'remind-off': (ctx) => remindOff(ctx),
    plan: (ctx, c) => setPlan(ctx, c.date),
    certified: (ctx, c) => setCertified(ctx, c.date),
    quiet: (ctx, c) => quiet(ctx, c.from, c.to),
    export: (ctx) => exportData(ctx),
    'forget-me': async () => confirmForget(),
  };

  private async dailyNow(ctx: Ctx): Promise<Reply[]> {
    if (!(await isOrganizer(ctx))) return [organizersOnly()];
    if (!this.messenger)
      return [text('Posting in a channel needs a chat platform: this surface cannot post.')];
    const claimed = await claimOrganizer(ctx);
    let post: ChannelPost;
    try {
      // The channel's own schedule decides the time zone and reveal time when it has one.
      const schedule = await this.store.getDailySchedule(ctx.tenant, ctx.where.id);
      post = await postChannelQuestion(
        ctx,
        ctx.where,
        schedule?.tz ?? (await ctx.workspaceTz()),
        schedule?.reveal,
      );
    } catch (err) {
      // Removed from the channel (Teams keeps that mark until it is added back): the same advice.
      if (err instanceof DeliveryError && (err.code === 'not-in-channel' || err.code === 'uninstalled')) {
        const invite =
          ctx.where.platform === 'slack' ? 'invite me with `/invite @Study Companion`' : 'add me to it first';
        return [
          text(`I can't post in this channel yet: ${invite}, then try \`daily now\` again.`, 'private'),
        ];
      }
      throw err;
    }
    await this.store.joinGroup(ctx.tenant, channelGroup(ctx.where).id, ctx.userId);
    const first = claimed ? " You are now this channel's organizer." : '';
    return [text(`Posted today's question; the answer is revealed at ${post.answerBy}.${first}`, 'private')];
  }

  /**
   * Reveals a channel post once; later calls do nothing and return undefined, as does a
   * call for a reveal time (`at`, ms) the post no longer has.
   */
  reveal(tenant: string, postId: string, at?: number): Promise<Reveal | undefined> {
    return reveal(this, tenant, postId, at);
  }

  /**
   * The caller's own result on a channel post: the feedback they got when they answered,
   * rebuilt from what was recorded; undefined when they have not answered it.
   */
  postResult(actor: Actor, where: Where, postId: string): Promise<Feedback | undefined> {
    return postResult(this.ctx(actor, where), postId);
  }

  /** Runs a scheduled job. Errors are thrown so the engine can retry. */
  async runJob(job: Job): Promise<void> {
    const core = this.forJobs();
    switch (job.name) {
      case 'reveal':
        await core.reveal(job.tenant, job.postId, job.at);
        return;
      case 'tally':
        await updateTally(core, job.tenant, job.postId);
        return;
      case 'exam-deadline': {
        const who: Actor = {
          platform: job.platform,
          tenant: job.tenant,
          userId: job.userId,
          name: job.userId,
          isAdmin: false,
        };
        const messenger = core.messenger;
        const where = messenger
          ? await messenger.openDirect(who)
          : { platform: job.platform, tenant: job.tenant, id: `dm-${job.userId}`, kind: 'dm' as const };
        const replies = await examDeadline(core.ctx(who, where), job.examId);
        for (const r of replies) await messenger?.post(where, r);
        return;
      }
      case 'daily-post':
        await runDailyPost(core, job);
        return;
      case 'daily-batch':
        await runDailyBatch(core, job);
        return;
      case 'reminder':
        await runReminder(core, job, (a, w) => core.ctx(a, w));
        return;
      case 'nudge':
        await runNudge(core, job);
        return;
      default:
        // A job of a newer version (during a rolling upgrade): failed, so that the engine
        // retries it, on a replica that knows it, instead of completing it unrun.
        throw new Error(`unknown job: ${(job as { name?: unknown }).name}`);
    }
  }
}

/**
 * What answering will read before recording (the user's settings, groups, review card, and
 * a channel post's record or the quiz session), for an answer that records at once: an
 * exam's answers are recorded at its end.
 */
function readsAhead(ctx: Ctx, intent: Intent): Promise<AnswerAhead> | undefined {
  if (intent.kind !== 'answer' || intent.target.kind === 'exam') return undefined;
  const { target, questionId } = intent;
  return Promise.all([
    readForRecord(ctx, questionId, target.kind === 'post' ? target.id : undefined),
    target.kind === 'post' ? undefined : ctx.store.getSession(ctx.tenant, target.id),
  ]).then(([reads, session]) => ({ reads, session }));
}
