// Strided views, dtype-agnostic (f32 and i32): the same loops serve activations and token ids.
import type { CpuArray } from './cpuStorage';

export function shapeSize(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Throws unless every element offset + sum idx_i*strides_i of `shape` lies in [0, size).
 * A TypedArray read out of range yields undefined -> NaN silently, so the oracle checks up front.
 */
export function checkStridedBounds(what: string, size: number, offset: number, strides: number[], shape: number[]): void {
  if (strides.length !== shape.length) {
    throw new Error(`${what}: strides rank ${strides.length} != shape rank ${shape.length}`);
  }
  if (shape.length > 6) throw new Error(`${what}: rank ${shape.length} > 6`);
  for (let i = 0; i < shape.length; i++) {
    if (!Number.isInteger(shape[i]) || shape[i] < 0) throw new Error(`${what}: bad shape [${shape.join(', ')}]`);
    if (!Number.isInteger(strides[i])) throw new Error(`${what}: bad strides [${strides.join(', ')}]`);
  }
  if (shapeSize(shape) === 0) return;
  let lo = offset;
  let hi = offset;
  for (let i = 0; i < shape.length; i++) {
    const span = (shape[i] - 1) * strides[i];
    if (span > 0) hi += span;
    else lo += span;
  }
  if (lo < 0 || hi >= size) {
    throw new Error(
      `${what}: view offset ${offset} strides [${strides.join(', ')}] shape [${shape.join(', ')}] ` +
        `reaches [${lo}, ${hi}] outside a storage of ${size} elements`,
    );
  }
}

function emptyLike(x: CpuArray, n: number): CpuArray {
  return x instanceof Int32Array ? new Int32Array(n) : new Float32Array(n);
}

/** out[idx] = x[offset + sum_i idx_i * strides_i], out contiguous in shape. */
export function stridedCopy(x: CpuArray, offset: number, strides: number[], shape: number[]): CpuArray {
  const total = shapeSize(shape);
  const out = emptyLike(x, total);
  if (total === 0) return out;
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[offset];
    return out;
  }
  const inner = shape[rank - 1];
  const s = strides[rank - 1];
  const idx = new Array<number>(rank).fill(0);
  let xi = offset;
  for (let o = 0; o < total; o += inner) {
    for (let j = 0; j < inner; j++) out[o + j] = x[xi + j * s];
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      xi += strides[d];
      if (idx[d] < shape[d]) break;
      xi -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** In place: dst[offset + sum_i idx_i * strides_i] = src[idx] (src contiguous in shape). */
export function copyInto(dst: CpuArray, offset: number, strides: number[], src: CpuArray, shape: number[]): void {
  const total = shapeSize(shape);
  if (total === 0) return;
  const rank = shape.length;
  if (rank === 0) {
    dst[offset] = src[0];
    return;
  }
  const inner = shape[rank - 1];
  const s = strides[rank - 1];
  const idx = new Array<number>(rank).fill(0);
  let di = offset;
  for (let o = 0; o < total; o += inner) {
    for (let j = 0; j < inner; j++) dst[di + j * s] = src[o + j];
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      di += strides[d];
      if (idx[d] < shape[d]) break;
      di -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}
