import { type Ctx, text } from '../context';
import { readiness } from '../learning/readiness';
import type { Tally } from '../ports';
import type { Reply } from '../reply';
import { channelGroup } from './channel-post';
import { isOrganizer, organizersOnly } from './organizers';

/** Groups smaller than this show nothing: aggregates of two people reveal individuals. */
export const MIN_TEAM = 3;

/**
 * `team` (organizers, in a channel): the channel group's per-domain accuracy and
 * readiness as aggregates only; never one person's figures, nothing under 3 members.
 */
export async function teamView(ctx: Ctx): Promise<Reply[]> {
  if (!(await isOrganizer(ctx))) return [organizersOnly()];
  const group = channelGroup(ctx.where);
  const members = await ctx.store.groupMembers(ctx.tenant, group.id);
  if (members.length < MIN_TEAM) {
    return [
      text(
        `The team view needs at least ${MIN_TEAM} members in ${group.name} (now ${members.length}), so that nobody's figures can be singled out. Members join by answering a channel question.`,
        'private',
      ),
    ];
  }
  const all = await Promise.all(members.map((m) => ctx.store.getStats(ctx.tenant, m)));
  const domains: Record<string, Tally> = {};
  for (const s of all) {
    for (const [d, t] of Object.entries(s.domains)) {
      const x = domains[d] ?? { correct: 0, total: 0 };
      domains[d] = { correct: x.correct + t.correct, total: x.total + t.total };
    }
  }
  const ready = readiness(ctx.bank, domains);
  const lines = ctx.bank.manifest.domains.map((d) => {
    const t = domains[d.id] ?? { correct: 0, total: 0 };
    const pct = t.total ? `${Math.round((t.correct / t.total) * 100)}%` : '–';
    return `- ${d.name}: ${pct} right over ${t.total} answers`;
  });
  return [
    text(
      `**${group.name}**: ${members.length} members\n${lines.join('\n')}\nTeam readiness estimate: **${ready.score}** ± ${ready.margin} of 1000 (pass at ${ctx.bank.manifest.format.passingScore}).`,
      'private',
    ),
  ];
}
