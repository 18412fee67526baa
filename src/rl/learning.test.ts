// The learning test (issue 16, item 7): from the shipped addition base checkpoint, the default experiment
// (GRPO, its default hyper-parameters) raises held-out pass@1 on the checkpoint's RL arm within this
// test's steps — judged over three training seeds, not one. CPU backend in Node: deterministic, and
// faster than SwiftShader. The evaluation is larger than the lab's default (128 prompts × 8 samples) so
// that its noise (one standard error under 2 points) is small beside the effect, and it is the fixed
// ruler: its own seed and temperature (run.evalSeed, run.evalTemperature), so every seed is scored on
// the same prompts.
//
// Why this rule. Measured with this procedure on seeds 1–5 before it was written (40 steps): gains of
// +18.7, +12.7, +20.9, +19.4 and +13.3 points (mean 17.0, SD 3.7 between seeds, far above the
// evaluation's noise). The old rule (one seed, ≥ 15 points) failed two of those five seeds: it judged
// the seed, not the algorithm. The rule here asks two things of seeds 1–3:
//   - every seed gains ≥ 8 points (2.4 seed-SDs under the measured mean: a working trainer misses it
//     about once in 130 seeds; a trainer that does not learn gains 0 ± 2 and never reaches it);
//   - their mean gains ≥ 12 points (2.3 standard errors of a 3-seed mean under 17.0).
// A broken gradient, a sign error in the advantage or a dead optimizer fails both by a wide margin.
// Those five were scored with the old ruler (evaluation seeded by the training seed); with the fixed
// ruler used here, seeds 1–3 gained +17.7, +16.8 and +21.2 points (2026-12-05), about 60 s for all three.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { defaultExperiment } from '../experiment/schema';
import { toRlConfig } from '../experiment/toTrainerConfig';
import { parseCheckpoint } from '../model/checkpoint';
import { createParams, disposeParams } from '../model/params';
import { getTask } from '../tasks/registry';
import { uniformArms } from './rollout';
import { RlTrainer } from './trainer';

const STEPS = 40;
const EVAL_PROMPTS = 128;
const EVAL_SAMPLES = 8;
const SEEDS = [1, 2, 3];
const MIN_GAIN_EVERY_SEED = 0.08;
const MIN_MEAN_GAIN = 0.12;

beforeAll(() => setBackend(new CpuBackend()));

interface SeedResult {
  seed: number;
  /** Held-out pass@1 gain per arm. */
  gains: number[];
  firstRewards: number;
  lastRewards: number;
}

/** The base checkpoint's held-out pass@1 per arm. The ruler is fixed (its own seed and temperature),
 *  so it is the same for every training seed: evaluated once, by the first seed's untrained trainer. */
let basePass1: Promise<number[]> | null = null;

async function trainSeed(seed: number): Promise<SeedResult> {
  const manifest = JSON.parse(readFileSync('public/checkpoints/manifest.json', 'utf8')) as Record<string, { file: string; rlArms: string[] }>;
  const entry = manifest.addition;
  const checkpoint = parseCheckpoint(new Uint8Array(readFileSync(`public/checkpoints/${entry.file}`)));
  const params = createParams(checkpoint.config, checkpoint.values);
  const config = { ...defaultExperiment(), seed };
  expect(config.task.id).toBe('addition');
  expect(config.algorithm.estimator).toBe('grpo');
  const arms = entry.rlArms;
  const trainer = new RlTrainer(checkpoint.config, params, getTask('addition'), toRlConfig(config), { arms: uniformArms(arms) });
  const ruler = { seed: config.run.evalSeed, temperature: config.run.evalTemperature };
  const pass1 = async () => (await trainer.evaluate(arms, EVAL_PROMPTS, EVAL_SAMPLES, ruler)).map((e) => e.passAtK['1']);

  const before = await (basePass1 ??= pass1());
  const rewards: number[] = [];
  for (let s = 0; s < STEPS; s++) rewards.push((await trainer.trainStep()).metrics.reward);
  const after = await pass1();
  trainer.dispose();
  disposeParams(params);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const result = { seed, gains: after.map((a, i) => a - before[i]), firstRewards: mean(rewards.slice(0, 5)), lastRewards: mean(rewards.slice(-5)) };
  console.log(`[learning] seed ${seed}, arms ${arms.join(',')}: held-out pass@1 ${before.map((v) => v.toFixed(3))} → ${after.map((v) => v.toFixed(3))}; training reward (5-step means) ${result.firstRewards.toFixed(3)} → ${result.lastRewards.toFixed(3)}`);
  return result;
}

describe('default GRPO learns addition from the base checkpoint, over three seeds', () => {
  it(`every seed gains ≥ ${MIN_GAIN_EVERY_SEED * 100} points of held-out pass@1 in ${STEPS} steps, their mean ≥ ${MIN_MEAN_GAIN * 100}`, async () => {
    const results: SeedResult[] = [];
    for (const seed of SEEDS) results.push(await trainSeed(seed));
    const armCount = results[0].gains.length;
    for (let arm = 0; arm < armCount; arm++) {
      const gains = results.map((r) => r.gains[arm]);
      console.log(`[learning] arm ${arm}: gains ${gains.map((g) => `${(g * 100).toFixed(1)}`).join(', ')} points (seeds ${SEEDS.join(', ')})`);
      for (const r of results) expect(r.gains[arm], `seed ${r.seed} pass@1 gain`).toBeGreaterThanOrEqual(MIN_GAIN_EVERY_SEED);
      expect(gains.reduce((a, b) => a + b, 0) / gains.length, 'mean pass@1 gain over seeds').toBeGreaterThanOrEqual(MIN_MEAN_GAIN);
    }
    for (const r of results) expect(r.lastRewards, `seed ${r.seed} training reward rises`).toBeGreaterThan(r.firstRewards);
  }, 1_800_000);
});
