// Batched matmul on WebGPU: checks the call, then runs one of two kernels —
// - direct (matmulDirect.ts, the default): register blocks, no workgroup memory, no barriers;
// - tiled (matmulTiled.ts): workgroup-memory tiles, the textbook kernel for discrete GPUs —
// chosen per backend (`WebGpuBackend.matmulKernel`), so a benchmark can compare them on one adapter.
import type { MatmulParams, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { matmulDirect } from './matmulDirect';
import { matmulVariant } from './matmulShape';
import { matmulTiled } from './matmulTiled';

export type MatmulKernel = 'direct' | 'tiled';

function checkParams(a: Storage, b: Storage, p: MatmulParams): void {
  const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = p;
  for (const [name, v] of Object.entries({ batch, m, n, k, aBatchStride, bBatchStride })) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`matmul: ${name} must be a non-negative integer, got ${v}.`);
  }
  if (a.dtype !== 'f32' || b.dtype !== 'f32') throw new Error('matmul: inputs must be f32.');
  if (batch > 0 && m * k > 0 && (batch - 1) * aBatchStride + m * k > a.size) {
    throw new Error(`matmul: A holds ${a.size} elements, too few for batch ${batch} of ${transA ? `${k}×${m}` : `${m}×${k}`} at stride ${aBatchStride}.`);
  }
  if (batch > 0 && k * n > 0 && (batch - 1) * bBatchStride + k * n > b.size) {
    throw new Error(`matmul: B holds ${b.size} elements, too few for batch ${batch} of ${transB ? `${n}×${k}` : `${k}×${n}`} at stride ${bBatchStride}.`);
  }
  if (batch * m * n >= 2 ** 32 || a.size >= 2 ** 32 || b.size >= 2 ** 32) throw new Error('matmul: more than 2^32 elements.');
}

export function matmul(ctx: GpuKernelContext, a: Storage, b: Storage, p: MatmulParams, kernel: MatmulKernel = 'direct'): GpuStorage {
  checkParams(a, b, p);
  const { batch, m, n, k } = p;
  if (batch * m * n === 0) return ctx.alloc(0, 'f32');
  if (k === 0) return ctx.zeros(batch * m * n, 'f32'); // an empty sum
  const out = ctx.alloc(batch * m * n, 'f32');
  const variant = matmulVariant(p);
  if (kernel === 'tiled') matmulTiled(ctx, a, b, p, variant, out);
  else matmulDirect(ctx, a, b, p, variant, out);
  return out;
}
