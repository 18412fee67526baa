// Check 2 of the RL-core issue: from the shipped addition base checkpoint, the default experiment
// (GRPO, its default hyper-parameters, seeded) raises held-out pass@1 on the checkpoint's RL arm by at
// least 15 points within this test's steps. CPU backend in Node: deterministic, and faster than
// SwiftShader. The evaluation is larger than the lab's default (128 prompts × 8 samples) so that a
// 15-point change is far outside its noise (one standard error is under 2 points).
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

beforeAll(() => setBackend(new CpuBackend()));

describe('default GRPO learns addition from the base checkpoint', () => {
  it(`raises held-out pass@1 by ≥ 15 points within ${STEPS} steps`, async () => {
    const manifest = JSON.parse(readFileSync('public/checkpoints/manifest.json', 'utf8')) as Record<string, { file: string; rlArms: string[] }>;
    const entry = manifest.addition;
    const checkpoint = parseCheckpoint(new Uint8Array(readFileSync(`public/checkpoints/${entry.file}`)));
    const params = createParams(checkpoint.config, checkpoint.values);
    const config = defaultExperiment();
    expect(config.task.id).toBe('addition');
    expect(config.algorithm.estimator).toBe('grpo');
    const arms = entry.rlArms;
    const trainer = new RlTrainer(checkpoint.config, params, getTask('addition'), toRlConfig(config), { arms: uniformArms(arms) });
    const pass1 = async () => (await trainer.evaluate(arms, EVAL_PROMPTS, EVAL_SAMPLES)).map((e) => e.passAtK['1']);

    const before = await pass1();
    const rewards: number[] = [];
    for (let s = 0; s < STEPS; s++) rewards.push((await trainer.trainStep()).metrics.reward);
    const after = await pass1();
    const firstRewards = rewards.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
    const lastRewards = rewards.slice(-5).reduce((a, b) => a + b, 0) / 5;
    console.log(`[learning] arms ${arms.join(',')}: held-out pass@1 ${before.map((v) => v.toFixed(3))} → ${after.map((v) => v.toFixed(3))}; training reward (5-step means) ${firstRewards.toFixed(3)} → ${lastRewards.toFixed(3)}`);
    for (let i = 0; i < arms.length; i++) expect(after[i] - before[i], `${arms[i]} pass@1 gain`).toBeGreaterThanOrEqual(0.15);
    expect(lastRewards).toBeGreaterThan(firstRewards);
    trainer.dispose();
    disposeParams(params);
  }, 900_000);
});
