// Shared by both backends' matmulBiasActivation where no fused launch serves the shape: the linear
// layer composed of matmul then biasActivation, with the pre-bias product kept for GELU's backward.
import type { Backend, BiasActivation, Storage } from '../backend';

export function composedLinear(
  backend: Pick<Backend, 'matmul' | 'biasActivation' | 'free'>,
  a: Storage,
  b: Storage,
  bias: Storage,
  m: number,
  k: number,
  n: number,
  act: BiasActivation,
): { y: Storage; pre: Storage | null } {
  const pre = backend.matmul(a, b, { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });
  const y = backend.biasActivation(pre, bias, m, n, act);
  if (act === 'gelu') return { y, pre };
  backend.free(pre);
  return { y, pre: null };
}
