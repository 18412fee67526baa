import type { ReduceOp, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';

export function reduce(ctx: GpuKernelContext, op: ReduceOp, x: Storage, outer: number, size: number, inner: number): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: reduce');
}
