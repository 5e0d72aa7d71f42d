import type { ClockTime } from '../commands/command';
import { type Ctx, text } from '../context';
import type { Actor, Where } from '../model';
import { DeliveryError, type Reminder, type Scheduler } from '../ports';
import type { Reply } from '../reply';
import {
  clockOf,
  cronOf,
  effectiveTime,
  inQuietHours,
  nextOccurrences,
  type ScheduleRule,
} from '../schedule/next-occurrences';
import { currentStreak } from '../streak';
import { dayNumber, dayString } from '../time';
import { CHOICE_TTL_SECONDS, type JobDeps, whenString } from './daily';
import { drawItems, showSession, startSessionWith } from './quiz';

/** The evening nudge for a streak that would break tonight: local time, every day. */
export const NUDGE_AT: ClockTime = { hour: 19, minute: 0 };

export const reminderJobId = (tenant: string, userId: string): string => `remind:${tenant}:${userId}`;
export const nudgeJobId = (tenant: string, userId: string): string => `nudge:${tenant}:${userId}`;

/** The reminder's rule, quiet hours included; undefined without a time. */
export function reminderRule(r: Reminder): ScheduleRule | undefined {
  if (!r.at) return undefined;
  return { at: r.at, tz: r.tz, days: r.days, ...(r.quiet ? { quiet: r.quiet } : {}) };
}

/**
 * Registers (idempotently) a user's reminder and evening nudge, or cancels both when
 * the reminder is off. The reminder's cron already carries the quiet-hours move.
 */
export async function registerReminder(scheduler: Scheduler | undefined, r: Reminder): Promise<void> {
  if (!scheduler) return;
  const rule = reminderRule(r);
  if (!r.enabled || !rule) {
    await scheduler.cancel(reminderJobId(r.tenant, r.userId));
    await scheduler.cancel(nudgeJobId(r.tenant, r.userId));
    return;
  }
  await scheduler.every(
    cronOf(rule),
    { name: 'reminder', tenant: r.tenant, userId: r.userId },
    reminderJobId(r.tenant, r.userId),
  );
  await scheduler.every(
    cronOf({ at: NUDGE_AT, tz: r.tz, days: 'daily' }),
    { name: 'nudge', tenant: r.tenant, userId: r.userId },
    nudgeJobId(r.tenant, r.userId),
  );
}

async function current(ctx: Ctx): Promise<Reminder> {
  const r = await ctx.store.getReminder(ctx.tenant, ctx.userId);
  return (
    r ?? {
      tenant: ctx.tenant,
      platform: ctx.actor.platform,
      userId: ctx.userId,
      name: ctx.actor.name,
      tz: await ctx.userTz(),
      days: 'daily',
      enabled: false,
      updatedAt: ctx.now().getTime(),
    }
  );
}

function describe(r: Reminder, now: Date): string {
  const rule = reminderRule(r);
  if (!rule || !r.at) return '';
  const days = r.days === 'weekdays' ? 'every weekday' : 'every day';
  const moved = effectiveTime(rule);
  const quiet =
    moved.at !== r.at && r.quiet
      ? ` ${clockOf(r.at)} is inside your quiet hours (${clockOf(r.quiet.from)}–${clockOf(r.quiet.to)}), so it comes at ${clockOf(moved.at)}.`
      : '';
  const [next] = nextOccurrences(rule, now, 1);
  return `Reminder on: ${days} at ${clockOf(r.at)} (${r.tz}).${quiet} Next: ${next ? whenString(next, r.tz) : 'soon'}.`;
}

/**
 * `remind HH:MM [weekdays|daily]`: a DM at that local time (profile tz, else the
 * platform's, else the workspace's) with one question, the streak and due reviews.
 */
export async function remind(ctx: Ctx, at: ClockTime, days: 'daily' | 'weekdays'): Promise<Reply[]> {
  const before = await current(ctx);
  const r: Reminder = {
    ...before,
    platform: ctx.actor.platform,
    name: ctx.actor.name,
    tz: await ctx.userTz(),
    at,
    days,
    enabled: true,
    updatedAt: ctx.now().getTime(),
  };
  delete (r as { disabledReason?: string }).disabledReason;
  await ctx.store.saveReminder(r);
  await registerReminder(ctx.scheduler, r);
  return [text(describe(r, ctx.now()))];
}

/** `remind off`. */
export async function remindOff(ctx: Ctx): Promise<Reply[]> {
  const r = await ctx.store.getReminder(ctx.tenant, ctx.userId);
  if (!r?.enabled) return [text('You have no reminder set. Set one with `remind 08:15`.')];
  const off = { ...r, enabled: false, updatedAt: ctx.now().getTime() };
  await ctx.store.saveReminder(off);
  await registerReminder(ctx.scheduler, off);
  return [text('Reminders off. Turn them back on with `remind HH:MM`.')];
}

/**
 * `quiet HH:MM-HH:MM`: no reminders in this window. A reminder that falls inside it
 * moves to the window's end; the evening nudge inside it is skipped.
 */
export async function quiet(ctx: Ctx, from: ClockTime, to: ClockTime): Promise<Reply[]> {
  if (from.hour === to.hour && from.minute === to.minute)
    return [text('Quiet hours need a start and an end that differ, for example `quiet 22:00-07:00`.')];
  const r: Reminder = { ...(await current(ctx)), quiet: { from, to }, updatedAt: ctx.now().getTime() };
  await ctx.store.saveReminder(r);
  await registerReminder(ctx.scheduler, r);
  const head = `Quiet hours set: no reminders between ${clockOf(from)} and ${clockOf(to)} (${r.tz}).`;
  return [text(r.enabled ? `${head} ${describe(r, ctx.now())}` : head)];
}

/** The actor a scheduled job acts for, from what the reminder stored. */
function actorOf(r: Reminder): Actor {
  return { platform: r.platform, tenant: r.tenant, userId: r.userId, name: r.name, tz: r.tz, isAdmin: false };
}

async function stopOnGone(deps: JobDeps, r: Reminder, err: unknown): Promise<boolean> {
  if (!(err instanceof DeliveryError) || (err.code !== 'not-in-channel' && err.code !== 'uninstalled'))
    return false;
  const off = { ...r, enabled: false, disabledReason: err.code, updatedAt: deps.clock.now().getTime() };
  await deps.store.saveReminder(off);
  await registerReminder(deps.scheduler, off);
  deps.logger.warn({ tenant: r.tenant, reason: err.code }, 'reminder turned off: the DM cannot be reached');
  return true;
}

type MakeCtx = (actor: Actor, where: Where) => Ctx;

/** The one-question session of a user's reminder on a local date (sessions are kept per tenant). */
const reminderSessionId = (userId: string, date: string): string => `r-${date}-${userId}`;

/**
 * The one-question session of one reminder occurrence, opened once: its id comes from the
 * user and the local date, and its question is chosen once (`firstValue`), so a job retried
 * after a rate limit, or run twice, shows the same question and opens no second session.
 */
async function occurrenceSession(ctx: Ctx, date: string, intro: string): Promise<Reply[]> {
  const id = reminderSessionId(ctx.userId, date);
  const open = await ctx.store.getSession(ctx.tenant, id);
  if (open?.kind === 'quiz') return showSession(ctx, open, intro);
  const [drawn] = await drawItems(ctx, 1);
  if (!drawn) return [text(intro)];
  // The user's id as a key segment of its own: `forget me` finds the choice too.
  const choiceKey = `remind:${ctx.userId}:${date}`;
  const questionId = await ctx.store.firstValue(ctx.tenant, choiceKey, drawn.id, CHOICE_TTL_SECONDS);
  return startSessionWith(ctx, [ctx.bank.item(questionId) ?? drawn], 'quiz', intro, id);
}

/**
 * The reminder job: one question to answer in place (a one-question session), the streak
 * at stake and the count of due reviews, sent with keys per user and local date so a
 * retried job sends nothing twice. Never inside quiet hours (a stale job is dropped).
 */
export async function runReminder(
  deps: JobDeps,
  job: { readonly tenant: string; readonly userId: string; readonly due?: number },
  makeCtx: MakeCtx,
): Promise<boolean> {
  const r = await deps.store.getReminder(job.tenant, job.userId);
  if (!r?.enabled || !r.at || !deps.messenger) return false;
  const now = deps.clock.now();
  if (inQuietHours(now, r.tz, r.quiet)) {
    deps.logger.info({ tenant: r.tenant }, 'reminder skipped: inside quiet hours');
    return false;
  }
  const date = dayString(dayNumber(new Date(job.due ?? now.getTime()), r.tz));
  const actor = actorOf(r);
  try {
    const where = await deps.messenger.openDirect(actor);
    const ctx = makeCtx(actor, where);
    const profile = await ctx.profile();
    const stats = await ctx.store.getStats(r.tenant, r.userId);
    const streak = currentStreak(stats.streak, dayNumber(now, r.tz), profile.streakMode);
    const due = await ctx.store.dueCount(r.tenant, r.userId, now.getTime());
    const lines = ['⏰ Your question for today: answer it right here.'];
    if (streak.streak > 0)
      lines.push(
        streak.atRisk
          ? `Your ${streak.streak}-day streak is at stake: one answer today keeps it.`
          : `Streak: ${streak.streak} day${streak.streak === 1 ? '' : 's'}.`,
      );
    else lines.push('One answer starts a streak.');
    if (due > 0) lines.push(`${due} review${due === 1 ? ' is' : 's are'} due: type \`review\`.`);
    const replies = await occurrenceSession(ctx, date, lines.join(' '));
    let i = 0;
    for (const reply of replies)
      await deps.messenger.post(where, reply, { sendKey: `remind:${r.tenant}:${r.userId}:${date}:${i++}` });
    return true;
  } catch (err) {
    if (await stopOnGone(deps, r, err)) return false;
    throw err;
  }
}

/**
 * The evening nudge: for a user with reminders on whose streak breaks tonight (no answer
 * today, no freeze left), one DM. Skipped inside quiet hours.
 */
export async function runNudge(
  deps: JobDeps,
  job: { readonly tenant: string; readonly userId: string; readonly due?: number },
): Promise<boolean> {
  const r = await deps.store.getReminder(job.tenant, job.userId);
  if (!r?.enabled || !deps.messenger) return false;
  const now = deps.clock.now();
  if (inQuietHours(now, r.tz, r.quiet)) return false;
  const [profile, stats] = await Promise.all([
    deps.store.getProfile(r.tenant, r.userId),
    deps.store.getStats(r.tenant, r.userId),
  ]);
  const streak = currentStreak(stats.streak, dayNumber(now, r.tz), profile.streakMode);
  if (!streak.atRisk || streak.streak === 0 || streak.freezes > 0) return false;
  const date = dayString(dayNumber(new Date(job.due ?? now.getTime()), r.tz));
  try {
    const where = await deps.messenger.openDirect(actorOf(r));
    await deps.messenger.post(
      where,
      text(
        `🔥 Your ${streak.streak}-day streak ends tonight unless you answer one question today: type \`quiz 1\`.`,
      ),
      { sendKey: `nudge:${r.tenant}:${r.userId}:${date}` },
    );
    return true;
  } catch (err) {
    if (await stopOnGone(deps, r, err)) return false;
    throw err;
  }
}
