// Check of issue 16 (seeds): `npm run train -- --seeds 3` gives, seed by seed, exactly what three
// single-seed runs give (replicas differ only in their seed, and running them in parallel changes nothing).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const COMMON = ['--preset', 'default', '--steps', '1', '--eval-every', '0'];

function train(args: string[]): void {
  const run = spawnSync('npx', ['vite-node', 'scripts/train.ts', ...args], { encoding: 'utf8' });
  expect(run.status, run.stderr + run.stdout).toBe(0);
}

/** A record's steps without the wall-clock fields. */
function steps(record: { steps: Record<string, unknown>[] }): Record<string, unknown>[] {
  return record.steps.map(({ step_time: _t, tokens_per_second: _s, ...rest }) => rest);
}

describe('npm run train -- --seeds 3', () => {
  it('equals three single-seed runs, seed by seed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-seeds-'));
    // A --set of the user's own: the replicas' `--set seed=…` must add to it, not be shadowed by it.
    train([...COMMON, '--set', 'algorithm.lr=0.0005', '--seeds', '3', '--out', join(dir, 'set')]);
    const set = JSON.parse(readFileSync(join(dir, 'set', 'metrics.json'), 'utf8'));
    expect(set.format).toBe('rlvr-lab-seeds/1');
    expect(set.seeds).toEqual([1, 2, 3]);
    for (const seed of [1, 2, 3]) {
      train([...COMMON, '--set', `algorithm.lr=0.0005,seed=${seed}`, '--out', join(dir, `single-${seed}`)]);
      const single = JSON.parse(readFileSync(join(dir, `single-${seed}`, 'metrics.json'), 'utf8'));
      const replica = set.replicas.find((r: { seed: number }) => r.seed === seed).record;
      expect(replica.config.seed).toBe(seed);
      expect(replica.config.seeds).toBe(1);
      expect(replica.config.algorithm.lr).toBe(0.0005);
      expect(steps(replica)).toEqual(steps(single));
    }
    // The aggregate over seeds (the lab's band code): at step 0, the mean and min–max of the three rewards.
    const rewards: number[] = set.replicas.map((r: { record: { steps: { reward: number }[] } }) => r.record.steps[0].reward);
    expect(set.aggregate.reward[0].n).toBe(3);
    expect(set.aggregate.reward[0].mean).toBeCloseTo((rewards[0] + rewards[1] + rewards[2]) / 3, 12);
    expect(set.aggregate.reward[0].min).toBe(Math.min(...rewards));
    expect(set.aggregate.reward[0].max).toBe(Math.max(...rewards));
    // Different seeds train differently (the check above could not pass by ignoring the seed).
    expect(steps(set.replicas[0].record)).not.toEqual(steps(set.replicas[1].record));
  }, 900_000);
});
