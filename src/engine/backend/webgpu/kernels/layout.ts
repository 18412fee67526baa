// Strided copies (materialise a view; write into a view), dtype-agnostic: shaders/layout.wgsl moves
// raw 32-bit patterns, so f32 and i32 share the pipelines. Also home of the stride helpers the
// broadcasting binary op uses (coalescing axes, packing strides into uniforms, bounds checks).
import type { Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
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

/** A (possibly negative) element stride as the u32 bit pattern the shaders bitcast back to i32. */
export function strideBits(strides: number[]): number[] {
  return strides.map((s) => s >>> 0);
}

function layoutKernel(entryPoint: 'stridedCopy' | 'copyInto', rank: number): KernelSpec {
  return { name: entryPoint, code: layoutWgsl, entryPoint, constants: { WG, RANK: rank } };
}

function launchLayout(
  ctx: GpuKernelContext,
  entryPoint: 'stridedCopy' | 'copyInto',
  out: GPUBuffer,
  src: GPUBuffer,
  offset: number,
  strides: number[],
  shape: number[],
): void {
  const count = shapeSize(shape);
  if (count === 0) return;
  const c = coalesce(shape, [strides]);
  ctx.launch({
    kernel: layoutKernel(entryPoint, c.shape.length),
    storages: [out, src],
    uniforms: new Uniforms()
      .u32Vec4Array(c.shape, 2)
      .u32Vec4Array(strideBits(c.strides[0]), 2)
      .u32(count)
      .u32(offset),
    workgroups: grid1D(count, WG),
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
