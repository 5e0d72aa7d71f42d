import { type Ctx, text } from '../context';
import type { Reply } from '../reply';
import type { StreakMode } from '../streak';
import { isOrganizer } from './organizers';
import { registerReminder } from './reminders';

/** `timezone Area/City` (own) and `timezone workspace Area/City` (organizers and admins). */
export async function setTimezone(ctx: Ctx, tz: string, workspace: boolean): Promise<Reply[]> {
  if (workspace) {
    if (!ctx.actor.isAdmin && !(ctx.inChannel && (await isOrganizer(ctx))))
      return [
        text(
          'Only an organizer (in their channel) or a workspace admin can set the workspace time zone.',
          'private',
        ),
      ];
    await ctx.store.setWorkspaceTz(ctx.tenant, tz);
    return [text(`The workspace time zone is now **${tz}**. Weekly boards run Monday to Sunday there.`)];
  }
  await ctx.store.updateProfile(ctx.tenant, ctx.userId, { tz });
  ctx.profileChanged();
  // A reminder keeps the zone it was set in: move it along.
  const reminder = await ctx.store.getReminder(ctx.tenant, ctx.userId);
  if (reminder) {
    const moved = { ...reminder, tz, updatedAt: ctx.now().getTime() };
    await ctx.store.saveReminder(moved);
    await registerReminder(ctx.scheduler, moved);
  }
  return [
    text(
      `Your time zone is now **${tz}**. Your streak days and reminders follow it.`,
      ctx.inChannel ? 'private' : undefined,
    ),
  ];
}

/** `streak weekdays` / `streak daily`. */
export async function setStreakMode(ctx: Ctx, mode: StreakMode): Promise<Reply[]> {
  await ctx.store.updateProfile(ctx.tenant, ctx.userId, { streakMode: mode });
  return [
    text(
      mode === 'weekdays'
        ? 'Streak mode: **weekdays**. Saturdays and Sundays neither count nor break your streak.'
        : 'Streak mode: **daily**. Every day counts.',
    ),
  ];
}
