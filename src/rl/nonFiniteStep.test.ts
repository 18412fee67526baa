// A non-finite step is undone: the weights and AdamW's m, v and step counter are those of the last
// good step (read back and compared exactly), the step does not count, and the run continues once
// the cause is fixed. A host state round-trips into a fresh trainer.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { readAll, setBackend } from '../engine';
import type { GptConfig } from '../model/config';
import { createParams, disposeParams, initGptParams, readParams } from '../model/params';
import { getTask } from '../tasks/registry';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import type { RewardFunction } from './rollout';
import { NonFiniteStepError, RlTrainer } from './trainer';
import { defaultRlConfig, type RlConfig } from './trainerConfig';

const small: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 24, dModel: 16, nHeads: 2, nLayers: 1, mlpRatio: 2 };
// 'score-text': the fake rewards score every row (a random policy rarely stops within 4 tokens).
const quick: RlConfig = { ...defaultRlConfig, promptsPerStep: 2, samplesPerPrompt: 4, maxNewTokens: 4, lr: 1e-3, truncation: 'score-text' };

beforeAll(() => setBackend(new CpuBackend()));

const oddLength: RewardFunction = async (samples) => ({
  rewards: samples.map((s) => s.length % 2),
  components: samples.map((s) => ({ odd: s.length % 2 })),
});

async function optimizerState(trainer: RlTrainer): Promise<Float32Array[]> {
  return (await readAll([...trainer.optimizer.m, ...trainer.optimizer.v])).map((a) => Float32Array.from(a));
}

async function expectUnchanged(trainer: RlTrainer, weights: Map<string, Float32Array>, moments: Float32Array[], optimizerStep: number) {
  expect(await readParams(trainer.params)).toEqual(weights);
  expect(await optimizerState(trainer)).toEqual(moments);
  expect(trainer.optimizer.step).toBe(optimizerStep);
}

describe('non-finite steps', () => {
  it('an absurd learning rate: the update is undone, and training continues once it is fixed', async () => {
    const params = initGptParams(small, 2);
    const trainer = new RlTrainer(small, params, getTask('addition'), { ...quick }, { reward: oddLength });
    await trainer.trainStep();
    await trainer.trainStep();
    const weights = await readParams(params);
    const moments = await optimizerState(trainer);

    trainer.config = { ...trainer.config, lr: 1e30 };
    const error = await trainer.trainStep().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteStepError);
    expect((error as NonFiniteStepError).quantities).toContain('weights');
    expect((error as NonFiniteStepError).metrics.step).toBe(2);
    expect(trainer.step).toBe(2);
    await expectUnchanged(trainer, weights, moments, 2);

    trainer.config = { ...trainer.config, lr: 1e-3 };
    const next = await trainer.trainStep();
    expect(next.metrics.step).toBe(2);
    expect(Number.isFinite(next.metrics.loss)).toBe(true);
    expect(trainer.step).toBe(3);
    expect(trainer.optimizer.step).toBe(3);
    trainer.dispose();
    disposeParams(params);
  });

  it('a reward so large that the loss overflows: nothing of the update remains', async () => {
    const params = initGptParams(small, 3);
    let huge = false;
    // Finite rewards (the session's guard lets them through), but ±3e38 advantages overflow the gradient norm.
    const reward: RewardFunction = async (samples) => ({
      rewards: samples.map((s, i) => (huge ? (i % 2 ? 3e38 : -3e38) : s.length % 2)),
      components: samples.map(() => ({})),
    });
    const trainer = new RlTrainer(small, params, getTask('addition'), { ...quick, rewardScale: 'none' }, { reward });
    await trainer.trainStep();
    const weights = await readParams(params);
    const moments = await optimizerState(trainer);

    huge = true;
    const error = await trainer.trainStep().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteStepError);
    expect((error as NonFiniteStepError).quantities).toContain('grad_norm');
    await expectUnchanged(trainer, weights, moments, 1);
    expect(trainer.step).toBe(1);

    huge = false;
    expect((await trainer.trainStep()).metrics.step).toBe(1);
    trainer.dispose();
    disposeParams(params);
  });

  it('a host state continues in a fresh trainer exactly where the old one stood', async () => {
    const params = initGptParams(small, 4);
    const trainer = new RlTrainer(small, params, getTask('addition'), { ...quick, refResetEvery: 0 }, { reward: oddLength });
    await trainer.trainStep();
    await trainer.trainStep();
    const state = await trainer.readState();
    expect(state.step).toBe(2);
    expect(state.optimizerStep).toBe(2);

    const copy = createParams(small, state.params);
    const resumed = trainer.continueFrom(state, copy);
    expect(resumed.step).toBe(2);
    const again = await resumed.readState();
    expect(again).toEqual(state);
    const m = await resumed.trainStep();
    expect(m.metrics.step).toBe(2);
    resumed.dispose();
    disposeParams(copy);
    trainer.dispose();
    disposeParams(params);
  });
});
