import { describe, expect, it } from 'vitest';
import { debiasedEma } from './smoothing';

describe('debiasedEma', () => {
  it('matches hand-computed values (w = 0.5)', () => {
    // m1 = 0.5 → 0.5/0.5 = 1; m2 = 0.25 + 1 = 1.25 → 1.25/0.75; m3 = 0.625 + 1.5 = 2.125 → 2.125/0.875
    const s = debiasedEma([1, 2, 3], 0.5);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeCloseTo(5 / 3, 12);
    expect(s[2]).toBeCloseTo(17 / 7, 12);
  });

  it('starts at the first value (debiased), not at a fraction of it', () => {
    expect(debiasedEma([10, 0], 0.9)[0]).toBeCloseTo(10, 12);
    // m2 = 0.9·1 + 0 = 0.9, debias 1 − 0.81 = 0.19
    expect(debiasedEma([10, 0], 0.9)[1]).toBeCloseTo(0.9 / 0.19, 12);
  });

  it('returns the raw values at weight 0 and for a constant series', () => {
    expect(debiasedEma([3, 1, 2], 0)).toEqual([3, 1, 2]);
    expect(debiasedEma([0.2, 0.2, 0.2], 0.9)).toEqual([0.2, 0.2, 0.2]);
    expect(debiasedEma([], 0.9)).toEqual([]);
  });

  it('passes non-finite values through without letting them into the average', () => {
    const s = debiasedEma([1, NaN, 3], 0.5);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeNaN();
    expect(s[2]).toBeCloseTo(1.75 / 0.75, 12); // as for [1, 3]: m2 = 0.25 + 1.5
  });
});
