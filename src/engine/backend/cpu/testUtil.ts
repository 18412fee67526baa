// Shared helpers for the CPU backend tests: seeded inputs and a finite-difference gradient check.
import { expect } from 'vitest';
import type { Storage } from '../../backend';
import { CpuBackend } from './cpuBackend';
import { CpuStorage } from './cpuStorage';
import { mulberry32 } from '../../random';

/** Deterministic uniform numbers in [lo, hi) (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): (lo?: number, hi?: number) => number {
  const uniform = mulberry32(seed);
  return (lo = 0, hi = 1) => lo + (hi - lo) * uniform();
}

export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd(lo, hi);
  return out;
}

export async function readF32(b: CpuBackend, s: Storage): Promise<number[]> {
  return Array.from(await b.read(s));
}

/** Elementwise closeness with a clear message: |a - e| <= atol + rtol * |e| (exact match for infinities). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-6, atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!Number.isFinite(e)) {
      expect(a, `index ${i}`).toBe(e);
      continue;
    }
    const ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) expect.fail(`index ${i}: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}

/**
 * Central finite differences of a scalar loss(x) evaluated by the backend in f32, compared with the
 * analytic gradient. The perturbation actually applied is the f32-rounded one, so it is divided by exactly.
 */
export function finiteDifference(x: Float32Array, loss: (x: Float32Array) => number, h = 1e-2): Float64Array {
  const g = new Float64Array(x.length);
  const xp = Float32Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    const up = Math.fround(x0 + h);
    const down = Math.fround(x0 - h);
    xp[i] = up;
    const lUp = loss(xp);
    xp[i] = down;
    const lDown = loss(xp);
    xp[i] = x0;
    g[i] = (lUp - lDown) / (up - down);
  }
  return g;
}

/** sum_i w_i * y_i in f64, skipping entries where w is 0 (so -Infinity outputs can be masked out). */
export function weightedSum(y: ArrayLike<number>, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) if (w[i] !== 0) s += w[i] * y[i];
  return s;
}

/** Synchronous read for finite-difference loops (tests only; the backend API itself is async). */
export function peek(s: Storage): Float32Array {
  if (!(s instanceof CpuStorage)) throw new Error('peek: not a CPU storage');
  return s.data as Float32Array;
}
