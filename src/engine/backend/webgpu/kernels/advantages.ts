import type { AdvantageScale, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';

export function groupAdvantages(ctx: GpuKernelContext, rewards: Storage, numGroups: number, groupSize: number, scale: AdvantageScale, eps: number): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: groupAdvantages');
}
