// Checks of issue 15 on `npm run train` itself (the script, spawned as a user runs it): a preset's
// curriculum applies (DUMP's arm probabilities move away from uniform within 5 steps), and its first
// step equals the fixture the page's training worker is checked against (src/worker/nodeParity.gpu.test.ts).
// UPDATE_FIXTURES=1 rewrites the fixture from this run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstStepDifferences, firstStepView, type FirstStep } from '../src/worker/firstStepParity';

const FIXTURE = 'src/worker/fixtures/curriculum-dump-first-step.json';

describe('npm run train -- --preset curriculum-dump --steps 5', () => {
  it('records arm probabilities that move away from uniform, and the first step the page reproduces', () => {
    const out = mkdtempSync(join(tmpdir(), 'train-dump-'));
    // --eval-every 0: the check is about the curriculum and the first step, not the evaluation.
    const run = spawnSync('npx', ['vite-node', 'scripts/train.ts', '--preset', 'curriculum-dump', '--steps', '5', '--eval-every', '0', '--out', out], { encoding: 'utf8' });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const record = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(record.steps.length).toBe(5);
    expect(record.arms).toEqual(['d1', 'd2', 'd3', 'd4']);
    const probabilities: number[][] = record.curriculum.map((c: { arms: { probability: number }[] }) => c.arms.map((a) => a.probability));
    expect(probabilities.length).toBe(5);
    // Uniform over four arms is 0.25 each; DUMP moves mass to the arm with learning signal (d2).
    const spread = Math.max(...probabilities.map((p) => Math.max(...p) - Math.min(...p)));
    expect(spread).toBeGreaterThan(0.3);
    const first = firstStepView(record.steps[0], record.curriculum[0]);
    if (process.env.UPDATE_FIXTURES === '1') writeFileSync(FIXTURE, JSON.stringify({ preset: 'curriculum-dump', seed: record.config.seed, link: record.link, firstStep: first }, null, 2) + '\n');
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { firstStep: FirstStep };
    // Same code, same backend: the same tokens, rewards and arms exactly; floats to 1e-5, because the CPU
    // back end sums in f32 in its WASM SIMD kernels and in f64 in its JavaScript fallback.
    expect(firstStepDifferences(first, fixture.firstStep, 1e-5)).toEqual([]);
  }, 600_000);
});
