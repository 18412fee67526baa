// What one RL step reports: the metric record every consumer reads (the worker's protocol, the stores,
// the plots, the Node scripts' run records). Its own module so those layers import types, not the trainer.
// Names follow TRL's logged metrics where TRL has a name (docs/rl-reference.md, "Metrics").
import type { LossAggregation } from './aggregation';
import type { KlEstimator } from './kl';
import type { KlPlacement } from './trainerConfig';

/** One step's metrics. */
export interface StepMetrics {
  step: number;
  /** Mean reward over every completion the step generated (over-sampled rounds and groups the
   *  filter dropped included): what TRL logs as `reward`, comparable between plain and filtered runs. */
  reward: number;
  reward_std: number;
  /** Mean reward over the trained batch only (after dynamic sampling / difficulty filtering); equals
   *  `reward` when nothing was filtered. Absent in records made before it existed (then `reward` was
   *  this trained-batch mean). */
  reward_trained?: number;
  /** Mean of each reward component over the trained batch, e.g. rewards/correctness. */
  rewards: Record<string, number>;
  frac_reward_zero_std: number;
  entropy: number;
  kl: { k1: number; k2: number; k3: number };
  clip_ratio: { low_mean: number; high_mean: number; region_mean: number };
  loss: number;
  grad_norm: number;
  learning_rate: number;
  /** clipped_ratio: completions of the trained batch that hit the answer budget without EOS. */
  completions: { mean_length: number; min_length: number; max_length: number; clipped_ratio: number };
  num_tokens: number;
  step_time: number;
  tokens_per_second: number;
  /** Per arm in this batch: samples, accuracy (mean reward) and mean |A|. */
  arms: Record<string, { samples: number; reward: number; meanAbsAdvantage: number }>;
  /** DAPO dynamic sampling: groups kept / generated, and generation rounds used. */
  dynamic_sampling?: { kept_groups: number; generated_groups: number; rounds: number };
  /** Online difficulty filtering: groups outside the accuracy band are left out of the loss; the step
   *  over-samples within its budget to keep B groups. */
  filtering?: FilteringMetrics;
  /** Completions generated since the run began, this step's included (over-sampling too): the x of
   *  "equal compute" comparisons. Absent in records made before it existed. */
  samples_spent?: number;
  /** The reference policy (and, with refResetOptimizer, AdamW's moments) was reset before this step. */
  reference_reset?: boolean;
}

/** One step's filtering bookkeeping (the curriculum layer's FilterStepMetrics has this shape). */
export interface FilteringMetrics {
  /** Fraction of the generated groups the filter removed. */
  frac_filtered: number;
  /** Groups trained on: min(passed, B). */
  kept_groups: number;
  /** Groups that passed (may exceed B: the surplus is not trained on). */
  passed_groups: number;
  generated_groups: number;
  rounds: number;
  /** The step stopped on its budget or round limit with fewer than B groups. */
  budget_exhausted: boolean;
}

/** A few recent rollouts, token by token, for the sample inspector. */
export interface InspectedSample {
  prompt: string;
  completion: string;
  answer: string;
  arm: string;
  reward: number;
  components: Record<string, number>;
  advantage: number;
  tokens: number[];
  logProbs: number[];
  entropies: number[];
  /** The completion ran out of answer budget before EOS (scored as overlong, not by its text). */
  truncated?: boolean;
  /** The numbers this sample's tokens entered the step's loss with ("Explain this number");
   *  absent in records made before it existed. */
  lossDetail?: SampleLossDetail;
}

/** How the step's loss was configured: what tokenExplanation.ts substitutes the numbers into. The
 *  same object for every sample of a step. */
export interface LossSettings {
  clipLow: number;
  clipHigh: number;
  dualClip: number | null;
  positiveWeight: number;
  negativeWeight: number;
  entropyCoef: number;
  /** β, and where it entered (only 'loss' adds β·k to ℓ_t). */
  klCoef: number;
  klEstimator: KlEstimator;
  klPlacement: KlPlacement;
  aggregation: LossAggregation;
  /** Update passes over the batch; the numbers are the last pass's (the loss the step reports). */
  ppoEpochs: number;
  /** The aggregation's normalisers: Σ mask over the trained batch, sequences N, the answer budget. */
  batchTokens: number;
  batchSequences: number;
  maxCompletionLength: number;
}

/** Per completion token of one trained sample: what its loss term was computed from, read back with
 *  the step's metrics (lossDetail.ts). */
export interface SampleLossDetail {
  settings: LossSettings;
  /** logπ_old: the policy that sampled (with one pass per batch, logπ itself, detached: ρ = 1). */
  oldLogProbs: number[];
  /** logπ under the policy at the last update pass. */
  logProbs: number[];
  /** logπ_ref under the reference policy. */
  refLogProbs: number[];
  /** A_t before the λ± weights. */
  advantages: number[];
  /** H_t of the training forward pass (what the entropy bonus uses). */
  entropies: number[];
  /** ℓ_t as the device computed it (before the mask and the aggregation): a cross-check. */
  losses: number[];
  /** False when truncation 'mask' dropped the row from the loss (its mask is zero). */
  counted: boolean;
  /** The reward the advantages came from: the verifier's, less β·Σ_t k1 when the KL is in the reward. */
  shapedReward: number;
}

export interface StepResult {
  metrics: StepMetrics;
  samples: InspectedSample[];
}
