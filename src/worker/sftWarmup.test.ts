// The SFT warm-up on the CPU backend: the loss falls, progress is reported every step, and the same
// seed gives the same weights (different seeds, different data).
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import type { GptConfig } from '../model/config';
import { disposeParams, initGptParams, readParams } from '../model/params';
import { getTask } from '../tasks/registry';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import { runSftWarmup, sftWarmupSteps, SftWarmup, type SftProgress } from './sftWarmup';

const small: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 24, dModel: 32, nHeads: 2, nLayers: 2, mlpRatio: 4 };
const task = getTask('addition');

beforeAll(() => setBackend(new CpuBackend()));

async function warmedUp(seed: number, steps: number): Promise<{ values: Map<string, Float32Array>; progress: SftProgress[] }> {
  const params = initGptParams(small, seed);
  const progress: SftProgress[] = [];
  await runSftWarmup(small, params, task, { steps, lr: 1e-2, batchSize: 16, seed, arms: ['d1'] }, (p) => progress.push(p));
  const values = await readParams(params);
  disposeParams(params);
  return { values, progress };
}

describe('SFT warm-up', () => {
  it('lowers the loss over 40 steps and reports every step', async () => {
    const { progress } = await warmedUp(4, 40);
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === 40 && Number.isFinite(p.loss))).toBe(true);
    const mean = (xs: SftProgress[]) => xs.reduce((a, p) => a + p.loss, 0) / xs.length;
    expect(mean(progress.slice(-5))).toBeLessThan(mean(progress.slice(0, 5)) * 0.6);
  });

  it('is deterministic in the seed', async () => {
    const a = await warmedUp(7, 5);
    const b = await warmedUp(7, 5);
    const c = await warmedUp(8, 5);
    expect(b.progress).toEqual(a.progress);
    for (const [name, v] of a.values) expect(Array.from(b.values.get(name)!)).toEqual(Array.from(v));
    expect(c.progress.map((p) => p.loss)).not.toEqual(a.progress.map((p) => p.loss));
  });

  it('stops between steps when asked, and refuses a step past the end', async () => {
    const params = initGptParams(small, 1);
    let seen = 0;
    const last = await runSftWarmup(small, params, task, { steps: 10, lr: 1e-2, batchSize: 4, seed: 1 }, () => seen++, () => seen >= 3);
    expect(last?.step).toBe(3);
    const one = new SftWarmup(small, params, task, { steps: 1, lr: 1e-2, batchSize: 4, seed: 1, arms: ['d1'] });
    await one.next();
    expect(one.done).toBe(true);
    await expect(one.next()).rejects.toThrow(/already done/);
    one.dispose();
    disposeParams(params);
    expect(sftWarmupSteps(300)).toBe(30);
    expect(sftWarmupSteps(20)).toBe(2);
    expect(sftWarmupSteps(1)).toBe(1);
  });
});
