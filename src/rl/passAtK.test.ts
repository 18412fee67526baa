import { describe, expect, it } from 'vitest';
import { kValues, meanPassAtK, passAtK } from './passAtK';

/** C(n, k) by exact integer arithmetic, for an independent check. */
function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 0; i < k; i++) r = (r * BigInt(n - i)) / BigInt(i + 1);
  return r;
}

describe('passAtK (openai/human-eval estimator)', () => {
  it('matches 1 - C(n-c,k)/C(n,k) computed exactly', () => {
    for (const [n, c, k] of [[10, 3, 1], [10, 3, 5], [16, 1, 8], [20, 7, 3], [64, 5, 32]]) {
      const exact = 1 - Number(choose(n - c, k)) / Number(choose(n, k));
      expect(passAtK(n, c, k)).toBeCloseTo(exact, 12);
    }
  });

  it('hand values and edge cases', () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12); // pass@1 = c/n
    expect(passAtK(4, 0, 2)).toBe(0);
    expect(passAtK(4, 4, 1)).toBe(1);
    expect(passAtK(5, 3, 3)).toBe(1); // n - c = 2 < k = 3
    expect(passAtK(1, 1, 1)).toBe(1);
    expect(passAtK(1, 0, 1)).toBe(0);
    expect(() => passAtK(4, 5, 1)).toThrow(RangeError);
    expect(() => passAtK(4, 1, 5)).toThrow(RangeError);
  });

  it('k values and the mean over prompts', () => {
    expect(kValues(16)).toEqual([1, 2, 4, 8, 16]);
    expect(kValues(12)).toEqual([1, 2, 4, 8, 12]);
    expect(kValues(1)).toEqual([1]);
    expect(meanPassAtK([0, 4], 4, 1)).toBeCloseTo(0.5, 12);
    expect(meanPassAtK([1, 2], 4, 2)).toBeCloseTo((0.5 + 5 / 6) / 2, 12);
  });
});
