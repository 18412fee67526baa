// A CPU storage is a TypedArray plus the bookkeeping the backend needs to catch misuse early: the CPU
// backend is the oracle other backends are judged against, so it fails loudly (use after free, wrong
// dtype, wrong backend) where a GPU kernel would silently read garbage.
import type { DType, Storage } from '../../backend';

export type CpuArray = Float32Array | Int32Array;

export class CpuStorage implements Storage {
  readonly size: number;
  readonly dtype: DType;
  /** Set by CpuBackend.free; every access through the backend checks it. */
  freed = false;
  private readonly array: CpuArray;

  constructor(array: CpuArray) {
    this.array = array;
    this.size = array.length;
    this.dtype = array instanceof Int32Array ? 'i32' : 'f32';
  }

  /** The backing array. Throws after free so a dangling handle can never be read or written. */
  get data(): CpuArray {
    if (this.freed) throw new Error(`CpuStorage: use after free (${this.dtype}[${this.size}])`);
    return this.array;
  }

  get bytes(): number {
    return this.size * 4; // f32 and i32 are both 4 bytes
  }
}

/** Narrows an opaque Storage to a live CpuStorage, optionally of a given dtype and minimum size. */
export function cpu(s: Storage, what: string, dtype?: DType, minSize?: number): CpuStorage {
  if (!(s instanceof CpuStorage)) throw new Error(`${what}: storage does not belong to the CPU backend`);
  if (s.freed) throw new Error(`${what}: storage was already freed`);
  if (dtype !== undefined && s.dtype !== dtype) throw new Error(`${what}: expected ${dtype} storage, got ${s.dtype}`);
  if (minSize !== undefined && s.size < minSize) throw new Error(`${what}: storage has ${s.size} elements, needs ${minSize}`);
  return s;
}

/** The f32 array of a live storage (the common case for float kernels). */
export function f32(s: Storage, what: string, minSize?: number): Float32Array {
  return cpu(s, what, 'f32', minSize).data as Float32Array;
}

/** The i32 array of a live storage (token ids, targets). */
export function i32(s: Storage, what: string, minSize?: number): Int32Array {
  return cpu(s, what, 'i32', minSize).data as Int32Array;
}
