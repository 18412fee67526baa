// The fused clipped policy-gradient loss and its gradient on arrays (Backend.policyLoss; the maths and
// the unfused reference are in src/rl/policyLoss.ts). Each token's value and derivative follow the
// unfused graph branch for branch, ties included: max and min pass the gradient to their first
// argument on ties, clamp passes it where lo ≤ x ≤ hi, as the engine's ops do.
import type { PolicyLossParams } from '../../backend';

/** verl's bound on the log-ratio before the exp (policyLoss.ts's LOG_RATIO_CLAMP). */
const LOG_RATIO_CLAMP = 20;

export interface TokenTerms {
  loss: number;
  /** dℓ/dlogp. */
  grad: number;
  low: number;
  high: number;
  dual: number;
}

/** ℓ, dℓ/dlogp and the clip flags of one token, in f32 steps where the GPU rounds. */
export function tokenTerms(logp: number, old: number, a: number, p: PolicyLossParams): TokenTerms {
  const f = Math.fround;
  const d = f(logp - old);
  const inRange = d >= -LOG_RATIO_CLAMP && d <= LOG_RATIO_CLAMP;
  const ratio = f(Math.exp(Math.min(Math.max(d, -LOG_RATIO_CLAMP), LOG_RATIO_CLAMP)));
  const weighted = p.positiveWeight === 1 && p.negativeWeight === 1 ? a : f(f(Math.max(a, 0) * p.positiveWeight) - f(Math.max(-a, 0) * p.negativeWeight));
  const lo = f(1 - p.clipLow);
  const hi = f(1 + p.clipHigh);
  const unclipped = -f(weighted * ratio);
  const clipped = -f(weighted * Math.min(Math.max(ratio, lo), hi));
  const takeUnclipped = f(unclipped - clipped) >= 0;
  const pg = takeUnclipped ? unclipped : clipped;
  const dPgdRatio = takeUnclipped ? -weighted : ratio >= lo && ratio <= hi ? -weighted : 0;
  let loss = pg;
  let dLossdPg = 1;
  let dual = 0;
  if (p.dualClip > 0) {
    const bound = f(Math.abs(weighted) * p.dualClip);
    const diff = f(pg - bound);
    dual = diff > 0 ? 1 : 0;
    if (diff > 0) {
      loss = bound;
      dLossdPg = 0;
    }
  }
  const grad = inRange ? dLossdPg * dPgdRatio * ratio : 0;
  const low = a < 0 && f(lo - ratio) > 0 ? 1 : 0;
  const high = a > 0 && f(ratio - hi) > 0 ? 1 : 0;
  return { loss, grad, low, high, dual };
}

function advAt(adv: Float32Array, i: number, p: PolicyLossParams): number {
  return p.advCols === 1 ? adv[Math.floor(i / p.cols)] : adv[i];
}

export function policyLoss(
  logp: Float32Array,
  oldLogp: Float32Array | null,
  adv: Float32Array,
  mask: Float32Array,
  p: PolicyLossParams,
): { perToken: Float32Array; loss: Float32Array; metrics: Float32Array } {
  const n = p.rows * p.cols;
  const perToken = new Float32Array(n);
  let maskSum = 0;
  let lossSum = 0;
  const flags = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const t = tokenTerms(logp[i], oldLogp ? oldLogp[i] : logp[i], advAt(adv, i, p), p);
    perToken[i] = t.loss;
    const m = mask[i];
    maskSum += m;
    lossSum += m * perToken[i];
    flags[0] += m * t.low;
    flags[1] += m * t.high;
    flags[2] += m * (t.low + t.high);
    flags[3] += m * t.dual;
  }
  const denominator = Math.max(maskSum, 1);
  return { perToken, loss: Float32Array.of(lossSum / denominator), metrics: Float32Array.from(flags, (x) => x / denominator) };
}

export function policyLossGrad(
  logp: Float32Array,
  oldLogp: Float32Array | null,
  adv: Float32Array,
  mask: Float32Array,
  dPerToken: Float32Array | null,
  dLoss: Float32Array | null,
  p: PolicyLossParams,
): Float32Array {
  const n = p.rows * p.cols;
  let maskSum = 0;
  if (dLoss) for (let i = 0; i < n; i++) maskSum += mask[i];
  const perMaskedToken = dLoss ? dLoss[0] / Math.max(maskSum, 1) : 0;
  const dlogp = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const upstream = (dPerToken ? dPerToken[i] : 0) + perMaskedToken * mask[i];
    if (upstream === 0) continue;
    dlogp[i] = upstream * tokenTerms(logp[i], oldLogp ? oldLogp[i] : logp[i], advAt(adv, i, p), p).grad;
  }
  return dlogp;
}
