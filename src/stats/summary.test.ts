import { describe, expect, it } from 'vitest';
import { mean, sampleSd } from './summary';

describe('mean and sampleSd', () => {
  it('match hand-computed values', () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: sum 40, mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; 32 / 7 = 4.5714…, √ = 2.13809
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    // [1, 2]: mean 1.5, deviations ±0.5 → 0.5 / 1 → sd = √0.5 = 0.70711
    expect(sampleSd([1, 2])).toBeCloseTo(0.7071067811865476, 12);
  });

  it('says the SD of one value is undefined (null, not NaN), and of ties is 0', () => {
    expect(sampleSd([3])).toBeNull();
    expect(sampleSd([0.25, 0.25, 0.25])).toBe(0);
  });

  it('rejects empty lists and non-finite values', () => {
    expect(() => mean([])).toThrow(/at least one value/);
    expect(() => sampleSd([1, Number.NaN])).toThrow(/value 1 is not a finite number/);
    expect(() => mean([Infinity])).toThrow(/not a finite number/);
  });
});
