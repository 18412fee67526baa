// Percentile bootstrap of the mean with a seeded PRNG, so a comparison prints the same interval on
// every machine and every re-run (STATISTICS.md: B ≥ 10,000, fixed seed). The PRNG is the tasks
// layer's mulberry32 stream (stats sits above tasks, so the import respects the layer order).
import { createRng } from '../tasks/random';
import { mean } from './summary';
import { ONE_VALUE_REASON } from './tInterval';

export interface BootstrapOptions {
  /** Number of resamples B; at least 10,000 (fewer makes the 2.5 % tail a handful of draws). */
  resamples?: number;
  /** Seed of the resampling stream; fixed by default so the interval is reproducible. */
  seed?: number;
}

export interface BootstrapInterval {
  n: number;
  mean: number;
  low: number | null;
  high: number | null;
  resamples: number;
  seed: number;
  undefinedBecause?: string;
}

export const DEFAULT_BOOTSTRAP_RESAMPLES = 10_000;
export const DEFAULT_BOOTSTRAP_SEED = 0x5eed;

/** Quantile of sorted values by linear interpolation between order statistics (R's type 7). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('quantileSorted: empty list');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p must be in [0, 1], got ${p}`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function bootstrapInterval(values: readonly number[], options: BootstrapOptions = {}): BootstrapInterval {
  const resamples = options.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const seed = options.seed ?? DEFAULT_BOOTSTRAP_SEED;
  if (!Number.isInteger(resamples) || resamples < DEFAULT_BOOTSTRAP_RESAMPLES) {
    throw new RangeError(`bootstrapInterval: resamples must be a whole number ≥ ${DEFAULT_BOOTSTRAP_RESAMPLES}, got ${resamples}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`bootstrapInterval: seed must be a u32, got ${seed}`);
  const m = mean(values);
  const n = values.length;
  if (n < 2) return { n, mean: m, low: null, high: null, resamples, seed, undefinedBecause: ONE_VALUE_REASON };
  const rng = createRng(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[rng.nextInt(0, n - 1)];
    means[b] = sum / n;
  }
  means.sort();
  const sorted = Array.from(means);
  return { n, mean: m, low: quantileSorted(sorted, 0.025), high: quantileSorted(sorted, 0.975), resamples, seed };
}
