// The CPU back end's options (which kernel set) and the argument checks its primitives share.
import type { Storage } from '../../backend';

/** 'auto': WASM SIMD where available, else JavaScript. 'wasm' throws where WASM SIMD is missing. */
export type CpuKernels = 'auto' | 'wasm' | 'js';

/**
 * Threads for the WASM matmul: 1 = the calling thread only; n ≥ 2 = a pool of n threads (this one and
 * n − 1 workers, started on the first product large enough to pay, ./wasm/matmulPool.ts); 'auto' =
 * min(hardware threads, AUTO_THREADS_CAP). Only Node has the pool (worker_threads); elsewhere, and on
 * the JavaScript kernels, every value means one thread.
 *
 * The page stays single-threaded (a deliberate choice, not an omission): threads there need the lab
 * served cross-origin isolated (COOP/COEP headers, which a static host such as GitHub Pages cannot
 * set, so the non-isolated path must keep working anyway), and a browser starts a nested worker only
 * once its creator returns to the event loop, so the training worker could not block on a pool it has
 * just made. The gain they would buy is small: on 2 cores two threads make the largest train-step
 * products 1.25–1.28× faster (bench/results/cpu-threads.json) and a whole default train step 1.05×
 * (medians; 1.24× paired, at load average ~10: bench/results/cpu.json), for a fallback that runs only
 * where WebGPU is missing.
 */
export type CpuThreads = number | 'auto';

export interface CpuBackendOptions {
  kernels?: CpuKernels;
  threads?: CpuThreads;
}

/** RLVR_CPU_KERNELS in Node (js | wasm | auto); undefined in the browser. */
export function kernelsFromEnv(): CpuKernels | undefined {
  const v = typeof process !== 'undefined' ? process.env?.RLVR_CPU_KERNELS : undefined;
  if (v === undefined || v === '') return undefined;
  if (v === 'auto' || v === 'wasm' || v === 'js') return v;
  throw new Error(`RLVR_CPU_KERNELS must be auto, wasm or js, got "${v}"`);
}

/** RLVR_CPU_THREADS in Node (a positive integer or auto); undefined in the browser. */
export function threadsFromEnv(): CpuThreads | undefined {
  const v = typeof process !== 'undefined' ? process.env?.RLVR_CPU_THREADS : undefined;
  if (v === undefined || v === '') return undefined;
  if (v === 'auto') return v;
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || !(n >= 1)) throw new Error(`RLVR_CPU_THREADS must be a positive integer or auto, got "${v}"`);
  return n;
}

/** The number of threads an option means on a machine with `parallelism` hardware threads. */
export function resolveThreads(threads: CpuThreads, parallelism: number, autoCap: number): number {
  if (threads === 'auto') return Math.max(1, Math.min(parallelism, autoCap));
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`CpuBackend: threads must be a positive integer or 'auto', got ${threads}`);
  return threads;
}

export function checkCount(what: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new Error(`${what}: ${name} must be a non-negative integer, got ${v}`);
}

export function sameSize(what: string, n: number, ...list: Storage[]): void {
  for (const s of list) if (s.size !== n) throw new Error(`${what}: sizes differ (${n} vs ${s.size})`);
}

