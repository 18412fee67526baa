// Self-consuming generations on the CPU backend with a tiny warm-started model: the training set is
// built as configured (fresh real fraction, verifier curation), metrics are consistent, 'base' init
// really restarts from the base weights, memory stays flat.
import { beforeAll, describe, expect, it } from 'vitest';
import { getBackend, setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { disposeParams, readParams } from '../model/params';
import { SelfConsumingLoop, type SelfConsumingConfig } from './selfConsuming';
import type { PartialConfig } from './config';
import { allFinite, sftWarmStart, tinyModel } from './testUtils';

beforeAll(() => setBackend(new CpuBackend()));

const small: PartialConfig<SelfConsumingConfig> = {
  arms: ['d1'],
  prompts: 16,
  samplesPerPrompt: 2,
  sftSteps: 3,
  batchSize: 8,
  lr: 3e-3,
  eval: { arms: ['d1'], prompts: 4, samples: 4, greedy: true },
};

async function run(config: PartialConfig<SelfConsumingConfig>, generations: number) {
  const { config: model, params } = tinyModel(31);
  await sftWarmStart(model, params, 'addition', ['d1'], 60);
  const loop = new SelfConsumingLoop(model, params, { ...small, ...config });
  const base = await loop.evaluate();
  const metrics = [];
  const live: number[] = [];
  for (let g = 0; g < generations; g++) {
    metrics.push(await loop.runGeneration());
    live.push(getBackend().counters().liveBuffers);
  }
  const values = await readParams(params);
  loop.dispose();
  disposeParams(params);
  return { base, metrics, live, values };
}

describe('SelfConsumingLoop', () => {
  it('pure self-consumption: every prompt gets sampled answers; metrics consistent; flat memory', async () => {
    const { base, metrics, live } = await run({}, 3);
    expect(allFinite(base)).toBe(true);
    metrics.forEach((m, i) => {
      expect(allFinite(m)).toBe(true);
      expect(m.generation).toBe(i + 1);
      expect(m.train.real).toBe(0);
      expect(m.train.synthetic).toBe(32); // 16 prompts × 2 samples, none dropped
      expect(m.train.candidates).toBe(32);
      expect(m.train.data_accuracy).toBeCloseTo(m.train.candidate_accuracy, 10);
      // 4 held-out prompts × 4 samples, binned by length 0..maxCompletionLength+1.
      expect(m.length_histogram.reduce((a, b) => a + b, 0)).toBe(16);
      expect(m.length_histogram.length).toBe(7);
      expect(m.diversity).toBeGreaterThan(0);
      expect(m.diversity).toBeLessThanOrEqual(1);
    });
    expect(live[2]).toBe(live[1]);
  });

  it('fresh data and curation: real fraction as configured, curated data all correct', async () => {
    const fresh = await run({ freshFraction: 0.5 }, 1);
    expect(fresh.metrics[0].train.real).toBe(8);
    expect(fresh.metrics[0].train.synthetic).toBe(16); // the other 8 prompts × 2 samples
    const curated = await run({ curate: true }, 1);
    const t = curated.metrics[0].train;
    expect(t.synthetic).toBe(Math.round(t.candidate_accuracy * t.candidates));
    if (t.examples > 0) expect(t.data_accuracy).toBe(1);
  });

  it("init 'base' restarts every generation from the base weights", async () => {
    const { config: model, params } = tinyModel(31);
    const before = await readParams(params);
    const loop = new SelfConsumingLoop(model, params, { ...small, init: 'base' });
    await loop.runGeneration();
    const trained = await readParams(params);
    expect(Array.from(trained.get('tok_emb')!)).not.toEqual(Array.from(before.get('tok_emb')!));
    // Generation 2 with no training steps: exactly the base weights again (generation 1's are gone).
    loop.config.sftSteps = 0;
    await loop.runGeneration();
    const after = await readParams(params);
    for (const [name, v] of before) expect(Array.from(after.get(name)!)).toEqual(Array.from(v));
    disposeParams(params);
  });

  it('is seeded', async () => {
    const a = await run({ curate: true }, 1);
    const b = await run({ curate: true }, 1);
    expect({ ...a.metrics[0], seconds: 0 }).toEqual({ ...b.metrics[0], seconds: 0 });
  });
});
