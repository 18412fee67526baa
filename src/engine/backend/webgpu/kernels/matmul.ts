import type { MatmulParams, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';

export function matmul(ctx: GpuKernelContext, a: Storage, b: Storage, p: MatmulParams): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: matmul');
}
