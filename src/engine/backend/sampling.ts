// Shared by both backends' sampleTokens: the counter-based uniform and the argument checks.
//
// The uniform is u = uniform(seed, step, row) from a PCG-style u32 hash. shaders/sample.wgsl computes
// it with exactly these integer operations (Math.imul wraps like a WGSL u32 multiply; >>> 0 keeps u32),
// so the CPU and the GPU draw the same u for the same (seed, step, row).
import type { SampleParams } from '../backend';

/** One round of the PCG-RXS-M-XS permutation (a bijection of u32). */
export function pcgHash(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The uniform in [0, 1) for (seed, step, row): 24 random bits, exact in f32 on both backends. */
export function sampleUniform(seed: number, step: number, row: number): number {
  const h = pcgHash((pcgHash((pcgHash(seed >>> 0) ^ (step >>> 0)) >>> 0) ^ (row >>> 0)) >>> 0);
  return (h >>> 8) / 16777216;
}

/** Checks shared by both backends' sampleTokens. */
export function checkSampleParams(p: SampleParams): void {
  const count = (name: keyof SampleParams) => {
    const v = p[name] as number;
    if (!Number.isInteger(v) || v < 0) throw new Error(`sampleTokens: ${name} must be a non-negative integer, got ${v}`);
  };
  count('rows');
  count('vocab');
  count('topK');
  if (p.rows > 0 && p.vocab === 0) throw new Error('sampleTokens: vocab must be positive');
  for (const name of ['seed', 'step'] as const) {
    const v = p[name];
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`sampleTokens: ${name} must be a u32, got ${v}`);
  }
  if (!Number.isInteger(p.eosId) || !Number.isInteger(p.padId)) throw new Error('sampleTokens: eosId and padId must be integers');
  if (!p.greedy && !(Number.isFinite(p.invTemperature) && p.invTemperature > 0)) {
    throw new Error(`sampleTokens: invTemperature must be a positive finite number, got ${p.invTemperature}`);
  }
  if (!(p.topP >= 0 && p.topP <= 1)) throw new Error(`sampleTokens: topP must be in [0, 1], got ${p.topP}`);
}
