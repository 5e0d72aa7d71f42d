import { eachLimited, sleep } from '../async';
import type { Bank } from '../bank';
import type { ClockTime } from '../commands/command';
import { type Ctx, text } from '../context';
import type { CoreOptions } from '../core-deps';
import type { Actor, Where } from '../model';
import type { Clock } from '../ports';
import {
  type ChannelPost,
  type DailySchedule,
  DeliveryError,
  type Job,
  type Logger,
  type Messenger,
  type Scheduler,
  type Store,
} from '../ports';
import type { Reply } from '../reply';
import { clockOf, cronOf, nextOccurrences } from '../schedule/next-occurrences';
import { clockString, dayNumber, dayString, isTimeZone, weekdayOfDay } from '../time';
import { optionOrder, questionCard } from '../views';
import { channelGroup, revealTime } from './channel-post';
import { pickForGroup } from './group-choice';
import { claimOrganizer, isOrganizer, organizersOnly } from './organizers';

/** A post this much later than its occurrence says so ("today's question is late"). */
const LATE_NOTE_AFTER_MS = 5 * 60_000;
/** How long a day's choice of question is remembered (retries reuse it). */
export const CHOICE_TTL_SECONDS = 3 * 86_400;

/** What the scheduled jobs of this file need from the core. */
export interface JobDeps {
  readonly bank: Bank;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly options: CoreOptions;
  readonly messenger?: Messenger;
  readonly scheduler?: Scheduler;
}

/** The scheduler id of a channel's daily question. */
export const dailyJobId = (tenant: string, channelId: string): string => `daily:${tenant}:${channelId}`;

/** Registers (or re-registers, idempotently) a channel's daily question with the scheduler. */
export async function registerDaily(scheduler: Scheduler | undefined, s: DailySchedule): Promise<void> {
  if (!scheduler) return;
  const id = dailyJobId(s.tenant, s.where.id);
  if (!s.enabled) return scheduler.cancel(id);
  const job: Job = { name: 'daily-post', tenant: s.tenant, channelId: s.where.id };
  await scheduler.every(cronOf({ at: s.at, tz: s.tz, days: s.days }), job, id);
}

/** "Tue 1 Dec, 09:30" in `tz`. */
export function whenString(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

const revealWords = (reveal: ClockTime | undefined, hours: number) =>
  reveal ? `at ${clockOf(reveal)}` : `${hours} hours after each post`;

/** `daily on HH:MM [tz] [weekdays|daily]`: organizers only; answered publicly with the first post's time. */
export async function dailyOn(
  ctx: Ctx,
  c: { readonly time: ClockTime; readonly tz?: string; readonly mode: 'daily' | 'weekdays' },
): Promise<Reply[]> {
  if (!(await isOrganizer(ctx))) return [organizersOnly()];
  if (c.tz && !isTimeZone(c.tz))
    return [text(`"${c.tz}" is not a time zone I know. Use an IANA name such as Europe/Berlin.`, 'private')];
  const claimed = await claimOrganizer(ctx);
  // Not ctx.workspaceTz(): it may have been cached before claimOrganizer set it.
  const tz = c.tz ?? (await ctx.store.getWorkspaceTz(ctx.tenant)) ?? (await ctx.userTz());
  const earlier = await ctx.store.getDailySchedule(ctx.tenant, ctx.where.id);
  const schedule: DailySchedule = {
    tenant: ctx.tenant,
    where: ctx.where,
    at: c.time,
    tz,
    days: c.mode,
    ...(earlier?.reveal ? { reveal: earlier.reveal } : {}),
    enabled: true,
    organizer: ctx.userId,
    updatedAt: ctx.now().getTime(),
  };
  await ctx.store.createGroup(ctx.tenant, channelGroup(ctx.where));
  await ctx.store.saveDailySchedule(schedule);
  await registerDaily(ctx.scheduler, schedule);
  const [first] = nextOccurrences({ at: c.time, tz, days: c.mode }, ctx.now(), 1);
  const days = c.mode === 'weekdays' ? 'every weekday' : 'every day';
  const you = claimed ? " You are now this channel's organizer." : '';
  return [
    text(
      `Daily question on: ${days} at ${clockOf(c.time)} (${tz}), answers revealed ${revealWords(schedule.reveal, ctx.options.revealAfterHours)}. ` +
        `The first question comes ${first ? whenString(first, tz) : 'soon'}.${you}`,
    ),
  ];
}

/** `daily off`: organizers only. */
export async function dailyOff(ctx: Ctx): Promise<Reply[]> {
  if (!(await isOrganizer(ctx))) return [organizersOnly()];
  const s = await ctx.store.getDailySchedule(ctx.tenant, ctx.where.id);
  if (!s?.enabled) return [text('There is no daily question in this channel to turn off.', 'private')];
  const off = { ...s, enabled: false, updatedAt: ctx.now().getTime() };
  await ctx.store.saveDailySchedule(off);
  await registerDaily(ctx.scheduler, off);
  return [text('Daily question off. Turn it back on with `daily on HH:MM`.')];
}

/** `daily reveal HH:MM`: organizers only; applies from the next post. */
export async function dailyReveal(ctx: Ctx, time: ClockTime): Promise<Reply[]> {
  if (!(await isOrganizer(ctx))) return [organizersOnly()];
  const s = await ctx.store.getDailySchedule(ctx.tenant, ctx.where.id);
  if (!s)
    return [
      text(
        'There is no daily question here yet: turn it on with `daily on 09:30`, then set the reveal time.',
        'private',
      ),
    ];
  await claimOrganizer(ctx);
  await ctx.store.saveDailySchedule({ ...s, reveal: time, updatedAt: ctx.now().getTime() });
  return [text(`Answers to the daily question are now revealed at ${clockOf(time)} (${s.tz}).`)];
}

/** A batch starts this long before its due time, to read and build its posts before sending. */
const BATCH_ARM_MS = 2_000;
/** A post prepared later than this before its batch starts is sent by its own job. */
const PREPARE_MARGIN_MS = 1_000;
/** Posts one batch job sends at once. */
const BATCH_PARALLEL = 10;
/** Tries per channel in a batch (after a 429, say) before the batch fails and is retried. */
const BATCH_TRIES = 8;
/** How long a batch's send waits in place for its rate-limit slot. */
const BATCH_WAIT_MS = 10_000;

/** The list of one workspace's channels prepared for the instant `due`. */
const batchList = (due: number): string => `daily-batch:${due}`;

/** The scheduler id of one workspace's batch of daily posts due at `due`. */
export const dailyBatchJobId = (tenant: string, due: number): string => `daily-batch:${tenant}:${due}`;

/** One occurrence of a channel's schedule: what it was and when it was due. */
interface Occurrence {
  readonly s: DailySchedule;
  readonly due: Date;
  /** The local date, `YYYY-MM-DD`. */
  readonly date: string;
}

/** The occurrence due at `due`, or undefined when the schedule is off or it is a skipped weekend day. */
async function occurrenceOf(
  deps: JobDeps,
  tenant: string,
  channelId: string,
  due: Date,
): Promise<Occurrence | undefined> {
  const s = await deps.store.getDailySchedule(tenant, channelId);
  if (!s?.enabled) return undefined;
  const day = dayNumber(due, s.tz);
  if (s.days === 'weekdays' && weekdayOfDay(day) > 5) return undefined;
  return { s, due, date: dayString(day) };
}

/**
 * The scheduled daily post of one occurrence. Deterministic per channel and local date:
 * the post id, the send key (`daily:<tenant>:<channel>:<YYYY-MM-DD>`) and the question
 * chosen (kept with `firstValue`), so a retried or duplicated job posts nothing twice.
 * A channel the bot was removed from, or an uninstalled workspace, turns the schedule
 * off and tells the organizer where possible.
 *
 * **Ahead of time** (an engine that fires the job before its occurrence: BullMQ's
 * `prepareAheadMs`), the job only prepares: the question is chosen, the post saved and
 * its reveal scheduled, and the channel joins its workspace's batch for that instant;
 * one `daily-batch` job per workspace then sends every prepared post at the due time
 * ({@link runDailyBatch}). Thousands of channels due at the same minute then cost the
 * engine one job per workspace at that minute. On time or late, the job prepares and
 * sends in place.
 */
export async function runDailyPost(
  deps: JobDeps,
  job: { readonly tenant: string; readonly channelId: string; readonly due?: number },
): Promise<ChannelPost | undefined> {
  const now = deps.clock.now().getTime();
  const o = await occurrenceOf(deps, job.tenant, job.channelId, new Date(job.due ?? now));
  if (!o) return undefined;
  const due = o.due.getTime();
  const scheduler = deps.scheduler;
  if (scheduler && due - now > BATCH_ARM_MS + PREPARE_MARGIN_MS) {
    const post = await preparePost(deps, o);
    await deps.store.listAdd(job.tenant, batchList(due), o.s.where.id, CHOICE_TTL_SECONDS);
    const batch: Job = { name: 'daily-batch', tenant: job.tenant, due };
    await scheduler.at(new Date(due - BATCH_ARM_MS), batch, dailyBatchJobId(job.tenant, due));
    // Joined before its batch started (with a margin for clocks), the batch has this
    // channel. Prepared later than that, the post is sent from here (once, by its key).
    if (due - deps.clock.now().getTime() > BATCH_ARM_MS + PREPARE_MARGIN_MS / 2) return post;
  }
  return postDaily(deps, o);
}

/**
 * Sends one workspace's daily posts prepared for `due` (see {@link runDailyPost}). It
 * starts {@link BATCH_ARM_MS} early and reads and builds every post first, so that from
 * the due time on only the sends run: the first alone, then {@link BATCH_PARALLEL} at
 * once. A send waits in place for its rate-limit slot; one the platform refused for a
 * while (a 429) is tried again after its Retry-After, beside the others. Other failures
 * are logged, the rest still sent, and the batch then fails so the engine retries it:
 * sent posts are skipped.
 */
export async function runDailyBatch(
  deps: JobDeps,
  job: { readonly tenant: string; readonly due: number },
): Promise<void> {
  const failures: unknown[] = [];
  const failed = (channel: string, err: unknown) => {
    deps.logger.warn(
      { tenant: job.tenant, channel, err: (err as Error).message },
      'daily post of a batch failed',
    );
    failures.push(err);
  };
  const ready: Ready[] = [];
  const channels = await deps.store.listGet(job.tenant, batchList(job.due));
  await eachLimited(channels, BATCH_PARALLEL, async (channelId) => {
    try {
      const o = await occurrenceOf(deps, job.tenant, channelId, new Date(job.due));
      if (o) ready.push(await readyPost(deps, o));
    } catch (err) {
      failed(channelId, err);
    }
  });
  // A post refused for a while (a 429) waits its Retry-After without holding a lane.
  const retries: Promise<void>[] = [];
  const send = async (r: Ready, tries: number): Promise<void> => {
    try {
      await sendReady(deps, r, BATCH_WAIT_MS);
    } catch (err) {
      if (err instanceof DeliveryError && err.code === 'rate-limited' && tries < BATCH_TRIES)
        retries.push(sleep(err.retryAfterMs ?? 1000).then(() => send(r, tries + 1)));
      else failed(r.o.s.where.id, err);
    }
  };
  // The first post is sent alone, the others after its first try. The platform's rate
  // window opens when that post arrives, ours when its slot is taken; slowed down by the
  // other sends, it would arrive late, and the platform's window, behind ours, would
  // refuse later posts.
  const [first, ...others] = ready;
  if (first) await send(first, 1);
  await eachLimited(others, BATCH_PARALLEL, (r) => send(r, 1));
  // Retries may add retries.
  for (let i = 0; i < retries.length; i++) await retries[i];
  if (failures.length > 0) throw failures[0];
}

/** A post read (or prepared) and its card built, ready to send at its due time. */
interface Ready {
  readonly o: Occurrence;
  readonly post: ChannelPost;
  /** Absent when the post was sent already. */
  readonly card?: Reply;
}

/** Prepares (where not done yet) and sends one occurrence's post, with a note when it is late. */
async function postDaily(deps: JobDeps, o: Occurrence): Promise<ChannelPost | undefined> {
  return sendReady(deps, await readyPost(deps, o));
}

async function readyPost(deps: JobDeps, o: Occurrence): Promise<Ready> {
  const prepared = await preparePost(deps, o);
  if (prepared.message) return { o, post: prepared };
  const post = await retimed(deps, o, prepared);
  const item = deps.bank.item(post.questionId);
  if (!item) throw new Error(`post ${post.id} holds unknown item ${post.questionId}`);
  const card = questionCard(deps.bank, item, { kind: 'post', id: post.id }, post.order, {
    answerBy: post.answerBy,
    tally: 0,
  });
  return { o, post, card };
}

/** Sends a ready post, not before its due time, then the late note where it is late. */
async function sendReady(deps: JobDeps, r: Ready, mayWaitMs?: number): Promise<ChannelPost | undefined> {
  const messenger = deps.messenger;
  if (!messenger) throw new Error('daily posts need a Messenger: none is attached');
  const { s, date, due } = r.o;
  const where = s.where;
  const sendKey = `daily:${s.tenant}:${where.id}:${date}`;
  let post = r.post;
  if (r.card) {
    // Never before its time: a batch (or a job fired a little early) waits here, ready. A
    // timer runs on the event loop's clock, which can be a millisecond ahead of the wall
    // clock: one more millisecond keeps the send from going out at due - 1 ms.
    const early = due.getTime() - deps.clock.now().getTime();
    if (early > 0) await sleep(Math.min(early + 1, BATCH_ARM_MS + PREPARE_MARGIN_MS));
    try {
      const message = await messenger.post(where, r.card, { sendKey, ...(mayWaitMs ? { mayWaitMs } : {}) });
      post = { ...post, message };
      await deps.store.savePost(post);
    } catch (err) {
      if (await stopOnRemoval(deps, s, err)) return undefined;
      throw err;
    }
  }
  const late = deps.clock.now().getTime() - due.getTime() > LATE_NOTE_AFTER_MS;
  if (late && post.message?.id) {
    // Its own step, so a retry (the channel's rate limit) still sends it, once by its key.
    await messenger.post(
      where,
      text(
        `Sorry, today's question is late: I was offline at ${clockOf(s.at)}. It is open until ${post.answerBy}.`,
      ),
      { thread: post.message, sendKey: `${sendKey}:late` },
    );
    if (await deps.store.claimOnce(`${sendKey}:late-counted`, CHOICE_TTL_SECONDS))
      await deps.store.countEvent(s.tenant, 'daily-late');
  }
  return post;
}

/**
 * An occurrence's post: the one saved already, or a new one (the group-aware choice,
 * kept with `firstValue`) whose reveal is scheduled before it is saved, so that a post
 * that exists always has its reveal.
 */
async function preparePost(deps: JobDeps, o: Occurrence): Promise<ChannelPost> {
  const { s, date } = o;
  const where = s.where;
  const tenant = s.tenant;
  const postId = `d-${where.id}-${date}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const saved = await deps.store.getPost(tenant, postId);
  if (saved) return saved;
  const now = deps.clock.now();
  const group = channelGroup(where);
  const picked = await pickForGroup(deps.store, deps.bank, where, group.id, postId);
  const questionId = await deps.store.firstValue(
    tenant,
    `daily:${where.id}:${date}`,
    picked.id,
    CHOICE_TTL_SECONDS,
  );
  const item = deps.bank.item(questionId) ?? picked;
  const base = now.getTime() - o.due.getTime() > LATE_NOTE_AFTER_MS ? now : o.due;
  const reveal = revealTime(base, s.tz, deps.options.revealAfterHours, s.reveal);
  const post: ChannelPost = {
    id: postId,
    tenant,
    where,
    questionId: item.id,
    order: optionOrder(item, postId),
    postedAt: base.getTime(),
    revealAt: reveal.getTime(),
    answerBy: clockString(reveal, s.tz),
    revealed: false,
  };
  await deps.scheduler?.at(reveal, { name: 'reveal', tenant, postId, at: post.revealAt }, `reveal:${postId}`);
  await deps.store.createGroup(tenant, group);
  await deps.store.savePost(post);
  return post;
}

/**
 * A card not sent by its reveal time (its sends failed for hours: the platform or this
 * service was down) would open already past it, and its reveal job, finding nothing sent,
 * has done nothing. It gets a fresh answering window from now, as a post prepared late
 * does, and a reveal job for that time; the first job, if it runs after all, finds its
 * time superseded and does nothing.
 */
async function retimed(deps: JobDeps, o: Occurrence, post: ChannelPost): Promise<ChannelPost> {
  const now = deps.clock.now();
  if (now.getTime() < post.revealAt) return post;
  const reveal = revealTime(now, o.s.tz, deps.options.revealAfterHours, o.s.reveal);
  const later: ChannelPost = {
    ...post,
    postedAt: now.getTime(),
    revealAt: reveal.getTime(),
    answerBy: clockString(reveal, o.s.tz),
  };
  const job: Job = { name: 'reveal', tenant: post.tenant, postId: post.id, at: later.revealAt };
  await deps.scheduler?.at(reveal, job, `reveal:${post.id}:${later.revealAt}`);
  await deps.store.savePost(later);
  return later;
}

/**
 * When a send failed because the bot left the channel or the app was uninstalled: turns
 * the schedule off (every schedule of the workspace on uninstall), tells the organizer
 * in a DM where that still works, and returns true. Other errors: false.
 */
export async function stopOnRemoval(deps: JobDeps, s: DailySchedule, err: unknown): Promise<boolean> {
  if (!(err instanceof DeliveryError) || (err.code !== 'not-in-channel' && err.code !== 'uninstalled'))
    return false;
  const reason = err.code;
  const stopped = [s];
  if (reason === 'uninstalled') {
    const all = await deps.store.allSchedules();
    stopped.push(...all.daily.filter((d) => d.tenant === s.tenant && d.enabled && d.where.id !== s.where.id));
    for (const r of all.reminders.filter((x) => x.tenant === s.tenant && x.enabled)) {
      await deps.store.saveReminder({ ...r, enabled: false, disabledReason: reason });
      await deps.scheduler?.cancel(`remind:${r.tenant}:${r.userId}`);
      await deps.scheduler?.cancel(`nudge:${r.tenant}:${r.userId}`);
    }
  }
  for (const d of stopped) {
    const off: DailySchedule = {
      ...d,
      enabled: false,
      disabledReason: reason,
      updatedAt: deps.clock.now().getTime(),
    };
    await deps.store.saveDailySchedule(off);
    await registerDaily(deps.scheduler, off);
  }
  await deps.store.countEvent(s.tenant, 'daily-disabled');
  deps.logger.warn(
    { tenant: s.tenant, channel: s.where.id, reason },
    'daily question turned off: the bot cannot post',
  );
  if (reason === 'not-in-channel') await tellOrganizer(deps, s);
  return true;
}

async function tellOrganizer(deps: JobDeps, s: DailySchedule): Promise<void> {
  const messenger = deps.messenger;
  if (!messenger) return;
  const who: Pick<Actor, 'platform' | 'tenant' | 'userId'> = {
    platform: s.where.platform,
    tenant: s.tenant,
    userId: s.organizer,
  };
  const name = s.where.name ? `#${s.where.name.replace(/^#/, '')}` : 'a channel';
  try {
    const dm: Where = await messenger.openDirect(who);
    await messenger.post(
      dm,
      text(
        `I can no longer post in ${name} (I was removed from it), so its daily question is off. ` +
          'Invite me back and type `daily on HH:MM` there to restart it.',
      ),
      { sendKey: `daily-off:${s.tenant}:${s.where.id}:${s.updatedAt}` },
    );
  } catch (err) {
    deps.logger.warn({ tenant: s.tenant, err: (err as Error).message }, 'could not tell the organizer');
  }
}
