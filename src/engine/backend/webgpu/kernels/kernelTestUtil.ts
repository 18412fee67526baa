// Helpers for the *.gpu.test.ts kernel tests: run one primitive on the WebGPU backend and on the CPU
// oracle with the same inputs, and compare with a tolerance that is reported, not hidden.
import { expect } from 'vitest';
import type { Backend, Storage } from '../../../backend';
import { CpuBackend } from '../../cpu/cpuBackend';
import type { WebGpuBackend } from '../webgpuBackend';
import { mulberry32 } from '../../../random';

/** Deterministic uniform numbers in [lo, hi) (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): (lo?: number, hi?: number) => number {
  const uniform = mulberry32(seed);
  return (lo = 0, hi = 1) => lo + (hi - lo) * uniform();
}

export function randomF32(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd(lo, hi);
  return out;
}

export function randomI32(n: number, seed: number, lo: number, hi: number): Int32Array {
  const rnd = seededRandom(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rnd(lo, hi));
  return out;
}

/**
 * Runs `build` on the GPU backend and on a fresh CPU backend. `build` uploads its inputs with `up` (freed
 * afterwards) and returns the output storages, which are read back (one readback on the GPU) and freed.
 */
export async function runBoth(
  gpu: WebGpuBackend,
  build: (b: Backend, up: (data: Float32Array | Int32Array) => Storage) => Storage[],
): Promise<{ gpu: (Float32Array | Int32Array)[]; cpu: (Float32Array | Int32Array)[] }> {
  const run = async (b: Backend) => {
    const inputs: Storage[] = [];
    const outs = build(b, (data) => {
      const s = b.upload(data);
      inputs.push(s);
      return s;
    });
    const values = await b.readMany(outs);
    for (const s of [...outs, ...inputs]) b.free(s);
    return values;
  };
  const cpuValues = await run(new CpuBackend());
  const gpuValues = await run(gpu);
  return { gpu: gpuValues, cpu: cpuValues };
}

export interface Tolerance {
  /** Relative tolerance: 1e-4 unless a test states why another bound applies. */
  rtol?: number;
  /** Absolute floor, for values computed by cancellation (see each test for its justification); a
   *  function gives each element its own floor (e.g. from the magnitude of its row's terms). */
  atol?: number | ((index: number) => number);
}

/**
 * |gpu - cpu| <= atol + rtol * |cpu| elementwise; infinities must match exactly and NaN never passes.
 * Returns the largest relative error |gpu - cpu| / max(|cpu|, tiny) over the finite entries, for logs.
 */
export function expectAllClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance = {}): number {
  const rtol = tol.rtol ?? 1e-4;
  const atolOf = typeof tol.atol === 'function' ? tol.atol : () => (tol.atol as number | undefined) ?? 0;
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  let maxRel = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) || Number.isNaN(e)) {
      expect.fail(`${label}[${i}]: NaN (gpu ${a}, cpu ${e})`);
    }
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a !== e) expect.fail(`${label}[${i}]: gpu ${a}, cpu ${e}`);
      continue;
    }
    const err = Math.abs(a - e);
    const excess = err - (atolOf(i) + rtol * Math.abs(e));
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
    if (err > 0) maxRel = Math.max(maxRel, err / Math.max(Math.abs(e), 1e-30));
  }
  if (worst >= 0) {
    expect.fail(`${label}[${worst}]: gpu ${actual[worst]}, cpu ${expected[worst]} (rtol ${rtol}, atol ${atolOf(worst)})`);
  }
  return maxRel;
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) m = Math.max(m, Math.abs(values[i]));
  return m;
}
