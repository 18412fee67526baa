// The "report" phase of a trainer step: from the step's host-side numbers (rewards, lengths, arms)
// and the scalars of its one readback, the StepMetrics record and the inspector's samples.
import type { Collected } from './collect';
import type { InspectedSample, SampleLossDetail, StepMetrics } from './metrics';
import type { Rollout } from './rollout';

/** The scalars the optimise phase reads back, by name. */
export interface StepScalars {
  loss: number;
  entropy: number;
  k1: number;
  k2: number;
  k3: number;
  clipLow: number;
  clipHigh: number;
  clipRegion: number;
  gradNormSq: number;
  weightSumSq: number;
  fracZero: number;
}

function meanStd(values: number[]): [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const variance = values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return [mean, Math.sqrt(variance)];
}

/** The quantities that must be finite for the step to count (NonFiniteStepError names them). */
export function nonFiniteQuantities(s: StepScalars): string[] {
  const checked: [string, number][] = [
    ['loss', s.loss],
    ['grad_norm', s.gradNormSq],
    ['entropy', s.entropy],
    ['kl.k1', s.k1],
    ['kl.k2', s.k2],
    ['kl.k3', s.k3],
    ['weights', s.weightSumSq],
  ];
  return checked.filter(([, v]) => !Number.isFinite(v)).map(([name]) => name);
}

export interface ReportInput {
  step: number;
  collected: Collected;
  scalars: StepScalars;
  /** Per trained sample: token-mean |A|. */
  absAdvantages: number[];
  learningRate: number;
  startedAt: number;
  samplesSpent: number;
  referenceReset: boolean;
}

export function stepMetrics(x: ReportInput): StepMetrics {
  const { r, dynamic, filtering, generatedRewards } = x.collected;
  const s = x.scalars;
  const N = r.samples.length;
  const [generatedMean, generatedStd] = meanStd(generatedRewards);
  const [trainedMean] = meanStd(r.rewards);
  const componentMeans: Record<string, number> = {};
  for (const comp of r.components) for (const [k, v] of Object.entries(comp)) componentMeans[k] = (componentMeans[k] ?? 0) + v / N;
  const lengths = r.samples.map((sample) => sample.length);
  const numTokens = lengths.reduce((a, b) => a + b, 0);
  const arms: StepMetrics['arms'] = {};
  r.samples.forEach((sample, i) => {
    const a = (arms[sample.problem.arm] ??= { samples: 0, reward: 0, meanAbsAdvantage: 0 });
    a.samples++;
    a.reward += r.rewards[i];
    a.meanAbsAdvantage += x.absAdvantages[i];
  });
  for (const a of Object.values(arms)) {
    a.reward /= a.samples;
    a.meanAbsAdvantage /= a.samples;
  }
  const stepTime = (performance.now() - x.startedAt) / 1000;
  return {
    step: x.step,
    reward: generatedMean,
    reward_std: generatedStd,
    reward_trained: trainedMean,
    rewards: componentMeans,
    frac_reward_zero_std: s.fracZero,
    entropy: s.entropy,
    kl: { k1: s.k1, k2: s.k2, k3: s.k3 },
    clip_ratio: { low_mean: s.clipLow, high_mean: s.clipHigh, region_mean: s.clipRegion },
    loss: s.loss,
    grad_norm: Math.sqrt(s.gradNormSq),
    learning_rate: x.learningRate,
    completions: {
      mean_length: numTokens / N,
      min_length: Math.min(...lengths),
      max_length: Math.max(...lengths),
      clipped_ratio: r.samples.filter((sample) => !sample.stopped).length / N,
    },
    num_tokens: numTokens,
    step_time: stepTime,
    tokens_per_second: numTokens / stepTime,
    arms,
    ...(dynamic ? { dynamic_sampling: dynamic } : {}),
    ...(filtering ? { filtering } : {}),
    samples_spent: x.samplesSpent,
    ...(x.referenceReset ? { reference_reset: true } : {}),
  };
}

/** The first rows of the trained batch, token by token (the generation's log-probs and entropies only
 *  when rows were not regrouped; the loss detail, read from the trained batch itself, always). */
export function inspectSamples(r: Rollout, advantages: number[], metrics: StepMetrics, count = 8, lossDetails: SampleLossDetail[] = []): InspectedSample[] {
  const T = r.generation.maxNewTokens;
  const sameRows = !metrics.dynamic_sampling && !metrics.filtering;
  return r.samples.slice(0, Math.min(r.samples.length, count)).map((s, i) => ({
    prompt: s.problem.prompt,
    completion: s.completion,
    answer: s.problem.answer,
    arm: s.problem.arm,
    reward: r.rewards[i],
    components: r.components[i],
    advantage: advantages[i],
    tokens: r.completionIds[i],
    logProbs: sameRows ? Array.from(r.generation.logProbs.subarray(i * T, i * T + s.length)) : [],
    entropies: sameRows ? Array.from(r.generation.entropies.subarray(i * T, i * T + s.length)) : [],
    ...(s.stopped ? {} : { truncated: true }),
    ...(lossDetails[i] ? { lossDetail: lossDetails[i] } : {}),
  }));
}
