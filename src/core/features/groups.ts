import { type Ctx, text } from '../context';
import type { Reply } from '../reply';

/** A group's id from its name: lowercase, spaces and underscores as dashes. */
export function groupId(name: string): string {
  return `g-${name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')}`;
}

/** `group create NAME`: creates a named study group and joins its creator. */
export async function createGroup(ctx: Ctx, name: string): Promise<Reply[]> {
  const id = groupId(name);
  const created = await ctx.store.createGroup(ctx.tenant, { id, name, kind: 'named' });
  if (created === 'exists')
    return [text(`A group "${name}" already exists. Join it with \`group join ${name}\`.`)];
  await ctx.store.joinGroup(ctx.tenant, id, ctx.userId);
  return [
    text(
      `Created the study group **${name}** and added you. Others join with \`group join ${name}\`; its board is \`leaderboard week ${name}\`.`,
    ),
  ];
}

/** `group join NAME`. */
export async function joinGroup(ctx: Ctx, name: string): Promise<Reply[]> {
  const group = await ctx.store.getGroup(ctx.tenant, groupId(name));
  if (!group) return [text(`There is no group "${name}". Create it with \`group create ${name}\`.`)];
  const joined = await ctx.store.joinGroup(ctx.tenant, group.id, ctx.userId);
  return [
    text(
      joined
        ? `You joined **${group.name}**. Points you earn from now on count on its boards.`
        : `You are already in **${group.name}**.`,
    ),
  ];
}

/** `group leave NAME`. */
export async function leaveGroup(ctx: Ctx, name: string): Promise<Reply[]> {
  const group = await ctx.store.getGroup(ctx.tenant, groupId(name));
  const left = group ? await ctx.store.leaveGroup(ctx.tenant, group.id, ctx.userId) : false;
  return [text(left ? `You left **${group?.name}**.` : `You are not in a group called "${name}".`)];
}

/** `groups`: the workspace's groups with their sizes; the caller's are marked. */
export async function listGroups(ctx: Ctx): Promise<Reply[]> {
  const [all, mine] = await Promise.all([
    ctx.store.listGroups(ctx.tenant),
    ctx.store.userGroups(ctx.tenant, ctx.userId),
  ]);
  if (all.length === 0) return [text('No study groups yet. Start one with `group create NAME`.')];
  const my = new Set(mine.map((g) => g.id));
  const lines = all
    .sort((a, b) => b.members - a.members || a.name.localeCompare(b.name))
    .map(
      (g) =>
        `- **${g.name}**: ${g.members} member${g.members === 1 ? '' : 's'}${my.has(g.id) ? ' _(you)_' : ''}`,
    );
  return [text(`Study groups:\n${lines.join('\n')}`)];
}
