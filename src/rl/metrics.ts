// What one RL step reports: the metric record every consumer reads (the worker's protocol, the stores,
// the plots, the Node scripts' run records). Its own module so those layers import types, not the trainer.
// Names follow TRL's logged metrics where TRL has a name (docs/rl-reference.md, "Metrics").

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
}

export interface StepResult {
  metrics: StepMetrics;
  samples: InspectedSample[];
}
