// The autograd core on the CPU backend: tape, accumulation, scopes, and the errors bad use gets.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from './backend/cpu/cpuBackend';
import {
  add, backward, DisposedTensorError, getBackend, keep, matmul, mean, mul, noGrad, parameter, reshape, setBackend, ShapeError, sum, tensor, tidy,
} from './index';

beforeAll(() => setBackend(new CpuBackend()));

const close = (actual: ArrayLike<number>, expected: number[], tol = 1e-6) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(actual[i] - e)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e))));
};

describe('autograd', () => {
  it('differentiates a product and a sum, accumulating a leaf used twice', async () => {
    const x = parameter(new Float32Array([1, 2, 3]), [3], 'x');
    const y = parameter(new Float32Array([4, 5, 6]), [3], 'y');
    tidy(() => {
      const loss = sum(add(mul(x, y), x)); // d/dx = y + 1, d/dy = x
      backward(loss);
    });
    close(await x.grad!.data(), [5, 6, 7]);
    close(await y.grad!.data(), [1, 2, 3]);
    // A second backward adds into .grad (gradient accumulation).
    tidy(() => backward(sum(mul(x, y))));
    close(await x.grad!.data(), [9, 11, 13]);
    x.dispose();
    y.dispose();
  });

  it('broadcasting gradients sum back to the smaller shape', async () => {
    const w = parameter(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const b = parameter(new Float32Array([0.5, -1, 2]), [3]);
    tidy(() => backward(mean(add(matmul(w, w, { transB: true }), reshape(sum(b), [1, 1])))));
    // d mean(W Wᵀ + s)/dW = (1/4)(G + Gᵀ) W with G = ones(2,2) -> each row = (W[0]+W[1]) / 2
    close(await w.grad!.data(), [2.5, 3.5, 4.5, 2.5, 3.5, 4.5]);
    close(await b.grad!.data(), [1, 1, 1]);
    w.dispose();
    b.dispose();
  });

  it('noGrad records nothing', () => {
    const x = parameter(new Float32Array([1]), [1]);
    const y = noGrad(() => mul(x, x));
    expect(y.requiresGrad).toBe(false);
    expect(() => backward(y)).toThrow(/does not depend/);
    x.dispose();
    y.dispose();
  });

  it('tidy disposes intermediates and keeps what it returns', () => {
    const live = () => getBackend().counters().liveBuffers;
    const before = live();
    const kept = tidy(() => {
      const a = tensor([1, 2, 3]);
      const b = add(a, a);
      keep(tensor([9]));
      return mul(b, b);
    });
    expect(live()).toBe(before + 2); // the returned tensor and the kept one
    kept.dispose();
  });

  it('a disposed tensor names itself when used', () => {
    const t = tensor([1, 2], [2]);
    t.dispose();
    expect(() => add(t, t)).toThrow(DisposedTensorError);
    expect(() => add(t, t)).toThrow(/Tensor#\d+ f32\[2\] was disposed/);
  });

  it('a shape mismatch names both shapes', () => {
    tidy(() => {
      const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      const b = tensor([1, 2, 3, 4], [2, 2]);
      expect(() => add(a, b)).toThrow(ShapeError);
      expect(() => add(a, b)).toThrow(/\[2, 3\] and \[2, 2\]/);
      expect(() => matmul(a, a)).toThrow(/inner dimensions differ \(3 vs 2\) in \[2, 3\] · \[2, 3\]/);
      expect(() => reshape(a, [4, 2])).toThrow(/cannot reshape \[2, 3\].*to \[4, 2\]/);
    });
  });
});
