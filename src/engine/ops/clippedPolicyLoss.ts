// The clipped policy-gradient loss as one fused op (Backend.policyLoss): the per-token loss, its
// token-mean and the clip metrics in one launch, its gradient in one more, where the op-by-op graph in
// src/rl/policyLoss.ts (still there: `fused: false`, and the tests' reference) takes ~65 launches.
import type { PolicyLossParams } from '../backend';
import { ShapeError } from '../errors';
import { backendOf, record, wrap } from '../tape';
import type { Tensor } from '../tensor';

export interface ClippedPolicyLossConfig {
  clipLow: number;
  clipHigh: number;
  /** null: no dual clip. */
  dualClip: number | null;
  positiveWeight: number;
  negativeWeight: number;
}

export interface ClippedPolicyLoss {
  /** f32 [N, L] ℓ per token (differentiable through logp). */
  perToken: Tensor;
  /** f32 [] Σ mask·ℓ / max(Σ mask, 1) (differentiable through logp). */
  tokenMean: Tensor;
  /** f32 [4], no gradient: masked token means of the low, high and region clip flags and the dual-clip flag. */
  metrics: Tensor;
}

/**
 * logp [N, L] (the tensor gradients flow into), oldLogp [N, L] or null (ρ ≡ 1: a detached logp),
 * advantages [N, L] or [N, 1], mask [N, L]. Advantages, oldLogp and mask are constants.
 */
export function clippedPolicyLoss(logp: Tensor, oldLogp: Tensor | null, advantages: Tensor, mask: Tensor, c: ClippedPolicyLossConfig): ClippedPolicyLoss {
  const [rows, cols] = logp.shape;
  const fits = (t: Tensor, width: number) => t.rank === 2 && t.shape[0] === rows && t.shape[1] === width;
  if (logp.rank !== 2 || !fits(mask, cols) || (oldLogp && !fits(oldLogp, cols)) || !(fits(advantages, cols) || fits(advantages, 1))) {
    throw new ShapeError(`clippedPolicyLoss: expects logp, oldLogp and mask [N, L] and advantages [N, L] or [N, 1], got ${logp.toString()}, ${oldLogp?.toString()}, ${mask.toString()}, ${advantages.toString()}.`);
  }
  const backend = backendOf('clippedPolicyLoss', logp, advantages, mask, ...(oldLogp ? [oldLogp] : []));
  const p: PolicyLossParams = {
    rows,
    cols,
    advCols: advantages.shape[1],
    clipLow: c.clipLow,
    clipHigh: c.clipHigh,
    dualClip: c.dualClip ?? 0,
    positiveWeight: c.positiveWeight,
    negativeWeight: c.negativeWeight,
  };
  const old = oldLogp?.storage ?? null;
  const r = backend.policyLoss(logp.storage, old, advantages.storage, mask.storage, p);
  const perToken = wrap(r.perToken, [rows, cols]);
  const tokenMean = wrap(r.loss, []);
  const metrics = wrap(r.metrics, [4]);
  record([logp], [perToken, tokenMean], ([dPerToken, dLoss]) => [
    wrap(backend.policyLossGrad(logp.storage, old, advantages.storage, mask.storage, dPerToken?.storage ?? null, dLoss?.storage ?? null, p), logp.shape),
  ]);
  return { perToken, tokenMean, metrics };
}
