// The 95 % t-interval for a mean: x̄ ± t_{0.975, n−1} · s / √n (see shared STATISTICS.md). With one
// value there is no spread to estimate, so the interval is undefined: halfWidth/low/high are null and
// `undefinedBecause` says why — never NaN, which a plot would draw as nothing and a table as "NaN".
import { mean, sampleSd } from './summary';
import { tQuantile975 } from './tQuantile';

export interface MeanInterval {
  n: number;
  mean: number;
  halfWidth: number | null;
  low: number | null;
  high: number | null;
  /** Set when the interval is undefined (n = 1). */
  undefinedBecause?: string;
}

export const ONE_VALUE_REASON = 'n = 1: one value has no spread, so no interval';

export function tInterval(values: readonly number[]): MeanInterval {
  const m = mean(values);
  const n = values.length;
  const sd = sampleSd(values);
  if (sd === null) return { n, mean: m, halfWidth: null, low: null, high: null, undefinedBecause: ONE_VALUE_REASON };
  const halfWidth = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean: m, halfWidth, low: m - halfWidth, high: m + halfWidth };
}
