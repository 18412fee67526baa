// The band a multi-seed run draws on a curve: at each x (a step, or an evaluation's step) the mean over
// the seeds that reached it, the 95 % t-interval of that mean (t_{0.975, n−1} · s / √n) and the seeds'
// min–max. Seeds are matched by x, not by position, so a seed that skipped or has not yet reached a
// step leaves it out (n says how many stand behind each point). Each seed is smoothed on its own
// series first, when asked (STATISTICS.md: smooth before aggregating, not after).
import { debiasedEma } from './smoothing';
import { tInterval } from './tInterval';

export interface XY {
  x: number;
  y: number;
}

export interface StepBandPoint {
  x: number;
  /** Seeds with a value at x. */
  n: number;
  mean: number;
  /** The 95 % t-interval of the mean; null with one seed (no spread to estimate). */
  tLow: number | null;
  tHigh: number | null;
  min: number;
  max: number;
}

/** Per x, over the seeds that have it; `smoothing` is the debiased-EMA weight applied to each seed first. */
export function stepBand(seeds: readonly (readonly XY[])[], smoothing = 0): StepBandPoint[] {
  const byX = new Map<number, number[]>();
  seeds.forEach((points, s) => {
    const ys = smoothing > 0 ? debiasedEma(points.map((p) => p.y), smoothing) : points.map((p) => p.y);
    points.forEach((p, i) => {
      if (!Number.isFinite(p.x) || !Number.isFinite(ys[i])) throw new RangeError(`stepBand: seed ${s}, point ${i} is not finite (${p.x}, ${ys[i]})`);
      const values = byX.get(p.x);
      if (values) values.push(ys[i]);
      else byX.set(p.x, [ys[i]]);
    });
  });
  return [...byX.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([x, values]) => {
      const t = tInterval(values);
      let min = values[0];
      let max = values[0];
      for (const v of values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return { x, n: values.length, mean: t.mean, tLow: t.low, tHigh: t.high, min, max };
    });
}
