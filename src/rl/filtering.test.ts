// Online difficulty filtering inside the trainer step (CPU backend, small random policy, a fake reward
// whose group accuracies are fixed by the arm): groups outside the band are left out of the loss and
// counted, the over-sampling budget bounds the prompts generated, the curriculum hears of every
// generated sample (filtered-out ones with advantage 0), and samples_spent counts completions.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { getBackend, setBackend } from '../engine';
import { createDifficultyFilter } from '../curriculum/filtering';
import type { GptConfig } from '../model/config';
import { disposeParams, initGptParams } from '../model/params';
import { getTask } from '../tasks/registry';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import type { ArmSampler, RewardFunction } from './rollout';
import { RlTrainer, type DifficultyFilter } from './trainer';
import { defaultRlConfig, type RlConfig } from './trainerConfig';

const small: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 24, dModel: 32, nHeads: 2, nLayers: 2, mlpRatio: 2 };
// 'score-text': the fake rewards score every row (a random policy rarely stops within 4 tokens).
const quick: RlConfig = { ...defaultRlConfig, promptsPerStep: 4, samplesPerPrompt: 4, maxNewTokens: 4, truncation: 'score-text' };

beforeAll(() => setBackend(new CpuBackend()));

/** d1: every sample correct; d3: every sample wrong; d2: alternate samples correct (accuracy 0.5).
 *  Rewards are shaped (0.5 + 0.5·correct) so that only the correctness component is an accuracy. */
const byArm: RewardFunction = async (samples) => {
  const correct = samples.map((s, i) => (s.problem.arm === 'd1' ? 1 : s.problem.arm === 'd3' ? 0 : i % 2));
  return { rewards: correct.map((c) => 0.5 + 0.5 * c), components: correct.map((c) => ({ correctness: c })) };
};

/** Draws the arms in a fixed cycle and records every update() call. */
function cyclingSampler(cycle: string[]) {
  let k = 0;
  const updates: { arm: string; reward: number; advantage: number; absAdvantage?: number }[][] = [];
  const sampler: ArmSampler = {
    chooseArms: (count) => Array.from({ length: count }, () => cycle[k++ % cycle.length]),
    update: (samples) => void updates.push(samples),
  };
  return { sampler, updates };
}

async function trainOnce(arms: ArmSampler, filter: DifficultyFilter, steps = 1) {
  const params = initGptParams(small, 3);
  const trainer = new RlTrainer(small, params, getTask('addition'), quick, { reward: byArm, arms, filter });
  const out = [];
  try {
    for (let i = 0; i < steps; i++) {
      const before = getBackend().counters().readbacks;
      const result = await trainer.trainStep();
      out.push({ ...result, readbacks: getBackend().counters().readbacks - before });
    }
  } finally {
    trainer.dispose();
    disposeParams(params);
  }
  return out;
}

describe('difficulty filtering in the trainer', () => {
  it('excludes all-correct and all-wrong groups, counts them, and over-samples to fill the batch', async () => {
    const { sampler, updates } = cyclingSampler(['d1', 'd2', 'd3']);
    const [{ metrics, readbacks }] = await trainOnce(sampler, createDifficultyFilter({ lo: 0.2, hi: 0.8, mode: 'inclusive', budget: 3, maxRounds: 3 }));
    // Round 1: d1 d2 d3 d1 → 1 passes; round 2 asks ceil(3 / (1/4)) = 12, capped by the budget
    // (3·4 = 12 in all) at 8: d2 d3 d1 d2 d3 d1 d2 d3 → 3 pass; the batch is full.
    expect(metrics.filtering).toEqual({ frac_filtered: 1 - 4 / 12, kept_groups: 4, passed_groups: 4, generated_groups: 12, rounds: 2, budget_exhausted: false });
    expect(metrics.samples_spent).toBe(12 * 4);
    // Only the d2 groups are in the loss.
    expect(Object.keys(metrics.arms)).toEqual(['d2']);
    expect(metrics.arms.d2.samples).toBe(16);
    expect(metrics.arms.d2.meanAbsAdvantage).toBeGreaterThan(0);
    expect(metrics.rewards.correctness).toBeCloseTo(0.5);
    // One readback per generation round plus the step's one readAll: |A| rides along, no extra.
    expect(readbacks).toBe(2 + 1);
    // The curriculum hears of all 48 completions: the 16 trained with their |A|, the 32 filtered out with 0.
    expect(updates).toHaveLength(1);
    const seen = updates[0];
    expect(seen).toHaveLength(48);
    const trained = seen.filter((s) => s.arm === 'd2');
    expect(trained).toHaveLength(16);
    for (const s of trained) expect(s.absAdvantage).toBeGreaterThan(0);
    for (const s of seen.filter((s) => s.arm !== 'd2')) {
      expect(s.advantage).toBe(0);
      expect(s.absAdvantage).toBe(0);
    }
    expect(seen.filter((s) => s.arm === 'd1').every((s) => s.reward === 1)).toBe(true);
  });

  it('respects the budget when nothing passes: trains with advantage 0 and says the budget ran out', async () => {
    const { sampler, updates } = cyclingSampler(['d1']);
    const results = await trainOnce(sampler, createDifficultyFilter({ lo: 0.2, hi: 0.8, mode: 'strict', budget: 2.5, maxRounds: 4 }), 2);
    for (const [i, { metrics }] of results.entries()) {
      // floor(2.5 · 4) = 10 prompts at most per step, however many rounds are allowed.
      expect(metrics.filtering!.generated_groups).toBe(10);
      expect(metrics.filtering!.kept_groups).toBe(0);
      expect(metrics.filtering!.frac_filtered).toBe(1);
      expect(metrics.filtering!.budget_exhausted).toBe(true);
      expect(metrics.samples_spent).toBe((i + 1) * 10 * 4);
      expect(metrics.arms.d1.meanAbsAdvantage).toBe(0);
      expect(Number.isFinite(metrics.loss)).toBe(true);
    }
    // Every completion generated is reported once, all with advantage 0.
    for (const u of updates) {
      expect(u).toHaveLength(40);
      expect(u.every((s) => s.advantage === 0 && s.absAdvantage === 0)).toBe(true);
    }
  });

  it('with DAPO dynamic sampling on as well, a group must also have spread', async () => {
    const { sampler } = cyclingSampler(['d2']);
    const params = initGptParams(small, 3);
    const trainer = new RlTrainer(small, params, getTask('addition'), { ...quick, dynamicSampling: true }, { reward: byArm, arms: sampler, filter: createDifficultyFilter({ lo: 0, hi: 1, mode: 'inclusive', budget: 1, maxRounds: 1 }) });
    const { metrics } = await trainer.trainStep();
    trainer.dispose();
    disposeParams(params);
    expect(metrics.filtering).toMatchObject({ kept_groups: 4, generated_groups: 4, rounds: 1, frac_filtered: 0 });
    expect(metrics.dynamic_sampling).toBeUndefined();
  });
});
