// The band a multi-seed run draws on a curve: at each x (a step, or an evaluation's step) the mean over
// the seeds that reached it, the 95 % t-interval of that mean (t_{0.975, n−1} · s / √n) and the seeds'
// min–max. Seeds are matched by x, not by position, so a seed that skipped or has not yet reached a
// step leaves it out (n says how many stand behind each point). Each seed is smoothed on its own
// series first, when asked (STATISTICS.md: smooth before aggregating, not after).
import { debiasedEma } from './smoothing';
import { tQuantile975 } from './tQuantile';

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

/** The point at x from the seeds' values there (mean, 95 % t-interval, min–max), without allocating. */
function pointOf(x: number, values: readonly number[]): StepBandPoint {
  const n = values.length;
  let sum = 0;
  let min = values[0];
  let max = values[0];
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  if (n < 2) return { x, n, mean, tLow: null, tHigh: null, min, max };
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  // The same formula as tInterval (x̄ ± t_{0.975, n−1} · s / √n), inlined: this runs per step per chart.
  const half = (tQuantile975(n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n);
  return { x, n, mean, tLow: mean - half, tHigh: mean + half, min, max };
}

/** True when every seed's x values are a prefix of the longest seed's: the usual case (replicas
 *  advanced together), where points can be matched by position instead of through a map. */
function alignedByPosition(seeds: readonly (readonly XY[])[]): readonly XY[] | null {
  let longest = seeds[0];
  for (const s of seeds) if (s.length > longest.length) longest = s;
  for (const s of seeds) for (let i = 0; i < s.length; i++) if (s[i].x !== longest[i].x) return null;
  for (let i = 1; i < longest.length; i++) if (!(longest[i].x > longest[i - 1].x)) return null;
  return longest;
}

/** Per x, over the seeds that have it; `smoothing` is the debiased-EMA weight applied to each seed first. */
export function stepBand(seeds: readonly (readonly XY[])[], smoothing = 0): StepBandPoint[] {
  if (seeds.length === 0) return [];
  const ysBySeed = seeds.map((points, s) => {
    const ys = smoothing > 0 ? debiasedEma(points.map((p) => p.y), smoothing) : points.map((p) => p.y);
    points.forEach((p, i) => {
      if (!Number.isFinite(p.x) || !Number.isFinite(ys[i])) throw new RangeError(`stepBand: seed ${s}, point ${i} is not finite (${p.x}, ${ys[i]})`);
    });
    return ys;
  });
  const aligned = alignedByPosition(seeds);
  if (aligned) {
    const out: StepBandPoint[] = new Array(aligned.length);
    const values: number[] = [];
    for (let i = 0; i < aligned.length; i++) {
      values.length = 0;
      for (const ys of ysBySeed) if (i < ys.length) values.push(ys[i]);
      out[i] = pointOf(aligned[i].x, values);
    }
    return out;
  }
  const byX = new Map<number, number[]>();
  seeds.forEach((points, s) => {
    points.forEach((p, i) => {
      const values = byX.get(p.x);
      if (values) values.push(ysBySeed[s][i]);
      else byX.set(p.x, [ysBySeed[s][i]]);
    });
  });
  return [...byX.entries()].sort((a, b) => a[0] - b[0]).map(([x, values]) => pointOf(x, values));
}
