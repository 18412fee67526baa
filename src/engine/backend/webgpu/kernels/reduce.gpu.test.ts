// WebGPU reductions against the CPU oracle (which sums in f64) on awkward [outer, size, inner] shapes,
// covering both kernels (row workgroups with a tree reduction; a thread per column) and the chunked
// multi-pass path for long axes.
//
// Tolerances: max/min are exact. Sums: rtol 1e-4, and for inputs of mixed sign an absolute floor of
// 1e-6 × size (inputs in [-1, 1], so size >= sum |x|): f32 accumulation error is bounded relative to
// sum |x|, not to a sum that cancels to nearly 0. Positive inputs (no cancellation) get rtol 1e-4 alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReduceOp } from '../../../backend';
import { WebGpuBackend } from '../webgpuBackend';
import { planReduce } from './reduce';
import { expectAllClose, randomF32, runBoth } from './kernelTestUtil';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

const OPS: ReduceOp[] = ['sum', 'max', 'min'];

// [outer, size, inner]
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 1, 17],
  [1, 3, 1],
  [17, 17, 1],
  [3, 63, 1], // short rows: column kernel with inner = 1
  [65, 65, 1], // row kernel
  [2, 130, 1],
  [1, 1000, 1],
  [3, 10000, 1], // row kernel, split into chunks, then a second pass
  [1, 3, 65],
  [5, 130, 3],
  [130, 17, 65],
  [1, 5000, 2], // column kernel, split into chunks
  [2, 65, 130],
];

describe('reduce', () => {
  for (const [outer, size, inner] of SHAPES) {
    it(`[${outer}, ${size}, ${inner}]`, async () => {
      const n = outer * size * inner;
      const mixed = randomF32(n, n + size, -1, 1);
      const positive = randomF32(n, n + 1, 0, 1);
      const r = await runBoth(gpu, (b, up) => {
        const xm = up(mixed);
        return [...OPS.map((op) => b.reduce(op, xm, outer, size, inner)), b.reduce('sum', up(positive), outer, size, inner)];
      });
      expectAllClose('sum (mixed signs)', r.gpu[0], r.cpu[0], { atol: 1e-6 * size });
      expectAllClose('max', r.gpu[1], r.cpu[1], { rtol: 0 });
      expectAllClose('min', r.gpu[2], r.cpu[2], { rtol: 0 });
      expectAllClose('sum (positive)', r.gpu[3], r.cpu[3]);
    });
  }

  it('plans chunked passes for long axes', () => {
    expect(planReduce(1, 100, 1)).toEqual({ entryPoint: 'reduceRows', chunks: 1, chunkLen: 100 });
    expect(planReduce(1000, 5, 1).entryPoint).toBe('reduceCols');
    expect(planReduce(1, 1 << 24, 1).chunks).toBe(4096);
    expect(planReduce(1, 1_000_000, 2).chunks).toBeGreaterThan(1000);
    expect(planReduce(1000, 1000, 100).chunks).toBe(1); // enough threads already
  });

  it('one case over 65535 × 256 elements (a single huge row, three passes)', async () => {
    const size = 65535 * 256 + 999;
    const x = randomF32(size, 21, 0, 1);
    const extremes = Float32Array.from(x);
    extremes[size - 1] = 7; // the max and min sit in the last chunk's tail
    extremes[size - 2] = -7;
    const r = await runBoth(gpu, (b, up) => {
      const xe = up(extremes);
      return [b.reduce('sum', up(x), 1, size, 1), b.reduce('max', xe, 1, size, 1), b.reduce('min', xe, 1, size, 1)];
    });
    expectAllClose('huge sum', r.gpu[0], r.cpu[0]);
    expect(Array.from(r.gpu[1])).toEqual([7]);
    expect(Array.from(r.gpu[2])).toEqual([-7]);
    console.log(`huge sum: gpu ${r.gpu[0][0]}, cpu ${r.cpu[0][0]}`);
  });

  it('a long axis with few columns (multi-pass column kernel)', async () => {
    const [outer, size, inner] = [3, 200_000, 2];
    const x = randomF32(outer * size * inner, 22, 0, 1);
    const r = await runBoth(gpu, (b, up) => {
      const s = up(x);
      return OPS.map((op) => b.reduce(op, s, outer, size, inner));
    });
    expectAllClose('sum', r.gpu[0], r.cpu[0]);
    expectAllClose('max', r.gpu[1], r.cpu[1], { rtol: 0 });
    expectAllClose('min', r.gpu[2], r.cpu[2], { rtol: 0 });
  });

  it('frees its scratch partials', async () => {
    const x = gpu.upload(randomF32(3 * 10000, 23));
    const first = gpu.reduce('sum', x, 3, 10000, 1); // warms the pool
    await gpu.read(first);
    gpu.free(first);
    gpu.flush();
    const before = gpu.counters().liveBuffers;
    const out = gpu.reduce('max', x, 3, 10000, 1);
    expect(gpu.counters().liveBuffers).toBe(before + 1); // only the output stays live
    await gpu.read(out);
    gpu.free(out);
    gpu.free(x);
  });

  it('max and min propagate NaN like the oracle', async () => {
    const x = randomF32(4 * 300, 24);
    x[5] = NaN; // row 0 (row kernel)
    x[300 + 299] = NaN; // row 1, last element
    const r = await runBoth(gpu, (b, up) => {
      const s = up(x);
      return [b.reduce('max', s, 4, 300, 1), b.reduce('min', s, 4, 300, 1), b.reduce('max', s, 4, 3, 100)];
    });
    for (let k = 0; k < 3; k++) {
      const g = Array.from(r.gpu[k]);
      const c = Array.from(r.cpu[k]);
      expect(g.map(Number.isNaN), `output ${k}`).toEqual(c.map(Number.isNaN));
      expect(g.filter((v) => !Number.isNaN(v))).toEqual(c.filter((v) => !Number.isNaN(v)));
    }
  });
});
