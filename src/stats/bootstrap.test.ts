import { describe, expect, it } from 'vitest';
import { bootstrapInterval, quantileSorted } from './bootstrap';

describe('quantileSorted', () => {
  it('interpolates between order statistics (type 7)', () => {
    // [10, 20, 30, 40, 50]: p = 0.1 → h = 4 · 0.1 = 0.4 → 10 + 0.4 · 10 = 14; p = 0.5 → 30; p = 1 → 50
    expect(quantileSorted([10, 20, 30, 40, 50], 0.1)).toBeCloseTo(14, 12);
    expect(quantileSorted([10, 20, 30, 40, 50], 0.5)).toBe(30);
    expect(quantileSorted([10, 20, 30, 40, 50], 1)).toBe(50);
  });
});

describe('bootstrapInterval', () => {
  it('gives the resampling extremes for two values', () => {
    // [0, 1]: a resample's mean is 0 (p = 1/4), 0.5 (p = 1/2) or 1 (p = 1/4), so with 10,000 draws
    // ~2,500 sit at each end and the 2.5 % / 97.5 % quantiles are exactly 0 and 1.
    const r = bootstrapInterval([0, 1], { seed: 7 });
    expect([r.low, r.high, r.mean, r.n, r.resamples]).toEqual([0, 1, 0.5, 2, 10_000]);
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const values = [0.12, -0.05, 0.31, 0.07, 0.22, -0.11, 0.18];
    const a = bootstrapInterval(values, { seed: 123 });
    const b = bootstrapInterval(values, { seed: 123 });
    const c = bootstrapInterval(values, { seed: 124 });
    expect(b).toEqual(a);
    expect([c.low, c.high]).not.toEqual([a.low, a.high]);
    // The percentile interval lies inside the sample's range and around its mean (0.74 / 7 = 0.10571).
    expect(a.mean).toBeCloseTo(0.74 / 7, 12);
    expect(a.low!).toBeGreaterThan(-0.11);
    expect(a.high!).toBeLessThan(0.31);
    expect(a.low!).toBeLessThan(a.mean);
    expect(a.high!).toBeGreaterThan(a.mean);
  });

  it('is close to the t-interval for many normal-ish values', () => {
    // 40 values k/39 for k = 0…39: mean 0.5; population variance of 0…39 is (40² − 1)/12 = 133.25,
    // so σ = √133.25 / 39 = 0.29598 and σ/√40 = 0.046798. Resample means are ≈ normal with that SD,
    // so the percentile bootstrap ≈ 0.5 ± 1.96 · 0.046798 = 0.5 ± 0.0917.
    const values = Array.from({ length: 40 }, (_, k) => k / 39);
    const r = bootstrapInterval(values, { seed: 1 });
    expect(r.low!).toBeCloseTo(0.5 - 0.0917, 2);
    expect(r.high!).toBeCloseTo(0.5 + 0.0917, 2);
  });

  it('says one value has no interval, and ties give a zero-width one', () => {
    const one = bootstrapInterval([3]);
    expect([one.low, one.high]).toEqual([null, null]);
    expect(one.undefinedBecause).toMatch(/n = 1/);
    const ties = bootstrapInterval([0, 0, 0]);
    expect([ties.low, ties.high]).toEqual([0, 0]);
  });

  it('rejects too few resamples and bad seeds', () => {
    expect(() => bootstrapInterval([1, 2], { resamples: 500 })).toThrow(/≥ 10000/);
    expect(() => bootstrapInterval([1, 2], { seed: -1 })).toThrow(/u32/);
  });
});
