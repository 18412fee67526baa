// What both matmul kernels (matmulTiled.ts, matmulDirect.ts) need to know about a call: the transposes
// that matter, whether every access can be a vec4, and how a batch is split across dispatches.
import type { MatmulParams } from '../../../backend';
import { MAX_WORKGROUPS_PER_DIM } from '../kernel';

export interface MatmulVariant {
  transA: boolean;
  transB: boolean;
  /** Every contiguous axis and both batch strides are multiples of 4: vec4 loads and stores are aligned. */
  vec4: boolean;
}

/**
 * A transpose flag only matters when both of its matrix's dimensions exceed 1 (a 1×k row stored as
 * k×1 is the same memory), so it is dropped otherwise — which lets a single query row (m = 1) take
 * the vec4 path whatever its flag.
 * vec4 is used when every contiguous axis (a stored row of A and of B, a row of out) and both batch
 * strides are multiples of 4, so every vec4 load and store is aligned and in range.
 */
export function matmulVariant(p: MatmulParams): MatmulVariant {
  const transA = p.transA && p.m > 1 && p.k > 1;
  const transB = p.transB && p.n > 1 && p.k > 1;
  const aRow = transA ? p.m : p.k; // length of a stored row of A
  const bRow = transB ? p.k : p.n;
  const vec4 = aRow % 4 === 0 && bRow % 4 === 0 && p.n % 4 === 0 && p.aBatchStride % 4 === 0 && p.bBatchStride % 4 === 0;
  return { transA, transB, vec4 };
}

export function pow2AtLeast(x: number, lo: number, hi: number): number {
  let p = lo;
  while (p < x && p < hi) p *= 2;
  return p;
}

/** The batch rides on workgroup z; more than 65535 entries take several dispatches (base, count). */
export function forEachBatchChunk(p: MatmulParams, groupsX: number, groupsY: number, launch: (base: number, count: number) => void): void {
  if (groupsX > MAX_WORKGROUPS_PER_DIM || groupsY > MAX_WORKGROUPS_PER_DIM) {
    throw new Error(`matmul: ${p.m}×${p.n} output needs ${groupsY}×${groupsX} workgroups, above the ${MAX_WORKGROUPS_PER_DIM} per-dimension limit.`);
  }
  for (let base = 0; base < p.batch; base += MAX_WORKGROUPS_PER_DIM) launch(base, Math.min(MAX_WORKGROUPS_PER_DIM, p.batch - base));
}
