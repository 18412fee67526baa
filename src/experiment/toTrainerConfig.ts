// From the experiment config (what users and URLs edit) to the trainer's RlConfig.
import type { AdvantageEstimator } from '../rl/advantages';
import type { LossAggregation } from '../rl/aggregation';
import type { KlEstimator } from '../rl/kl';
import { streamSeed } from '../rl/collect';
import type { RlConfig } from '../rl/trainerConfig';
import { getTask } from '../tasks/registry';
import { DEFAULT_REWARD_SPEC, type BuiltinRewardSpec } from '../rewards/spec';
import type { ExperimentConfig } from './schema';

/** The run's answer budget: the user's maxNewTokens, or the task's own need when it is unset. */
export function answerBudget(e: Pick<ExperimentConfig, 'algorithm' | 'task'>): number {
  return e.algorithm.maxNewTokens ?? getTask(e.task.id).answerBudget;
}

/** The seed a run's training pool (task.trainPool > 0: one-shot / few-shot RL) is drawn from: its own
 *  stream of the experiment seed, so each training seed trains on its own problems. */
export function trainingPoolSeed(seed: number): number {
  return streamSeed(seed, -1, 7);
}

export function toRlConfig(e: ExperimentConfig): RlConfig {
  const a = e.algorithm;
  return {
    seed: e.seed,
    promptsPerStep: a.promptsPerStep,
    samplesPerPrompt: a.samplesPerPrompt,
    maxNewTokens: answerBudget(e),
    truncation: a.truncation,
    temperature: a.temperature,
    topK: a.topK,
    topP: a.topP,
    estimator: a.estimator as AdvantageEstimator,
    rewardScale: a.rewardScale,
    clipLow: a.clipLow,
    clipHigh: a.clipHigh,
    dualClip: a.dualClip,
    positiveWeight: a.positiveWeight,
    negativeWeight: a.negativeWeight,
    entropyCoef: a.entropyCoef,
    klCoef: a.klCoef,
    klEstimator: a.klEstimator as KlEstimator,
    klInReward: a.klInReward,
    refResetEvery: a.refResetEvery,
    refResetOptimizer: a.refResetOptimizer,
    aggregation: a.aggregation as LossAggregation,
    ppoEpochs: a.ppoEpochs,
    dynamicSampling: a.dynamicSampling,
    dynamicSamplingMaxTries: a.dynamicSamplingMaxTries,
    optimizer: { beta1: a.beta1, beta2: a.beta2, eps: 1e-8, weightDecay: a.weightDecay, maxGradNorm: a.maxGradNorm },
    lr: a.lr,
    lrSchedule: a.lrSchedule,
    warmupSteps: a.warmupSteps,
    totalSteps: e.run.steps,
  };
}

/** The built-in reward of an experiment whose reward.kind is 'weighted' (for 'verifier' it is plain
 *  correctness, which is what the task's verifier reward computes). */
export function toBuiltinRewardSpec(e: ExperimentConfig): BuiltinRewardSpec {
  if (e.reward.kind !== 'weighted') return DEFAULT_REWARD_SPEC;
  const { correctness, format, partial, lengthPenalty, coin } = e.reward.weights;
  // coin only when weighted: a zero-weight term would add a 'coin' series to every weighted run's plots.
  return { kind: 'builtin', components: { correctness, format, partial, lengthPenalty, ...(coin ? { coin } : {}) } };
}
