import type { SoftmaxMask, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';

export function softmax(ctx: GpuKernelContext, x: Storage, rows: number, cols: number, mask: SoftmaxMask | null, log: boolean): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: softmax');
}
export function softmaxGrad(ctx: GpuKernelContext, y: Storage, dy: Storage, rows: number, cols: number, log: boolean): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: softmaxGrad');
}
