import { describe, expect, it } from 'vitest';
import type { MatmulParams } from '../../backend';
import { CpuBackend } from './cpuBackend';
import { expectClose, randomArray, readF32 } from './testUtil';

/** Independent f64 reference straight from the contract's definition of stored layouts. */
function refMatmul(a: Float32Array, b: Float32Array, p: MatmulParams): number[] {
  const out: number[] = [];
  for (let bi = 0; bi < p.batch; bi++) {
    for (let i = 0; i < p.m; i++) {
      for (let j = 0; j < p.n; j++) {
        let s = 0;
        for (let k = 0; k < p.k; k++) {
          const av = p.transA ? a[bi * p.aBatchStride + k * p.m + i] : a[bi * p.aBatchStride + i * p.k + k];
          const bv = p.transB ? b[bi * p.bBatchStride + j * p.k + k] : b[bi * p.bBatchStride + k * p.n + j];
          s += av * bv;
        }
        out.push(s);
      }
    }
  }
  return out;
}

function params(batch: number, m: number, n: number, k: number, transA = false, transB = false, aB = m * k, bB = k * n): MatmulParams {
  return { batch, m, n, k, transA, transB, aBatchStride: aB, bBatchStride: bB };
}

// Both kernels of the CPU backend: the JavaScript reference and the WASM SIMD one it picks by default.
describe.each(['js', 'wasm'] as const)('cpu matmul (%s kernels)', (kernels) => {
  const b = new CpuBackend({ kernels });

  it('hand-computed 2x3 · 3x2, and each transpose flag', async () => {
    const A = Float32Array.of(1, 2, 3, 4, 5, 6); // [[1,2,3],[4,5,6]]
    const B = Float32Array.of(7, 8, 9, 10, 11, 12); // [[7,8],[9,10],[11,12]]
    const expected = [58, 64, 139, 154];
    expect(await readF32(b, b.matmul(b.upload(A), b.upload(B), params(1, 2, 2, 3)))).toEqual(expected);
    const At = Float32Array.of(1, 4, 2, 5, 3, 6); // A stored transposed (3x2)
    const Bt = Float32Array.of(7, 9, 11, 8, 10, 12); // B stored transposed (2x3)
    expect(await readF32(b, b.matmul(b.upload(At), b.upload(B), params(1, 2, 2, 3, true, false)))).toEqual(expected);
    expect(await readF32(b, b.matmul(b.upload(A), b.upload(Bt), params(1, 2, 2, 3, false, true)))).toEqual(expected);
    expect(await readF32(b, b.matmul(b.upload(At), b.upload(Bt), params(1, 2, 2, 3, true, true)))).toEqual(expected);
  });

  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 17, 3],
    [3, 1, 17],
    [17, 3, 1],
    [17, 17, 17],
    [3, 65, 5],
  ];
  for (const [m, n, k] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`m=${m} n=${n} k=${k} transA=${transA} transB=${transB}, batch 3`, async () => {
          const p = params(3, m, n, k, transA, transB);
          const A = randomArray(3 * m * k, m * 100 + k);
          const B = randomArray(3 * k * n, n * 100 + k + 1);
          expectClose(await readF32(b, b.matmul(b.upload(A), b.upload(B), p)), refMatmul(A, B, p), 1e-6, 1e-6);
        });
      }
    }
  }

  it('batch-broadcast: B with stride 0 is shared by every batch (transB, as in x · Wᵀ)', async () => {
    const p = params(4, 3, 5, 17, false, true, 3 * 17, 0);
    const A = randomArray(4 * 3 * 17, 11);
    const B = randomArray(5 * 17, 12);
    const out = await readF32(b, b.matmul(b.upload(A), b.upload(B), p));
    expectClose(out, refMatmul(A, B, p), 1e-6, 1e-6);
    // Batch 2 computed alone must equal slice 2 of the batched result.
    const alone = await readF32(b, b.matmul(b.upload(A.slice(2 * 51, 3 * 51)), b.upload(B), params(1, 3, 5, 17, false, true)));
    expect(out.slice(2 * 15, 3 * 15)).toEqual(alone);
  });

  it('batch-broadcast: A with stride 0', async () => {
    const p = params(3, 2, 3, 4, true, false, 0, 12);
    const A = randomArray(8, 13);
    const B = randomArray(36, 14);
    expectClose(await readF32(b, b.matmul(b.upload(A), b.upload(B), p)), refMatmul(A, B, p), 1e-6, 1e-6);
  });

  it('k = 0 gives zeros', async () => {
    expect(await readF32(b, b.matmul(b.zeros(0, 'f32'), b.zeros(0, 'f32'), params(1, 2, 2, 0)))).toEqual([0, 0, 0, 0]);
  });

  it('throws when a storage is too small for the params', () => {
    expect(() => b.matmul(b.zeros(5, 'f32'), b.zeros(6, 'f32'), params(1, 2, 2, 3))).toThrow(/needs 6/);
    expect(() => b.matmul(b.zeros(6, 'f32'), b.zeros(6, 'f32'), params(2, 2, 2, 3, false, false, 6, 0))).toThrow(/needs 12/);
  });
});
