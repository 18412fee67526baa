// Per-token KL estimators to the reference policy (docs/rl-reference.md, "KL to the reference policy"),
// from the log-probs of the *sampled* tokens: d = logπ − logπ_ref.
//
//   k1 = d                       unbiased, can be negative
//   k2 = d²/2                    (verl "mse")
//   k3 = exp(−d) + d − 1         unbiased and ≥ 0 (TRL GRPO's per_token_kl, verl "low_var_kl")
//
// Clamping follows verl's kl_penalty exactly: only k3 is clamped — d to [−20, 20] before the exp, the
// result to [−10, 10] — because exp(−d) overflows once the policy drifts far (TRL PR #5984); k1 and k2
// have nothing to overflow and verl leaves them alone. All engine ops, so each estimator is
// differentiable through logπ (for β·k in the loss) and runs on the backend.
import { addScalar, clamp, exp, noGrad, scale, square, sub, type Tensor } from '../engine';
import { maskedTokenMean } from './aggregation';

export type KlEstimator = 'k1' | 'k2' | 'k3';

export const KL_ESTIMATORS: readonly KlEstimator[] = ['k1', 'k2', 'k3'];

/** verl's bounds for k3. */
export const K3_LOG_RATIO_CLAMP = 20;
export const K3_VALUE_CLAMP = 10;

export function klK1(logp: Tensor, refLogp: Tensor): Tensor {
  return sub(logp, refLogp);
}

export function klK2(logp: Tensor, refLogp: Tensor): Tensor {
  return scale(square(sub(logp, refLogp)), 0.5);
}

export function klK3(logp: Tensor, refLogp: Tensor): Tensor {
  // verl: kl = clamp(ref − logp, ±20); k3 = clamp(exp(kl) − kl − 1, ±10). With u = ref − logp = −d.
  const u = clamp(sub(refLogp, logp), -K3_LOG_RATIO_CLAMP, K3_LOG_RATIO_CLAMP);
  return clamp(addScalar(sub(exp(u), u), -1), -K3_VALUE_CLAMP, K3_VALUE_CLAMP);
}

/** The chosen per-token estimator, same shape as logp. */
export function klPerToken(logp: Tensor, refLogp: Tensor, estimator: KlEstimator = 'k3'): Tensor {
  switch (estimator) {
    case 'k1':
      return klK1(logp, refLogp);
    case 'k2':
      return klK2(logp, refLogp);
    case 'k3':
      return klK3(logp, refLogp);
    default:
      throw new Error(`klPerToken: unknown estimator ${String(estimator)}.`);
  }
}

export type KlMeasurements = {
  /** Token-means over the mask, scalar tensors (shape []): read them with the step's one readAll. */
  k1: Tensor;
  k2: Tensor;
  k3: Tensor;
};

/**
 * k1, k2 and k3 as token-means over the completion mask — always measured, even with β = 0 (TRL logs
 * `kl` as the token-mean of its per-token KL). No gradient is recorded.
 */
export function measureKl(logp: Tensor, refLogp: Tensor, mask: Tensor): KlMeasurements {
  return noGrad(() => ({
    k1: maskedTokenMean(klK1(logp, refLogp), mask),
    k2: maskedTokenMean(klK2(logp, refLogp), mask),
    k3: maskedTokenMean(klK3(logp, refLogp), mask),
  }));
}
