import { checkMinimums, computeCoverage, DEFAULT_MINIMUMS, type Minimums } from '../../src/packs/coverage';
import { loadPack } from '../../src/packs/load-pack';
import { MINI } from './tmp-pack';

// Counted by hand from test/fixtures/pack-mini (see the comment in a-standalone.yaml).
describe('computeCoverage on the fixture pack', () => {
  const report = computeCoverage(loadPack(MINI));

  it('counts items per domain against the weight bands', () => {
    expect(report.items).toBe(11);
    const byId = Object.fromEntries(report.domains.map((d) => [d.id, [d.count, d.inBand]]));
    expect(byId).toEqual({
      process: [1, false],
      source: [1, false],
      pipelines: [5, false],
      security: [3, false],
      monitoring: [1, true], // 9.1 % in 5-10 %
    });
    expect(report.domains.find((d) => d.id === 'pipelines')?.share).toBeCloseTo(5 / 11);
  });

  it('counts items per sub-skill, listing empty ones', () => {
    const counts = Object.fromEntries(report.skills.map((s) => [s.id, s.count]));
    expect(counts).toMatchObject({
      '1.1': 1,
      '1.2': 0,
      '2.1': 1,
      '3.3': 2,
      '3.4': 1,
      '3.5': 1,
      '3.6': 1,
      '4.2': 3,
      '5.1': 1,
      '5.2': 0,
    });
    expect(report.skills).toHaveLength(16);
  });

  it('counts types, series and case studies', () => {
    const t = report.types;
    expect([
      t.single.count,
      t.multiple.count,
      t.order.count,
      t.seriesStatements.count,
      t.caseQuestions.count,
    ]).toEqual([6, 1, 1, 3, 2]);
    expect([t.series, t.cases]).toEqual([1, 1]);
    expect(report.seriesSizes).toEqual([{ id: 'mini-series-1', size: 3 }]);
    expect(report.caseSizes).toEqual([{ id: 'mini-case-1', size: 2 }]);
  });

  it('counts difficulty, with a statement overriding its series', () => {
    expect([report.difficulty[1].count, report.difficulty[2].count, report.difficulty[3].count]).toEqual([
      2, 6, 3,
    ]);
  });

  it('counts key positions of single and multiple items and flags those above 35 %', () => {
    expect(report.keyPositions.map((k) => [k.label, k.keys, k.flagged])).toEqual([
      ['A', 3, true],
      ['B', 2, false],
      ['C', 1, false],
      ['D', 2, false],
      ['E', 0, false],
    ]);
    expect(report.keyPositions[0]?.share).toBeCloseTo(3 / 8);
  });
});

describe('checkMinimums', () => {
  const report = computeCoverage(loadPack(MINI));
  const failing = (min: Minimums) =>
    checkMinimums(report, min)
      .filter((m) => !m.ok)
      .map((m) => m.rule);

  it('lists what a partial pack misses', () => {
    const rules = failing(DEFAULT_MINIMUMS);
    expect(rules).toEqual(
      expect.arrayContaining([
        'items',
        'domain:pipelines',
        'skill:1.2',
        'type:single',
        'type:multiple',
        'series',
        'cases',
        'case-size:mini-case-1',
        'key-position:A',
      ]),
    );
    expect(rules).not.toContain('domain:monitoring');
    expect(rules).not.toContain('type:order'); // 1 of 11 = 9.1 % >= 8 %
    expect(rules).not.toContain('series-size:mini-series-1'); // 3 statements
  });

  it('passes when the pack meets the minimums given', () => {
    const lenient: Minimums = {
      ...DEFAULT_MINIMUMS,
      items: 10,
      skillItems: 0,
      singleShare: 0.5,
      multipleShare: 0.05,
      orderShare: 0.05,
      series: 1,
      cases: 1,
      caseSize: { min: 2, max: 6 },
      maxKeyPositionShare: 0.4,
    };
    expect(failing(lenient)).toEqual([
      'domain:process',
      'domain:source',
      'domain:pipelines',
      'domain:security',
    ]);
  });
});
