import { type Ctx, text } from '../context';
import type { BoardRef } from '../ports';
import type { Leaderboard, Reply } from '../reply';
import { currentStreak } from '../streak';
import { dayNumber, isoWeekKey } from '../time';
import { channelGroup } from './channel-post';
import { groupId } from './groups';

const TOP = 10;

/**
 * A board: top 10 and the caller's rank. In a channel the top 10 is posted for all and
 * the caller's own rank privately; without a group name, a channel shows its own group.
 */
export async function leaderboard(
  ctx: Ctx,
  period: 'week' | 'all' | 'streak',
  groupName?: string,
): Promise<Reply[]> {
  let scope: Leaderboard['scope'] = { kind: 'workspace' };
  let gid: string | undefined;
  if (groupName) {
    const group = await ctx.store.getGroup(ctx.tenant, groupId(groupName));
    if (!group)
      return [
        text(
          `There is no group "${groupName}". See \`groups\`, or create it with \`group create ${groupName}\`.`,
          ctx.inChannel ? 'private' : undefined,
        ),
      ];
    scope = { kind: 'group', name: group.name };
    gid = group.id;
  } else if (ctx.inChannel) {
    const g = await ctx.store.getGroup(ctx.tenant, channelGroup(ctx.where).id);
    if (g) {
      scope = { kind: 'group', name: g.name };
      gid = g.id;
    }
  }
  const week = isoWeekKey(ctx.now(), await ctx.workspaceTz());
  const ref: BoardRef = { period, ...(gid ? { groupId: gid } : {}), ...(period === 'week' ? { week } : {}) };
  const rows = await ctx.store.leaderboard(ctx.tenant, ref, ctx.userId, TOP);
  const entries = rows.rows.map((r, i) => ({ rank: i + 1, name: r.name, userId: r.userId, score: r.score }));
  const profile = await ctx.profile();
  let myScore = rows.myScore;
  if (period === 'streak') {
    const stats = await ctx.store.getStats(ctx.tenant, ctx.userId);
    myScore = currentStreak(
      stats.streak,
      dayNumber(ctx.now(), await ctx.userTz()),
      profile.streakMode,
    ).streak;
  }
  const me = { rank: profile.hidden ? null : rows.myRank, score: myScore, hidden: profile.hidden };
  const board: Leaderboard = {
    kind: 'leaderboard',
    period,
    scope,
    ...(period === 'week' ? { week } : {}),
    entries,
  };
  if (!ctx.inChannel) return [{ ...board, me }];
  const unit = period === 'streak' ? 'day streak' : 'points';
  const mine = me.hidden
    ? `You are hidden from the boards (${myScore} ${unit}). \`leaderboard show\` brings you back.`
    : me.rank
      ? `You are #${me.rank} on this board with ${myScore} ${unit}.`
      : `You are not on this board yet. Answer a question to get on it!`;
  return [board, text(mine, 'private')];
}

/** `leaderboard hide` / `show`: leave or rejoin the public boards; figures are kept. */
export async function setVisibility(ctx: Ctx, hidden: boolean): Promise<Reply[]> {
  await ctx.store.updateProfile(ctx.tenant, ctx.userId, { hidden });
  await ctx.store.setHidden(ctx.tenant, ctx.userId, hidden);
  return [
    text(
      hidden
        ? "You're off the public leaderboards. Your points and streak are kept; `leaderboard show` brings you back."
        : "You're back on the leaderboards.",
      ctx.inChannel ? 'private' : undefined,
    ),
  ];
}
