import type { Store } from '../core';

/**
 * Everything a store holds about one user, gathered through the store's own reads, as
 * plain JSON: what `export` sends. Both stores use it, so the export is the same on each.
 */
export async function exportUserData(
  store: Store,
  tenant: string,
  userId: string,
): Promise<Record<string, unknown>> {
  const [profile, stats, cards, seen, groups, reports, names, reminder] = await Promise.all([
    store.getProfile(tenant, userId),
    store.getStats(tenant, userId),
    store.cards(tenant, userId),
    store.seenQuestions(tenant, userId),
    store.userGroups(tenant, userId),
    store.reports(tenant),
    store.names(tenant, [userId]),
    store.getReminder(tenant, userId),
  ]);
  return {
    userId,
    name: names[userId],
    profile,
    stats,
    groups: groups.map((g) => g.name),
    answeredQuestions: [...seen].sort(),
    reviewCards: cards,
    reminder: reminder ?? null,
    reports: reports.filter((r) => r.userId === userId),
  };
}
