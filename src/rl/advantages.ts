// Advantage estimators over a batch of B prompts × G samples (docs/rl-reference.md, "Advantages").
// Rewards are host numbers, group-major (sample i of prompt b at b·G + i): they come from verifiers on
// the host, and per-sample bookkeeping over a few dozen numbers costs nothing in JS. Everything
// per-token is engine ops on [N, L] tensors (N = B·G), so on WebGPU it runs as kernels.
//
//   grpo                  (r_i − mean_g r) / (std_g r + ε)   TRL: Bessel std, ε = 1e-4; scale_rewards
//                         'group' (default) | 'batch' (group mean, batch std) | 'none'
//   dr-grpo               r_i − mean_g r                     (no std; the length normaliser is the loss's)
//   rloo                  r_i − mean_{j≠i} r_j = G/(G−1)·(r_i − mean_g r)
//   reinforce++           OpenRLHF: token reward −β·KL_t on every completion token plus clip(r, −10, 10)
//                         on the last one; returns with γ = 1; whitened over every valid token of the batch
//   reinforce++-baseline  the same, after subtracting the group mean from r
//   reinforce             2·r_i − 1: a 1/0 verifier's +1/−1, no baseline, no normalisation — the estimator
//                         of "The Surprising Effectiveness of Negative Reinforcement in LLM Reasoning"
//                         (PSR/NSR): unlike GRPO, an all-wrong group still pushes its samples down
//
// The sequence-level estimators broadcast one advantage over the sample's completion tokens; every
// estimator returns 0 at masked positions. Advantages are constants of the policy loss, so they are
// computed under noGrad() (a tokenKl that carries a gradient does not leak one into them).
import {
  affine, clamp, div, groupAdvantages, matmul, mul, noGrad, reshape, scale, sqrt, square, sub, sum, tensor, tidy,
  type Tensor,
} from '../engine';
import { F32_MAX } from './indicators';

export type AdvantageEstimator = 'grpo' | 'dr-grpo' | 'rloo' | 'reinforce++' | 'reinforce++-baseline' | 'reinforce';
export type RewardScale = 'group' | 'batch' | 'none';

export const ADVANTAGE_ESTIMATORS: readonly AdvantageEstimator[] = ['grpo', 'dr-grpo', 'rloo', 'reinforce++', 'reinforce++-baseline', 'reinforce'];

/** TRL's ε in (r − mean)/(std + ε). */
export const GRPO_EPS = 1e-4;
/** OpenRLHF's reward_clip_range for REINFORCE++ (the outcome reward is clipped to ±10). */
export const REINFORCE_PP_REWARD_CLIP = 10;
/** OpenRLHF whitening: rstd = 1/sqrt(max(var, 1e-8)). */
export const WHITEN_MIN_VAR = 1e-8;

export interface AdvantageOptions {
  estimator: AdvantageEstimator;
  /** G, samples per prompt; rewards.length must be a multiple of it. */
  groupSize: number;
  /** grpo only (TRL `scale_rewards`); default 'group'. */
  scale?: RewardScale;
  /** grpo only; default 1e-4 (TRL). */
  eps?: number;
  /** reinforce++: β of the per-token reward −β·KL_t (OpenRLHF `init_kl_coef`); default 0. Needs tokenKl when > 0. */
  klCoef?: number;
  /** reinforce++: the outcome reward is clipped to ±rewardClip; default 10. */
  rewardClip?: number;
  /** reinforce++: discount of the returns; default 1 (the reference setting). */
  gamma?: number;
}

// Result shapes are type aliases, not interfaces, so that tidy() accepts them as tensor containers.
export type AdvantageResult = {
  /** f32 [N, L]: the advantage of every completion token, 0 where the mask is 0. */
  advantages: Tensor;
  /** Fraction of groups whose rewards have zero std (TRL frac_reward_zero_std; a group of one counts). */
  fracRewardZeroStd: number;
};

function checkBatch(what: string, rewards: ArrayLike<number>, groupSize: number, mask: Tensor): void {
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new Error(`${what}: groupSize must be a positive integer, got ${groupSize}.`);
  if (rewards.length === 0 || rewards.length % groupSize !== 0) {
    throw new Error(`${what}: ${rewards.length} rewards cannot be split into groups of ${groupSize}.`);
  }
  for (let i = 0; i < rewards.length; i++) {
    if (!Number.isFinite(rewards[i])) throw new Error(`${what}: reward ${i} is ${rewards[i]}, not a finite number.`);
  }
  if (mask.rank !== 2 || mask.shape[0] !== rewards.length) {
    throw new Error(`${what}: the mask must be [N, L] with N = ${rewards.length} rewards, got ${mask.toString()}.`);
  }
}

/**
 * Fraction of groups whose rewards have zero (Bessel) std, by torch.isclose(std, 0): |std| <= 1e-8.
 * Counted per group whatever the scaling (TRL with scale_rewards='batch' logs the batch std's flag
 * instead, all-or-nothing); a group of one has std 0, as in TRL when num_generations = 1.
 */
export function fracRewardZeroStd(rewards: ArrayLike<number>, groupSize: number): number {
  const numGroups = rewards.length / groupSize;
  if (!Number.isInteger(numGroups) || numGroups < 1) throw new Error(`fracRewardZeroStd: ${rewards.length} rewards, groups of ${groupSize}.`);
  let zero = 0;
  for (let g = 0; g < numGroups; g++) {
    let mean = 0;
    for (let i = 0; i < groupSize; i++) mean += rewards[g * groupSize + i];
    mean /= groupSize;
    let ss = 0;
    for (let i = 0; i < groupSize; i++) ss += (rewards[g * groupSize + i] - mean) ** 2;
    const std = groupSize > 1 ? Math.sqrt(ss / (groupSize - 1)) : 0;
    if (std <= 1e-8) zero++;
  }
  return zero / numGroups;
}

/** One advantage per sample [N] -> per token [N, L], zero where the mask is zero. */
function broadcastOverTokens(perSample: Tensor, mask: Tensor): Tensor {
  return mul(reshape(perSample, [perSample.size, 1]), mask);
}

/** GRPO (TRL): the engine's groupAdvantages op, broadcast over each completion. */
export function grpoAdvantages(rewards: ArrayLike<number>, groupSize: number, mask: Tensor, scaleMode: RewardScale = 'group', eps = GRPO_EPS): Tensor {
  checkBatch('grpoAdvantages', rewards, groupSize, mask);
  return noGrad(() => tidy(() => broadcastOverTokens(groupAdvantages(tensor(rewards), groupSize, scaleMode, eps), mask)));
}

/** Dr. GRPO: the group mean subtracted, no std scaling. */
export function drGrpoAdvantages(rewards: ArrayLike<number>, groupSize: number, mask: Tensor): Tensor {
  return grpoAdvantages(rewards, groupSize, mask, 'none');
}

/** RLOO: r_i − mean of the other G − 1 rewards. Needs G >= 2 (a lone sample has no baseline). */
export function rlooAdvantages(rewards: ArrayLike<number>, groupSize: number, mask: Tensor): Tensor {
  checkBatch('rlooAdvantages', rewards, groupSize, mask);
  if (groupSize < 2) throw new Error('rlooAdvantages: RLOO needs at least 2 samples per prompt (the baseline is the mean of the others).');
  // r_i − (S − r_i)/(G−1) = (G·r_i − S)/(G−1) = G/(G−1)·(r_i − S/G).
  return noGrad(() =>
    tidy(() => broadcastOverTokens(scale(groupAdvantages(tensor(rewards), groupSize, 'none'), groupSize / (groupSize - 1)), mask)),
  );
}

/** REINFORCE with the verifier's sign (PSR/NSR paper): A_i = 2·r_i − 1, so a right answer (1) gets +1 and a
 *  wrong one (0) −1, whatever the rest of its group did. No baseline: λ+ / λ− then weigh the two kinds. */
export function reinforceAdvantages(rewards: ArrayLike<number>, groupSize: number, mask: Tensor): Tensor {
  checkBatch('reinforceAdvantages', rewards, groupSize, mask);
  return noGrad(() => tidy(() => broadcastOverTokens(affine(tensor(rewards), 2, -1), mask)));
}

/** U[s, t] = γ^(s−t) for s >= t, else 0: x @ U is the discounted reverse cumulative sum along a row. */
function returnsMatrix(length: number, gamma: number): Tensor {
  const u = new Float32Array(length * length);
  for (let s = 0; s < length; s++) for (let t = 0; t <= s; t++) u[s * length + t] = gamma ** (s - t);
  return tensor(u, [length, length]);
}

export interface ReinforcePlusPlusOptions {
  /** Subtract the group mean from r first (REINFORCE++-baseline). */
  baseline?: boolean;
  klCoef?: number;
  /** f32 [N, L] per-token KL estimate (OpenRLHF default k1); required when klCoef > 0. */
  tokenKl?: Tensor;
  rewardClip?: number;
  gamma?: number;
}

/**
 * REINFORCE++ (OpenRLHF compute_reward + get_cumulative_returns + batch whitening), all on tensors:
 * - the last completion token of each row is found without a compare op: c = m @ U counts the valid
 *   tokens at or after t, and the last one is where m = 1 and c = 1, i.e. m·clamp(2 − c, 0, 1) (c is a
 *   small integer, so this is exact) — which also handles masks that start after a prompt;
 * - the reward-to-go is one matmul with the triangular U (γ = 1: Σ_{s>=t} r_s);
 * - whitening (OpenRLHF): mean and *biased* variance over every valid token of the batch,
 *   A = (R − mean)/sqrt(max(var, 1e-8)), then zeroed at masked positions. (verl's masked_whiten uses the
 *   Bessel variance and sqrt(var + 1e-8); the two differ by a factor sqrt((n−1)/n) in the scale.)
 */
export function reinforcePlusPlusAdvantages(rewards: ArrayLike<number>, groupSize: number, mask: Tensor, options: ReinforcePlusPlusOptions = {}): Tensor {
  checkBatch('reinforcePlusPlusAdvantages', rewards, groupSize, mask);
  const { baseline = false, klCoef = 0, tokenKl, rewardClip = REINFORCE_PP_REWARD_CLIP, gamma = 1 } = options;
  if (!(klCoef >= 0)) throw new Error(`reinforcePlusPlusAdvantages: klCoef must be >= 0, got ${klCoef}.`);
  if (klCoef > 0 && !tokenKl) throw new Error('reinforcePlusPlusAdvantages: klCoef > 0 needs tokenKl [N, L].');
  if (tokenKl && (tokenKl.rank !== 2 || tokenKl.shape[0] !== mask.shape[0] || tokenKl.shape[1] !== mask.shape[1])) {
    throw new Error(`reinforcePlusPlusAdvantages: tokenKl ${tokenKl.toString()} must match the mask ${mask.toString()}.`);
  }
  if (!(rewardClip > 0)) throw new Error(`reinforcePlusPlusAdvantages: rewardClip must be > 0, got ${rewardClip}.`);
  if (!(gamma > 0 && gamma <= 1)) throw new Error(`reinforcePlusPlusAdvantages: gamma must be in (0, 1], got ${gamma}.`);
  const [n, length] = mask.shape;
  return noGrad(() =>
    tidy(() => {
      let r = tensor(rewards);
      if (baseline) r = groupAdvantages(r, groupSize, 'none');
      r = clamp(r, -rewardClip, rewardClip);
      const u = returnsMatrix(length, 1);
      const remaining = matmul(mask, u);
      const last = mul(mask, clamp(affine(remaining, -1, 2), 0, 1));
      let tokenReward = mul(last, reshape(r, [n, 1]));
      if (klCoef > 0 && tokenKl) tokenReward = sub(tokenReward, mul(scale(tokenKl, klCoef), mask));
      const returns = matmul(tokenReward, gamma === 1 ? u : returnsMatrix(length, gamma));
      const count = clamp(sum(mask), 1, F32_MAX);
      const centered = sub(returns, div(sum(mul(returns, mask)), count));
      const variance = div(sum(mul(square(centered), mask)), count);
      return mul(div(centered, sqrt(clamp(variance, WHITEN_MIN_VAR, F32_MAX))), mask);
    }),
  );
}

/** The estimator the options name, plus frac_reward_zero_std of the raw rewards. */
export function computeAdvantages(rewards: ArrayLike<number>, mask: Tensor, options: AdvantageOptions, tokenKl?: Tensor): AdvantageResult {
  const { estimator, groupSize } = options;
  let advantages: Tensor;
  switch (estimator) {
    case 'grpo':
      advantages = grpoAdvantages(rewards, groupSize, mask, options.scale ?? 'group', options.eps ?? GRPO_EPS);
      break;
    case 'dr-grpo':
      advantages = drGrpoAdvantages(rewards, groupSize, mask);
      break;
    case 'rloo':
      advantages = rlooAdvantages(rewards, groupSize, mask);
      break;
    case 'reinforce':
      advantages = reinforceAdvantages(rewards, groupSize, mask);
      break;
    case 'reinforce++':
    case 'reinforce++-baseline':
      advantages = reinforcePlusPlusAdvantages(rewards, groupSize, mask, {
        baseline: estimator === 'reinforce++-baseline',
        klCoef: options.klCoef ?? 0,
        tokenKl,
        rewardClip: options.rewardClip,
        gamma: options.gamma,
      });
      break;
    default:
      throw new Error(`computeAdvantages: unknown estimator ${String(estimator)}.`);
  }
  return { advantages, fracRewardZeroStd: fracRewardZeroStd(rewards, groupSize) };
}
