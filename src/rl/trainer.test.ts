// The trainer's mechanics on the CPU backend with a small random policy: every metric is finite and
// named, a step reads the device twice (generation, metrics), memory stays flat, configuration
// variants run, and the reference is a real copy.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { getBackend, setBackend } from '../engine';
import type { GptConfig } from '../model/config';
import { disposeParams, initGptParams } from '../model/params';
import { getTask } from '../tasks/registry';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import type { RewardFunction } from './rollout';
import { RlTrainer } from './trainer';
import { defaultRlConfig, learningRate, type RlConfig } from './trainerConfig';

const small: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 24, dModel: 32, nHeads: 2, nLayers: 2, mlpRatio: 2 };
const quick: RlConfig = { ...defaultRlConfig, promptsPerStep: 4, samplesPerPrompt: 4, maxNewTokens: 4, lr: 1e-3 };

beforeAll(() => setBackend(new CpuBackend()));

/** A reward with spread even for a random policy (the verifier gives it all zeros): odd lengths win. */
const oddLength: RewardFunction = async (samples) => ({
  rewards: samples.map((s) => s.length % 2),
  components: samples.map((s) => ({ odd: s.length % 2 })),
});

async function run(config: RlConfig, steps: number, reward?: RewardFunction) {
  const params = initGptParams(small, 1);
  const trainer = new RlTrainer(small, params, getTask('addition'), config, { reward });
  const results = [];
  const live: number[] = [];
  const readbacks: number[] = [];
  for (let i = 0; i < steps; i++) {
    const before = getBackend().counters().readbacks;
    results.push(await trainer.trainStep());
    readbacks.push(getBackend().counters().readbacks - before);
    live.push(getBackend().counters().liveBuffers);
  }
  trainer.dispose();
  disposeParams(params);
  return { results, live, readbacks };
}

function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

describe('RlTrainer', () => {
  it('default GRPO: finite metrics, two readbacks per step, flat memory', async () => {
    const { results, live, readbacks } = await run(quick, 4, oddLength);
    for (const { metrics, samples } of results) {
      expect(allFinite(metrics)).toBe(true);
      expect(metrics.reward).toBeGreaterThanOrEqual(0);
      expect(metrics.reward).toBeLessThanOrEqual(1);
      expect(metrics.completions.max_length).toBeLessThanOrEqual(quick.maxNewTokens);
      expect(metrics.num_tokens).toBeGreaterThan(0);
      expect(metrics.grad_norm).toBeGreaterThanOrEqual(0);
      // One pass per batch: ρ ≡ 1, nothing clips (docs/rl-reference.md).
      expect(metrics.clip_ratio.region_mean).toBe(0);
      // The policy is the reference at step 0: KL is exactly 0 there.
      if (metrics.step === 0) expect(Math.abs(metrics.kl.k1)).toBeLessThan(1e-6);
      expect(samples.length).toBeGreaterThan(0);
      expect(samples[0].logProbs.length).toBe(samples[0].tokens.length);
    }
    expect(readbacks).toEqual([2, 2, 2, 2]);
    expect(live[3]).toBe(live[1]);
    // After updates the policy moved away from the reference.
    expect(results[3].metrics.kl.k2).toBeGreaterThan(0);
  });

  it('variants run: RLOO with KL in the loss, PPO epochs that clip, dual clip, REINFORCE++, KL in reward, dynamic sampling', async () => {
    const variants: Partial<RlConfig>[] = [
      { estimator: 'rloo', klCoef: 0.1 },
      { ppoEpochs: 2, clipHigh: 0.28, lr: 2e-2, dualClip: 3, aggregation: 'seq-mean-token-mean' },
      { estimator: 'reinforce++', klCoef: 0.05, aggregation: 'seq-mean-token-sum-norm' },
      { estimator: 'reinforce++-baseline', aggregation: 'seq-mean-token-sum' },
      { estimator: 'dr-grpo', klCoef: 0.1, klInReward: true, entropyCoef: 0.01 },
      { dynamicSampling: true, dynamicSamplingMaxTries: 2, negativeWeight: 0 },
      { refResetEvery: 1, lrSchedule: 'warmup-cosine', warmupSteps: 1, totalSteps: 3 },
    ];
    for (const v of variants) {
      const { results } = await run({ ...quick, ...v }, 2, oddLength);
      for (const { metrics } of results) expect(allFinite(metrics), JSON.stringify(v)).toBe(true);
      // The second pass sees ρ ≠ 1 after a large first update: some tokens clip.
      if (v.ppoEpochs === 2) expect(results[1].metrics.clip_ratio.region_mean).toBeGreaterThan(0);
      if (v.refResetEvery === 1) expect(Math.abs(results[1].metrics.kl.k1)).toBeLessThan(1e-6);
    }
  });

  it('learning-rate schedules', () => {
    expect(learningRate({ lr: 1, lrSchedule: 'constant', warmupSteps: 0, totalSteps: 10 }, 5)).toBe(1);
    const c = { lr: 1, lrSchedule: 'warmup-cosine' as const, warmupSteps: 2, totalSteps: 12 };
    expect(learningRate(c, 0)).toBeCloseTo(0.5);
    expect(learningRate(c, 2)).toBeCloseTo(1);
    expect(learningRate(c, 7)).toBeCloseTo(0.5);
    expect(learningRate(c, 12)).toBeCloseTo(0);
  });
});
