import type { LayerNormGrads, LayerNormResult, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';

export function layerNorm(ctx: GpuKernelContext, x: Storage, gamma: Storage, beta: Storage, rows: number, cols: number, eps: number): LayerNormResult {
  throw new Error('webgpu kernel not implemented yet: layerNorm');
}
export function layerNormGrad(ctx: GpuKernelContext, dy: Storage, x: Storage, gamma: Storage, mean: Storage, rstd: Storage, rows: number, cols: number): LayerNormGrads {
  throw new Error('webgpu kernel not implemented yet: layerNormGrad');
}
