// "Explain this number" on WebGPU: the per-token detail the trainer slices out of its device tensors
// (a 3-D concat and slice, read back with the step's metrics) rebuilds the step's loss exactly as on
// the CPU backend (tokenExplanation.test.ts): the contributions sum to the loss, token by token the
// host's ℓ_t equals the device's, and the step still reads the device twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { WebGpuBackend } from '../engine/backend/webgpu/webgpuBackend';
import type { GptConfig } from '../model/config';
import { disposeParams, initGptParams } from '../model/params';
import { getTask } from '../tasks/registry';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import { explainedLoss } from './explanationCheck';
import type { RewardFunction } from './rollout';
import { RlTrainer } from './trainer';
import { defaultRlConfig, type RlConfig } from './trainerConfig';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  setBackend(gpu);
});
afterAll(() => gpu?.destroy());

const model: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 24, dModel: 32, nHeads: 2, nLayers: 2, mlpRatio: 2 };
const oddFirst = (c: string) => (c.length > 0 ? c.charCodeAt(0) % 2 : 0);
const oddStart: RewardFunction = async (samples) => ({ rewards: samples.map((s) => oddFirst(s.completion)), components: samples.map(() => ({})) });

describe('explainToken against the WebGPU trainer', () => {
  const base: RlConfig = { ...defaultRlConfig, promptsPerStep: 4, samplesPerPrompt: 4, maxNewTokens: 4, truncation: 'score-text' };
  const cases: [string, Partial<RlConfig>][] = [
    ['REINFORCE ±1, seq-mean-token-mean', { estimator: 'reinforce', aggregation: 'seq-mean-token-mean', lr: 1e-3 }],
    ['λ±, clip-higher, dual clip, k3 in the loss, entropy bonus, two passes', { positiveWeight: 1.5, negativeWeight: 0.5, clipHigh: 0.28, dualClip: 3, klCoef: 0.2, entropyCoef: 0.01, ppoEpochs: 2, lr: 2e-2 }],
  ];
  for (const [name, overrides] of cases) {
    it(name, async () => {
      const config = { ...base, ...overrides };
      const params = initGptParams(model, 3);
      const N = config.promptsPerStep * config.samplesPerPrompt;
      const trainer = new RlTrainer(model, params, getTask('addition'), config, { reward: oddStart, inspectRows: N });
      for (let step = 0; step < 2; step++) {
        const before = gpu.counters().readbacks;
        const result = await trainer.trainStep();
        expect(gpu.counters().readbacks - before).toBe(2);
        const { total, worstTokenGap, missing, regions } = explainedLoss(result);
        expect(missing).toBe(0);
        expect(Math.abs(result.metrics.loss)).toBeGreaterThan(0);
        expect(Math.abs(total - result.metrics.loss), `Σ ${total} vs loss ${result.metrics.loss}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(result.metrics.loss)));
        expect(worstTokenGap).toBeLessThan(1e-4);
        if (config.ppoEpochs > 1 && step === 1) expect(regions.size).toBeGreaterThan(1);
      }
      trainer.dispose();
      disposeParams(params);
    });
  }
});
