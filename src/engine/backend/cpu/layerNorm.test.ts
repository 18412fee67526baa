import { describe, expect, it } from 'vitest';
import { CpuBackend } from './cpuBackend';
import { expectClose, finiteDifference, peek, randomArray, readF32, weightedSum } from './testUtil';

const f = Math.fround;

describe('cpu layerNorm', () => {
  const b = new CpuBackend();

  it('hand-computed: biased variance, gamma and beta applied', async () => {
    // x = [1,2,3]: mean 2, biased var 2/3, rstd = sqrt(3/2); xhat = [-1.2247, 0, 1.2247]
    const r = b.layerNorm(b.upload(Float32Array.of(1, 2, 3)), b.upload(Float32Array.of(2, 1, 0.5)), b.upload(Float32Array.of(1, 0, -1)), 1, 3, 0);
    const xh = Math.sqrt(1.5);
    expectClose(await readF32(b, r.y), [1 - 2 * xh, 0, -1 + 0.5 * xh].map(f), 1e-6, 0);
    expect(await readF32(b, r.mean)).toEqual([2]);
    expectClose(await readF32(b, r.rstd), [f(xh)], 1e-7, 0);
  });

  it('eps keeps a constant row finite: y = beta, rstd = 1/sqrt(eps)', async () => {
    const r = b.layerNorm(b.fill(4, 3, 'f32'), b.fill(4, 1, 'f32'), b.upload(Float32Array.of(1, 2, 3, 4)), 1, 4, 1e-5);
    expect(await readF32(b, r.y)).toEqual([1, 2, 3, 4]);
    expectClose(await readF32(b, r.rstd), [f(1 / Math.sqrt(1e-5))], 1e-6, 0);
  });

  it('cols = 1 gives y = beta', async () => {
    const r = b.layerNorm(b.upload(Float32Array.of(5, -2)), b.fill(1, 3, 'f32'), b.fill(1, 0.5, 'f32'), 2, 1, 1e-5);
    expect(await readF32(b, r.y)).toEqual([0.5, 0.5]);
  });

  it('large offsets do not lose the variance (two-pass)', async () => {
    const r = b.layerNorm(b.upload(Float32Array.of(1e4 + 1, 1e4 - 1)), b.fill(2, 1, 'f32'), b.zeros(2, 'f32'), 1, 2, 0);
    expectClose(await readF32(b, r.y), [1, -1], 1e-6, 0);
  });
});

describe('cpu layerNormGrad matches finite differences', () => {
  const b = new CpuBackend();
  const rows = 3;
  const cols = 17;
  const eps = 1e-5;
  const x = randomArray(rows * cols, 31, -2, 2);
  const gamma = randomArray(cols, 32, 0.5, 1.5);
  const beta = randomArray(cols, 33, -0.5, 0.5);
  const w = randomArray(rows * cols, 34);

  const lossOf = (xv: Float32Array, gv: Float32Array, bv: Float32Array) => {
    const r = b.layerNorm(b.upload(xv), b.upload(gv), b.upload(bv), rows, cols, eps);
    return weightedSum(peek(r.y), w);
  };
  const xs = b.upload(x);
  const gs = b.upload(gamma);
  const fwd = b.layerNorm(xs, gs, b.upload(beta), rows, cols, eps);
  const grads = b.layerNormGrad(b.upload(w), xs, gs, fwd.mean, fwd.rstd, rows, cols);

  it('dx', () => {
    expectClose(peek(grads.dx), finiteDifference(x, (v) => lossOf(v, gamma, beta), 1e-3), 1e-3, 1e-3);
  });
  it('dgamma', () => {
    expectClose(peek(grads.dgamma), finiteDifference(gamma, (v) => lossOf(x, v, beta), 1e-3), 1e-3, 1e-3);
  });
  it('dbeta = column sums of dy', () => {
    expectClose(peek(grads.dbeta), finiteDifference(beta, (v) => lossOf(x, gamma, v), 1e-3), 1e-3, 1e-3);
    const sums = Array.from({ length: cols }, (_, c) => f(w[c] + w[cols + c] + w[2 * cols + c]));
    expectClose(peek(grads.dbeta), sums, 1e-6, 1e-7);
  });
});
