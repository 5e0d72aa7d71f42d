import { Bank } from '../../src/core/bank';
import { loadPack } from '../../src/packs/load-pack';
import { findNearDuplicates, jaccard, shingles, words } from '../../src/packs/near-duplicates';
import { MINI } from './tmp-pack';

describe('shingles and jaccard', () => {
  it('normalises case, punctuation and Markdown', () => {
    expect(words('Use the `Cache@2` task, then run *npm ci*.')).toEqual([
      'use',
      'the',
      'cache@2',
      'task',
      'then',
      'run',
      'npm',
      'ci',
    ]);
  });

  it('makes word 3-shingles, or one shingle for short texts', () => {
    expect([...shingles('a b c d')]).toEqual(['a b c', 'b c d']);
    expect([...shingles('a b')]).toEqual(['a b']);
  });

  it('computes Jaccard similarity', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(jaccard(shingles('Same words here.'), shingles('same words HERE'))).toBe(1);
  });
});

describe('findNearDuplicates', () => {
  const bank = loadPack(MINI);

  it('finds the near-identical stems of the fixture pack, and nothing else', () => {
    const found = findNearDuplicates(bank);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ a: { id: 'mini-pipe-1' }, b: { id: 'mini-pipe-2' } });
    expect(found[0]!.similarity).toBeGreaterThanOrEqual(0.8);
    expect(found[0]!.a.file).toMatch(/a-standalone\.yaml$/);
  });

  it('compares every pair of items outside the same series or case', () => {
    expect(findNearDuplicates(bank, 1.01)).toEqual([]);
    // 11 items: 55 pairs, less 3 inside the series and 1 inside the case study.
    expect(findNearDuplicates(bank, 0)).toHaveLength(51);
  });

  it('does not compare statements of the same series, but compares the goals of two series', () => {
    const statement = (id: string, text: string) => ({
      id,
      text,
      answer: 'yes' as const,
      explanation: 'An explanation that is long enough.',
    });
    const series = (id: string, goal: string) => ({
      type: 'series' as const,
      id,
      domain: 'security',
      skill: '4.2',
      difficulty: 2 as const,
      stem: goal,
      links: ['https://learn.microsoft.com/en-us/azure/key-vault/general/overview'],
      statements: [
        statement(`${id}-a`, `You store the secret in Azure Key Vault ${id}.`),
        statement(`${id}-b`, `You store the secret in Azure Key Vault ${id} again.`),
      ],
    });
    const goal = 'You must keep the database password of the release pipeline out of the logs.';
    const b = Bank.build(loadPack(MINI).manifest, [
      { file: 'x.yaml', entries: [series('s1', goal), series('s2', `${goal} `)] },
    ]);
    const pairs = findNearDuplicates(b).map((p) => `${p.a.id}~${p.b.id}`);
    expect(pairs).toContain('s1~s2');
    expect(pairs).not.toContain('s1-a~s1-b');
  });
});
