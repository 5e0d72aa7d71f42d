import type { Bank } from '../core/bank';
import type { Item } from '../core/item';

/** Two items whose stems are nearly the same. */
export interface NearDuplicate {
  readonly a: { readonly id: string; readonly file?: string };
  readonly b: { readonly id: string; readonly file?: string };
  /** Jaccard similarity of the stems' word shingles, 0..1. */
  readonly similarity: number;
}

/** Pairs at or above this similarity are reported. */
export const NEAR_DUPLICATE_THRESHOLD = 0.8;

/** Words of a text, lowercased, without punctuation or Markdown marks. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[`*_"'“”‘’()[\]{}<>]/g, ' ')
    .split(/[^\p{L}\p{N}.@/:-]+/u)
    .map((w) => w.replace(/^[.:/-]+|[.:/-]+$/g, ''))
    .filter((w) => w.length > 0);
}

/**
 * The set of `size`-word shingles of a text (consecutive word runs joined by a space).
 * A text shorter than `size` words gives one shingle holding all its words.
 */
export function shingles(text: string, size = 3): Set<string> {
  const w = words(text);
  const out = new Set<string>();
  if (w.length === 0) return out;
  if (w.length < size) {
    out.add(w.join(' '));
    return out;
  }
  for (let i = 0; i + size <= w.length; i++) out.add(w.slice(i, i + size).join(' '));
  return out;
}

/** Jaccard similarity |A ∩ B| / |A ∪ B| of two sets; 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const x of small) if (large.has(x)) common++;
  return common / (a.size + b.size - common);
}

/**
 * Finds pairs of items whose stems have a word-3-shingle Jaccard similarity at or above
 * `threshold`, most similar first. Items of the same series or case study are not
 * compared with each other (their statements are alike on purpose); the goals of two
 * different series are compared too, reported under the series ids.
 */
export function findNearDuplicates(bank: Bank, threshold = NEAR_DUPLICATE_THRESHOLD): NearDuplicate[] {
  interface Entry {
    readonly id: string;
    readonly file?: string;
    readonly group: string;
    readonly shingles: Set<string>;
  }
  const entries: Entry[] = bank.items.map((i: Item) => ({
    id: i.id,
    ...(i.file ? { file: i.file } : {}),
    group: i.parent ? `${i.parent.kind}:${i.parent.id}` : `item:${i.id}`,
    shingles: shingles(i.stem),
  }));
  for (const u of bank.units) {
    const first = u.items[0];
    if (u.kind !== 'series' || !first?.parent) continue;
    entries.push({
      id: u.id,
      ...(first.file ? { file: first.file } : {}),
      group: `series-goal:${u.id}`,
      shingles: shingles(first.parent.text),
    });
  }
  const found: NearDuplicate[] = [];
  for (let x = 0; x < entries.length; x++) {
    const ex = entries[x]!;
    for (let y = x + 1; y < entries.length; y++) {
      const ey = entries[y]!;
      if (ex.group === ey.group) continue;
      if (ex.group.startsWith('series-goal:') !== ey.group.startsWith('series-goal:')) continue;
      const similarity = jaccard(ex.shingles, ey.shingles);
      if (similarity >= threshold) {
        found.push({
          a: { id: ex.id, ...(ex.file ? { file: ex.file } : {}) },
          b: { id: ey.id, ...(ey.file ? { file: ey.file } : {}) },
          similarity,
        });
      }
    }
  }
  return found.sort((p, q) => q.similarity - p.similarity || p.a.id.localeCompare(q.a.id));
}
