// Engine checks 3-5 on WebGPU: a 200-step training loop holds a flat buffer count and needs exactly one
// readback per step; softmax stays finite at ±1e4; impossible targets are explicit, not NaN; misuse
// gets a clear error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from './backend/webgpu/webgpuBackend';
import * as E from './index';
import { mulberry32 } from './random';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  E.setBackend(gpu);
});
afterAll(() => gpu?.destroy());

const rng = mulberry32;

describe('training loop on WebGPU', () => {
  it('200 steps of a small MLP: flat live buffers, one readback per step, loss falls', async () => {
    const rand = rng(3);
    const N = 64, D = 8, Hd = 32, C = 4;
    // A learnable rule: the class is the index of the largest of the first four features.
    const xs = Float32Array.from({ length: N * D }, () => rand() * 2 - 1);
    const ys = Int32Array.from({ length: N }, (_, i) => {
      const row = xs.subarray(i * D, i * D + 4);
      return row.indexOf(Math.max(...row));
    });
    const init = (n: number, s: number) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * s);
    const w1 = E.parameter(init(D * Hd, 0.5), [D, Hd], 'w1');
    const b1 = E.parameter(new Float32Array(Hd), [Hd], 'b1');
    const w2 = E.parameter(init(Hd * C, 0.3), [Hd, C], 'w2');
    const b2 = E.parameter(new Float32Array(C), [C], 'b2');
    const x = E.keep(E.tensor(xs, [N, D]));
    const y = E.keep(E.tensor(ys, [N], 'i32'));
    const opt = new E.AdamW([w1, b1, w2, b2], { lr: 0.02, maxGradNorm: 1 });

    const losses: number[] = [];
    const liveAt: number[] = [];
    for (let step = 0; step < 200; step++) {
      const before = gpu.counters().readbacks;
      const loss = E.tidy(() => {
        const h = E.gelu(E.add(E.matmul(x, w1), b1));
        const l = E.crossEntropy(E.add(E.matmul(h, w2), b2), y);
        E.backward(l);
        return l;
      });
      const { gradNormSquared } = opt.update();
      const [lossValue, normSq] = await E.readAll([loss, gradNormSquared]);
      loss.dispose();
      gradNormSquared.dispose();
      expect(gpu.counters().readbacks - before).toBe(1);
      expect(Number.isFinite(normSq[0])).toBe(true);
      losses.push(lossValue[0]);
      liveAt.push(gpu.counters().liveBuffers);
    }
    expect(liveAt[199]).toBe(liveAt[10]);
    expect(Math.max(...liveAt.slice(10))).toBe(liveAt[10]);
    expect(losses[199]).toBeLessThan(losses[0] * 0.5);
    for (const t of [w1, b1, w2, b2, x, y]) t.dispose();
    opt.dispose();
  });
});

describe('numerical edge cases on WebGPU', () => {
  it('softmax and log-softmax stay finite for logits of ±1e4', async () => {
    const [sm, lsm] = E.tidy(() => {
      const z = E.tensor([1e4, -1e4, 0, 1e4 - 1, -1e4, 1e4, 1e4, 1e4], [2, 4]);
      return [E.softmax(z), E.logSoftmax(z)];
    });
    const [p, lp] = await E.readAll([sm, lsm]);
    expect(Array.from(p).every(Number.isFinite)).toBe(true);
    expect(Array.from(lp).every(Number.isFinite)).toBe(true);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 5);
    expect(p[5]).toBeCloseTo(1 / 3, 5);
    sm.dispose();
    lsm.dispose();
  });

  it('a zero-probability target under a vocabulary mask gives -Infinity log-prob and finite gradients', async () => {
    const logits = E.parameter(new Float32Array([0.5, -Infinity, 1, 2, 0, 0]), [2, 3]);
    const [logp, entropy] = E.tidy(() => {
      const r = E.logProbs(logits, E.tensor([1, 2], [2], 'i32'), 1);
      // Only the possible row enters the loss; the impossible one is selected away explicitly.
      E.backward(E.add(E.sum(E.mul(r.logp, E.tensor([0, 1]))), E.sum(r.entropy)));
      return [r.logp, r.entropy];
    });
    const [lp, h] = await E.readAll([logp, entropy]);
    expect(lp[0]).toBe(-Infinity);
    expect(Number.isFinite(lp[1])).toBe(true);
    expect(Array.from(h).every(Number.isFinite)).toBe(true);
    const g = await logits.grad!.data();
    expect(Array.from(g).some(Number.isNaN)).toBe(false);
    expect(g[1]).toBe(0); // the masked vocabulary entry gets no gradient
    logp.dispose();
    entropy.dispose();
    logits.dispose();
  });

  it('misuse gets a clear error naming shapes or the disposed tensor', () => {
    const a = E.tensor([1, 2, 3], [3]);
    const b = E.tensor([1, 2], [2]);
    expect(() => E.mul(a, b)).toThrow(/mul: shapes \[3\] and \[2\] cannot be broadcast/);
    a.dispose();
    expect(() => E.exp(a)).toThrow(/was disposed/);
    b.dispose();
  });
});
