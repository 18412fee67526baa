import { describe, expect, it } from 'vitest';
import { CpuBackend } from './cpuBackend';
import { readF32 } from './testUtil';

describe('cpu stridedCopy', () => {
  const b = new CpuBackend();
  it('transposes a [2,3] matrix', async () => {
    const x = b.upload(Float32Array.of(1, 2, 3, 4, 5, 6));
    expect(await readF32(b, b.stridedCopy(x, 0, [1, 3], [3, 2]))).toEqual([1, 4, 2, 5, 3, 6]);
  });
  it('slices with an offset and broadcasts with stride 0', async () => {
    const x = b.upload(Float32Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8));
    // rows 1..2, columns 1..2 of a [3,3]
    expect(await readF32(b, b.stridedCopy(x, 4, [3, 1], [2, 2]))).toEqual([4, 5, 7, 8]);
    // element 2 repeated into [2,3]
    expect(await readF32(b, b.stridedCopy(x, 2, [0, 0], [2, 3]))).toEqual([2, 2, 2, 2, 2, 2]);
    // reversed with a negative stride
    expect(await readF32(b, b.stridedCopy(x, 8, [-1], [3]))).toEqual([8, 7, 6]);
  });
  it('rank 6 permutation matches index arithmetic', async () => {
    const shape = [2, 1, 3, 2, 1, 17];
    const n = shape.reduce((p, d) => p * d, 1);
    const data = Float32Array.from({ length: n }, (_, i) => i);
    const x = b.upload(data);
    // View x (contiguous in shape) with axes 0 and 5 swapped: out shape [17,1,3,2,1,2].
    const cont = [102, 102, 34, 17, 17, 1];
    const outShape = [17, 1, 3, 2, 1, 2];
    const strides = [cont[5], cont[1], cont[2], cont[3], cont[4], cont[0]];
    const out = await readF32(b, b.stridedCopy(x, 0, strides, outShape));
    let k = 0;
    for (let i5 = 0; i5 < 17; i5++)
      for (let i2 = 0; i2 < 3; i2++)
        for (let i3 = 0; i3 < 2; i3++)
          for (let i0 = 0; i0 < 2; i0++) expect(out[k++]).toBe(i0 * 102 + i2 * 34 + i3 * 17 + i5);
  });
  it('keeps i32 as i32', async () => {
    const ids = b.upload(Int32Array.of(5, 6, 7, 8));
    const out = b.stridedCopy(ids, 1, [2], [2]);
    expect(out.dtype).toBe('i32');
    expect(await b.read(out)).toEqual(Int32Array.of(6, 8));
  });
  it('handles empty shapes and rank 0', async () => {
    const x = b.upload(Float32Array.of(9, 8));
    expect((await b.read(b.stridedCopy(x, 0, [1, 1], [0, 5]))).length).toBe(0);
    expect(await readF32(b, b.stridedCopy(x, 1, [], []))).toEqual([8]);
  });
  it('throws when the view reaches outside the storage', () => {
    const x = b.upload(new Float32Array(6));
    expect(() => b.stridedCopy(x, 1, [3, 1], [2, 3])).toThrow(/outside/);
    expect(() => b.stridedCopy(x, 0, [-1], [2])).toThrow(/outside/);
    expect(() => b.stridedCopy(x, 0, [1], [2, 3])).toThrow(/rank/);
  });
});

describe('cpu copyInto', () => {
  const b = new CpuBackend();
  it('writes a [2,2] block into column 1..2 of a [3,3] in place', async () => {
    const dst = b.zeros(9, 'f32');
    b.copyInto(dst, 1, [3, 1], b.upload(Float32Array.of(1, 2, 3, 4)), [2, 2]);
    expect(await readF32(b, dst)).toEqual([0, 1, 2, 0, 3, 4, 0, 0, 0]);
  });
  it('writes transposed, for i32 too (KV-cache style append)', async () => {
    const dst = b.fill(6, -1, 'i32');
    b.copyInto(dst, 0, [1, 2], b.upload(Int32Array.of(1, 2, 3, 4, 5, 6)), [2, 3]);
    expect(await b.read(dst)).toEqual(Int32Array.of(1, 4, 2, 5, 3, 6));
  });
  it('counts as a dispatch and allocates nothing', () => {
    const dst = b.zeros(4, 'f32');
    const src = b.upload(Float32Array.of(1, 2));
    b.resetCounters();
    const before = b.counters();
    b.copyInto(dst, 2, [1], src, [2]);
    const after = b.counters();
    expect(after.dispatches).toBe(1);
    expect(after.liveBuffers).toBe(before.liveBuffers);
  });
  it('rejects mismatched dtypes, sizes and out-of-range views', () => {
    const dst = b.zeros(4, 'f32');
    expect(() => b.copyInto(dst, 0, [1], b.upload(Int32Array.of(1, 2)), [2])).toThrow(/i32|f32/);
    expect(() => b.copyInto(dst, 0, [1], b.upload(Float32Array.of(1, 2, 3)), [2])).toThrow(/elements/);
    expect(() => b.copyInto(dst, 3, [1], b.upload(Float32Array.of(1, 2)), [2])).toThrow(/outside/);
  });
});
