import type { Bank } from '../bank';
import type { Tally } from '../ports/store.port';

/** Readiness for one domain: estimated share right, and how sure (± one standard deviation). */
export interface DomainReadiness {
  readonly domain: string;
  readonly estimate: number;
  readonly margin: number;
  readonly answers: number;
}

/** Overall readiness as an estimated exam score out of 1000, with its margin. */
export interface Readiness {
  readonly score: number;
  readonly margin: number;
  readonly domains: readonly DomainReadiness[];
}

/**
 * Estimates readiness from answer tallies: per domain the posterior mean of a
 * Beta(1, 1) prior (so no answers reads 50 % ± 29), overall weighted by the exam's
 * domain weights (band midpoints). Few answers give a wide margin.
 */
export function readiness(bank: Bank, domains: Readonly<Record<string, Tally>>): Readiness {
  const mids = bank.manifest.domains.map((d) => ({ id: d.id, w: (d.weight.min + d.weight.max) / 2 }));
  const total = mids.reduce((s, m) => s + m.w, 0);
  let mean = 0;
  let variance = 0;
  const per: DomainReadiness[] = mids.map(({ id, w }) => {
    const t = domains[id] ?? { correct: 0, total: 0 };
    const a = t.correct + 1;
    const b = t.total - t.correct + 1;
    const p = a / (a + b);
    const v = (a * b) / ((a + b) ** 2 * (a + b + 1));
    mean += (w / total) * p;
    variance += (w / total) ** 2 * v;
    return { domain: id, estimate: p, margin: Math.sqrt(v), answers: t.total };
  });
  return { score: Math.round(mean * 1000), margin: Math.round(Math.sqrt(variance) * 1000), domains: per };
}
