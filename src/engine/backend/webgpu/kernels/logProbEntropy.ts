import type { LogProbResult, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';

export function logProbEntropy(ctx: GpuKernelContext, logits: Storage, targets: Storage, rows: number, vocab: number, invTemperature: number): LogProbResult {
  throw new Error('webgpu kernel not implemented yet: logProbEntropy');
}
export function logProbEntropyGrad(ctx: GpuKernelContext, logits: Storage, targets: Storage, dlogp: Storage, dentropy: Storage | null, rows: number, vocab: number, invTemperature: number): GpuStorage {
  throw new Error('webgpu kernel not implemented yet: logProbEntropyGrad');
}
