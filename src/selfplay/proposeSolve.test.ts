// Propose/solve: the learnability reward against hand-computed values, and the loop end to end on the
// CPU backend with a tiny model (warm-up, 3 iterations, finite and consistent metrics, flat memory).
import { beforeAll, describe, expect, it } from 'vitest';
import { getBackend, setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { disposeParams } from '../model/params';
import { PROPOSE_ID, SOLVE_ID, encode } from '../tasks/tokenizer';
import { ProposeSolveLoop, learnabilityReward, proposerReward } from './proposeSolve';
import { allFinite, tinyModel } from './testUtils';

beforeAll(() => setBackend(new CpuBackend()));

describe('learnability reward', () => {
  it('is 1 − acc strictly between 0 and 1, the extreme value at 0 and 1', () => {
    expect(learnabilityReward(0.25)).toBe(0.75);
    expect(learnabilityReward(0.5)).toBe(0.5);
    expect(learnabilityReward(7 / 8)).toBe(0.125);
    expect(learnabilityReward(1 / 8)).toBe(0.875);
    expect(learnabilityReward(0)).toBe(0);
    expect(learnabilityReward(1)).toBe(0);
    // The official Absolute-Zero code's setting.
    expect(learnabilityReward(0, -0.5)).toBe(-0.5);
    expect(learnabilityReward(1, -0.5)).toBe(-0.5);
    expect(learnabilityReward(0.75, -0.5)).toBe(0.25);
  });

  it('gives a malformed proposal the malformed reward whatever the accuracy', () => {
    const c = { extremeReward: 0, malformedReward: -1 };
    expect(proposerReward({ ok: false }, 0.5, c)).toBe(-1);
    expect(proposerReward({ ok: true }, 0.5, c)).toBe(0.5);
    expect(proposerReward({ ok: true }, 1, { ...c, extremeReward: -0.5 })).toBe(-0.5);
  });
});

describe('ProposeSolveLoop', () => {
  it('role prompts: the role token takes BOS’s place', () => {
    expect(ProposeSolveLoop.proposerPrompt()).toEqual([PROPOSE_ID]);
    expect(ProposeSolveLoop.solverPrompt('1+2=')).toEqual([SOLVE_ID, ...encode('1+2=')]);
  });

  it('runs warm-up and 3 iterations end to end with consistent metrics and flat memory', async () => {
    const { config, params } = tinyModel(11);
    const loop = new ProposeSolveLoop(config, params, {
      proposals: 8,
      solverSamples: 4,
      lr: 3e-3,
      warmup: { steps: 100, batchSize: 16, lr: 1e-2, arms: ['d1'] },
      eval: { arms: ['d1'], prompts: 4, samples: 2, greedy: true },
      evalEvery: 2,
    });
    const warm = await loop.warmUp();
    expect(warm.steps).toBe(100);
    expect(Number.isFinite(warm.loss)).toBe(true);
    const live: number[] = [];
    const metrics = [];
    for (let i = 0; i < 3; i++) {
      metrics.push(await loop.runIteration());
      live.push(getBackend().counters().liveBuffers);
    }
    for (const m of metrics) {
      expect(allFinite(m)).toBe(true);
      expect(m.proposals).toBe(8);
      const malformed = Object.values(m.malformed).reduce((a, b) => a + b, 0);
      expect(Math.round(m.validity_rate * 8) + malformed).toBe(8);
      // Mean proposer reward: −1 per malformed proposal, learnability in [0, 1) for the valid ones.
      expect(m.proposer_reward).toBeGreaterThanOrEqual(-1);
      expect(m.proposer_reward).toBeLessThan(1);
      expect(m.solver_accuracy).toBeGreaterThanOrEqual(0);
      expect(m.solver_accuracy).toBeLessThanOrEqual(1);
      expect(m.diversity).toBeGreaterThan(0);
      expect(m.diversity).toBeLessThanOrEqual(1);
    }
    // The warm-up taught even the tiny model the grammar (seeded: this run's proposals are valid), so the
    // solver branch — executor answers, G samples, verifier, solver advantages — ran too.
    expect(metrics.every((m) => m.validity_rate > 0.5)).toBe(true);
    expect(metrics.every((m) => m.difficulty.operand_digits === 1)).toBe(true);
    expect(metrics.map((m) => m.heldout === null)).toEqual([true, false, true]);
    expect(metrics[1].heldout!.accuracy.d1).toBeGreaterThanOrEqual(0);
    expect(live[2]).toBe(live[1]);
    loop.dispose();
    disposeParams(params);
  });

  it('with K references: the context check counts them, each proposal gets K from the buffer, valid proposals join it', async () => {
    // K = 3 on addition needs 1 + 3·10 + 10 + 1 = 42 tokens: too long for a 24-token context.
    expect(() => new ProposeSolveLoop(tinyModel(1).config, tinyModel(1).params, { references: 3 })).toThrow(/needs a context of 42/);
    const { config, params } = tinyModel(11, 48);
    const loop = new ProposeSolveLoop(config, params, {
      proposals: 8, solverSamples: 4, lr: 3e-3, references: 2, referenceBufferSize: 16,
      warmup: { steps: 100, batchSize: 16, lr: 1e-2, arms: ['d1'] },
      eval: { arms: ['d1'], prompts: 4, samples: 2, greedy: false },
      evalEvery: 0,
    });
    // Seeded with seed problems (distinct, outside the held-out split: d1 repeats some), so references
    // exist from iteration 0.
    expect(loop.references.size).toBeGreaterThan(8);
    expect(loop.references.size).toBeLessThanOrEqual(16);
    const seeds = loop.references.snapshot();
    const metrics = [];
    for (let i = 0; i < 2; i++) metrics.push(await loop.runIteration());
    for (const m of metrics) {
      expect(allFinite(m)).toBe(true);
      expect(m.proposals).toBe(8);
    }
    // The tiny model learned the format with references in its warm-up: it still writes valid problems,
    // and they entered the buffer (a FIFO of 16: some seed problems made room).
    expect(metrics.some((m) => m.validity_rate > 0.5)).toBe(true);
    expect(loop.references.snapshot().some((p) => !seeds.includes(p))).toBe(true);
    loop.dispose();
    disposeParams(params);
  });

  it('K = 0 keeps the plain prompt and an empty buffer', async () => {
    const { config, params } = tinyModel(11);
    const loop = new ProposeSolveLoop(config, params, { proposals: 4, solverSamples: 2, warmup: { steps: 0, batchSize: 4, lr: 1e-2, arms: ['d1'] }, evalEvery: 0 });
    await loop.runIteration();
    expect(loop.references.size).toBe(0);
    loop.dispose();
    disposeParams(params);
  });
});
