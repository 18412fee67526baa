import type { Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';

export function gather(ctx: GpuKernelContext, table: Storage, ids: Storage, count: number, cols: number): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: gather');
}
export function scatterAdd(ctx: GpuKernelContext, dy: Storage, ids: Storage, count: number, numRows: number, cols: number): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: scatterAdd');
}
