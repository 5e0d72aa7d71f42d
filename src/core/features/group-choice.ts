import type { Bank } from '../bank';
import type { Item } from '../item';
import type { Where } from '../model';
import type { Store, Tally } from '../ports';
import { seededRandom, shuffled } from '../random';

const DAILY_TYPES = new Set(['single', 'multiple', 'order']);
const POSTED_MEMORY_SECONDS = 400 * 86_400;
/** Enough members to know where a group is weak; bigger channels are sampled (first ids). */
const MEMBERS_SAMPLED = 200;

/**
 * How weak a group is in each sub-skill: 1 − smoothed accuracy over its members'
 * attempts ((correct + 1) / (total + 2)), so an untried sub-skill counts as 0.5.
 */
export async function groupWeakness(
  store: Store,
  tenant: string,
  groupId: string,
): Promise<Record<string, number>> {
  const members = (await store.groupMembers(tenant, groupId)).slice(0, MEMBERS_SAMPLED);
  const totals: Record<string, { correct: number; total: number }> = {};
  const all = await Promise.all(members.map((m) => store.getStats(tenant, m)));
  for (const stats of all) {
    for (const [skill, t] of Object.entries(stats.skills) as Array<[string, Tally]>) {
      const sum = totals[skill] ?? { correct: 0, total: 0 };
      totals[skill] = { correct: sum.correct + t.correct, total: sum.total + t.total };
    }
  }
  const out: Record<string, number> = {};
  for (const [skill, t] of Object.entries(totals)) out[skill] = 1 - (t.correct + 1) / (t.total + 2);
  return out;
}

/**
 * Picks a channel's question: single, multiple or ordering (no series or case
 * questions), one the channel has not had yet when there is one, from the sub-skill
 * where the channel's members do worst (ties broken by a seeded shuffle). Cost: one
 * `getStats` per member (at most 200) and a `claimOnce` per candidate tried.
 */
export async function pickForGroup(
  store: Store,
  bank: Bank,
  where: Where,
  groupId: string,
  seed: string,
): Promise<Item> {
  const weakness = await groupWeakness(store, where.tenant, groupId);
  const candidates = shuffled(
    bank.items.filter((i) => DAILY_TYPES.has(i.type) && !i.parent),
    seededRandom(seed),
  );
  if (candidates.length === 0) throw new Error('the pack has no question a channel can be asked');
  const weak = (i: Item) => weakness[i.skill] ?? 0.5;
  // Array.prototype.sort is stable: equal weakness keeps the shuffled order.
  const ranked = [...candidates].sort((a, b) => weak(b) - weak(a));
  for (const item of ranked) {
    if (await store.claimOnce(`posted:${where.tenant}:${where.id}:${item.id}`, POSTED_MEMORY_SECONDS))
      return item;
  }
  return ranked[0] as Item;
}
