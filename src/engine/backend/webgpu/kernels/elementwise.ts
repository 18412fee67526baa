import type { BinaryOp, Storage, UnaryGradOp, UnaryOp } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import fillWgsl from '../../../../../shaders/fill.wgsl?raw';

const fillKernel: KernelSpec = { name: 'fill', code: fillWgsl };

export function unary(ctx: GpuKernelContext, op: UnaryOp, x: Storage): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: unary');
}
export function unaryGrad(ctx: GpuKernelContext, op: UnaryGradOp, x: Storage, y: Storage, dy: Storage): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: unaryGrad');
}
export function affine(ctx: GpuKernelContext, x: Storage, scale: number, shift: number): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: affine');
}
export function clamp(ctx: GpuKernelContext, x: Storage, lo: number, hi: number): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: clamp');
}
export function clampGrad(ctx: GpuKernelContext, x: Storage, dy: Storage, lo: number, hi: number): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: clampGrad');
}
export function binary(ctx: GpuKernelContext, op: BinaryOp, a: Storage, aStrides: number[], b: Storage, bStrides: number[], outShape: number[]): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: binary');
}
export function where(ctx: GpuKernelContext, cond: Storage, a: Storage, b: Storage): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: where');
}
/** Fills with a value; bit pattern of an i32 when dtype is i32. */
export function fill(ctx: GpuKernelContext, size: number, value: number, dtype: 'f32' | 'i32'): GpuStorage {
  const out = ctx.alloc(size, dtype);
  const bits = new DataView(new ArrayBuffer(4));
  if (dtype === 'i32') bits.setInt32(0, value, true);
  else bits.setFloat32(0, value, true);
  if (size > 0) {
    ctx.launch({
      kernel: fillKernel,
      storages: [out.buffer],
      uniforms: new Uniforms().u32(size).u32(bits.getUint32(0, true)),
      workgroups: grid1D(size, 256),
    });
  }
  return out;
}
