// Shared by every benchmark page: timing, medians, and the hand-off to bench/run.mjs.
//
// A suite page calls `registerSuite(name, run)`; the runner opens the page in headless Chromium, waits
// for the registration, calls `run()` once and writes what it returns to bench/results/<name>.json.
// Performance is judged as ratios measured side by side on the same adapter, never as absolute times
// (see shared WEBGPU_TESTING.md): software adapters are 100-1000× slower than a laptop GPU.

import { uniformArray } from '../src/engine/random';

/** A printable table: the runner shows it on the console. */
export interface BenchTable {
  columns: string[];
  rows: (string | number)[][];
}

export interface SuiteResult {
  suite: string;
  date: string;
  environment: Record<string, unknown>;
  table: BenchTable;
  /** Anything else the suite wants to keep (raw samples, settings). */
  [key: string]: unknown;
}

declare global {
  interface Window {
    __benchSuite?: { name: string; run: () => Promise<SuiteResult> };
  }
}

export function registerSuite(name: string, run: () => Promise<SuiteResult>): void {
  window.__benchSuite = { name, run };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Times each contender `reps` times after `warmup` untimed runs, alternating between contenders on
 *  every repetition so that drift (other load on the machine, clocks) hits all of them alike. Each
 *  function must do its whole job including its readback; returns the samples in milliseconds. */
export async function timeAlternating(
  contenders: Record<string, () => Promise<void>>,
  warmup: number,
  reps: number,
): Promise<Record<string, number[]>> {
  const names = Object.keys(contenders);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < warmup + reps; r++) {
    for (const name of names) {
      const t0 = performance.now();
      await contenders[name]();
      const ms = performance.now() - t0;
      if (r >= warmup) samples[name].push(ms);
    }
  }
  return samples;
}

/** Deterministic uniform numbers in [-1, 1) (mulberry32). */
export function randomArray(size: number, seed: number): Float32Array {
  return uniformArray(size, seed);
}

/** max |a - b| / max |b|: the error measure the kernel tests use. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let maxAbs = 0;
  let maxErr = 0;
  for (let i = 0; i < expected.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= maxErr)) maxErr = err;
  }
  return maxErr / Math.max(maxAbs, 1e-30);
}

export function log(message: string): void {
  console.log(`[bench] ${message}`);
}
