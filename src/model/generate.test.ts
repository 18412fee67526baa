// Batched KV-cache generation on the CPU backend: the cached step logits equal a full gptForward pass,
// sampling is reproducible per seed, greedy/top-k=1 are argmax, EOS stops a row, one readback per call.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { setBackend } from '../engine';
import { generate, type GenerateOptions } from './generate';
import {
  argmax, boostEos, logpAndEntropy, randomValues, referenceStepLogits, relativeStepError, testPrompts, tinyConfig,
} from './generateTestUtil';
import { createParams, disposeParams, type GptParams } from './params';
import { EOS, PAD } from './special';

const config = tinyConfig;
const V = config.vocabSize;
let cpu: CpuBackend;
let params: GptParams;
const prompts = testPrompts(config);
const base: GenerateOptions = { samplesPerPrompt: 4, maxNewTokens: 8, temperature: 1, seed: 1234 };

beforeAll(() => {
  cpu = new CpuBackend();
  setBackend(cpu);
  params = createParams(config, randomValues(config, 7));
});

describe('generate (CPU)', () => {
  it('KV-cache step logits equal a full gptForward pass over padded prompts of different lengths', async () => {
    for (const opts of [base, { ...base, temperature: 0 }, { ...base, samplesPerPrompt: 1, maxNewTokens: 1 }]) {
      const result = await generate(config, params, prompts, { ...opts, returnLogits: true });
      const reference = await referenceStepLogits(config, params, prompts, result);
      const err = relativeStepError(result.logits!, reference, result, V);
      expect(err).toBeLessThan(1e-4);
    }
  });

  it('returns the sampled tokens\' log-probs and entropies at the sampling temperature, full vocabulary', async () => {
    const temperature = 0.7;
    const result = await generate(config, params, prompts, { ...base, temperature, topK: 3, returnLogits: true });
    const T = result.maxNewTokens;
    for (let r = 0; r < result.rows; r++) {
      for (let t = 0; t < T; t++) {
        const i = r * T + t;
        if (t >= result.lengths[r]) {
          expect(result.logProbs[i]).toBe(0);
          expect(result.entropies[i]).toBe(0);
          continue;
        }
        const [lp, h] = logpAndEntropy(result.logits!, i * V, V, temperature, result.tokens[i]);
        expect(result.logProbs[i]).toBeCloseTo(lp, 4);
        expect(result.entropies[i]).toBeCloseTo(h, 4);
      }
    }
  });

  it('same seed gives identical samples; a different seed gives different ones', async () => {
    const a = await generate(config, params, prompts, base);
    const b = await generate(config, params, prompts, base);
    const c = await generate(config, params, prompts, { ...base, seed: 1235 });
    expect(Array.from(b.tokens)).toEqual(Array.from(a.tokens));
    expect(Array.from(b.logProbs)).toEqual(Array.from(a.logProbs));
    expect(Array.from(c.tokens)).not.toEqual(Array.from(a.tokens));
    // The G samples of one prompt differ from each other (different rows draw different uniforms).
    const G = base.samplesPerPrompt;
    const groups = new Set(Array.from({ length: G }, (_, g) => a.completion(g).join(',')));
    expect(groups.size).toBeGreaterThan(1);
  });

  it('temperature 0, a tiny temperature and top-k = 1 all pick the argmax of the full-forward logits', async () => {
    const greedy = await generate(config, params, prompts, { ...base, temperature: 0, returnLogits: true });
    const reference = await referenceStepLogits(config, params, prompts, greedy);
    const T = greedy.maxNewTokens;
    for (let r = 0; r < greedy.rows; r++) {
      for (let t = 0; t < greedy.lengths[r]; t++) expect(greedy.tokens[r * T + t]).toBe(argmax(reference, (r * T + t) * V, V));
    }
    // Greedy rows of one prompt are identical.
    expect(greedy.completion(1)).toEqual(greedy.completion(0));
    const topK1 = await generate(config, params, prompts, { ...base, topK: 1, seed: 99 });
    expect(Array.from(topK1.tokens)).toEqual(Array.from(greedy.tokens));
    const cold = await generate(config, params, prompts, { ...base, temperature: 1e-4, seed: 5 });
    expect(Array.from(cold.tokens)).toEqual(Array.from(greedy.tokens));
    const nucleus = await generate(config, params, prompts, { ...base, topP: 1e-6, seed: 6 });
    expect(Array.from(nucleus.tokens)).toEqual(Array.from(greedy.tokens));
  });

  it('EOS stops a row: only PAD follows, lengths and log-probs end there', async () => {
    // A model whose every step puts nearly all mass on EOS: each row is [EOS, PAD, ...].
    const forced = createParams(config, boostEos(config, randomValues(config, 7), 40, true));
    const f = await generate(config, forced, prompts, base);
    disposeParams(forced);
    for (let r = 0; r < f.rows; r++) {
      expect(f.completion(r)).toEqual([EOS]);
      expect(Array.from(f.tokens.subarray(r * 8, r * 8 + 8))).toEqual([EOS, PAD, PAD, PAD, PAD, PAD, PAD, PAD]);
      expect(f.lengths[r]).toBe(1);
      expect(f.stopped[r]).toBe(1);
      expect(f.logProbs[r * 8]).toBeCloseTo(0, 5);
      expect(Array.from(f.logProbs.subarray(r * 8 + 1, r * 8 + 8)).every((x) => x === 0)).toBe(true);
    }
    // A model where EOS is merely likely: rows stop at different steps.
    const likely = createParams(config, boostEos(config, randomValues(config, 7), 2.5));
    const g = await generate(config, likely, prompts, { ...base, samplesPerPrompt: 8, seed: 3 });
    disposeParams(likely);
    const T = g.maxNewTokens;
    const lengths = new Set<number>();
    for (let r = 0; r < g.rows; r++) {
      const row = Array.from(g.tokens.subarray(r * T, r * T + T));
      const firstEos = row.indexOf(EOS);
      if (firstEos < 0) {
        expect(g.lengths[r]).toBe(T);
        expect(g.stopped[r]).toBe(0);
      } else {
        expect(g.lengths[r]).toBe(firstEos + 1);
        expect(g.stopped[r]).toBe(1);
        expect(row.slice(firstEos + 1).every((id) => id === PAD)).toBe(true);
      }
      lengths.add(g.lengths[r]);
      for (let t = 0; t < g.lengths[r]; t++) expect(g.logProbs[r * T + t]).toBeLessThan(0);
    }
    expect(lengths.size).toBeGreaterThan(2);
    expect([...lengths].some((l) => l < T)).toBe(true);
  });

  it('does exactly one readback per call and leaks no storage', async () => {
    await generate(config, params, prompts, base); // warm
    const before = cpu.counters();
    await generate(config, params, prompts, { ...base, returnLogits: true });
    const after = cpu.counters();
    expect(after.readbacks - before.readbacks).toBe(1);
    expect(after.liveBuffers).toBe(before.liveBuffers);
    // Dispatches grow linearly in the tokens generated (no per-token host-side work to count, but a
    // fixed number of primitives per step).
    const d = async (T: number) => {
      const s = cpu.counters().dispatches;
      await generate(config, params, prompts, { ...base, maxNewTokens: T });
      return cpu.counters().dispatches - s;
    };
    const d2 = await d(2);
    const d5 = await d(5);
    const d8 = await d(8);
    expect(d8 - d5).toBe(d5 - d2);
    console.log(`generate: ${(d5 - d2) / 3} primitive calls per token (${config.nLayers} layers), ${d2} for 2 tokens`);
  });

  it('rejects bad options with clear errors', async () => {
    await expect(generate(config, params, [[1, 2, 3]], { ...base, maxNewTokens: 30 })).rejects.toThrow(/context/);
    await expect(generate(config, params, [[1, 99]], base)).rejects.toThrow(/vocabulary/);
    await expect(generate(config, params, [[]], base)).rejects.toThrow(/empty/);
    await expect(generate(config, params, [[1]], { ...base, temperature: -1 })).rejects.toThrow(/temperature/);
    const empty = await generate(config, params, [], base);
    expect(empty.rows).toBe(0);
  });
});
