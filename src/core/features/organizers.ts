import { type Ctx, text } from '../context';
import type { Reply } from '../reply';

/**
 * Whether the caller organizes this channel: a workspace admin, someone on the
 * channel's list, or, while the list is empty, anyone (who then becomes its first
 * organizer on their first organizer command: see {@link claimOrganizer}).
 */
export async function isOrganizer(ctx: Ctx): Promise<boolean> {
  if (ctx.actor.isAdmin) return true;
  const list = await ctx.store.organizers(ctx.tenant, ctx.where.id);
  return list.length === 0 || list.includes(ctx.userId);
}

/** Makes the caller this channel's first organizer if it has none; the workspace time zone follows theirs until set. */
export async function claimOrganizer(ctx: Ctx): Promise<boolean> {
  const list = await ctx.store.organizers(ctx.tenant, ctx.where.id);
  if (list.length > 0) return false;
  await ctx.store.addOrganizer(ctx.tenant, ctx.where.id, ctx.userId);
  if (!(await ctx.store.getWorkspaceTz(ctx.tenant)))
    await ctx.store.setWorkspaceTz(ctx.tenant, await ctx.userTz());
  return true;
}

/** The refusal shown to non-organizers. */
export const organizersOnly = (): Reply =>
  text("Only this channel's organizers can do that. See who they are with `organizers`.", 'private');

/** `organizer add @user`. */
export async function addOrganizer(ctx: Ctx, userId: string): Promise<Reply[]> {
  if (!(await isOrganizer(ctx))) return [organizersOnly()];
  await claimOrganizer(ctx);
  await ctx.store.addOrganizer(ctx.tenant, ctx.where.id, userId);
  const names = await ctx.store.names(ctx.tenant, [userId]);
  return [text(`${names[userId] ?? `<@${userId}>`} is now an organizer of this channel.`)];
}

/** `organizers`: who organizes this channel. */
export async function listOrganizers(ctx: Ctx): Promise<Reply[]> {
  const ids = await ctx.store.organizers(ctx.tenant, ctx.where.id);
  if (ids.length === 0)
    return [
      text(
        'This channel has no organizer yet. Whoever turns on the daily question (`daily on 09:30`) becomes one.',
        'private',
      ),
    ];
  const names = await ctx.store.names(ctx.tenant, ids);
  return [text(`Organizers here: ${ids.map((id) => names[id] ?? `<@${id}>`).join(', ')}.`, 'private')];
}
