// Reducing a per-token loss [N, L] to the scalar that is back-propagated (docs/rl-reference.md, "Loss
// aggregation"). Names are verl's `loss_agg_mode`; TRL's `loss_type` equivalents in brackets. N counts
// sequences (B prompts × G samples), the mask m is f32 0/1 [N, L] and marks completion tokens.
//
//   token-mean              [bnpo, dapo]  Σ m·ℓ / max(Σ m, 1)
//   seq-mean-token-mean     [grpo]        (1/N) Σ_i (Σ_t m·ℓ) / max(|o_i|, 1)
//   seq-mean-token-sum                    (1/N) Σ_i Σ_t m·ℓ
//   seq-mean-token-sum-norm [dr_grpo]     Σ m·ℓ / (N · max_completion_length)
//
// The max(·, 1) guards are TRL's `.clamp(min=1.0)`: an empty batch or an empty completion contributes 0
// instead of 0/0. All of it is engine ops, so it is differentiable and stays on the backend.
import { clamp, div, mean, mul, scale, sum, type Tensor } from '../engine';
import { F32_MAX } from './indicators';

export type LossAggregation = 'token-mean' | 'seq-mean-token-mean' | 'seq-mean-token-sum' | 'seq-mean-token-sum-norm';

export const LOSS_AGGREGATIONS: readonly LossAggregation[] = ['token-mean', 'seq-mean-token-mean', 'seq-mean-token-sum', 'seq-mean-token-sum-norm'];

export interface AggregationOptions {
  /** The configured completion budget (TRL `max_completion_length`), not the batch's longest
   *  completion; required by 'seq-mean-token-sum-norm', ignored otherwise. */
  maxCompletionLength?: number;
}

function checkShapes(perToken: Tensor, mask: Tensor): void {
  if (perToken.rank !== 2 || mask.rank !== 2 || perToken.shape[0] !== mask.shape[0] || perToken.shape[1] !== mask.shape[1]) {
    throw new Error(`aggregateLoss: expects per-token loss and mask of the same shape [N, L], got ${perToken.toString()} and ${mask.toString()}.`);
  }
}

/** Masked mean over all tokens: Σ m·x / max(Σ m, 1). Also the "token-mean" of a measurement. */
export function maskedTokenMean(x: Tensor, mask: Tensor): Tensor {
  return div(sum(mul(x, mask)), clamp(sum(mask), 1, F32_MAX));
}

/** The scalar loss (shape []) from a per-token loss [N, L] and a completion mask [N, L]. */
export function aggregateLoss(perToken: Tensor, mask: Tensor, mode: LossAggregation, options: AggregationOptions = {}): Tensor {
  checkShapes(perToken, mask);
  const n = perToken.shape[0];
  switch (mode) {
    case 'token-mean':
      return maskedTokenMean(perToken, mask);
    case 'seq-mean-token-mean': {
      const perSeq = div(sum(mul(perToken, mask), 1), clamp(sum(mask, 1), 1, F32_MAX));
      return mean(perSeq);
    }
    case 'seq-mean-token-sum':
      return mean(sum(mul(perToken, mask), 1));
    case 'seq-mean-token-sum-norm': {
      const maxLen = options.maxCompletionLength;
      if (maxLen === undefined || !Number.isInteger(maxLen) || maxLen < 1) {
        throw new Error(`aggregateLoss: 'seq-mean-token-sum-norm' needs maxCompletionLength, a positive integer; got ${String(maxLen)}.`);
      }
      return scale(sum(mul(perToken, mask)), 1 / (n * maxLen));
    }
    default:
      throw new Error(`aggregateLoss: unknown mode ${String(mode)}.`);
  }
}
