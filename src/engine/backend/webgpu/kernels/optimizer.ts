import type { AdamWHyper, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';

export function sumOfSquares(ctx: GpuKernelContext, list: Storage[]): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: sumOfSquares');
}
export function clipScale(ctx: GpuKernelContext, sumSq: Storage, maxNorm: number): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: clipScale');
}
export function adamw(ctx: GpuKernelContext, param: Storage, grad: Storage, m: Storage, v: Storage, h: AdamWHyper, gradScale: Storage | null): void {
  throw new Error('webgpu kernel not implemented yet: adamw');
}
