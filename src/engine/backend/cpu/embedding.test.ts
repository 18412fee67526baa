import { describe, expect, it } from 'vitest';
import { CpuBackend } from './cpuBackend';
import { readF32 } from './testUtil';

describe('cpu gather / scatterAdd', () => {
  const b = new CpuBackend();
  const table = b.upload(Float32Array.of(0, 1, 10, 11, 20, 21)); // 3 rows x 2 cols

  it('gathers rows, repeated ids included; out-of-range ids give zeros', async () => {
    const ids = b.upload(Int32Array.of(2, 0, 2, -1, 3));
    expect(await readF32(b, b.gather(table, ids, 5, 2))).toEqual([20, 21, 0, 1, 20, 21, 0, 0, 0, 0]);
  });

  it('count may be smaller than the ids storage', async () => {
    expect(await readF32(b, b.gather(table, b.upload(Int32Array.of(1, 2)), 1, 2))).toEqual([10, 11]);
  });

  it('scatterAdd sums the rows of repeated ids and ignores out-of-range ids', async () => {
    const ids = b.upload(Int32Array.of(2, 0, 2, -1, 7));
    const dy = b.upload(Float32Array.of(1, 2, 3, 4, 5, 6, 100, 100, 100, 100));
    expect(await readF32(b, b.scatterAdd(dy, ids, 5, 4, 2))).toEqual([3, 4, 0, 0, 6, 8, 0, 0]);
  });

  it('scatterAdd is the adjoint of gather: <gather(T), dy> = <T, scatterAdd(dy)>', async () => {
    const ids = b.upload(Int32Array.of(1, 1, 0, 2));
    const dyData = Float32Array.of(0.5, -1, 2, 3, -4, 1, 0.25, 7);
    const g = await readF32(b, b.gather(table, ids, 4, 2));
    const s = await readF32(b, b.scatterAdd(b.upload(dyData), ids, 4, 3, 2));
    const t = await readF32(b, table);
    const lhs = g.reduce((p, v, i) => p + v * dyData[i], 0);
    const rhs = t.reduce((p, v, i) => p + v * s[i], 0);
    expect(lhs).toBeCloseTo(rhs, 5);
  });

  it('requires i32 ids', () => {
    expect(() => b.gather(table, b.upload(Float32Array.of(0)), 1, 2)).toThrow(/i32/);
  });
});
