// What each KL estimator does when it is put in the loss (issue 18). With d = log π − log π_ref and the
// tokens sampled from π (on-policy), the gradient of the estimator's expectation is:
//   k1 = d            E_π[∇d] = E_π[∇log π] = 0 — no pull towards the reference at all, only noise;
//   k2 = d²/2         E_π[d ∇log π] = ∇ KL(π ‖ π_ref), the reverse KL's gradient (mode-seeking);
//   k3 = e^−d + d − 1 E_π[(1 − π_ref/π) ∇log π] = ∇ KL(π_ref ‖ π), the forward KL's gradient
//                     (mass-covering), although its *value* estimates the reverse KL.
// In the reward (klInReward) the estimator is k1 summed over the completion, a valid reverse-KL penalty.
import type { ExperimentConfig } from '../../experiment/schema';

/** A warning when the configuration puts k1 in the loss with β > 0: a KL penalty that does nothing. */
export function klEstimatorWarning(algorithm: Pick<ExperimentConfig['algorithm'], 'klCoef' | 'klEstimator' | 'klInReward'>): string | null {
  if (algorithm.klCoef > 0 && !algorithm.klInReward && algorithm.klEstimator === 'k1') {
    return 'k1 in the loss has zero expected gradient: this β does not keep the policy near the reference. Use k2 (reverse KL) or k3 (forward KL), or put the KL in the reward.';
  }
  return null;
}
