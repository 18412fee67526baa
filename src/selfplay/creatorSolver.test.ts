// Creator/solver: the regret proxy, the prompt mutations (valid, new, never held out), and the loop end
// to end on the CPU backend through the RlTrainer with a tiny warm-started model.
import { beforeAll, describe, expect, it } from 'vitest';
import { getBackend, setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { disposeParams } from '../model/params';
import { createRng } from '../tasks/random';
import { getTask } from '../tasks/registry';
import { CreatorSolverLoop, evolvePrompt, mutateText, regretProxy } from './creatorSolver';
import { allFinite, sftWarmStart, tinyModel } from './testUtils';

beforeAll(() => setBackend(new CpuBackend()));

describe('regret proxy', () => {
  it('is max − mean of the group', () => {
    expect(regretProxy([1, 0, 0, 0])).toBe(0.75);
    expect(regretProxy([1, 1, 1, 1])).toBe(0);
    expect(regretProxy([0, 0, 0, 0])).toBe(0);
    expect(regretProxy([0.5, 1, 0])).toBe(0.5);
    expect(regretProxy([])).toBe(0);
  });
});

describe('prompt mutations', () => {
  it('digit changes one digit; grow and shrink change the digit count of every operand together', () => {
    const rng = createRng(3);
    for (let i = 0; i < 50; i++) {
      const d = mutateText('12+47=', 'digit', rng)!;
      expect(d).toMatch(/^[0-9]{2}\+[0-9]{2}=$/);
      expect([...d].filter((ch, k) => ch !== '12+47='[k]).length).toBeLessThanOrEqual(1);
      const g = mutateText('12+47=', 'grow', rng)!;
      expect(g).toMatch(/^[0-9]{3}\+[0-9]{3}=$/);
      // Each operand keeps its digits in order, with one inserted.
      const [a, b] = g.slice(0, -1).split('+');
      expect([0, 1, 2].some((k) => a.slice(0, k) + a.slice(k + 1) === '12')).toBe(true);
      expect([0, 1, 2].some((k) => b.slice(0, k) + b.slice(k + 1) === '47')).toBe(true);
      expect(['2+7=', '2+4=', '1+7=', '1+4=']).toContain(mutateText('12+47=', 'shrink', rng));
      // A one-digit number cannot shrink; the others still do.
      expect(['2+4=', '1+4=']).toContain(mutateText('12+4=', 'shrink', rng));
    }
    expect(mutateText('1+2=', 'shrink', rng)).toBeNull();
    expect(mutateText('rev abc=', 'digit', rng)).toBeNull();
  });

  it('evolved children are valid problems of the task with the right answer, new, and never held out', () => {
    const task = getTask('addition');
    const rng = createRng(9);
    let made = 0;
    for (let i = 0; i < 300; i++) {
      const parent = task.generate(rng.pick(['d1', 'd2', 'd3']), rng);
      const child = evolvePrompt(task, parent, rng);
      if (!child) continue;
      made++;
      expect(child.prompt).not.toBe(parent.prompt);
      expect(task.isHeldOut(child)).toBe(false);
      const [a, b] = child.prompt.slice(0, -1).split('+').map(Number);
      expect(child.answer).toBe(String(a + b));
      expect(child.meta?.parent).toBe(parent.prompt);
    }
    expect(made).toBeGreaterThan(250);
  });
});

describe('CreatorSolverLoop', () => {
  it('runs 3 iterations through the RlTrainer: buffer scored, informative prompts evolved and replayed, flat memory', async () => {
    const { config, params } = tinyModel(21);
    await sftWarmStart(config, params, 'addition', ['d1'], 100);
    const loop = new CreatorSolverLoop(config, params, {
      arms: ['d1'],
      bufferSize: 12,
      rl: { promptsPerStep: 8, samplesPerPrompt: 4, lr: 1e-3 },
      eval: { arms: ['d1'], prompts: 4, samples: 2, greedy: false },
      evalEvery: 3,
    });
    const live: number[] = [];
    const metrics = [];
    for (let i = 0; i < 3; i++) {
      metrics.push(await loop.runIteration());
      live.push(getBackend().counters().liveBuffers);
    }
    for (const m of metrics) {
      expect(allFinite(m)).toBe(true);
      expect(m.batch.fresh + m.batch.evolved + m.batch.replay).toBe(8);
      expect(m.buffer.size).toBeLessThanOrEqual(12);
      expect(m.solver_accuracy).toBeGreaterThanOrEqual(0);
      expect(m.informativeness).toBeGreaterThanOrEqual(0);
    }
    // The first batch is all fresh (empty buffer); the warm-started model gets some but not all of
    // them right, so the creator then has informative parents to evolve and replay.
    expect(metrics[0].batch).toEqual({ fresh: 8, evolved: 0, replay: 0 });
    expect(metrics[0].informative_fraction).toBeGreaterThan(0);
    expect(metrics[1].batch.evolved + metrics[1].batch.replay).toBeGreaterThan(0);
    expect(metrics[1].batch.fresh).toBe(2); // round(8 × 0.25)
    expect(metrics[2].heldout).not.toBeNull();
    expect(loop.informative().every((e) => e.regret > 0)).toBe(true);
    expect(live[2]).toBe(live[1]);
    loop.dispose();
    disposeParams(params);
  });
});
