// `npm run compare` (the script, spawned as a user runs it) on small hand-made run records in a temp dir:
// a multi-seed record against another, a single rlvr-lab-run/1 record (one replica, seed = config.seed),
// evaluation metrics averaged over arms, and clear errors for bad input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns, parseWindow } from '../src/experiment/runComparison';
import { replicasOf } from './runMetrics';

const dir = mkdtempSync(join(tmpdir(), 'compare-'));

function write(name: string, record: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof record === 'string' ? record : JSON.stringify(record));
  return path;
}

function compare(...args: string[]): { status: number | null; out: string } {
  const run = spawnSync('npx', ['vite-node', 'scripts/compare.ts', ...args], { encoding: 'utf8' });
  return { status: run.status, out: run.stdout + run.stderr };
}

const steps = (rewards: number[], entropy = 1): Record<string, unknown>[] => rewards.map((reward, step) => ({ step, reward, entropy, kl: { k1: 0, k2: 0, k3: reward / 10 } }));
const evaluation = (afterSteps: number, pass1: number[]) => ({ afterSteps, arms: pass1.map((p, i) => ({ arm: `d${i + 1}`, passAtK: { '1': p }, meanAtN: p, greedyAccuracy: null })) });

// Run A, seeds 1, 2, 3 (and 9, which B lacks); last 2 rewards average 0.50, 0.62, 0.47.
const runA = write('a.json', {
  replicas: [
    { seed: 1, steps: steps([0.0, 0.4, 0.6]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.5, 0.7])] },
    { seed: 2, steps: steps([0.0, 0.6, 0.64]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.4, 0.6])] },
    { seed: 3, steps: steps([0.0, 0.44, 0.5]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.3, 0.3])] },
    { seed: 9, steps: steps([0.0, 1, 1]), evaluations: [] },
  ],
});
// Run B, seeds 3, 1, 2; last 2 rewards average 0.33, 0.40, 0.50 → A − B = 0.10, 0.12, 0.14.
const runB = write('b.json', {
  replicas: [
    { seed: 3, steps: steps([0.0, 0.3, 0.36]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.3, 0.3])] },
    { seed: 1, steps: steps([0.0, 0.4, 0.4]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.6, 0.6])] },
    { seed: 2, steps: steps([0.0, 0.5, 0.5]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.6, 0.6])] },
  ],
});

describe('npm run compare', () => {
  it('pairs replicas by seed and prints the per-seed values, both intervals and the verdict', () => {
    const { status, out } = compare(runA, runB, '--metric', 'reward', '--window', 'last:2');
    expect(status, out).toBe(0);
    // d = 0.10, 0.12, 0.14: mean 0.12, s = 0.02, t half-width 4.3027 · 0.02 / √3 = 0.049683 → [0.0703, 0.1697];
    // bootstrap over three values: [0.10, 0.14] (each extreme has probability 1/27 > 2.5 %).
    expect(out).toMatch(/paired by seed \(n = 3\)/);
    expect(out).toMatch(/^1\s+0\.5000\s+0\.4000\s+0\.1000$/m);
    expect(out).toMatch(/^2\s+0\.6200\s+0\.5000\s+0\.1200$/m);
    expect(out).toMatch(/^3\s+0\.4700\s+0\.3300\s+0\.1400$/m);
    expect(out).toMatch(/only in A\): seeds 9/);
    expect(out).toMatch(/mean difference A − B: 0\.1200/);
    expect(out).toMatch(/95 % t-interval: \[0\.0703, 0\.1697\]/);
    expect(out).toMatch(/bootstrap interval \(percentile, 10000 resamples, seed 24301\): \[0\.1000, 0\.1400\]/);
    expect(out).toMatch(/verdict: excludes zero: A > B/);
  }, 120_000);

  it('averages an evaluation metric over arms, and reads dotted step metrics and AUC', () => {
    // Final pass@1, mean over arms: A 0.6, 0.5, 0.3; B 0.6, 0.6, 0.3 → d = 0, −0.1, 0 → includes zero.
    const final = compare(runA, runB, '--metric', 'eval.pass@1', '--window', 'final');
    expect(final.status, final.out).toBe(0);
    expect(final.out).toMatch(/^2\s+0\.5000\s+0\.6000\s+-0\.1000$/m);
    expect(final.out).toMatch(/verdict: includes zero/);
    // kl.k3 = reward / 10; AUC over steps 0, 1, 2 of seed 1: A (0 + 0.04)/2 + (0.04 + 0.06)/2 = 0.07 → / 2 = 0.035;
    // B: (0 + 0.04)/2 + (0.04 + 0.04)/2 = 0.06 → 0.03.
    const auc = compare(runA, runB, '--metric', 'kl.k3', '--window', 'auc');
    expect(auc.status, auc.out).toBe(0);
    expect(auc.out).toMatch(/^1\s+0\.0350\s+0\.0300\s+0\.0050$/m);
  }, 120_000);

  it('reads a single rlvr-lab-run/1 record as one replica and says one seed gives no interval', () => {
    const single = (reward: number[]) => ({ format: 'rlvr-lab-run/1', config: { seed: 1 }, steps: steps(reward), evaluations: [] });
    const { status, out } = compare(write('s1.json', single([0.2, 0.6])), write('s2.json', single([0.2, 0.4])), '--metric', 'reward', '--window', 'final');
    expect(status, out).toBe(0);
    expect(out).toMatch(/^1\s+0\.6000\s+0\.4000\s+0\.2000$/m);
    expect(out).toMatch(/t-interval: undefined \(n = 1/);
    expect(out).toMatch(/verdict: undefined/);
    expect(out).not.toMatch(/NaN/);
  }, 120_000);

  it('fails with a clear message on bad input', () => {
    const unknownMetric = compare(runA, runB, '--metric', 'rewrd', '--window', 'final');
    expect(unknownMetric.status).toBe(1);
    expect(unknownMetric.out).toMatch(/seed 1, step 0: metric rewrd: not a finite number/);
    const truncated = compare(write('t.json', '{"replicas": [{"seed": 1, "st'), runB, '--metric', 'reward', '--window', 'final');
    expect(truncated.status).toBe(1);
    expect(truncated.out).toMatch(/not valid JSON \(truncated\?\)/);
    const badWindow = compare(runA, runB, '--metric', 'reward', '--window', 'last:0');
    expect(badWindow.status).toBe(1);
    expect(badWindow.out).toMatch(/window must be last:K/);
    const tooShort = compare(runA, runB, '--metric', 'reward', '--window', 'last:5');
    expect(tooShort.status).toBe(1);
    expect(tooShort.out).toMatch(/fewer than k = 5/);
    const noSeedInCommon = compare(write('n.json', { replicas: [{ seed: 42, steps: steps([1]) }] }), runB, '--metric', 'reward', '--window', 'final');
    expect(noSeedInCommon.status).toBe(1);
    expect(noSeedInCommon.out).toMatch(/share no seed/);
  }, 300_000);

  it('prints, on two Node-recorded 3-seed files, the numbers the lab computes (compareRuns)', () => {
    const [fileA, fileB] = ['e2e/fixtures/seeds3-default.json', 'e2e/fixtures/seeds3-negative-only.json'];
    const { status, out } = compare(fileA, fileB, '--metric', 'eval.pass@1', '--window', 'auc');
    expect(status, out).toBe(0);
    const read = (path: string) => replicasOf(JSON.parse(readFileSync(path, 'utf8')), path);
    const lab = compareRuns(read(fileA), read(fileB), 'eval.pass@1', parseWindow('auc'));
    const f = (v: number | null) => (v === null ? 'null' : v.toFixed(4));
    for (const p of lab.pairs) expect(out).toContain(`${String(p.seed).padEnd(6)} ${f(p.a).padStart(9)} ${f(p.b).padStart(10)} ${f(p.difference).padStart(10)}`);
    expect(out).toContain(`mean difference A − B: ${f(lab.result.t.mean)}`);
    expect(out).toContain(`95 % t-interval: [${f(lab.result.t.low)}, ${f(lab.result.t.high)}]`);
    expect(out).toContain(`[${f(lab.result.bootstrap.low)}, ${f(lab.result.bootstrap.high)}]`);
    expect(out).toContain(lab.words);
  }, 120_000);
});
