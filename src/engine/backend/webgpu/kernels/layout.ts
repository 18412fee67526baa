import type { Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';

export function stridedCopy(ctx: GpuKernelContext, x: Storage, offset: number, strides: number[], shape: number[]): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: stridedCopy');
}
export function copyInto(ctx: GpuKernelContext, dst: Storage, offset: number, strides: number[], src: Storage, shape: number[]): void {
  throw new Error('webgpu kernel not implemented yet: copyInto');
}
