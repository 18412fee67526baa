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

  it('B-STaR samples every temperature of the grid and trains on the one with the best balance score', async () => {
    const grid = [0.3, 1, 2];
    const { metrics } = await run({ curate: true, samplesPerPrompt: 4, temperatureSchedule: 'bstar', temperatureGrid: grid, bstarTarget: 2 }, 2);
    for (const m of metrics) {
      const b = m.bstar;
      expect(Object.keys(b.balance_at)).toEqual(grid.map((t) => `t${t}`));
      expect(b.samples_drawn).toBe(grid.length * 16 * 4);
      // The chosen temperature is the argmax of the candidates' balance scores (the first on a tie).
      const scores = grid.map((t) => b.balance_at[`t${t}`]);
      expect(b.temperature).toBe(grid[scores.indexOf(Math.max(...scores))]);
      expect(b.balance).toBe(Math.max(...scores));
      // The training data are the chosen temperature's samples: 16 prompts × 4, curated.
      expect(m.train.candidates).toBe(64);
      expect(m.train.synthetic).toBe(Math.round(m.train.candidate_accuracy * 64));
      expect(m.explore.accuracy).toBeCloseTo(m.train.candidate_accuracy, 12);
      expect(m.explore.pass_at_k).toBeGreaterThanOrEqual(m.explore.accuracy);
      expect(m.explore.distinct_correct).toBeLessThanOrEqual(4 * m.explore.pass_at_k + 1e-12);
      expect(m.exploit.reward_at_k).toBeLessThanOrEqual(m.explore.pass_at_k + 1e-12);
      // Held-out pass@k rises with k.
      const p = m.heldout_pass_at_k.d1;
      expect(Object.keys(p)).toEqual(['1', '2', '4']);
      expect(p['1']).toBeCloseTo(m.heldout.accuracy.d1, 12);
      expect(p['4']).toBeGreaterThanOrEqual(p['1']);
    }
  });

  it('the fixed schedule reports its one temperature\'s balance score', async () => {
    const { metrics } = await run({ curate: true, samplesPerPrompt: 4, temperature: 0.7, bstarTarget: 2 }, 1);
    const b = metrics[0].bstar;
    expect(b.temperature).toBe(0.7);
    expect(Object.keys(b.balance_at)).toEqual(['t0.7']);
    expect(b.balance_at['t0.7']).toBe(b.balance);
    expect(b.samples_drawn).toBe(64);
  });
});
