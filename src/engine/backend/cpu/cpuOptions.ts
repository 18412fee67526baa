// The CPU back end's options (which kernel set) and the argument checks its primitives share.
import type { Storage } from '../../backend';

/** 'auto': WASM SIMD where available, else JavaScript. 'wasm' throws where WASM SIMD is missing. */
export type CpuKernels = 'auto' | 'wasm' | 'js';

export interface CpuBackendOptions {
  kernels?: CpuKernels;
}

/** RLVR_CPU_KERNELS in Node (js | wasm | auto); undefined in the browser. */
export function kernelsFromEnv(): CpuKernels | undefined {
  const v = typeof process !== 'undefined' ? process.env?.RLVR_CPU_KERNELS : undefined;
  if (v === undefined || v === '') return undefined;
  if (v === 'auto' || v === 'wasm' || v === 'js') return v;
  throw new Error(`RLVR_CPU_KERNELS must be auto, wasm or js, got "${v}"`);
}

export function checkCount(what: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new Error(`${what}: ${name} must be a non-negative integer, got ${v}`);
}

export function sameSize(what: string, n: number, ...list: Storage[]): void {
  for (const s of list) if (s.size !== n) throw new Error(`${what}: sizes differ (${n} vs ${s.size})`);
}

