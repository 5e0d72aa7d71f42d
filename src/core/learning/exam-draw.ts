import type { Bank, Unit } from '../bank';
import type { Item } from '../item';
import { seededRandom, shuffled } from '../random';

/** A section of a mock exam, in the order taken. */
export interface ExamSection {
  /** `main`: skip, flag and revisit freely; `series`: one way; `case`: free inside, locked once left. */
  readonly kind: 'main' | 'series' | 'case';
  readonly id: string;
  readonly items: readonly string[];
}

/** Each domain's share of an exam: the midpoint of its weight band, normalised. */
export function domainShares(bank: Bank): Map<string, number> {
  const mids = bank.manifest.domains.map((d) => [d.id, (d.weight.min + d.weight.max) / 2] as const);
  const total = mids.reduce((s, [, m]) => s + m, 0);
  return new Map(mids.map(([id, m]) => [id, m / total]));
}

/** Splits `n` by shares with the largest-remainder method. */
export function apportion(n: number, shares: Map<string, number>): Map<string, number> {
  const raw = [...shares].map(([k, s]) => ({ k, exact: n * s }));
  const out = new Map(raw.map((r) => [r.k, Math.floor(r.exact)]));
  let left = n - [...out.values()].reduce((a, b) => a + b, 0);
  for (const r of [...raw].sort((a, b) => (b.exact % 1) - (a.exact % 1))) {
    if (left-- <= 0) break;
    out.set(r.k, (out.get(r.k) ?? 0) + 1);
  }
  return out;
}

/**
 * Draws a mock exam of `count` items matching the domain weights: one case study
 * (from 20 items up) and one yes/no series (from 10 up) when the pack has them, the
 * rest single, multiple and ordering questions. Sections: main, then series, then case.
 */
export function drawExam(bank: Bank, count: number, seed: string): ExamSection[] {
  const random = seededRandom(seed);
  const pick = (kind: Unit['kind']) =>
    shuffled(
      bank.units.filter((u) => u.kind === kind),
      random,
    )[0];
  const caseUnit = count >= 20 ? pick('case') : undefined;
  const seriesUnit = count >= 10 ? pick('series') : undefined;
  const special: Item[] = [...(seriesUnit?.items ?? []), ...(caseUnit?.items ?? [])];
  const quotas = apportion(count, domainShares(bank));
  for (const item of special) quotas.set(item.domain, (quotas.get(item.domain) ?? 0) - 1);
  const standalone = shuffled(
    bank.units.filter((u) => u.kind === 'question').map((u) => u.items[0] as Item),
    random,
  );
  const main: Item[] = [];
  for (const [domain, quota] of quotas)
    main.push(...standalone.filter((i) => i.domain === domain).slice(0, Math.max(0, quota)));
  // A domain short of questions (or quotas pushed below zero by the case study) is made up from the rest.
  const taken = new Set(main.map((i) => i.id));
  for (const item of standalone) {
    if (main.length + special.length >= count) break;
    if (!taken.has(item.id)) main.push(item);
  }
  while (main.length + special.length > count && main.length > 0) main.pop();
  const sections: ExamSection[] = [
    { kind: 'main', id: 'main', items: shuffled(main, random).map((i) => i.id) },
  ];
  if (seriesUnit)
    sections.push({ kind: 'series', id: seriesUnit.id, items: seriesUnit.items.map((i) => i.id) });
  if (caseUnit) sections.push({ kind: 'case', id: caseUnit.id, items: caseUnit.items.map((i) => i.id) });
  return sections.filter((s) => s.items.length > 0);
}
