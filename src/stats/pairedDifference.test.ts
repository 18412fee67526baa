import { describe, expect, it } from 'vitest';
import { pairedDifference } from './pairedDifference';

describe('pairedDifference', () => {
  it('pairs by seed and matches a hand-computed interval', () => {
    // Seeds 1, 2, 3 in both: d = 0.50−0.40, 0.62−0.50, 0.47−0.33 = 0.10, 0.12, 0.14 → mean 0.12,
    // s = √((0.0004 + 0 + 0.0004)/2) = 0.02, half-width 4.3027 · 0.02 / √3 = 0.049683 → [0.070317, 0.169683]
    // Seed 9 is only in A, seed 4 only in B: both left out.
    const r = pairedDifference({ 1: 0.5, 2: 0.62, 3: 0.47, 9: 0.9 }, { 3: 0.33, 1: 0.4, 2: 0.5, 4: 0.1 });
    expect(r.seeds).toEqual([1, 2, 3]);
    expect(r.differences.map((d) => +d.toFixed(12))).toEqual([0.1, 0.12, 0.14]);
    expect(r.onlyInA).toEqual([9]);
    expect(r.onlyInB).toEqual([4]);
    expect(r.t.mean).toBeCloseTo(0.12, 12);
    expect(r.t.halfWidth).toBeCloseTo(0.049683, 5);
    expect(r.t.low).toBeCloseTo(0.070317, 5);
    expect(r.verdict).toBe('excludes zero: A > B');
    // Bootstrap over {0.10, 0.12, 0.14}: its extremes are 0.10 and 0.14, each with probability 1/27 = 3.7 % > 2.5 %.
    expect(r.bootstrap.low).toBeCloseTo(0.1, 12);
    expect(r.bootstrap.high).toBeCloseTo(0.14, 12);
  });

  it('says A < B when the interval is below zero, and includes zero for mixed signs', () => {
    expect(pairedDifference({ 1: 0, 2: 0, 3: 0 }, { 1: 0.1, 2: 0.12, 3: 0.14 }).verdict).toBe('excludes zero: A < B');
    // d = 0.1, −0.1, 0.05: mean 0.01667, s = 0.10408, half-width 4.3027 · 0.10408 / √3 = 0.2586 → includes zero
    expect(pairedDifference({ 1: 0.1, 2: -0.1, 3: 0.05 }, { 1: 0, 2: 0, 3: 0 }).verdict).toBe('includes zero');
  });

  it('calls ties (all differences 0) "includes zero"', () => {
    const r = pairedDifference({ 1: 0.3, 2: 0.5 }, { 1: 0.3, 2: 0.5 });
    expect(r.differences).toEqual([0, 0]);
    expect([r.t.low, r.t.high, r.bootstrap.low, r.bootstrap.high]).toEqual([0, 0, 0, 0]);
    expect(r.verdict).toBe('includes zero');
  });

  it('says a single shared seed gives no interval (and no NaN)', () => {
    const r = pairedDifference({ 5: 0.7 }, { 5: 0.4, 6: 0.1 });
    expect(r.differences[0]).toBeCloseTo(0.3, 12);
    expect(r.verdict).toBe('undefined: fewer than 2 paired seeds');
    expect(r.t.undefinedBecause).toMatch(/n = 1/);
    expect(JSON.stringify(r)).not.toMatch(/NaN/);
  });

  it('rejects arms without a shared seed and non-finite values', () => {
    expect(() => pairedDifference({ 1: 0.1 }, { 2: 0.1 })).toThrow(/share no seed/);
    expect(() => pairedDifference({ 1: Number.NaN }, { 1: 0.1 })).toThrow(/not a finite number/);
  });
});
