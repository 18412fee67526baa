import { describe, expect, it } from 'vitest';
import type { AdamWHyper } from '../../backend';
import { CpuBackend } from './cpuBackend';
import { expectClose, randomArray, readF32 } from './testUtil';

const f = Math.fround;

describe('cpu adamw', () => {
  const b = new CpuBackend();
  const h = (step: number): AdamWHyper => ({ lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step });

  it('hand-computed first two steps with decoupled weight decay', async () => {
    const p = b.upload(Float32Array.of(1));
    const g = b.upload(Float32Array.of(0.5));
    const m = b.zeros(1, 'f32');
    const v = b.zeros(1, 'f32');
    b.adamw(p, g, m, v, h(1), null);
    // m = 0.05, v = 0.00025, mhat = 0.5, vhat = 0.25, update ~ 1 -> p = 1 - 0.1 * (1 + 0.01 * 1) = 0.899
    expectClose(await readF32(b, m), [f(0.05)], 1e-6, 0);
    expectClose(await readF32(b, v), [f(0.00025)], 1e-6, 0);
    expectClose(await readF32(b, p), [f(0.899)], 1e-6, 0);
    b.adamw(p, g, m, v, h(2), null);
    // mhat and vhat stay 0.5 and 0.25 for a constant gradient -> p = 0.899 - 0.1 * (1 + 0.01 * 0.899)
    expectClose(await readF32(b, p), [f(0.899 - 0.1 * (1 + 0.00899))], 1e-6, 0);
  });

  it('matches the PyTorch formulation over 3 steps, with gradScale', async () => {
    const n = 17;
    const p0 = randomArray(n, 51);
    const grads = [randomArray(n, 52), randomArray(n, 53), randomArray(n, 54)];
    const scale = 0.25;
    const hyper = (step: number): AdamWHyper => ({ lr: 3e-3, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1, step });
    // torch.optim.AdamW: p *= 1 - lr*wd; p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)
    const rp = Float64Array.from(p0);
    const rm = new Float64Array(n);
    const rv = new Float64Array(n);
    const p = b.upload(p0);
    const m = b.zeros(n, 'f32');
    const v = b.zeros(n, 'f32');
    const gs = b.upload(Float32Array.of(scale));
    for (let t = 1; t <= 3; t++) {
      const hp = hyper(t);
      for (let i = 0; i < n; i++) {
        const gi = grads[t - 1][i] * scale;
        rp[i] *= 1 - hp.lr * hp.weightDecay;
        rm[i] = hp.beta1 * rm[i] + (1 - hp.beta1) * gi;
        rv[i] = hp.beta2 * rv[i] + (1 - hp.beta2) * gi * gi;
        const bc1 = 1 - hp.beta1 ** t;
        const bc2 = 1 - hp.beta2 ** t;
        rp[i] -= (hp.lr / bc1) * (rm[i] / (Math.sqrt(rv[i]) / Math.sqrt(bc2) + hp.eps));
      }
      b.adamw(p, b.upload(grads[t - 1]), m, v, hp, gs);
    }
    expectClose(await readF32(b, p), rp, 1e-5, 1e-7);
    expectClose(await readF32(b, m), rm, 1e-5, 1e-7);
    expectClose(await readF32(b, v), rv, 1e-5, 1e-9);
  });

  it('rejects step 0 and aliased state', () => {
    const s = b.zeros(2, 'f32');
    expect(() => b.adamw(s, b.zeros(2, 'f32'), b.zeros(2, 'f32'), b.zeros(2, 'f32'), h(0), null)).toThrow(/step/);
    expect(() => b.adamw(s, b.zeros(2, 'f32'), s, b.zeros(2, 'f32'), h(1), null)).toThrow(/distinct/);
  });
});

describe('cpu clipScale', () => {
  const b = new CpuBackend();
  it('min(1, maxNorm / (sqrt(sumSq) + 1e-6))', async () => {
    expectClose(await readF32(b, b.clipScale(b.upload(Float32Array.of(16)), 1)), [f(1 / (4 + 1e-6))], 1e-7, 0);
    expect(await readF32(b, b.clipScale(b.upload(Float32Array.of(0.25)), 1))).toEqual([1]);
    expect(await readF32(b, b.clipScale(b.zeros(1, 'f32'), 1))).toEqual([1]);
  });
});
