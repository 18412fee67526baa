import { describe, expect, it } from 'vitest';
import { tInterval } from './tInterval';

describe('tInterval', () => {
  it('matches a hand-computed 3-value interval', () => {
    // [1, 2, 3]: mean 2, s = √((1+0+1)/2) = 1, t_{0.975,2} = 4.3027 → half-width 4.3027 / √3 = 2.48417
    const r = tInterval([1, 2, 3]);
    expect(r.n).toBe(3);
    expect(r.mean).toBe(2);
    expect(r.halfWidth).toBeCloseTo(4.3027 / Math.sqrt(3), 10);
    expect(r.halfWidth).toBeCloseTo(2.48417, 4);
    expect(r.low).toBeCloseTo(2 - 2.48417, 4);
    expect(r.high).toBeCloseTo(2 + 2.48417, 4);
  });

  it("matches the issue's five measured seed gains", () => {
    // Gains +18.7, +12.7, +20.9, +19.4, +13.3: sum 85.0, mean 17.0; deviations 1.7, −4.3, 3.9, 2.4, −3.7;
    // squares 2.89 + 18.49 + 15.21 + 5.76 + 13.69 = 56.04; s² = 14.01, s = 3.74299; t_{0.975,4} = 2.7764;
    // half-width 2.7764 · 3.74299 / √5 = 4.64747
    const r = tInterval([18.7, 12.7, 20.9, 19.4, 13.3]);
    expect(r.mean).toBeCloseTo(17, 10);
    expect(r.halfWidth).toBeCloseTo(4.6475, 3);
  });

  it('says the interval of one value is undefined (no NaN)', () => {
    const r = tInterval([0.4]);
    expect(r).toEqual({ n: 1, mean: 0.4, halfWidth: null, low: null, high: null, undefinedBecause: expect.stringMatching(/n = 1/) });
    expect(JSON.stringify(r)).not.toMatch(/NaN/);
  });

  it('gives a zero-width interval for ties', () => {
    const r = tInterval([0, 0, 0, 0]);
    expect([r.mean, r.halfWidth, r.low, r.high]).toEqual([0, 0, 0, 0]);
  });
});
