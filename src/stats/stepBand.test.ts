import { describe, expect, it } from 'vitest';
import { stepBand } from './stepBand';

const xy = (pairs: [number, number][]) => pairs.map(([x, y]) => ({ x, y }));

describe('stepBand', () => {
  it('aggregates by x over the seeds that have it: mean, t95, min–max, n', () => {
    // Seed 3 stopped after step 1; seed 2 has no step 0 (it resumed). Hand computed:
    // x 0: {1, 3} mean 2, s = √2, half 12.7062 · √2 / √2 = 12.7062;
    // x 1: {2, 4, 6} mean 4, s = 2, half 4.3027 · 2 / √3 = 4.96834;
    // x 2: {10} mean 10, no interval.
    const band = stepBand([xy([[0, 1], [1, 2], [2, 10]]), xy([[1, 4]]), xy([[0, 3], [1, 6]])]);
    expect(band.map((p) => [p.x, p.n, p.mean, p.min, p.max])).toEqual([
      [0, 2, 2, 1, 3],
      [1, 3, 4, 2, 6],
      [2, 1, 10, 10, 10],
    ]);
    expect(band[0].tLow).toBeCloseTo(2 - 12.7062, 4);
    expect(band[0].tHigh).toBeCloseTo(2 + 12.7062, 4);
    expect(band[1].tLow).toBeCloseTo(4 - 4.96834, 4);
    expect(band[1].tHigh).toBeCloseTo(4 + 4.96834, 4);
    expect(band[2].tLow).toBeNull();
    expect(band[2].tHigh).toBeNull();
  });

  it('smooths each seed before aggregating, not the mean after', () => {
    // w = 0.5, debiased EMA: seed A [0, 4] → [0, (0.5·0 + 0.5·4)/(1 − 0.25)] = [0, 2.6667];
    // seed B [4, 0] → m1 = 2 → 4, m2 = 0.5·2 + 0 = 1 → 1 / 0.75 = 1.3333.
    const band = stepBand([xy([[0, 0], [1, 4]]), xy([[0, 4], [1, 0]])], 0.5);
    expect(band[0].mean).toBeCloseTo(2, 10);
    expect(band[1].mean).toBeCloseTo((2.6667 + 1.3333) / 2, 3);
    expect(band[1].min).toBeCloseTo(1.3333, 3);
    expect(band[1].max).toBeCloseTo(2.6667, 3);
    // The raw seeds' spread at step 1 is 0–4; smoothed first it is 1.33–2.67, the band the curves show.
    expect(stepBand([xy([[0, 0], [1, 4]]), xy([[0, 4], [1, 0]])])[1]).toMatchObject({ min: 0, max: 4 });
  });

  it('refuses a value that is not finite, naming the seed and point', () => {
    expect(() => stepBand([xy([[0, 1]]), xy([[0, Number.NaN]])])).toThrow(/seed 1, point 0/);
  });
});

describe('stepBand, aligned and unaligned seeds', () => {
  it('gives the same band whether the seeds line up by position or not', () => {
    const a = xy([[0, 0.1], [1, 0.5], [2, 0.3], [3, 0.9]]);
    const b = xy([[0, 0.4], [1, 0.2], [2, 0.8]]);
    const c = xy([[0, 0.7], [1, 0.6]]);
    const aligned = stepBand([a, b, c], 0.3);
    // The same seeds, with c listed in reverse: position no longer matches x, so the map path runs.
    const shuffled = stepBand([a, b, [...c].reverse()], 0);
    const alignedRaw = stepBand([a, b, c], 0);
    expect(shuffled).toEqual(alignedRaw);
    expect(aligned.map((p) => p.n)).toEqual([3, 3, 2, 1]);
    expect(stepBand([])).toEqual([]);
  });
});
