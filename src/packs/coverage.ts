import type { Bank } from '../core/bank';
import type { Item } from '../core/item';

/** A count and its share of the pack's answerable items (0..1). */
export interface Share {
  readonly count: number;
  readonly share: number;
}

/** Items of one domain (skills group) against the domain's published weight band. */
export interface DomainCoverage extends Share {
  readonly id: string;
  readonly name: string;
  /** The weight band in percent, from the manifest. */
  readonly weight: { readonly min: number; readonly max: number };
  readonly inBand: boolean;
}

/** Items of one sub-skill. */
export interface SkillCoverage extends Share {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
}

/** Keys found at one option position (0 = first option) of single and multiple items. */
export interface KeyPosition {
  readonly position: number;
  /** The position as a letter: A for the first option. */
  readonly label: string;
  readonly keys: number;
  /** Share of all counted keys (0..1). */
  readonly share: number;
  readonly flagged: boolean;
}

/** A yes/no series or a case study and how many items it holds. */
export interface UnitSize {
  readonly id: string;
  readonly size: number;
}

/** What a pack holds, computed by {@link computeCoverage}. Counts are per answerable item. */
export interface CoverageReport {
  readonly exam: string;
  readonly complete: boolean;
  readonly items: number;
  readonly domains: readonly DomainCoverage[];
  readonly skills: readonly SkillCoverage[];
  readonly types: {
    /** By item type; questions of case studies count under their own type. */
    readonly single: Share;
    readonly multiple: Share;
    readonly order: Share;
    /** Statements of yes/no series. */
    readonly seriesStatements: Share;
    /** Questions inside case studies (of any type). */
    readonly caseQuestions: Share;
    readonly series: number;
    readonly cases: number;
  };
  readonly seriesSizes: readonly UnitSize[];
  readonly caseSizes: readonly UnitSize[];
  readonly difficulty: { readonly 1: Share; readonly 2: Share; readonly 3: Share };
  /** Counted over the keys of single and multiple items; order and yes/no items are left out. */
  readonly keyPositions: readonly KeyPosition[];
}

/** Key positions above this share are flagged (a test-wise candidate could guess them). */
export const MAX_KEY_POSITION_SHARE = 0.35;

/**
 * Counts a bank's items per domain (against its weight band), sub-skill, type,
 * difficulty and key position. Pure; the result is plain data, fit for JSON.
 */
export function computeCoverage(bank: Bank, maxKeyShare = MAX_KEY_POSITION_SHARE): CoverageReport {
  const items = bank.items;
  const total = items.length;
  const share = (count: number): Share => ({ count, share: total === 0 ? 0 : count / total });
  const countWhere = (p: (i: Item) => boolean) => share(items.filter(p).length);

  const domains = bank.manifest.domains.map((d): DomainCoverage => {
    const s = countWhere((i) => i.domain === d.id);
    const percent = s.share * 100;
    return {
      id: d.id,
      name: d.name,
      ...s,
      weight: { min: d.weight.min, max: d.weight.max },
      inBand: total > 0 && percent >= d.weight.min - 1e-9 && percent <= d.weight.max + 1e-9,
    };
  });
  const skills = bank.manifest.domains.flatMap((d) =>
    d.skills.map(
      (k): SkillCoverage => ({
        id: k.id,
        name: k.name,
        domain: d.id,
        ...countWhere((i) => i.domain === d.id && i.skill === k.id),
      }),
    ),
  );

  const sizes = (kind: 'series' | 'case') =>
    bank.units.filter((u) => u.kind === kind).map((u): UnitSize => ({ id: u.id, size: u.items.length }));
  const seriesSizes = sizes('series');
  const caseSizes = sizes('case');

  const keyed = items.filter((i) => i.type === 'single' || i.type === 'multiple');
  const positionCounts: number[] = new Array(Math.max(0, ...keyed.map((i) => i.options.length))).fill(0);
  for (const item of keyed) {
    for (const k of item.key) {
      const p = item.options.findIndex((o) => o.id === k);
      if (p >= 0) positionCounts[p] = (positionCounts[p] ?? 0) + 1;
    }
  }
  const keyTotal = positionCounts.reduce((a, b) => a + b, 0);
  const keyPositions = positionCounts.map((keys, position): KeyPosition => {
    const s = keyTotal === 0 ? 0 : keys / keyTotal;
    return { position, label: String.fromCharCode(65 + position), keys, share: s, flagged: s > maxKeyShare };
  });

  return {
    exam: bank.manifest.exam,
    complete: bank.manifest.complete,
    items: total,
    domains,
    skills,
    types: {
      single: countWhere((i) => i.type === 'single'),
      multiple: countWhere((i) => i.type === 'multiple'),
      order: countWhere((i) => i.type === 'order'),
      seriesStatements: countWhere((i) => i.type === 'yesno'),
      caseQuestions: countWhere((i) => i.parent?.kind === 'case'),
      series: seriesSizes.length,
      cases: caseSizes.length,
    },
    seriesSizes,
    caseSizes,
    difficulty: {
      1: countWhere((i) => i.difficulty === 1),
      2: countWhere((i) => i.difficulty === 2),
      3: countWhere((i) => i.difficulty === 3),
    },
    keyPositions,
  };
}

/** The coverage a complete pack must reach (the AZ-400 issue's numbers by default). */
export interface Minimums {
  readonly items: number;
  readonly skillItems: number;
  /** Minimum shares (0..1) of all items. */
  readonly singleShare: number;
  readonly multipleShare: number;
  readonly orderShare: number;
  readonly series: number;
  readonly seriesSize: { readonly min: number; readonly max: number };
  readonly cases: number;
  readonly caseSize: { readonly min: number; readonly max: number };
  readonly maxKeyPositionShare: number;
}

/** The minimums of the AZ-400 pack issue. */
export const DEFAULT_MINIMUMS: Minimums = {
  items: 300,
  skillItems: 3,
  singleShare: 0.6,
  multipleShare: 0.15,
  orderShare: 0.08,
  series: 6,
  seriesSize: { min: 3, max: 4 },
  cases: 5,
  caseSize: { min: 4, max: 6 },
  maxKeyPositionShare: MAX_KEY_POSITION_SHARE,
};

/** The outcome of one coverage minimum. */
export interface MinimumCheck {
  /** Short rule name, e.g. `items`, `domain:pipelines`, `skill:3.3`, `series-size:s-cache`. */
  readonly rule: string;
  readonly ok: boolean;
  readonly expected: string;
  readonly actual: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/**
 * Checks a coverage report against the minimums. Returns every rule with its outcome
 * (failures and passes), so a report can show both; filter on `ok` for the failures.
 */
export function checkMinimums(report: CoverageReport, min: Minimums = DEFAULT_MINIMUMS): MinimumCheck[] {
  const out: MinimumCheck[] = [];
  const rule = (name: string, ok: boolean, expected: string, actual: string) =>
    out.push({ rule: name, ok, expected, actual });

  rule('items', report.items >= min.items, `>= ${min.items} items`, `${report.items}`);
  for (const d of report.domains) {
    rule(
      `domain:${d.id}`,
      d.inBand,
      `${d.weight.min}-${d.weight.max} % of items`,
      `${pct(d.share)} (${d.count})`,
    );
  }
  for (const s of report.skills) {
    rule(`skill:${s.id}`, s.count >= min.skillItems, `>= ${min.skillItems} items`, `${s.count}`);
  }
  const { types } = report;
  rule(
    'type:single',
    types.single.share >= min.singleShare,
    `>= ${pct(min.singleShare)}`,
    pct(types.single.share),
  );
  rule(
    'type:multiple',
    types.multiple.share >= min.multipleShare,
    `>= ${pct(min.multipleShare)}`,
    pct(types.multiple.share),
  );
  rule(
    'type:order',
    types.order.share >= min.orderShare,
    `>= ${pct(min.orderShare)}`,
    pct(types.order.share),
  );
  rule('series', types.series >= min.series, `>= ${min.series} series`, `${types.series}`);
  for (const s of report.seriesSizes) {
    const ok = s.size >= min.seriesSize.min && s.size <= min.seriesSize.max;
    rule(`series-size:${s.id}`, ok, `${min.seriesSize.min}-${min.seriesSize.max} statements`, `${s.size}`);
  }
  rule('cases', types.cases >= min.cases, `>= ${min.cases} case studies`, `${types.cases}`);
  for (const c of report.caseSizes) {
    const ok = c.size >= min.caseSize.min && c.size <= min.caseSize.max;
    rule(`case-size:${c.id}`, ok, `${min.caseSize.min}-${min.caseSize.max} questions`, `${c.size}`);
  }
  for (const k of report.keyPositions) {
    rule(
      `key-position:${k.label}`,
      k.share <= min.maxKeyPositionShare,
      `<= ${pct(min.maxKeyPositionShare)} of keys`,
      `${pct(k.share)} (${k.keys})`,
    );
  }
  return out;
}
