import { describe, expect, it } from 'vitest';
import { createRng } from './random';
import { getTask } from './registry';
import { trainingPool, withTrainingPool } from './trainingPool';

describe('training pool (one-shot / few-shot RL)', () => {
  const task = getTask('sorting');

  it('one problem per arm: every training draw of the arm is that problem', () => {
    const pooled = withTrainingPool(task, 1, 7);
    const rng = createRng(1);
    const prompts = new Set(Array.from({ length: 50 }, () => pooled.generate('len8', rng).prompt));
    expect(prompts.size).toBe(1);
    expect([...prompts][0]).toBe(trainingPool(task, 'len8', 1, 7)[0].prompt);
  });

  it('a pool of n gives at most n distinct problems, each arm its own, none held out', () => {
    const pooled = withTrainingPool(task, 4, 7);
    const rng = createRng(2);
    const len5 = new Set(Array.from({ length: 200 }, () => pooled.generate('len5', rng).prompt));
    const len8 = new Set(Array.from({ length: 200 }, () => pooled.generate('len8', rng).prompt));
    expect(len5.size).toBe(4);
    expect(len8.size).toBe(4);
    for (const p of [...len5, ...len8]) expect(task.isHeldOut({ prompt: p })).toBe(false);
    expect(pooled.generate('len8', rng).arm).toBe('len8');
  });

  it('the pool depends on its seed, and held-out evaluation is untouched', () => {
    expect(trainingPool(task, 'len8', 3, 1).map((p) => p.prompt)).not.toEqual(trainingPool(task, 'len8', 3, 2).map((p) => p.prompt));
    expect(trainingPool(task, 'len8', 3, 1)).toEqual(trainingPool(task, 'len8', 3, 1));
    expect(withTrainingPool(task, 1, 7).evalSet('len8', 5, 9)).toEqual(task.evalSet('len8', 5, 9));
  });

  it('refuses a pool size that is not a positive integer, and an unknown arm, by name', () => {
    expect(() => trainingPool(task, 'len8', 0, 1)).toThrow(/problems per arm must be an integer in \[1, 1000\], got 0/);
    expect(() => trainingPool(task, 'len8', 1.5, 1)).toThrow(/got 1.5/);
    expect(() => withTrainingPool(task, 1, 1).generate('len99', createRng(1))).toThrow(/unknown arm "len99"/);
  });
});
