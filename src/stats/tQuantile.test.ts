import { describe, expect, it } from 'vitest';
import { tQuantile975 } from './tQuantile';

describe('tQuantile975', () => {
  it("matches STATISTICS.md's values for df = 1, 2, 3, 4, 5, 7, 9", () => {
    const expected: [number, number][] = [[1, 12.71], [2, 4.3], [3, 3.18], [4, 2.78], [5, 2.57], [7, 2.36], [9, 2.26]];
    for (const [df, t] of expected) expect(tQuantile975(df)).toBeCloseTo(t, 2);
  });

  it('joins the table smoothly beyond df = 30 and approaches 1.96', () => {
    // Printed t_{0.975}: df 30 → 2.0423, 40 → 2.0211, 60 → 2.0003, 120 → 1.9799; the normal limit 1.95996.
    expect(tQuantile975(30)).toBeCloseTo(2.0423, 4);
    expect(tQuantile975(31)).toBeLessThan(tQuantile975(30));
    expect(tQuantile975(31)).toBeCloseTo(2.0395, 3);
    expect(tQuantile975(40)).toBeCloseTo(2.0211, 3);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.9799, 3);
    expect(tQuantile975(1e6)).toBeCloseTo(1.96, 3);
  });

  it('is decreasing in df', () => {
    for (let df = 1; df < 200; df++) expect(tQuantile975(df + 1)).toBeLessThan(tQuantile975(df));
  });

  it('rejects df that is not a whole number ≥ 1', () => {
    expect(() => tQuantile975(0)).toThrow(/whole number ≥ 1/);
    expect(() => tQuantile975(2.5)).toThrow(/whole number ≥ 1/);
    expect(() => tQuantile975(Number.NaN)).toThrow(/whole number ≥ 1/);
  });
});
