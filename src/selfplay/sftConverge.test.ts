// SFT until converged: the stopping rule against hand-picked loss sequences, and the loop on a tiny model
// (the loss on the pairs falls, it stops by the rule before the cap, and a stricter rule runs longer).
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { disposeParams } from '../model/params';
import { createRng } from '../tasks/random';
import { getTask } from '../tasks/registry';
import { encodeCompletion, encodePrompt } from '../tasks/tokenizer';
import { hasConverged, sftUntilConverged } from './sftConverge';
import { tinyModel } from './testUtils';

beforeAll(() => setBackend(new CpuBackend()));

function pairs(n: number) {
  const task = getTask('addition');
  const rng = createRng(3);
  return Array.from({ length: n }, () => {
    const p = task.generate('d1', rng);
    return { prompt: encodePrompt(p.prompt), completion: encodeCompletion(p.answer) };
  });
}

describe('hasConverged', () => {
  it('is true when the last epoch moved the loss by less than the tolerance, relative', () => {
    expect(hasConverged([], 0.02)).toBe(false);
    expect(hasConverged([1], 0.02)).toBe(false);
    expect(hasConverged([1, 0.5], 0.02)).toBe(false);
    expect(hasConverged([1, 0.5, 0.495], 0.02)).toBe(true); // 1 % change
    expect(hasConverged([1, 0.5, 0.489], 0.02)).toBe(false); // 2.2 %
    expect(hasConverged([0.5, 0.505], 0.02)).toBe(true); // a rise counts the same
    // Near zero a relative rule never fires; the absolute one does.
    expect(hasConverged([0.02, 0.012], 0.02)).toBe(false);
    expect(hasConverged([0.02, 0.012], 0.02, 0.01)).toBe(true);
    expect(hasConverged([0.05, 0.03], 0.02, 0.01)).toBe(false);
  });
});

describe('sftUntilConverged', () => {
  it('does nothing with maxEpochs 0', async () => {
    const { config, params } = tinyModel(2);
    const r = await sftUntilConverged(config, params, pairs(8), { maxEpochs: 0, tolerance: 0.02, lr: 1e-2, batchSize: 4 }, createRng(1));
    expect(r).toEqual({ epochs: 0, losses: [], converged: false });
    disposeParams(params);
  });

  it('lowers the loss on the pairs and stops by the rule before the cap; a stricter rule runs longer', async () => {
    const run = async (tolerance: number) => {
      const { config, params } = tinyModel(2);
      const r = await sftUntilConverged(config, params, pairs(8), { maxEpochs: 60, tolerance, lr: 1e-2, batchSize: 4 }, createRng(1));
      disposeParams(params);
      return r;
    };
    const loose = await run(0.05);
    expect(loose.converged).toBe(true);
    expect(loose.epochs).toBeLessThan(60);
    expect(loose.losses.length).toBe(loose.epochs);
    expect(loose.losses[loose.losses.length - 1]).toBeLessThan(loose.losses[0] * 0.5);
    expect(hasConverged(loose.losses, 0.05)).toBe(true);
    expect(hasConverged(loose.losses.slice(0, -1), 0.05)).toBe(false);
    const strict = await run(0.001);
    expect(strict.epochs).toBeGreaterThan(loose.epochs);
    // Same seed, same pairs: the first epochs are the same run.
    expect(strict.losses.slice(0, loose.epochs)).toEqual(loose.losses);
  });
});
