// The fused decode path (Backend.decodeLayer/decodeHead on the CPU backend) against the unfused ops on
// awkward shapes: the same greedy and sampled tokens, the same logits, log-probs and entropies.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { setBackend } from '../engine';
import { generate } from './generate';
import { awkwardConfigs, compareFused } from './generateFusedTestUtil';
import { randomValues } from './generateTestUtil';
import { createParams, disposeParams } from './params';

let cpu: CpuBackend;
beforeAll(() => {
  cpu = new CpuBackend();
  setBackend(cpu);
});

describe('fused decode (CPU) against the unfused ops', () => {
  for (const config of awkwardConfigs) {
    const name = `D=${config.dModel} H=${config.nHeads} F=${config.dModel * config.mlpRatio} V=${config.vocabSize} L=${config.nLayers}`;
    it(`${name}: greedy tokens and logits agree`, async () => {
      const c = await compareFused(config, { samplesPerPrompt: 2, maxNewTokens: 6, temperature: 0, seed: 3 });
      expect(c.rowsDiffering).toBe(0);
      expect(c.logitError).toBeLessThan(1e-5);
      expect(c.scoreError).toBeLessThan(1e-5);
    });
    it(`${name}: sampled tokens (top-k, top-p) agree`, async () => {
      const c = await compareFused(config, { samplesPerPrompt: 3, maxNewTokens: 7, temperature: 0.8, topK: 5, topP: 0.9, seed: 11 });
      expect(c.rowsDiffering).toBe(0);
      expect(c.logitError).toBeLessThan(1e-5);
      expect(c.scoreError).toBeLessThan(1e-5);
    });
  }

  it('a rollout takes 1 + nLayers primitive calls per generated token after the prefill', async () => {
    const config = awkwardConfigs[1];
    const params = createParams(config, randomValues(config, 1));
    const calls = async (T: number) => {
      const before = cpu.counters().dispatches;
      await generate(config, params, [[1, 2]], { samplesPerPrompt: 2, maxNewTokens: T, temperature: 1, seed: 5, decode: 'fused' });
      return cpu.counters().dispatches - before;
    };
    expect((await calls(9)) - (await calls(8))).toBe(1 + config.nLayers);
    disposeParams(params);
  });

  it('decode: "fused" is refused with a clear error where the backend declines', async () => {
    const config = awkwardConfigs[0];
    const params = createParams(config, randomValues(config, 1));
    const declining = Object.assign(Object.create(Object.getPrototypeOf(cpu)), cpu, { canFuseDecode: () => false });
    setBackend(declining);
    try {
      await expect(generate(config, params, [[1]], { samplesPerPrompt: 1, maxNewTokens: 2, temperature: 0, seed: 1, decode: 'fused' })).rejects.toThrow(/cannot run the fused decode/);
    } finally {
      setBackend(cpu);
      disposeParams(params);
    }
  });
});
