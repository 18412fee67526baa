// Batched KV-cache generation on WebGPU: step logits equal gptForward on the same device, one readback
// per call with no leaked buffers, and the same seed gives the same tokens as the CPU backend (both
// draw the same uniforms; only an f32 CDF-boundary coincidence could split them, see sample.wgsl).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { WebGpuBackend } from '../engine/backend/webgpu/webgpuBackend';
import { setBackend } from '../engine';
import { generate, type GenerateOptions } from './generate';
import {
  argmax, boostEos, randomValues, referenceStepLogits, relativeStepError, testPrompts, tinyConfig,
} from './generateTestUtil';
import { createParams, disposeParams, type GptParams } from './params';
import { EOS, PAD } from './special';

const config = tinyConfig;
const V = config.vocabSize;
const prompts = testPrompts(config);
const values = randomValues(config, 7);
const base: GenerateOptions = { samplesPerPrompt: 4, maxNewTokens: 6, temperature: 1, seed: 1234 };
let gpu: WebGpuBackend;
let params: GptParams;

beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  setBackend(gpu);
  params = createParams(config, values);
});
afterAll(() => gpu?.destroy());

/** Runs `fn` with fresh params on the CPU backend, then switches back to the GPU. */
async function onCpu<T>(fn: (p: GptParams) => Promise<T>, vals = values): Promise<T> {
  setBackend(new CpuBackend());
  const p = createParams(config, vals);
  try {
    return await fn(p);
  } finally {
    disposeParams(p);
    setBackend(gpu);
  }
}

describe('generate (WebGPU)', () => {
  it('KV-cache step logits equal a full gptForward pass on the GPU (padded prompts)', async () => {
    const result = await generate(config, params, prompts, { ...base, returnLogits: true });
    const reference = await referenceStepLogits(config, params, prompts, result);
    const err = relativeStepError(result.logits!, reference, result, V);
    console.log(`GPU KV-cache vs full forward: max |Δlogit| / max |logit| = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-4);
  });

  it('one readback per call, no leaked buffers, reproducible per seed', async () => {
    const a = await generate(config, params, prompts, base); // also warms the pipelines
    const before = gpu.counters();
    const t0 = performance.now();
    const b = await generate(config, params, prompts, base);
    const ms = performance.now() - t0;
    const after = gpu.counters();
    expect(after.readbacks - before.readbacks).toBe(1);
    expect(after.liveBuffers).toBe(before.liveBuffers);
    console.log(`GPU generate ${b.rows} rows x ${b.maxNewTokens} tokens: ${ms.toFixed(0)} ms, ${after.dispatches - before.dispatches} dispatches, ${after.submits - before.submits} submits`);
    expect(Array.from(b.tokens)).toEqual(Array.from(a.tokens));
    const c = await generate(config, params, prompts, { ...base, seed: 99 });
    expect(Array.from(c.tokens)).not.toEqual(Array.from(a.tokens));
  });

  it('same seed gives the same tokens as the CPU backend (sampled, top-k/top-p and greedy)', async () => {
    for (const opts of [base, { ...base, temperature: 0.8, topK: 4, topP: 0.9, seed: 5 }, { ...base, temperature: 0 }]) {
      const g = await generate(config, params, prompts, opts);
      const c = await onCpu((p) => generate(config, p, prompts, opts));
      expect(Array.from(g.tokens), JSON.stringify(opts)).toEqual(Array.from(c.tokens));
      expect(Array.from(g.lengths)).toEqual(Array.from(c.lengths));
      for (let i = 0; i < g.logProbs.length; i++) {
        expect(Math.abs(g.logProbs[i] - c.logProbs[i])).toBeLessThan(1e-4);
        expect(Math.abs(g.entropies[i] - c.entropies[i])).toBeLessThan(1e-4);
      }
    }
  });

  it('greedy is the argmax of the full forward; EOS stops a row and only PAD follows', async () => {
    const greedy = await generate(config, params, prompts, { ...base, temperature: 0, returnLogits: true });
    const reference = await referenceStepLogits(config, params, prompts, greedy);
    const T = greedy.maxNewTokens;
    for (let r = 0; r < greedy.rows; r++) {
      for (let t = 0; t < greedy.lengths[r]; t++) expect(greedy.tokens[r * T + t]).toBe(argmax(reference, (r * T + t) * V, V));
    }
    const topK1 = await generate(config, params, prompts, { ...base, topK: 1, seed: 3 });
    expect(Array.from(topK1.tokens)).toEqual(Array.from(greedy.tokens));

    const likely = createParams(config, boostEos(config, values, 2.5));
    const g = await generate(config, likely, prompts, { ...base, samplesPerPrompt: 8, seed: 3 });
    disposeParams(likely);
    let stoppedEarly = 0;
    for (let r = 0; r < g.rows; r++) {
      const row = Array.from(g.tokens.subarray(r * T, r * T + T));
      const firstEos = row.indexOf(EOS);
      expect(g.lengths[r]).toBe(firstEos < 0 ? T : firstEos + 1);
      if (firstEos >= 0) expect(row.slice(firstEos + 1).every((id) => id === PAD)).toBe(true);
      if (firstEos >= 0 && firstEos < T - 1) stoppedEarly++;
    }
    expect(stoppedEarly).toBeGreaterThan(0);
  });
});
