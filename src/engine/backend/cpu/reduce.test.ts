import { describe, expect, it } from 'vitest';
import { CpuBackend } from './cpuBackend';
import { expectClose, randomArray, readF32 } from './testUtil';

describe('cpu reduce', () => {
  const b = new CpuBackend();
  // x = [2, 3, 2]: [[[1,2],[3,4],[5,6]], [[-1,0],[7,-8],[2,2]]]
  const x = Float32Array.of(1, 2, 3, 4, 5, 6, -1, 0, 7, -8, 2, 2);

  it('reduces the middle axis of [outer, size, inner]', async () => {
    const s = b.upload(x);
    expect(await readF32(b, b.reduce('sum', s, 2, 3, 2))).toEqual([9, 12, 8, -6]);
    expect(await readF32(b, b.reduce('max', s, 2, 3, 2))).toEqual([5, 6, 7, 2]);
    expect(await readF32(b, b.reduce('min', s, 2, 3, 2))).toEqual([1, 2, -1, -8]);
  });
  it('inner = 1 (row reduction) and outer = 1 (column reduction)', async () => {
    const s = b.upload(x);
    expect(await readF32(b, b.reduce('sum', s, 4, 3, 1))).toEqual([6, 15, 6, -4]);
    expect(await readF32(b, b.reduce('sum', s, 1, 12, 1))).toEqual([23]);
    expect(await readF32(b, b.reduce('max', s, 1, 1, 12))).toEqual(Array.from(x));
  });
  it('17 x 3 sums agree with a direct f64 sum', async () => {
    const a = randomArray(17 * 3, 3);
    const out = await readF32(b, b.reduce('sum', b.upload(a), 1, 17, 3));
    const ref = [0, 1, 2].map((i) => Math.fround(Array.from({ length: 17 }, (_, s) => a[s * 3 + i]).reduce((p, v) => p + v, 0)));
    expect(out).toEqual(ref);
  });
  it('f64 accumulation: small values added to 1e4 are not lost', async () => {
    const n = 1 << 17;
    const a = new Float32Array(n).fill(1e-4);
    a[0] = 1e4; // an f32 accumulator would stop adding 1e-4 once the sum is 1e4
    const out = await readF32(b, b.reduce('sum', b.upload(a), 1, n, 1));
    expectClose(out, [1e4 + (n - 1) * Math.fround(1e-4)], 1e-7, 0);
  });
  it('empty axis gives the identity; NaN propagates through max', async () => {
    expect(await readF32(b, b.reduce('max', b.zeros(0, 'f32'), 2, 0, 1))).toEqual([-Infinity, -Infinity]);
    expect((await readF32(b, b.reduce('max', b.upload(Float32Array.of(1, NaN, 3)), 1, 3, 1)))[0]).toBeNaN();
  });
});

describe('cpu sumOfSquares', () => {
  const b = new CpuBackend();
  it('sums squares across several storages', async () => {
    const list = [b.upload(Float32Array.of(1, 2)), b.upload(Float32Array.of(3)), b.zeros(0, 'f32')];
    expect(await readF32(b, b.sumOfSquares(list))).toEqual([14]);
    expect(await readF32(b, b.sumOfSquares([]))).toEqual([0]);
  });
});
