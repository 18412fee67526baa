// Everything an RL run is configured by. Plain data (the experiment layer's zod schema mirrors it and
// fills the defaults); the defaults follow docs/rl-reference.md "Typical small-run defaults", with a learning
// rate tuned for a 0.16 M-parameter policy instead of a billion-parameter one.
import type { AdamWConfig } from '../engine';
import type { AdvantageEstimator, RewardScale } from './advantages';
import type { LossAggregation } from './aggregation';
import type { KlEstimator } from './kl';
import type { TruncationPolicy } from './truncation';

export type LrSchedule = 'constant' | 'warmup-cosine';

export interface RlConfig {
  seed: number;
  /** Prompts per step (B) and samples per prompt (G). */
  promptsPerStep: number;
  samplesPerPrompt: number;
  /** The answer budget: new tokens per completion, EOS included (the experiment layer sets the task's). */
  maxNewTokens: number;
  /** How a completion that hits the budget without EOS is scored (truncation.ts). */
  truncation: TruncationPolicy;
  temperature: number;
  topK: number;
  topP: number;

  estimator: AdvantageEstimator;
  /** GRPO `scale_rewards`. */
  rewardScale: RewardScale;

  clipLow: number;
  clipHigh: number;
  dualClip: number | null;
  positiveWeight: number;
  negativeWeight: number;
  entropyCoef: number;

  /** β. Where it enters: the loss (TRL GRPO, verl use_kl_loss) or the reward (TRL RLOO, verl use_kl_in_reward). */
  klCoef: number;
  klEstimator: KlEstimator;
  klInReward: boolean;
  /** Copy the policy into the reference every N steps (ProRL); 0 = never. */
  refResetEvery: number;
  /** With a reference reset, also reset AdamW's moments and step (ProRL resets both). */
  refResetOptimizer: boolean;

  aggregation: LossAggregation;
  /** Optimisation passes over each batch (TRL num_iterations); with 1, ρ ≡ 1 and nothing clips. */
  ppoEpochs: number;

  /** DAPO dynamic sampling: keep groups with non-zero reward std, regenerating up to maxTries times. */
  dynamicSampling: boolean;
  dynamicSamplingMaxTries: number;

  optimizer: Omit<AdamWConfig, 'lr'>;
  lr: number;
  lrSchedule: LrSchedule;
  warmupSteps: number;
  totalSteps: number;
}

export const defaultRlConfig: RlConfig = {
  seed: 1,
  promptsPerStep: 16,
  samplesPerPrompt: 8,
  maxNewTokens: 8,
  truncation: 'wrong',
  temperature: 1,
  topK: 0,
  topP: 1,
  estimator: 'grpo',
  rewardScale: 'group',
  clipLow: 0.2,
  clipHigh: 0.2,
  dualClip: null,
  positiveWeight: 1,
  negativeWeight: 1,
  entropyCoef: 0,
  klCoef: 0,
  klEstimator: 'k3',
  klInReward: false,
  refResetEvery: 0,
  refResetOptimizer: true,
  aggregation: 'token-mean',
  ppoEpochs: 1,
  dynamicSampling: false,
  dynamicSamplingMaxTries: 3,
  optimizer: { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 },
  lr: 3e-4,
  lrSchedule: 'constant',
  warmupSteps: 0,
  totalSteps: 300,
};

/** The learning rate at a step (0-based) under the configured schedule. */
export function learningRate(c: Pick<RlConfig, 'lr' | 'lrSchedule' | 'warmupSteps' | 'totalSteps'>, step: number): number {
  if (c.lrSchedule === 'constant') return c.lr;
  if (step < c.warmupSteps) return (c.lr * (step + 1)) / c.warmupSteps;
  const progress = Math.min(1, (step - c.warmupSteps) / Math.max(1, c.totalSteps - c.warmupSteps));
  return c.lr * 0.5 * (1 + Math.cos(Math.PI * progress));
}

/** Where the KL penalty β·KL(π‖π_ref) enters, decided once per step from the config:
 *  'loss'         added to the policy loss per token (TRL GRPO, verl use_kl_loss);
 *  'reward'       β·Σ_t k1 subtracted from each sample's reward before advantages (TRL RLOO, verl use_kl_in_reward);
 *  'token-reward' β·k1 per token folded into REINFORCE++'s token-level returns;
 *  'none'         β = 0. */
export type KlPlacement = 'none' | 'loss' | 'reward' | 'token-reward';

export function klPlacement(c: Pick<RlConfig, 'klCoef' | 'klInReward' | 'estimator'>): KlPlacement {
  if (c.klCoef <= 0) return 'none';
  if (c.estimator.startsWith('reinforce++')) return 'token-reward';
  return c.klInReward ? 'reward' : 'loss';
}
