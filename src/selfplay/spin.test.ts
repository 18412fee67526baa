// SPIN: the loss and its gradient against hand-computed values, and the loop end to end on the CPU
// backend with a tiny model (2 iterations, finite metrics, flat memory).
import { beforeAll, describe, expect, it } from 'vitest';
import { backward, getBackend, parameter, setBackend, tensor, tidy } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { disposeParams } from '../model/params';
import { expectClose } from '../rl/testUtils';
import { allFinite, tinyModel } from './testUtils';
import { SpinLoop, runSpinIteration, spinLoss, spinLossValue } from './spin';

beforeAll(() => setBackend(new CpuBackend()));

// Two pairs, β = 0.1:
//   u₁ = 0.1·[(−1 − (−3)) − (−1.5 − (−2))] = 0.1·(2 − 0.5)  = 0.15
//   u₂ = 0.1·[(−2 − (−1)) − (−2 − (−1.5))] = 0.1·(−1 + 0.5) = −0.05
//   −log σ(0.15) = log(1 + e^−0.15) = 0.6209570,  −log σ(−0.05) = log(1 + e^0.05) = 0.7184596, mean 0.6697083
//   ∂L/∂log p_θ(y_real,i) = −β·σ(−u_i)/B = −0.0231285, −0.0256249; ∂L/∂log p_θ(y_gen,i) = the opposite.
//   hinge: max(0, 1 − u) = 0.85, 1.05, mean 0.95; gradient −β/B = −0.05 on each real term.
const policyReal = [-1, -2];
const policyGenerated = [-3, -1];
const opponentReal = [-1.5, -2];
const opponentGenerated = [-2, -1.5];

async function lossAndGrads(type: 'sigmoid' | 'hinge', pr = policyReal, pg = policyGenerated, or = opponentReal, og = opponentGenerated) {
  const real = parameter(Float32Array.from(pr), [pr.length]);
  const gen = parameter(Float32Array.from(pg), [pg.length]);
  const out = tidy(() => {
    const r = spinLoss({ policyReal: real, policyGenerated: gen, opponentReal: tensor(or), opponentGenerated: tensor(og) }, 0.1, type);
    backward(r.loss);
    return r;
  });
  const result = {
    loss: Array.from(await out.loss.data()),
    u: Array.from(await out.u.data()),
    rewardsReal: Array.from(await out.rewardsReal.data()),
    rewardsGenerated: Array.from(await out.rewardsGenerated.data()),
    gradReal: Array.from(await real.grad!.data()),
    gradGenerated: Array.from(await gen.grad!.data()),
  };
  for (const t of [out.loss, out.u, out.rewardsReal, out.rewardsGenerated, real, gen]) t.dispose();
  return result;
}

describe('spinLoss', () => {
  it('sigmoid loss: u, rewards, −log σ(u) and its gradient match the hand computation', async () => {
    const r = await lossAndGrads('sigmoid');
    expectClose(r.u, [0.15, -0.05], 1e-6);
    expectClose(r.rewardsReal, [0.05, 0], 1e-6);
    expectClose(r.rewardsGenerated, [-0.1, 0.05], 1e-6);
    expectClose(r.loss, [0.6697083], 1e-6);
    expectClose(r.gradReal, [-0.0231285, -0.0256249], 1e-5);
    expectClose(r.gradGenerated, [0.0231285, 0.0256249], 1e-5);
    // Raising log p_θ(y_real) lowers the loss; raising log p_θ(y_gen) raises it.
    expect(r.gradReal.every((g) => g < 0)).toBe(true);
    expect(r.gradGenerated.every((g) => g > 0)).toBe(true);
    expect(spinLossValue(0.15)).toBeCloseTo(0.6209570, 6);
    expect(spinLossValue(-0.05)).toBeCloseTo(0.7184596, 6);
  });

  it('at θ = opponent (u = 0) the gradient is exactly −β/2 per pair, not a zero subgradient', async () => {
    const same = [-2, -3];
    const r = await lossAndGrads('sigmoid', same, [-1, -4], same, [-1, -4]);
    expectClose(r.u, [0, 0]);
    expectClose(r.loss, [Math.LN2], 1e-6);
    expectClose(r.gradReal, [-0.025, -0.025], 1e-6);
    expectClose(r.gradGenerated, [0.025, 0.025], 1e-6);
  });

  it('hinge loss: max(0, 1 − u)', async () => {
    const r = await lossAndGrads('hinge');
    expectClose(r.loss, [0.95], 1e-6);
    expectClose(r.gradReal, [-0.05, -0.05], 1e-6);
    expectClose(r.gradGenerated, [0.05, 0.05], 1e-6);
    expect(spinLossValue(2, 'hinge')).toBe(0);
  });

  it('stays finite for extreme log-prob gaps', async () => {
    const r = await lossAndGrads('sigmoid', [-1, -2000], [-2000, -1], [-1000, -1], [-1, -1000]);
    expect(r.loss.every(Number.isFinite)).toBe(true);
    expect(r.gradReal.every(Number.isFinite)).toBe(true);
  });
});

describe('SpinLoop', () => {
  it('runs 3 iterations end to end: finite metrics, a positive end margin, flat memory', async () => {
    const { config, params } = tinyModel(3);
    const loop = new SpinLoop(config, params, {
      datasetSize: 12,
      batchSize: 6,
      epochs: 1,
      lr: 1e-2,
      eval: { arms: ['d1'], prompts: 4, samples: 2, greedy: true },
    });
    const live: number[] = [];
    const metrics = [];
    for (let i = 0; i < 3; i++) {
      metrics.push(await loop.runIteration());
      live.push(getBackend().counters().liveBuffers);
    }
    for (const m of metrics) {
      expect(allFinite(m)).toBe(true);
      expect(m.steps).toBe(2);
      expect(m.pairs).toBe(12);
      expect(m.discrimination_accuracy).toBeGreaterThanOrEqual(0);
      expect(m.discrimination_accuracy).toBeLessThanOrEqual(1);
      expect(m.heldout).not.toBeNull();
    }
    // The first batch of an iteration starts at θ = opponent, so its loss is log 2 exactly; training moves
    // the margin up (the model learns to prefer the real answers to its own samples).
    expect(metrics[0].end_margin).toBeGreaterThan(0);
    expect(live[2]).toBe(live[1]);
    loop.dispose();
    disposeParams(params);
  });

  it('is seeded: the same config gives the same metrics', async () => {
    const run = async () => {
      const { config, params } = tinyModel(5);
      const loop = new SpinLoop(config, params, { datasetSize: 6, batchSize: 6, epochs: 1, eval: { arms: ['d1'], prompts: 2, samples: 1, greedy: false } });
      const m = await loop.runIteration();
      loop.dispose();
      disposeParams(params);
      return { ...m, seconds: 0 };
    };
    expect(await run()).toEqual(await run());
  });

  it('sftFirst: SFT on the same pairs until converged, once; SPIN and its SFT control start from the same model', async () => {
    const prepared = async (objective: 'spin' | 'sft') => {
      const { config, params } = tinyModel(7);
      const loop = new SpinLoop(config, params, {
        datasetSize: 8, batchSize: 4, epochs: 1, objective, sftFirst: { maxEpochs: 50, tolerance: 0.05, minDelta: 0, lr: 1e-2 },
        eval: { arms: ['d1'], prompts: 2, samples: 1, greedy: false },
      });
      const s = await loop.prepare();
      expect(await loop.prepare()).toBe(s); // once
      const weights = await Promise.all([...params.values()].map(async (p) => Array.from(await p.data())));
      return { loop, params, s, weights };
    };
    const a = await prepared('spin');
    const b = await prepared('sft');
    expect(a.s.converged).toBe(true);
    expect(a.s.epochs).toBeGreaterThan(1);
    expect(a.s.losses[a.s.losses.length - 1]).toBeLessThan(a.s.losses[0]);
    expect(b.s).toEqual(a.s);
    expect(b.weights).toEqual(a.weights);
    for (const x of [a, b]) {
      x.loop.dispose();
      disposeParams(x.params);
    }
  });

  it("objective 'sft' (the control): plain SFT on the real pairs, same steps as SPIN, no SPIN metrics", async () => {
    const { config, params } = tinyModel(3);
    const loop = new SpinLoop(config, params, {
      datasetSize: 12, batchSize: 6, epochs: 2, lr: 1e-2, objective: 'sft',
      eval: { arms: ['d1'], prompts: 4, samples: 2, greedy: false },
    });
    const m1 = await runSpinIteration(loop);
    const m2 = await runSpinIteration(loop);
    expect(m1.steps).toBe(4);
    expect(m1.iteration).toBe(0);
    expect(m2.iteration).toBe(1);
    expect('margin' in m1).toBe(false);
    expect(allFinite(m1)).toBe(true);
    expect(m2.loss).toBeLessThan(m1.loss);
    expect(m1.heldout).not.toBeNull();
    loop.dispose();
    disposeParams(params);
  });
});
