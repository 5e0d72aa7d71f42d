import type { Bank } from './bank';
import type { Item } from './item';
import type { AnswerTarget } from './model';
import { seededRandom, shuffled } from './random';
import type { OptionView, QuestionCard } from './reply';

const LETTERS = 'ABCDEFGHIJ';

/**
 * The order in which a user sees an item's options: shuffled with a seed (per user
 * and session in a DM, per post on a shared card). Yes/no stays "Yes, No".
 */
export function optionOrder(item: Item, seed: string): string[] {
  const ids = item.options.map((o) => o.id);
  return item.type === 'yesno' ? ids : shuffled(ids, seededRandom(`${seed}:${item.id}`));
}

/** Options with letters assigned in display order. */
export function optionViews(item: Item, order: readonly string[]): OptionView[] {
  return order.map((id, i) => {
    const o = item.options.find((x) => x.id === id);
    if (!o) throw new Error(`option "${id}" is not in item "${item.id}"`);
    return { id, letter: LETTERS[i] ?? String(i + 1), text: o.text };
  });
}

/** The views of some option ids, keeping the letters of the displayed order. */
export function viewsOf(ids: readonly string[], shown: readonly OptionView[]): OptionView[] {
  return ids.map((id) => shown.find((v) => v.id === id)).filter((v): v is OptionView => v !== undefined);
}

/** A question card for an item. Never carries the key. */
export function questionCard(
  bank: Bank,
  item: Item,
  target: AnswerTarget,
  order: readonly string[],
  extra: Partial<Pick<QuestionCard, 'position' | 'answerBy' | 'tally' | 'closed' | 'exam' | 'actions'>> = {},
): QuestionCard {
  const domain = bank.domain(item.domain);
  const skill = bank.skill(item.skill);
  return {
    kind: 'question',
    target,
    questionId: item.id,
    type: item.type,
    domain: { id: domain.id, name: domain.name },
    skill: { id: skill.id, name: skill.name },
    ...(item.parent
      ? { context: { kind: item.parent.kind, title: item.parent.title, text: item.parent.text } }
      : {}),
    stem: item.stem,
    ...(item.type === 'multiple' || item.type === 'order' ? { choose: item.key.length } : {}),
    options: optionViews(item, order),
    ...extra,
  };
}

/** The option letters a line consists of ("b", "a c", "C,A,B" → "ACB"), or undefined. */
export function typedLetters(text: string): string | undefined {
  const letters = text.toUpperCase().replace(/[\s,;]+/g, '');
  return /^[A-J]+$/.test(letters) ? letters : undefined;
}

/** Maps typed letters ("b", "a c", "C,A,B") to option ids in a displayed order. */
export function lettersToIds(text: string, order: readonly string[]): string[] | undefined {
  const letters = typedLetters(text);
  if (!letters) return undefined;
  const ids = [...letters].map((l) => order[LETTERS.indexOf(l)]);
  return ids.every((id): id is string => id !== undefined) ? ids : undefined;
}
