// Strided copies (materialise a view; write into a view), dtype-agnostic: shaders/layout.wgsl moves
// raw 32-bit patterns, so f32 and i32 share the pipelines. Also home of the stride helpers the
// broadcasting binary op uses (coalescing axes, packing strides into uniforms, bounds checks).
import type { Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D } from '../kernel';
import { Uniforms } from '../uniforms';
import layoutWgsl from '../../../../../shaders/layout.wgsl?raw';

export const MAX_RANK = 6;
const WG = 256;

export function shapeSize(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function checkShape(what: string, shape: number[], stridesList: number[][]): void {
  if (shape.length > MAX_RANK) throw new Error(`${what}: rank ${shape.length} > ${MAX_RANK}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${what}: bad shape [${shape.join(', ')}]`);
  }
  for (const strides of stridesList) {
    if (strides.length !== shape.length) {
      throw new Error(`${what}: strides [${strides.join(', ')}] do not match shape [${shape.join(', ')}]`);
    }
    if (!strides.every(Number.isInteger)) throw new Error(`${what}: bad strides [${strides.join(', ')}]`);
  }
}

/**
 * Throws unless every element of the view lies in [0, size). A GPU read past the storage would not
 * fail: it returns whatever the rest of the pooled buffer holds, so the check is done here, up front.
 */
export function checkViewBounds(what: string, size: number, offset: number, strides: number[], shape: number[]): void {
  if (shapeSize(shape) === 0) return;
  let lo = offset;
  let hi = offset;
  shape.forEach((d, i) => {
    const span = (d - 1) * strides[i];
    if (span > 0) hi += span;
    else lo += span;
  });
  if (!Number.isInteger(offset) || lo < 0 || hi >= size) {
    throw new Error(
      `${what}: view offset ${offset} strides [${strides.join(', ')}] shape [${shape.join(', ')}] ` +
        `reaches [${lo}, ${hi}], outside a storage of ${size} elements`,
    );
  }
}

/**
 * The same iteration with fewer axes: drops size-1 axes and merges neighbours that are contiguous in
 * every strided operand (stride[k] == stride[k+1] * shape[k+1]); the contiguous output always is.
 * Returns at least one axis, so a scalar becomes shape [1].
 */
export function coalesce(shape: number[], stridesList: number[][]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = stridesList.map(() => []);
  for (let k = 0; k < shape.length; k++) {
    if (shape[k] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && stridesList.every((s, j) => outStrides[j][last] === s[k] * shape[k])) {
      outShape[last] *= shape[k];
      stridesList.forEach((s, j) => (outStrides[j][last] = s[k]));
    } else {
      outShape.push(shape[k]);
      stridesList.forEach((s, j) => outStrides[j].push(s[k]));
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: stridesList.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

/**
 * Throws unless every buffer is a whole number of vec4s. The quad kernels bind whole buffers as
 * array<vec4<...>> and read (or write) the whole quad around an element they need, which then always
 * lies inside the buffer. Pool buffers (a power of two, at least 256 bytes) always qualify; this only
 * guards that assumption.
 */
export function checkWholeQuads(what: string, buffers: GPUBuffer[]): void {
  for (const b of buffers) {
    if (b.size % 16 !== 0) throw new Error(`${what}: a buffer of ${b.size} bytes is not a whole number of vec4s`);
  }
}

/** A (possibly negative) element stride as the u32 bit pattern the shaders bitcast back to i32. */
export function strideBits(strides: number[]): number[] {
  return strides.map((s) => s >>> 0);
}

export type LayoutEntry = 'stridedCopy' | 'copyInto';

export interface LayoutQuadPlan {
  vec: boolean;
  inner: number;
  strides: number[];
}

/**
 * How shaders/layout.wgsl's quad variants (4 elements per thread) can run this view, or null when they
 * cannot: the innermost length must split into quads. `vec`: the strided side walks it with stride 1
 * from an aligned start (offset and every other stride multiples of 4), so it is whole vec4s too;
 * otherwise only a gather (stridedCopy) can take it, reading 4 elements `inner` apart. `strides` has
 * the innermost stride as the step per quad.
 */
export function layoutQuadPlan(entryPoint: LayoutEntry, shape: number[], strides: number[], offset: number): LayoutQuadPlan | null {
  const r = shape.length - 1;
  if (shape[r] % 4 !== 0) return null;
  const vec = strides[r] === 1 && offset % 4 === 0 && strides.every((s, k) => k === r || s % 4 === 0);
  if (!vec && entryPoint !== 'stridedCopy') return null;
  return { vec, inner: strides[r], strides: [...strides.slice(0, r), strides[r] * 4] };
}

function launchLayout(
  ctx: GpuKernelContext,
  entryPoint: LayoutEntry,
  out: GPUBuffer,
  src: GPUBuffer,
  offset: number,
  strides: number[],
  shape: number[],
): void {
  const count = shapeSize(shape);
  if (count === 0) return;
  const c = coalesce(shape, [strides]);
  const plan = layoutQuadPlan(entryPoint, c.shape, c.strides[0], offset);
  const r = c.shape.length - 1;
  const threadShape = plan ? [...c.shape.slice(0, r), c.shape[r] / 4] : c.shape;
  const threads = shapeSize(threadShape);
  if (plan) checkWholeQuads(entryPoint, [out, src]);
  ctx.launch({
    kernel: {
      name: entryPoint,
      code: layoutWgsl,
      entryPoint: plan ? `${entryPoint}4` : entryPoint,
      constants: { WG, RANK: threadShape.length, ...(plan ? { VEC: Number(plan.vec) } : {}) },
    },
    storages: [out, src],
    uniforms: new Uniforms()
      .u32Vec4Array([...threadShape].reverse(), 2) // innermost first, as the shader reads them
      .u32Vec4Array(strideBits([...(plan?.strides ?? c.strides[0])].reverse()), 2)
      .u32(threads)
      .u32(offset)
      .i32(plan?.inner ?? 0),
    workgroups: grid1D(threads, WG),
  });
}

export function stridedCopy(ctx: GpuKernelContext, x: Storage, offset: number, strides: number[], shape: number[]): GpuStorage {
  checkShape('stridedCopy', shape, [strides]);
  checkViewBounds('stridedCopy', x.size, offset, strides, shape);
  const xb = ctx.buffer(x);
  const out = ctx.alloc(shapeSize(shape), x.dtype);
  launchLayout(ctx, 'stridedCopy', out.buffer, xb, offset, strides, shape);
  return out;
}

/** Writes into dst in place. Overlapping destinations (a 0 stride) leave any one of the written values. */
export function copyInto(ctx: GpuKernelContext, dst: Storage, offset: number, strides: number[], src: Storage, shape: number[]): void {
  checkShape('copyInto', shape, [strides]);
  checkViewBounds('copyInto', dst.size, offset, strides, shape);
  if (src.size !== shapeSize(shape)) throw new Error(`copyInto: src has ${src.size} elements, shape needs ${shapeSize(shape)}`);
  if (src.dtype !== dst.dtype) throw new Error(`copyInto: src is ${src.dtype} but dst is ${dst.dtype}`);
  const dstBuffer = ctx.buffer(dst);
  const srcBuffer = ctx.buffer(src);
  if (dstBuffer === srcBuffer) throw new Error('copyInto: src and dst are the same storage (copy src first)');
  launchLayout(ctx, 'copyInto', dstBuffer, srcBuffer, offset, strides, shape);
}
