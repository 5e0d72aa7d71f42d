/** The four shapes an answerable item can take once a pack is loaded. */
export type ItemType = 'single' | 'multiple' | 'order' | 'yesno';

/** An answer option as the bank holds it. `why` is set on every wrong option. */
export interface Option {
  readonly id: string;
  readonly text: string;
  readonly why?: string;
}

/** Where an item sits when it belongs to a yes/no series or a case study. */
export interface ItemParent {
  readonly kind: 'series' | 'case';
  readonly id: string;
  /** The series' shared goal, or the case study's title. */
  readonly title: string;
  /** The series' shared stem, or the case study's scenario. */
  readonly text: string;
  /** Position of this item inside its parent (0-based) and the parent's size. */
  readonly index: number;
  readonly size: number;
}

/**
 * One answerable item: a question, a statement of a series, or a question of a
 * case study. The key is a list of option ids (in order, for ordering items).
 */
export interface Item {
  readonly id: string;
  readonly type: ItemType;
  readonly domain: string;
  readonly skill: string;
  readonly difficulty: 1 | 2 | 3;
  readonly stem: string;
  readonly options: readonly Option[];
  readonly key: readonly string[];
  /** For `multiple`: how many options to choose (always `key.length`). */
  readonly choose?: number;
  readonly explanation: string;
  readonly links: readonly string[];
  readonly parent?: ItemParent;
  /** Source file, for error messages. */
  readonly file?: string;
}

/** The options of a yes/no statement. */
export const yesNoOptions = (answer: 'yes' | 'no', explanation: string): Option[] => [
  { id: 'yes', text: 'Yes', ...(answer === 'no' ? { why: explanation } : {}) },
  { id: 'no', text: 'No', ...(answer === 'yes' ? { why: explanation } : {}) },
];
