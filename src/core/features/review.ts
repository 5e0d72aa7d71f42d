import { type Ctx, text } from '../context';
import type { Item } from '../item';
import { retrievability, unpackCard } from '../learning/cards';
import { newId, seededRandom, shuffled } from '../random';
import type { Reply } from '../reply';
import { startSessionWith } from './quiz';

/** Reviews served per rolling day at most, so a backlog after a holiday comes back gradually. */
export const REVIEWS_PER_DAY = 30;
const REVIEWS_PER_SESSION = 10;
const DRILL_SIZE = 5;

/** `review`: a session of the cards due now (FSRS), within the daily cap. */
export async function startReview(ctx: Ctx): Promise<Reply[]> {
  const now = ctx.now().getTime();
  const due = (await ctx.store.dueCards(ctx.tenant, ctx.userId, now, REVIEWS_PER_SESSION)).filter((id) =>
    ctx.bank.item(id),
  );
  if (due.length === 0) {
    return [
      text(
        'Nothing is due for review right now: well done! `quiz` for new questions, or `drill` for your weakest sub-skills.',
      ),
    ];
  }
  const served: string[] = [];
  for (const id of due) {
    const token = await ctx.store.takeToken({
      key: `reviews:${ctx.tenant}:${ctx.userId}`,
      capacity: REVIEWS_PER_DAY,
      perSecond: REVIEWS_PER_DAY / 86_400,
    });
    if (!token.ok) break;
    served.push(id);
  }
  if (served.length === 0) {
    return [
      text(
        `You've done your ${REVIEWS_PER_DAY} reviews for today; the rest come back tomorrow, a few at a time. Try \`quiz\` meanwhile.`,
      ),
    ];
  }
  const items = served.map((id) => ctx.bank.item(id) as Item);
  return startSessionWith(
    ctx,
    items,
    'review',
    `Review: ${items.length} card${items.length === 1 ? '' : 's'} due. Answer from memory.`,
  );
}

/**
 * The user's weakest sub-skills (of those the pack has questions for), weakest first:
 * accuracy smoothed toward 50 % (so one miss does not dominate), discounted by how far
 * the skill's cards have faded (FSRS retrievability).
 */
export async function weakestSkills(ctx: Ctx, count = 3): Promise<string[]> {
  const [stats, packed] = await Promise.all([
    ctx.store.getStats(ctx.tenant, ctx.userId),
    ctx.store.cards(ctx.tenant, ctx.userId),
  ]);
  const now = ctx.now();
  const recall = new Map<string, number[]>();
  for (const [id, p] of Object.entries(packed)) {
    const item = ctx.bank.item(id);
    const card = unpackCard(p);
    if (!item || !card) continue;
    recall.set(item.skill, [...(recall.get(item.skill) ?? []), retrievability(card, now)]);
  }
  const skills = [...new Set(ctx.bank.items.map((i) => i.skill))];
  // Accuracy, discounted as the skill's cards fade from memory (mean retrievability).
  const strength = (skill: string) => {
    const t = stats.skills[skill] ?? { correct: 0, total: 0 };
    const accuracy = (t.correct + 1) / (t.total + 2);
    const r = recall.get(skill);
    return r?.length ? accuracy * (0.5 + (0.5 * r.reduce((a, b) => a + b, 0)) / r.length) : accuracy;
  };
  return skills.sort((a, b) => strength(a) - strength(b)).slice(0, count);
}

/** `drill`: questions from the user's weakest sub-skills, unseen or least recalled first. */
export async function startDrill(ctx: Ctx): Promise<Reply[]> {
  const weak = await weakestSkills(ctx);
  const seen = await ctx.store.seenQuestions(ctx.tenant, ctx.userId);
  const random = seededRandom(`${ctx.userId}:${newId()}`);
  // Weakest skill first; inside a skill, unseen questions first.
  const pool = shuffled(
    ctx.bank.items.filter((i) => weak.includes(i.skill) && !i.parent),
    random,
  ).sort(
    (a, b) =>
      weak.indexOf(a.skill) - weak.indexOf(b.skill) || Number(seen.has(a.id)) - Number(seen.has(b.id)),
  );
  const items = pool.slice(0, DRILL_SIZE);
  if (items.length === 0) return [text('No questions to drill yet. Try `quiz`.')];
  const names = weak.map((s) => `${s} ${ctx.bank.skill(s).name}`).join(', ');
  return startSessionWith(ctx, items, 'drill', `Drill on your weakest sub-skills: ${names}.`);
}
