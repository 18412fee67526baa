// WebGPU strided copies against the CPU oracle. Copies move bits, so every comparison is exact
// (rtol 0), for f32 and i32 alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../../backend';
import { WebGpuBackend } from '../webgpuBackend';
import { coalesce, layoutQuadPlan } from './layout';
import { expectAllClose, randomF32, randomI32, runBoth } from './kernelTestUtil';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

const exact = { rtol: 0, atol: 0 };

interface View {
  label: string;
  size: number; // elements of the strided storage
  offset: number;
  strides: number[];
  shape: number[];
}

const VIEWS: View[] = [
  ...[1, 3, 17, 65, 130].map((n) => ({ label: `contiguous [${n}]`, size: n, offset: 0, strides: [1], shape: [n] })),
  { label: 'transpose 17x65', size: 17 * 65, offset: 0, strides: [1, 65], shape: [65, 17] },
  { label: 'slice rows 5..69, cols 2..15 of 130x17', size: 130 * 17, offset: 5 * 17 + 2, strides: [17, 1], shape: [65, 14] },
  { label: 'every third element', size: 130, offset: 1, strides: [3], shape: [43] },
  { label: 'reversed', size: 65, offset: 64, strides: [-1], shape: [65] },
  { label: 'reversed rows of 17x3', size: 51, offset: 48, strides: [-3, 1], shape: [17, 3] },
  { label: 'broadcast row (0 stride)', size: 17, offset: 0, strides: [0, 1], shape: [3, 17] },
  { label: 'broadcast column (0 stride)', size: 65, offset: 0, strides: [1, 0], shape: [65, 3] },
  { label: 'size-1 axes', size: 34, offset: 0, strides: [99, 17, 7, 1], shape: [1, 2, 1, 17] },
  { label: 'rank 6 permutation', size: 720, offset: 0, strides: [1, 2, 6, 24, 120, 360], shape: [2, 3, 4, 5, 3, 2] },
  { label: 'rank 6 slice', size: 4 * 5 * 6 * 3 * 4 * 2, offset: 1, strides: [720, 144, 24, 8, 2, 1], shape: [3, 4, 5, 2, 3, 1] },
  { label: 'scalar (rank 0)', size: 9, offset: 5, strides: [], shape: [] },
  // Innermost length a multiple of 4: the quad kernels (layoutQuadPlan says which; see its test).
  ...[4, 64, 1000].map((n) => ({ label: `quads: contiguous [${n}]`, size: n + 8, offset: 4, strides: [1], shape: [n] })),
  { label: 'quads: head split [2,5,3,8] -> [2,3,5,8]', size: 240, offset: 0, strides: [120, 8, 24, 1], shape: [2, 3, 5, 8] },
  { label: 'quads: head merge [2,3,5,8] -> [2,5,3,8]', size: 240, offset: 0, strides: [120, 8, 40, 1], shape: [2, 5, 3, 8] },
  { label: 'quads: reversed rows of 3x8', size: 24, offset: 16, strides: [-8, 1], shape: [3, 8] },
  { label: 'quads: rank 6 slice', size: 2 * 3 * 4 * 3 * 2 * 12, offset: 8, strides: [864, 288, 72, 24, 12, 1], shape: [1, 3, 3, 2, 2, 8] },
  { label: 'quads, misaligned offset: slice cols 1..9 of 6x10', size: 60, offset: 11, strides: [10, 1], shape: [5, 8] },
  { label: 'quads, misaligned stride: 4x4 rows 6 apart', size: 24, offset: 0, strides: [6, 1], shape: [4, 4] },
  { label: 'quads, gathered: transpose 12x8', size: 96, offset: 0, strides: [1, 12], shape: [12, 8] },
  { label: 'quads, gathered: reversed [12]', size: 12, offset: 11, strides: [-1], shape: [12] },
  { label: 'quads, gathered: 3x4 walked backwards on both axes', size: 15, offset: 14, strides: [-5, -1], shape: [3, 4] },
  { label: 'quads, gathered: broadcast column (0 stride)', size: 5, offset: 0, strides: [1, 0], shape: [5, 8] },
  { label: 'quads, gathered: broadcast everything', size: 3, offset: 2, strides: [0, 0], shape: [3, 4] },
  { label: 'empty', size: 9, offset: 0, strides: [1, 1], shape: [0, 3] },
];

function count(shape: number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

describe('coalesce', () => {
  it('merges contiguous axes and drops size-1 ones', () => {
    expect(coalesce([2, 3, 4], [[12, 4, 1]])).toEqual({ shape: [24], strides: [[1]] });
    expect(coalesce([65, 17], [[1, 65]])).toEqual({ shape: [65, 17], strides: [[1, 65]] });
    expect(coalesce([130, 17], [[17, 1], [0, 1]])).toEqual({ shape: [130, 17], strides: [[17, 1], [0, 1]] });
    expect(coalesce([1, 2, 1, 17], [[99, 17, 7, 1]])).toEqual({ shape: [34], strides: [[1]] });
    expect(coalesce([3, 4], [[0, 0]])).toEqual({ shape: [12], strides: [[0]] });
    expect(coalesce([], [[]])).toEqual({ shape: [1], strides: [[0]] });
  });
});

describe('layoutQuadPlan', () => {
  it('takes whole vec4s when aligned, gathers otherwise, and leaves odd lengths to the scalar kernels', () => {
    const split = { vec: true, inner: 1, strides: [960, 16, 64, 4] };
    expect(layoutQuadPlan('stridedCopy', [128, 4, 15, 16], [960, 16, 64, 1], 0)).toEqual(split);
    expect(layoutQuadPlan('copyInto', [128, 4, 15, 16], [960, 16, 64, 1], 0)).toEqual(split);
    expect(layoutQuadPlan('stridedCopy', [5, 8], [-8, 1], 16)).toEqual({ vec: true, inner: 1, strides: [-8, 4] });
    // misaligned offset or stride, a transpose, a broadcast: gathered, and never scattered
    for (const [shape, strides, offset] of [
      [[5, 8], [10, 1], 11],
      [[4, 4], [6, 1], 0],
      [[12, 8], [1, 12], 0],
      [[5, 8], [1, 0], 0],
    ] as [number[], number[], number][]) {
      const inner = strides[strides.length - 1];
      expect(layoutQuadPlan('stridedCopy', shape, strides, offset)).toEqual({ vec: false, inner, strides: [strides[0], inner * 4] });
      expect(layoutQuadPlan('copyInto', shape, strides, offset)).toBeNull();
    }
    expect(layoutQuadPlan('stridedCopy', [65, 17], [1, 65], 0)).toBeNull();
    expect(layoutQuadPlan('stridedCopy', [6], [1], 0)).toBeNull();
  });
});

describe('stridedCopy', () => {
  for (const v of VIEWS) {
    it(v.label, async () => {
      const xf = randomF32(v.size, v.size);
      const xi = randomI32(v.size, v.size + 1, -2147483648, 2147483647);
      const r = await runBoth(gpu, (b, up) => [b.stridedCopy(up(xf), v.offset, v.strides, v.shape), b.stridedCopy(up(xi), v.offset, v.strides, v.shape)]);
      expect(r.gpu[0]).toBeInstanceOf(Float32Array);
      expect(r.gpu[1]).toBeInstanceOf(Int32Array);
      expect(r.gpu[0].length).toBe(count(v.shape));
      expectAllClose(`${v.label} f32`, r.gpu[0], r.cpu[0], exact);
      expect(Array.from(r.gpu[1]), `${v.label} i32`).toEqual(Array.from(r.cpu[1]));
    });
  }

  it('one case over 65535 × 256 elements (a transpose, scalar kernel: 2-D grid)', async () => {
    const rows = 4099; // odd innermost length: one thread per element
    const cols = 4097;
    const x = randomI32(rows * cols, 3, -1e9, 1e9);
    const r = await runBoth(gpu, (b, up) => [b.stridedCopy(up(x), 0, [1, cols], [cols, rows])]);
    const g = r.gpu[0];
    const c = r.cpu[0];
    let mismatches = 0;
    for (let i = 0; i < c.length; i++) if (g[i] !== c[i]) mismatches++;
    expect(mismatches).toBe(0);
    expect(g[g.length - 1]).toBe(x[x.length - 1]);
  });

  it('refuses a view that reaches outside the storage', () => {
    const x = gpu.upload(new Float32Array(10));
    expect(() => gpu.stridedCopy(x, 1, [1], [10])).toThrow(/outside a storage/);
    expect(() => gpu.stridedCopy(x, 0, [-1], [2])).toThrow(/outside a storage/);
    expect(() => gpu.stridedCopy(x, 0, [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1])).toThrow(/rank 7/);
    gpu.free(x);
  });
});

describe('copyInto', () => {
  // Views without overlapping destinations (a 0 stride would write one element several times).
  const TARGETS = VIEWS.filter((v) => !v.strides.includes(0) && !v.label.startsWith('empty'));

  for (const v of TARGETS) {
    it(v.label, async () => {
      const n = count(v.shape);
      const dstF = randomF32(v.size, v.size + 2);
      const srcF = randomF32(n, n + 3);
      const dstI = randomI32(v.size, v.size + 4, -2147483648, 2147483647);
      const srcI = randomI32(n, n + 5, -2147483648, 2147483647);
      // copyInto works in place: read each destination back through a full contiguous copy.
      const whole = (b: { stridedCopy(x: Storage, o: number, s: number[], sh: number[]): Storage }, s: Storage) =>
        b.stridedCopy(s, 0, [1], [v.size]);
      const r = await runBoth(gpu, (b, up) => {
        const df = up(dstF);
        const di = up(dstI);
        b.copyInto(df, v.offset, v.strides, up(srcF), v.shape);
        b.copyInto(di, v.offset, v.strides, up(srcI), v.shape);
        return [whole(b, df), whole(b, di)];
      });
      expectAllClose(`${v.label} f32`, r.gpu[0], r.cpu[0], exact);
      expect(Array.from(r.gpu[1]), `${v.label} i32`).toEqual(Array.from(r.cpu[1]));
    });
  }

  it('a transpose then its inverse round-trips', async () => {
    const x = randomF32(17 * 65, 8);
    const t = gpu.stridedCopy(gpu.upload(x), 0, [1, 65], [65, 17]);
    const back = gpu.zeros(17 * 65, 'f32');
    gpu.copyInto(back, 0, [1, 65], t, [65, 17]);
    expect(Array.from(await gpu.read(back))).toEqual(Array.from(x));
  });

  it('refuses mismatched dtypes, sizes and aliasing', () => {
    const f = gpu.upload(new Float32Array(6));
    const i = gpu.upload(new Int32Array(6));
    expect(() => gpu.copyInto(f, 0, [1], i, [6])).toThrow(/i32/);
    expect(() => gpu.copyInto(f, 0, [1], f, [3])).toThrow(/src has 6/);
    expect(() => gpu.copyInto(f, 0, [1], f, [6])).toThrow(/same storage/);
    gpu.free(f);
    gpu.free(i);
  });
});
