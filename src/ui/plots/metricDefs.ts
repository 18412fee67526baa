// The charts of the plots panel and what each one draws, named as TRL logs them (docs/rl-reference.md), so
// a student can line a curve up with the same curve from TRL, verl or OpenRLHF.
import type { StepMetrics } from '../../rl/metrics';
import type { YRange } from './chartData';
import type { MetricLine } from './series';

export interface StepMetricDef {
  id: string;
  title: string;
  /** What the quantity is and whose definition it follows (chart tooltip). */
  about: string;
  lines: readonly MetricLine[];
  /** 'probability' for fractions: the y axis runs from 0 to at most 1. */
  range?: YRange;
}

const line = (key: string, label: string, get: (m: StepMetrics) => number | undefined): MetricLine => ({ key, label, get });

export const REWARD: StepMetricDef = {
  id: 'reward',
  title: 'reward',
  about:
    'reward: mean over every completion the step generated (TRL "reward"), comparable between runs with and without filtering. trained batch: mean over the groups kept for the loss (after dynamic sampling or difficulty filtering; sits near 0.5 when only mixed groups are kept).',
  // The trained batch's line only where it can differ (filtering or dynamic sampling): one line less to
  // draw on every frame of a plain run.
  lines: [line('reward', 'reward', (m) => m.reward), line('reward_trained', 'trained batch', (m) => (m.filtering || m.dynamic_sampling ? m.reward_trained : undefined))],
};

export const ENTROPY: StepMetricDef = {
  id: 'entropy',
  title: 'entropy',
  about: 'Token-mean entropy of the full next-token distribution over completion tokens, logits divided by the temperature (TRL).',
  lines: [line('entropy', 'entropy', (m) => m.entropy)],
};

export const KL: StepMetricDef = {
  id: 'kl',
  title: 'KL to reference',
  about: 'd = log π − log π_ref per token; k1 = d, k2 = d²/2, k3 = e^−d + d − 1 (clamped as verl). Token-mean, measured even with β = 0.',
  lines: [line('k1', 'k1', (m) => m.kl.k1), line('k2', 'k2', (m) => m.kl.k2), line('k3', 'k3', (m) => m.kl.k3)],
};

export const COMPLETION_LENGTH: StepMetricDef = {
  id: 'completion_length',
  title: 'completions/mean_length',
  about: 'Mean completion length in tokens, EOS included (TRL completions/mean_length). The fraction cut off by the answer budget is completions/clipped_ratio in the CSV.',
  lines: [line('mean_length', 'mean length', (m) => m.completions.mean_length)],
};

export const CLIP_RATIO: StepMetricDef = {
  id: 'clip_ratio',
  title: 'clip_ratio',
  about: 'Fraction of tokens whose ratio ρ was clipped below 1−ε_low (A < 0), above 1+ε_high (A > 0), or either (TRL clip_ratio/*).',
  range: 'probability',
  lines: [
    line('low_mean', 'low_mean', (m) => m.clip_ratio.low_mean),
    line('high_mean', 'high_mean', (m) => m.clip_ratio.high_mean),
    line('region_mean', 'region_mean', (m) => m.clip_ratio.region_mean),
  ],
};

export const GRAD_NORM: StepMetricDef = {
  id: 'grad_norm',
  title: 'grad_norm',
  about: 'Global gradient norm before clipping (TRL grad_norm).',
  lines: [line('grad_norm', 'grad_norm', (m) => m.grad_norm)],
};

export const ZERO_STD: StepMetricDef = {
  id: 'frac_reward_zero_std',
  title: 'frac_reward_zero_std',
  about: 'Fraction of groups whose rewards all agree (all right or all wrong): their advantages are 0 and they teach nothing (TRL).',
  range: 'probability',
  lines: [line('frac_reward_zero_std', 'frac_reward_zero_std', (m) => m.frac_reward_zero_std)],
};

export const FRAC_FILTERED: StepMetricDef = {
  id: 'frac_filtered',
  title: 'filtering/frac_filtered',
  about:
    'Online difficulty filtering: fraction of the generated groups whose accuracy fell outside the band (all solved or all failed, at the default band) and were left out of the loss. Steps with the filter off draw nothing.',
  range: 'probability',
  lines: [line('frac_filtered', 'frac_filtered', (m) => m.filtering?.frac_filtered)],
};

export const LOSS: StepMetricDef = {
  id: 'loss',
  title: 'loss',
  about: 'The policy loss after aggregation (plus KL and entropy terms when enabled).',
  lines: [line('loss', 'loss', (m) => m.loss)],
};

/** The single-source charts, in panel order; pass@k and per-arm charts are built separately. */
export const STEP_METRICS: readonly StepMetricDef[] = [REWARD, ENTROPY, KL, COMPLETION_LENGTH, CLIP_RATIO, GRAD_NORM, ZERO_STD, LOSS];
