// Shared helpers for the src/rl tests (CPU backend): element-wise closeness with a readable failure.
import { expect } from 'vitest';
import type { Tensor } from '../engine';

/** |actual − expected| <= tol · max(1, |expected|), element by element, same length. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (tol ${tol}); all: [${Array.from(actual).join(', ')}]`);
    }
  }
}

/** The values of a tensor as numbers (a scalar tensor gives one element). */
export async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data(), (v) => v + 0); // + 0 turns −0 into 0
}

export async function scalar(t: Tensor): Promise<number> {
  const v = await values(t);
  expect(v.length).toBe(1);
  return v[0];
}
