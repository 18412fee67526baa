// The clipped policy-gradient loss per token (docs/rl-reference.md, "Policy loss"), with its regularisers:
//
//   ρ   = exp(clamp(logπ − logπ_old, −20, 20))
//   ℓ   = max(−A·ρ, −A·clip(ρ, 1−ε_low, 1+ε_high))                      PPO-clip (TRL, verl)
//   ℓ   = min(ℓ, −A·c) where A < 0                                       dual clip (verl, c = 3)
//   ℓ  *= λ+ where A > 0, λ− where A < 0                                 PSR/NSR sample weights
//   ℓ  += β·k(logπ, logπ_ref) − c_H·H                                   KL in the loss (TRL GRPO), entropy bonus
//
// then aggregated over the completion mask (aggregation.ts). Everything is engine ops, differentiable
// through logπ (and through H, when the entropy comes from logProbs).
//
// Sign-dependent parts need no mask of A's sign, so the loss's autograd path has no indicator in it:
// - λ±: ℓ_pg is positively homogeneous in A (ℓ_pg(λA) = λ·ℓ_pg(A) for λ >= 0, for the clip *and* the
//   dual clip), so weighting ℓ by λ± is the same as using A_w = λ+·relu(A) − λ−·relu(−A), which keeps
//   A's sign and so picks the same clip branches.
// - dual clip: for A > 0, ℓ = −A·min(ρ, clip(ρ)) < 0 (ρ > 0, 1−ε_low > 0), so min(ℓ, c·|A|) = ℓ; for
//   A < 0, c·|A| = −A·c. Hence min(ℓ, c·|A|) is verl's where(A < 0, min(ℓ, −A·c), ℓ) for every A
//   (A = 0 gives 0 either way). This needs c > 1 (verl asserts it) and ε_low < 1.
// By default the pg part, its token-mean and the metrics are one fused op (clippedPolicyLoss: one
// launch forward, one backward); `fused: false` runs the op-by-op graph below, the reference it is
// tested against. The KL and entropy terms are added op by op either way (they are off by default).
// The clip-ratio *metrics* do need indicators ([ρ < 1−ε_low]·[A < 0], ...): those come from signOf
// (indicators.ts), computed under noGrad on the backend, because REINFORCE++ advantages are per-token
// device values whose signs the host does not know.
import { abs, addScalar, add, affine, clamp, clippedPolicyLoss, concat, exp, maximum, minimum, mul, neg, noGrad, relu, reshape, scale, sub, zeros, type Tensor } from '../engine';
import { aggregateLoss, maskedTokenMean, type AggregationOptions, type LossAggregation } from './aggregation';
import { isPositive, signOf } from './indicators';
import { klPerToken, type KlEstimator } from './kl';

/** verl's bound on the log-ratio before the exp. */
export const LOG_RATIO_CLAMP = 20;
/** verl's default dual-clip constant (clip_ratio_c). */
export const DEFAULT_DUAL_CLIP = 3;

export interface PolicyLossConfig {
  /** ε_low: ρ is clipped below at 1 − ε_low; default 0.2. Must be in [0, 1). */
  clipLow?: number;
  /** ε_high: ρ is clipped above at 1 + ε_high; default 0.2 (DAPO clip-higher: 0.28). */
  clipHigh?: number;
  /** Dual-clip constant c (> 1) for A < 0, or null for none (the default); verl uses 3. */
  dualClip?: number | null;
  /** λ+, the weight of samples with A > 0; default 1. */
  positiveWeight?: number;
  /** λ−, the weight of samples with A < 0; default 1. */
  negativeWeight?: number;
  /** c_H: ℓ −= c_H·H_t; default 0. Needs `entropy`. */
  entropyCoef?: number;
  /** β: ℓ += β·k_t; default 0. Needs `refLogp`. */
  klCoef?: number;
  /** Which KL estimator enters the loss; default k3 (TRL GRPO, verl low_var_kl). */
  klEstimator?: KlEstimator;
  /** The fused op (default) or the op-by-op graph (the reference). */
  fused?: boolean;
}

export interface PolicyLossInputs {
  /** f32 [N, L] logπ of the sampled tokens under the current policy: the tensor gradients flow through. */
  logp: Tensor;
  /** f32 [N, L] logπ_old, from the policy that generated the samples. Omitted: a gradient-free view of
   *  logp (TRL's per_token_logps.detach() with one pass per batch: ρ ≡ 1, nothing can clip). */
  oldLogp?: Tensor;
  /** f32 [N, L] (or [N, 1]) advantages, constants of the loss. */
  advantages: Tensor;
  /** f32 [N, L] completion mask, 0/1. Only used by the metrics and policyLoss's aggregation. */
  mask: Tensor;
  /** f32 [N, L] logπ_ref, needed when klCoef > 0. */
  refLogp?: Tensor;
  /** f32 [N, L] per-token entropy H_t (from logProbs), needed when entropyCoef > 0. */
  entropy?: Tensor;
}

/**
 * The clip metrics' order in ClipMetrics.values (one tensor, so the fused op writes them in one launch):
 * - clipRatioLow: TRL clip_ratio/low_mean, token-mean of [ρ < 1−ε_low]·[A < 0];
 * - clipRatioHigh: TRL clip_ratio/high_mean, token-mean of [ρ > 1+ε_high]·[A > 0];
 * - clipRatioRegion: TRL clip_ratio/region_mean, token-mean of the union of the two;
 * - dualClipFrac: verl pg_clipfrac_lower, token-mean of tokens where the dual clip bound is active (0 when off).
 */
export const CLIP_METRICS = ['clipRatioLow', 'clipRatioHigh', 'clipRatioRegion', 'dualClipFrac'] as const;

export type ClipMetrics = {
  /** f32 [4] in CLIP_METRICS order. */
  values: Tensor;
};

export type PerTokenPolicyLoss = {
  /** f32 [N, L] ℓ_t, not yet masked or aggregated. */
  perToken: Tensor;
  metrics: ClipMetrics;
  /** The token-mean of the pg part when the fused op computed it (policyLoss uses it for 'token-mean'). */
  pgTokenMean: Tensor | null;
  /** β·k − c_H·H per token (the part of perToken outside the fused op), or null when both are off. */
  extraPerToken: Tensor | null;
};

interface Resolved {
  clipLow: number;
  clipHigh: number;
  dualClip: number | null;
  positiveWeight: number;
  negativeWeight: number;
  entropyCoef: number;
  klCoef: number;
  klEstimator: KlEstimator;
  fused: boolean;
}

function resolve(config: PolicyLossConfig): Resolved {
  const r: Resolved = {
    clipLow: config.clipLow ?? 0.2,
    clipHigh: config.clipHigh ?? 0.2,
    dualClip: config.dualClip ?? null,
    positiveWeight: config.positiveWeight ?? 1,
    negativeWeight: config.negativeWeight ?? 1,
    entropyCoef: config.entropyCoef ?? 0,
    klCoef: config.klCoef ?? 0,
    klEstimator: config.klEstimator ?? 'k3',
    fused: config.fused ?? true,
  };
  const fail = (msg: string) => {
    throw new Error(`policyLoss: ${msg}`);
  };
  if (!(r.clipLow >= 0 && r.clipLow < 1)) fail(`clipLow (ε_low) must be in [0, 1), got ${r.clipLow}.`);
  if (!(r.clipHigh >= 0 && Number.isFinite(r.clipHigh))) fail(`clipHigh (ε_high) must be >= 0, got ${r.clipHigh}.`);
  if (r.dualClip !== null && !(r.dualClip > 1 && Number.isFinite(r.dualClip))) fail(`dualClip must be > 1 (verl), got ${r.dualClip}.`);
  if (!(r.positiveWeight >= 0 && Number.isFinite(r.positiveWeight))) fail(`positiveWeight (λ+) must be >= 0, got ${r.positiveWeight}.`);
  if (!(r.negativeWeight >= 0 && Number.isFinite(r.negativeWeight))) fail(`negativeWeight (λ−) must be >= 0, got ${r.negativeWeight}.`);
  if (!Number.isFinite(r.entropyCoef)) fail(`entropyCoef must be finite, got ${r.entropyCoef}.`);
  if (!(r.klCoef >= 0 && Number.isFinite(r.klCoef))) fail(`klCoef (β) must be >= 0, got ${r.klCoef}.`);
  return r;
}

function checkShapes(inputs: PolicyLossInputs): void {
  const { logp, mask, advantages } = inputs;
  const same = (t: Tensor) => t.rank === 2 && t.shape[0] === logp.shape[0] && t.shape[1] === logp.shape[1];
  if (logp.rank !== 2) throw new Error(`policyLoss: logp must be [N, L], got ${logp.toString()}.`);
  if (!same(mask)) throw new Error(`policyLoss: mask ${mask.toString()} must match logp ${logp.toString()}.`);
  if (!(same(advantages) || (advantages.rank === 2 && advantages.shape[0] === logp.shape[0] && advantages.shape[1] === 1))) {
    throw new Error(`policyLoss: advantages ${advantages.toString()} must be [N, L] or [N, 1] for logp ${logp.toString()}.`);
  }
  for (const [name, t] of [['oldLogp', inputs.oldLogp], ['refLogp', inputs.refLogp], ['entropy', inputs.entropy]] as const) {
    if (t && !same(t)) throw new Error(`policyLoss: ${name} ${t.toString()} must match logp ${logp.toString()}.`);
  }
}

/** ℓ_t for every token, and the clip metrics. Differentiable through inputs.logp (and inputs.entropy). */
export function perTokenPolicyLoss(inputs: PolicyLossInputs, config: PolicyLossConfig = {}): PerTokenPolicyLoss {
  checkShapes(inputs);
  const c = resolve(config);
  const { logp, advantages: a, mask } = inputs;
  if (c.klCoef > 0 && !inputs.refLogp) throw new Error('policyLoss: klCoef > 0 needs refLogp.');
  if (c.entropyCoef !== 0 && !inputs.entropy) throw new Error('policyLoss: entropyCoef != 0 needs entropy.');
  let extra: Tensor | null = null;
  if (c.klCoef > 0) extra = scale(klPerToken(logp, inputs.refLogp!, c.klEstimator), c.klCoef);
  if (c.entropyCoef !== 0) extra = extra ? sub(extra, scale(inputs.entropy!, c.entropyCoef)) : scale(inputs.entropy!, -c.entropyCoef);
  const withExtra = (pg: Tensor): Tensor => (extra ? add(pg, extra) : pg);
  if (c.fused) {
    const r = clippedPolicyLoss(logp, inputs.oldLogp ?? null, a, mask, c);
    return { perToken: withExtra(r.perToken), metrics: { values: r.metrics }, pgTokenMean: r.tokenMean, extraPerToken: extra };
  }
  return { ...unfusedPerToken(inputs, c, withExtra), pgTokenMean: null, extraPerToken: extra };
}

/** The op-by-op graph of ℓ_t and the metrics: the reference for the fused op. */
function unfusedPerToken(inputs: PolicyLossInputs, c: Resolved, withExtra: (pg: Tensor) => Tensor): Pick<PerTokenPolicyLoss, 'perToken' | 'metrics'> {
  const { logp, advantages: a, mask } = inputs;
  // A view shares the storage but has no tape node: logπ_old is a constant, as .detach() makes it.
  // (Like every intermediate here it belongs to the caller's tidy(), which releases its reference.)
  const oldLogp = inputs.oldLogp ?? logp.view(logp.shape);

  const ratio = exp(clamp(sub(logp, oldLogp), -LOG_RATIO_CLAMP, LOG_RATIO_CLAMP));
  const weighted =
    c.positiveWeight === 1 && c.negativeWeight === 1
      ? a
      : sub(scale(relu(a), c.positiveWeight), scale(relu(neg(a)), c.negativeWeight));
  const unclipped = neg(mul(weighted, ratio));
  const clipped = neg(mul(weighted, clamp(ratio, 1 - c.clipLow, 1 + c.clipHigh)));
  const pg = maximum(unclipped, clipped);
  const dualBound = c.dualClip === null ? null : scale(abs(weighted), c.dualClip);
  const perToken = withExtra(dualBound ? minimum(pg, dualBound) : pg);

  const metrics = noGrad((): ClipMetrics => {
    const sign = signOf(a);
    const isPos = relu(sign);
    const isNeg = relu(neg(sign));
    const low = mul(isPositive(affine(ratio, -1, 1 - c.clipLow)), isNeg); // [1−ε_low − ρ > 0]·[A < 0]
    const high = mul(isPositive(addScalar(ratio, -(1 + c.clipHigh))), isPos); // [ρ − (1+ε_high) > 0]·[A > 0]
    // [max(−Aρ, −A·clip ρ) > c·|A|] can only hold for A < 0 (see the header), as verl's flag requires.
    const dual = dualBound ? isPositive(sub(pg, dualBound)) : zeros(logp.shape);
    const means = [low, high, add(low, high), dual].map((x) => reshape(maskedTokenMean(x, mask), [1]));
    return { values: concat(means, 0) };
  });
  return { perToken, metrics };
}

export type PolicyLossResult = PerTokenPolicyLoss & {
  /** The aggregated scalar loss (shape []) to back-propagate. */
  loss: Tensor;
};

/** perTokenPolicyLoss, aggregated over inputs.mask with the given mode (default token-mean). */
export function policyLoss(
  inputs: PolicyLossInputs,
  config: PolicyLossConfig = {},
  aggregation: LossAggregation = 'token-mean',
  aggregationOptions: AggregationOptions = {},
): PolicyLossResult {
  const result = perTokenPolicyLoss(inputs, config);
  let loss: Tensor;
  if (result.pgTokenMean && aggregation === 'token-mean') {
    // Token-mean is linear: the fused op's mean of the pg part plus the mean of the KL and entropy terms.
    const extra = result.extraPerToken;
    loss = extra ? add(result.pgTokenMean, maskedTokenMean(extra, inputs.mask)) : result.pgTokenMean;
  } else {
    loss = aggregateLoss(result.perToken, inputs.mask, aggregation, aggregationOptions);
  }
  return { ...result, loss };
}
