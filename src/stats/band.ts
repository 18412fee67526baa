// A band over seeds for a step series: at each step the mean of the seeds that reached it, and either
// the 95 % t-interval of that mean or the seeds' min–max. Seeds may have different lengths (a run
// stopped early): n says how many seeds each step is built from. Smooth each seed's series before
// calling this, not the band after (STATISTICS.md).
import { mean } from './summary';
import { tInterval } from './tInterval';

export type BandKind = 't95' | 'minmax';

export interface BandPoint {
  mean: number;
  /** null where the band is undefined: a t95 band over one seed. */
  low: number | null;
  high: number | null;
  n: number;
}

export function band(seriesBySeed: readonly (readonly number[])[], kind: BandKind): BandPoint[] {
  if (kind !== 't95' && kind !== 'minmax') throw new RangeError(`band: kind must be 't95' or 'minmax', got ${JSON.stringify(kind)}`);
  if (seriesBySeed.length === 0) throw new RangeError('band: needs at least one seed');
  const steps = Math.max(...seriesBySeed.map((s) => s.length));
  const out: BandPoint[] = [];
  for (let step = 0; step < steps; step++) {
    const values = seriesBySeed.filter((s) => step < s.length).map((s) => s[step]);
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new RangeError(`band: step ${step}, seed series ${i}: value is not a finite number (${v})`);
    });
    if (kind === 'minmax') {
      out.push({ mean: mean(values), low: Math.min(...values), high: Math.max(...values), n: values.length });
    } else {
      const t = tInterval(values);
      out.push({ mean: t.mean, low: t.low, high: t.high, n: t.n });
    }
  }
  return out;
}
