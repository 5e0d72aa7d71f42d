import type { Bank } from '../bank';
import { checkChoice, grade, partsOf } from '../grading';
import type { Item } from '../item';

/** One item's outcome in a mock exam. */
export interface ExamItemResult {
  readonly item: Item;
  readonly choice?: readonly string[];
  readonly earned: number;
  readonly possible: number;
  readonly correct: boolean;
}

/** The scored exam. */
export interface ExamScore {
  readonly earned: number;
  readonly possible: number;
  /** `round(1000 × earned / possible)`. */
  readonly score: number;
  readonly passed: boolean;
  readonly domains: ReadonlyArray<{
    readonly domain: string;
    readonly earned: number;
    readonly possible: number;
  }>;
  readonly items: readonly ExamItemResult[];
}

/**
 * Scores a mock exam as Microsoft describes it: one point per correct part (multiple
 * answer: per keyed option chosen; ordering: per step in place; series: per
 * statement), no penalty for guessing, unanswered items earn nothing. Pass at the pack's
 * passing score (our estimate: Microsoft does not publish its scaling).
 */
export function scoreExam(
  bank: Bank,
  itemIds: readonly string[],
  answers: Readonly<Record<string, readonly string[]>>,
): ExamScore {
  const items: ExamItemResult[] = itemIds.flatMap((id): ExamItemResult[] => {
    const item = bank.item(id);
    if (!item) return [];
    const choice = answers[id];
    const possible = partsOf(item);
    if (!choice || checkChoice(item, choice))
      return [{ item, earned: 0, possible, correct: false, ...(choice ? { choice } : {}) }];
    const g = grade(item, choice);
    return [{ item, choice, earned: g.earned, possible, correct: g.correct }];
  });
  const earned = items.reduce((s, r) => s + r.earned, 0);
  const possible = items.reduce((s, r) => s + r.possible, 0);
  const score = possible === 0 ? 0 : Math.round((1000 * earned) / possible);
  const byDomain = new Map<string, { earned: number; possible: number }>();
  for (const r of items) {
    const d = byDomain.get(r.item.domain) ?? { earned: 0, possible: 0 };
    byDomain.set(r.item.domain, { earned: d.earned + r.earned, possible: d.possible + r.possible });
  }
  const order = bank.manifest.domains.map((d) => d.id);
  return {
    earned,
    possible,
    score,
    passed: score >= bank.manifest.format.passingScore,
    domains: [...byDomain]
      .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
      .map(([domain, d]) => ({ domain, ...d })),
    items,
  };
}
