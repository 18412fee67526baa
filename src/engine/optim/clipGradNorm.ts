// Global-norm gradient clipping that never leaves the GPU: the norm and the scale stay tensors, and
// the optimiser multiplies each gradient by the scale inside its update kernel.
import { wrap } from '../tape';
import type { Tensor } from '../tensor';

export interface ClipResult {
  /** f32 [1]: sqrt(sum of squares) of all gradients before clipping — read it with the step's metrics. */
  sumOfSquares: Tensor;
  /** f32 [1]: min(1, maxNorm / (norm + 1e-6)). */
  scale: Tensor;
}

export function globalGradNorm(params: Tensor[], maxNorm: number): ClipResult {
  const grads = params.map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) throw new Error('clipGradNorm: no parameter has a gradient (did backward run?).');
  const backend = grads[0].backend;
  const sumSq = wrap(backend.sumOfSquares(grads.map((g) => g.storage)), [1]);
  const scale = wrap(backend.clipScale(sumSq.storage, maxNorm), [1]);
  return { sumOfSquares: sumSq, scale };
}
