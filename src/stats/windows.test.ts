import { describe, expect, it } from 'vitest';
import { areaUnderCurve, finalValue, lastK } from './windows';

describe('window reducers', () => {
  it('lastK averages the last k values', () => {
    // last 3 of [1, 2, 3, 4, 10] = (3 + 4 + 10) / 3 = 17/3
    expect(lastK([1, 2, 3, 4, 10], 3)).toBeCloseTo(17 / 3, 12);
    expect(lastK([1, 2, 3, 4, 10], 5)).toBe(4);
    expect(() => lastK([1, 2], 3)).toThrow(/fewer than k = 3/);
    expect(() => lastK([1, 2], 0)).toThrow(/k must be/);
  });

  it('finalValue is the last value', () => {
    expect(finalValue([0.1, 0.4, 0.35])).toBe(0.35);
    expect(() => finalValue([])).toThrow(/empty/);
  });

  it('areaUnderCurve is the trapezoid area over the x-range', () => {
    // (0, 0), (10, 0.5), (40, 0.5): areas 10 · 0.25 = 2.5 and 30 · 0.5 = 15 → 17.5 / 40 = 0.4375
    expect(areaUnderCurve([{ x: 0, y: 0 }, { x: 10, y: 0.5 }, { x: 40, y: 0.5 }])).toBeCloseTo(0.4375, 12);
    // A constant curve averages to the constant.
    expect(areaUnderCurve([{ x: 5, y: 0.2 }, { x: 7, y: 0.2 }])).toBeCloseTo(0.2, 12);
    expect(() => areaUnderCurve([{ x: 0, y: 1 }])).toThrow(/at least 2 points/);
    expect(() => areaUnderCurve([{ x: 0, y: 1 }, { x: 0, y: 2 }])).toThrow(/increase strictly/);
    expect(() => finalValue([1, Number.NaN])).toThrow(/not a finite number/);
  });
});
