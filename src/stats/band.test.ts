import { describe, expect, it } from 'vitest';
import { band } from './band';

describe('band', () => {
  // Three seeds; the third stopped after two steps.
  const series = [
    [1, 2, 10],
    [2, 4, 20],
    [3, 6],
  ];

  it('gives min–max per step with the number of seeds behind it', () => {
    // step 0: {1,2,3} mean 2; step 1: {2,4,6} mean 4; step 2: {10,20} mean 15
    expect(band(series, 'minmax')).toEqual([
      { mean: 2, low: 1, high: 3, n: 3 },
      { mean: 4, low: 2, high: 6, n: 3 },
      { mean: 15, low: 10, high: 20, n: 2 },
    ]);
  });

  it('gives the t95 interval per step', () => {
    // step 0: s = 1, half 4.3027/√3 = 2.48417; step 1: s = 2, half 4.96834;
    // step 2: {10, 20}: s = 7.07107, t_{0.975,1} = 12.7062 → half 12.7062 · 7.07107 / √2 = 63.531
    const b = band(series, 't95');
    expect(b[0].low).toBeCloseTo(2 - 2.48417, 4);
    expect(b[1].high).toBeCloseTo(4 + 4.96834, 4);
    expect(b[2].high).toBeCloseTo(15 + 63.531, 3);
    expect(b.map((p) => p.n)).toEqual([3, 3, 2]);
  });

  it('marks a t95 band over one seed as undefined (null), and min–max collapses to the value', () => {
    expect(band([[0.5, 0.7]], 't95')).toEqual([
      { mean: 0.5, low: null, high: null, n: 1 },
      { mean: 0.7, low: null, high: null, n: 1 },
    ]);
    expect(band([[0.5]], 'minmax')).toEqual([{ mean: 0.5, low: 0.5, high: 0.5, n: 1 }]);
  });

  it('rejects non-finite values, no seeds and unknown kinds', () => {
    expect(() => band([[1, Number.NaN]], 'minmax')).toThrow(/step 1, seed series 0/);
    expect(() => band([], 't95')).toThrow(/at least one seed/);
    expect(() => band([[1]], 'sd' as 't95')).toThrow(/kind must be/);
  });
});
