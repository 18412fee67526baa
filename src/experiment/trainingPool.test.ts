// The training pool wired through the experiment: a run with task.trainPool trains on that many fixed
// problems per arm (its trainer's task), evaluates on the untouched task, and exports the pool's rows.
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { createRng } from '../tasks/random';
import { buildDatasets } from './export/data';
import { buildRun, buildTrainer } from './runBuilder';
import { defaultExperiment, experimentSchema } from './schema';
import { decodeExperiment, encodeExperiment } from './urlCodec';

const config = (trainPool?: number, seed = 1) =>
  experimentSchema.parse({ ...defaultExperiment(), seed, model: { init: 'random' }, task: { id: 'sorting', arms: ['len5'], ...(trainPool !== undefined ? { trainPool } : {}) } });

const prompts = (task: { generate(arm: string, rng: ReturnType<typeof createRng>): { prompt: string } }, n: number) => {
  const rng = createRng(3);
  return new Set(Array.from({ length: n }, () => task.generate('len5', rng).prompt));
};

beforeAll(() => setBackend(new CpuBackend()));

describe('task.trainPool in a run', () => {
  it('one-shot: the trainer draws one problem; the run (evaluation) keeps the whole task', async () => {
    const run = await buildRun(config(1));
    const trainer = buildTrainer(run);
    expect(prompts(trainer.task, 40).size).toBe(1);
    expect(prompts(run.task, 40).size).toBeGreaterThan(10);
  });

  it('absent or 0 means a fresh problem at every draw; each seed has its own pool', async () => {
    for (const pool of [undefined, 0]) expect(prompts(buildTrainer(await buildRun(config(pool))).task, 40).size).toBeGreaterThan(10);
    const [a, b] = await Promise.all([buildRun(config(1, 1)), buildRun(config(1, 2))]);
    expect([...prompts(buildTrainer(a).task, 5)]).not.toEqual([...prompts(buildTrainer(b).task, 5)]);
  });

  it('the export trains on the same pool: its train rows are the trainer\'s one problem', async () => {
    const c = config(1);
    const run = await buildRun(c);
    const [only] = prompts(buildTrainer(run).task, 3);
    const rows = buildDatasets(c, ['len5']).train;
    expect(rows.length).toBe(c.run.steps * c.algorithm.promptsPerStep);
    expect(new Set(rows.map((p) => p.prompt))).toEqual(new Set([only]));
  });

  it('a link carries the pool; a link without one has none', () => {
    const c = config(1);
    expect(decodeExperiment(encodeExperiment(c))).toEqual({ config: c, notes: [] });
    expect(decodeExperiment(encodeExperiment(config())).config.task.trainPool).toBeUndefined();
  });

  it('refuses a pool size out of range in the schema', () => {
    expect(experimentSchema.safeParse({ task: { id: 'sorting', arms: [], trainPool: -1 } }).success).toBe(false);
    expect(experimentSchema.safeParse({ task: { id: 'sorting', arms: [], trainPool: 1.5 } }).success).toBe(false);
    expect(experimentSchema.safeParse({ task: { id: 'sorting', arms: [], trainPool: 1001 } }).success).toBe(false);
  });
});
