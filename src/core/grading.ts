import type { Item } from './item';

/** The result of grading one answer to one item. */
export interface Grade {
  /** All-or-nothing: the whole item is right (what points use). */
  readonly correct: boolean;
  /** Points per part (what the mock exam's score and the feedback use). */
  readonly earned: number;
  readonly possible: number;
}

/** Why an answer could not be graded; the user gets a correction, nothing is recorded. */
export type ChoiceProblem =
  | { readonly problem: 'unknown-option'; readonly option: string }
  | { readonly problem: 'wrong-count'; readonly expected: number; readonly got: number }
  | { readonly problem: 'repeated-option' };

/**
 * Checks that a choice has the shape the item asks for: one option for single and
 * yes/no, exactly `choose` for multiple answer, exactly as many distinct steps as the
 * key for ordering, and only ids of the item's options.
 */
export function checkChoice(item: Item, choice: readonly string[]): ChoiceProblem | undefined {
  const ids = new Set(item.options.map((o) => o.id));
  const unknown = choice.find((c) => !ids.has(c));
  if (unknown !== undefined) return { problem: 'unknown-option', option: unknown };
  if (new Set(choice).size !== choice.length) return { problem: 'repeated-option' };
  const expected = partsOf(item);
  if (item.type === 'single' || item.type === 'yesno') {
    if (choice.length !== 1) return { problem: 'wrong-count', expected: 1, got: choice.length };
  } else if (choice.length !== expected) {
    return { problem: 'wrong-count', expected, got: choice.length };
  }
  return undefined;
}

/** How many points an item is worth in a mock exam: 1, its stated count, or its steps. */
export function partsOf(item: Item): number {
  return item.type === 'single' || item.type === 'yesno' ? 1 : item.key.length;
}

/**
 * Grades a checked choice. Multiple answer: one point per keyed option chosen.
 * Ordering: one point per step in its right place. No penalty for guessing.
 */
export function grade(item: Item, choice: readonly string[]): Grade {
  const possible = partsOf(item);
  let earned: number;
  if (item.type === 'order') {
    earned = item.key.filter((k, i) => choice[i] === k).length;
  } else {
    const key = new Set(item.key);
    earned = Math.min(possible, choice.filter((c) => key.has(c)).length);
  }
  return { correct: earned === possible, earned, possible };
}
