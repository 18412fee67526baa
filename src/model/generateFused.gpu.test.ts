// The fused decode kernels (shaders/decode_layer.wgsl, decode_head.wgsl) on the real WebGPU adapter,
// against the unfused ops on the same device on awkward shapes, and against the CPU backend's fused
// path: the same greedy and sampled tokens, the same logits, log-probs and entropies; 1 + nLayers
// dispatches per generated token, one readback per rollout, no leaked buffers. (generate()'s default
// is the fused loop wherever it can run; these ask for 'fused' so that a decline fails loudly.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { WebGpuBackend } from '../engine/backend/webgpu/webgpuBackend';
import { setBackend } from '../engine';
import { defaultGptConfig } from './config';
import { generate } from './generate';
import { decodeColumnBlocks, decodeLayerIsVec4 } from '../engine/backend/webgpu/kernels/decode';
import { awkwardConfigs, awkwardPrompts, compareFused } from './generateFusedTestUtil';
import { randomValues } from './generateTestUtil';
import { createParams, disposeParams } from './params';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  setBackend(gpu);
});
afterAll(() => gpu?.destroy());

const layerKernelOf = (c: (typeof awkwardConfigs)[number]) =>
  decodeLayerIsVec4({ dModel: c.dModel, nHeads: c.nHeads, hidden: c.dModel * c.mlpRatio }) ? 'decodeLayer.vec4' : 'decodeLayer';
const headKernelOf = (c: (typeof awkwardConfigs)[number]) => (c.dModel % 4 === 0 ? 'decodeHead.vec4' : 'decodeHead');

describe('fused decode (WebGPU) against the unfused ops', () => {
  it('the awkward shapes cover both layer kernels and both head kernels', () => {
    expect(awkwardConfigs.map(layerKernelOf)).toEqual(['decodeLayer.vec4', 'decodeLayer.vec4', 'decodeLayer.vec4', 'decodeLayer', 'decodeLayer', 'decodeLayer.vec4']);
    const blocks = awkwardConfigs.filter((c) => layerKernelOf(c) === 'decodeLayer.vec4').map((c) => decodeColumnBlocks(c.dModel, c.dModel * c.mlpRatio));
    expect(new Set(blocks)).toEqual(new Set([1, 2, 4]));
    expect(new Set(awkwardConfigs.map(headKernelOf))).toEqual(new Set(['decodeHead.vec4', 'decodeHead']));
  });

  for (const config of awkwardConfigs) {
    const name = `D=${config.dModel} H=${config.nHeads} F=${config.dModel * config.mlpRatio} V=${config.vocabSize} L=${config.nLayers}`;
    it(`${name}: greedy tokens and logits agree (${layerKernelOf(config)}, ${headKernelOf(config)})`, async () => {
      gpu.resetCounters();
      const c = await compareFused(config, { samplesPerPrompt: 2, maxNewTokens: 6, temperature: 0, seed: 3 });
      expect(gpu.dispatchesByKernel.get(layerKernelOf(config))).toBeGreaterThan(0);
      expect(gpu.dispatchesByKernel.get(headKernelOf(config))).toBeGreaterThan(0);
      console.log(`${name} greedy: logits rel err ${c.logitError.toExponential(2)}, scores ${c.scoreError.toExponential(2)}`);
      expect(c.rowsDiffering).toBe(0);
      expect(c.logitError).toBeLessThan(1e-4);
      expect(c.scoreError).toBeLessThan(1e-4);
    });
    it(`${name}: sampled tokens (top-k, top-p) agree`, async () => {
      const c = await compareFused(config, { samplesPerPrompt: 3, maxNewTokens: 7, temperature: 0.8, topK: 5, topP: 0.9, seed: 11 });
      expect(c.rowsDiffering).toBe(0);
      expect(c.logitError).toBeLessThan(1e-4);
      expect(c.scoreError).toBeLessThan(1e-4);
    });
  }

  it('32 threads per workgroup (a GPU\'s setting; SwiftShader runs 4): the same tokens and logits, both layer kernels', async () => {
    const threads = gpu.decodeThreads;
    gpu.decodeThreads = 32;
    try {
      for (const config of [awkwardConfigs[1], awkwardConfigs[2], awkwardConfigs[3], awkwardConfigs[5]]) {
        for (const options of [
          { samplesPerPrompt: 2, maxNewTokens: 6, temperature: 0, seed: 3 },
          { samplesPerPrompt: 3, maxNewTokens: 7, temperature: 0.8, topK: 5, topP: 0.9, seed: 11 },
        ]) {
          const c = await compareFused(config, options);
          expect(c.rowsDiffering).toBe(0);
          expect(c.logitError).toBeLessThan(1e-4);
          expect(c.scoreError).toBeLessThan(1e-4);
        }
      }
    } finally {
      gpu.decodeThreads = threads;
    }
  });

  it('the same tokens as the CPU backend\'s fused path (greedy and sampled)', async () => {
    const config = awkwardConfigs[2];
    const values = randomValues(config, 9);
    const prompts = awkwardPrompts(config);
    for (const options of [
      { samplesPerPrompt: 2, maxNewTokens: 8, temperature: 0, seed: 1 },
      { samplesPerPrompt: 4, maxNewTokens: 8, temperature: 1, seed: 21 },
    ]) {
      const params = createParams(config, values);
      const onGpu = await generate(config, params, prompts, { ...options, decode: 'fused' });
      disposeParams(params);
      setBackend(new CpuBackend());
      const cpuParams = createParams(config, values);
      const onCpu = await generate(config, cpuParams, prompts, { ...options, decode: 'fused' });
      disposeParams(cpuParams);
      setBackend(gpu);
      expect(Array.from(onGpu.tokens)).toEqual(Array.from(onCpu.tokens));
      for (let i = 0; i < onGpu.logProbs.length; i++) expect(onGpu.logProbs[i]).toBeCloseTo(onCpu.logProbs[i], 4);
    }
  });

  it('default model: 1 + nLayers dispatches per generated token, one readback, no leaked buffers', async () => {
    const config = defaultGptConfig;
    const params = createParams(config, randomValues(config, 3));
    const prompts = [[1, 4, 5], [1, 6], [1, 7, 8, 9]];
    const run = async (T: number) => {
      const before = gpu.counters();
      await generate(config, params, prompts, { samplesPerPrompt: 2, maxNewTokens: T, temperature: 1, seed: 4, decode: 'fused' });
      const after = gpu.counters();
      expect(after.readbacks - before.readbacks).toBe(1);
      expect(after.liveBuffers).toBe(before.liveBuffers);
      return after.dispatches - before.dispatches;
    };
    await run(4); // compiles the pipelines
    const d8 = await run(8);
    const d16 = await run(16);
    console.log(`fused generate, default model: ${d8} dispatches for 8 tokens, ${d16} for 16 (${(d16 - d8) / 8} per extra token)`);
    expect((d16 - d8) / 8).toBe(1 + config.nLayers);
    disposeParams(params);
  });
});
