// The WebGPU matmul against the CPU backend (the oracle) on random inputs over awkward shapes.
//
// Error measure: max_i |gpu_i - cpu_i| / max_i |cpu_i| per case, which must be ≤ 1e-4. Relative to the
// largest expected magnitude rather than elementwise, because an output that is a near-cancelling sum
// has a tiny value but an absolute error set by the size of its terms; the CPU oracle accumulates in
// f64, the GPU in f32 (with a different summation order), so exact agreement is not expected.
//
// Every case runs on both kernels (the direct default and the tiled one). Shapes are small (SwiftShader
// does ~1 GFLOP/s) but cover every path: each tiling of the tiled kernel (4×256, 8×128, 32×32, 64×64)
// and each block of the direct one (1, 2, 4, 8 rows × 4 or 8 columns), scalar and vec4 entry points, all
// four transpose combinations, sizes that are not a multiple of any tile (1, 3, 17, 65, 130 ...),
// batches with either or both operands broadcast, padded batch strides, and a batch above the
// 65535-workgroup limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatmulParams, Storage } from '../../../backend';
import { CpuBackend } from '../../cpu/cpuBackend';
import { WebGpuBackend } from '../webgpuBackend';
import type { MatmulKernel } from './matmul';
import { chooseBlocking } from './matmulDirect';
import { matmulVariant } from './matmulShape';
import { chooseTiling } from './matmulTiled';
import { uniformArray } from '../../../random';

const TOLERANCE = 1e-4;

let gpu: WebGpuBackend;
const cpu = new CpuBackend();
beforeAll(async () => {
  gpu = await WebGpuBackend.create(); // a missing adapter fails here: never skipped
});
afterAll(() => gpu?.destroy());

/** Deterministic uniform numbers in [-1, 1) (mulberry32), so a failure reproduces. */
const randomArray = (size: number, seed: number) => uniformArray(size, seed);

interface Case {
  batch?: number;
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  /** 'full' = m*k (resp. k*n), 'broadcast' = 0, or an explicit stride. */
  aStride?: 'full' | 'broadcast' | number;
  bStride?: 'full' | 'broadcast' | number;
}

function paramsOf(c: Case): MatmulParams {
  const stride = (s: Case['aStride'], size: number) => (s === 'broadcast' ? 0 : s === undefined || s === 'full' ? size : s);
  return {
    batch: c.batch ?? 1,
    m: c.m,
    n: c.n,
    k: c.k,
    transA: c.transA ?? false,
    transB: c.transB ?? false,
    aBatchStride: stride(c.aStride, c.m * c.k),
    bBatchStride: stride(c.bStride, c.k * c.n),
  };
}

function label(p: MatmulParams): string {
  return `${p.batch}×[${p.m}×${p.k}${p.transA ? 'ᵀ' : ''}·${p.k}×${p.n}${p.transB ? 'ᵀ' : ''}] strides ${p.aBatchStride}/${p.bBatchStride}`;
}

/** Which kind of kernel variant a case runs (tile family, rows per thread, vec4), so the test can assert
 *  that every kind was exercised. */
function variantOf(p: MatmulParams, kernel: MatmulKernel): string {
  const v = matmulVariant(p);
  if (kernel === 'direct') {
    const d = chooseBlocking(p, v);
    return `block${d.rm}${v.vec4 ? '-vec4' : ''} (${d.rm}×${4 * d.cv})`;
  }
  const tiling = chooseTiling(p);
  const family = tiling.wgy <= 2 ? `rows${tiling.rm}` : tiling.wgy === 16 ? 'tile64' : 'tile32';
  return `${family}${v.vec4 ? '-vec4' : ''} (${tiling.rm * tiling.wgy}×${4 * tiling.wgx})`;
}

/** Runs one case on both backends; returns the error relative to max |expected|. */
async function relativeError(p: MatmulParams, seed: number): Promise<number> {
  const aSize = Math.max(1, (p.batch - 1) * p.aBatchStride + p.m * p.k);
  const bSize = Math.max(1, (p.batch - 1) * p.bBatchStride + p.k * p.n);
  const aData = randomArray(aSize, seed);
  const bData = randomArray(bSize, seed + 1);
  const expected = await runOn(cpu, aData, bData, p);
  const actual = await runOn(gpu, aData, bData, p);
  expect(actual.length, label(p)).toBe(expected.length);
  let maxAbs = 0;
  let maxErr = 0;
  for (let i = 0; i < expected.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= maxErr)) maxErr = err; // NaN propagates into the result
  }
  return maxErr / Math.max(maxAbs, 1e-30);
}

async function runOn(backend: CpuBackend | WebGpuBackend, aData: Float32Array, bData: Float32Array, p: MatmulParams) {
  const a: Storage = backend.upload(aData);
  const b: Storage = backend.upload(bData);
  const out = backend.matmul(a, b, p);
  const data = await backend.read(out);
  [a, b, out].forEach((s) => backend.free(s));
  return data;
}

const AWKWARD: [number, number, number][] = [
  [1, 1, 1],
  [1, 3, 17],
  [3, 17, 1],
  [2, 300, 5], // m ≤ 4 tiling, more columns than one 256-wide tile
  [4, 65, 130],
  [5, 130, 3], // m ≤ 8 tiling
  [8, 17, 65],
  [17, 65, 3],
  [65, 17, 130],
  [130, 65, 17],
  [33, 1, 65], // n = 1
  [130, 130, 65],
];

const ALIGNED: [number, number, number][] = [
  [1, 64, 16], // the KV-cache shape: one query row
  [2, 24, 8], // vec4 unless transA (then A's stored rows have length m = 2)
  [4, 260, 12],
  [8, 36, 20],
  [12, 8, 4],
  [20, 4, 12], // one vec4 of columns: the direct kernel's 4-column block
  [64, 64, 64],
  [68, 132, 20], // aligned to 4 but not to any tile
];

const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

const variantsSeen = new Set<string>();

async function check(c: Case, seed: number): Promise<void> {
  const p = paramsOf(c);
  const variant = `${gpu.matmulKernel} ${variantOf(p, gpu.matmulKernel)}`;
  variantsSeen.add(variant);
  const err = await relativeError(p, seed);
  expect(err, `${label(p)} (${variant})`).toBeLessThanOrEqual(TOLERANCE);
}

for (const kernel of ['direct', 'tiled'] as const) describe(`webgpu matmul (${kernel} kernel) vs the CPU backend`, () => {
  beforeAll(() => {
    gpu.matmulKernel = kernel;
  });
  for (const [transA, transB] of TRANSPOSES) {
    const tag = `${transA ? 'Aᵀ' : 'A'}·${transB ? 'Bᵀ' : 'B'}`;

    it(`${tag}: awkward shapes (scalar path)`, async () => {
      let seed = 1;
      for (const [m, n, k] of AWKWARD) await check({ m, n, k, transA, transB }, seed++);
    });

    it(`${tag}: shapes aligned to 4 (vec4 path)`, async () => {
      let seed = 100;
      for (const [m, n, k] of ALIGNED) {
        const p = paramsOf({ m, n, k, transA, transB });
        expect(matmulVariant(p).vec4, label(p)).toBe(!(transA && m > 1 && m % 4 !== 0));
        await check({ m, n, k, transA, transB }, seed++);
      }
    });

    it(`${tag}: batches, broadcast and padded strides`, async () => {
      let seed = 200;
      const cases: Case[] = [
        { batch: 3, m: 17, n: 5, k: 9 },
        { batch: 3, m: 17, n: 5, k: 9, aStride: 'broadcast' },
        { batch: 3, m: 17, n: 5, k: 9, bStride: 'broadcast' },
        { batch: 2, m: 3, n: 7, k: 5, aStride: 'broadcast', bStride: 'broadcast' },
        { batch: 4, m: 1, n: 37, k: 16, bStride: 16 * 37 + 1 }, // generation: one query per sequence, padded stride
        { batch: 3, m: 20, n: 12, k: 8, aStride: 20 * 8 + 4, bStride: 'broadcast' }, // vec4 with padding
        { batch: 6, m: 6, n: 16, k: 4, aStride: 'broadcast' },
        { batch: 8, m: 130, n: 130, k: 9, bStride: 'broadcast' }, // enough tiles for the 64×64 tiling
        { batch: 16, m: 128, n: 128, k: 20 }, // 64×64 tiling, vec4
        { batch: 2, m: 12, n: 8, k: 7 }, // Aᵀ·B stays vec4 with k % 4 ≠ 0: the direct kernel's one-k tail
        { m: 20, n: 12, k: 9 }, // the same with a partial 8-row block
      ];
      for (const c of cases) await check({ ...c, transA, transB }, seed++);
    });
  }

  it('splits a batch above the 65535-workgroup limit into several dispatches', async () => {
    const p = paramsOf({ batch: 65537, m: 1, n: 2, k: 3, bStride: 'broadcast' });
    gpu.resetCounters();
    const err = await relativeError(p, 7);
    expect(gpu.counters().dispatches).toBe(2);
    expect(err).toBeLessThanOrEqual(TOLERANCE);
  });

  it('handles empty shapes: k = 0 gives zeros, m = 0 an empty output', async () => {
    const a = gpu.upload(new Float32Array(4));
    const b = gpu.upload(new Float32Array(6));
    const zero = gpu.matmul(a, b, { batch: 2, m: 2, n: 3, k: 0, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });
    const empty = gpu.matmul(a, b, { batch: 2, m: 0, n: 3, k: 2, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });
    const [z, e] = await gpu.readMany([zero, empty]);
    expect(Array.from(z)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(e.length).toBe(0);
    [a, b, zero, empty].forEach((s) => gpu.free(s));
  });

  it('refuses operands too small for the shape', () => {
    const a = gpu.upload(new Float32Array(5));
    const b = gpu.upload(new Float32Array(6));
    expect(() =>
      gpu.matmul(a, b, { batch: 1, m: 2, n: 3, k: 3, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 }),
    ).toThrow(/A holds 5 elements/);
    [a, b].forEach((s) => gpu.free(s));
  });

  it('exercised every variant of the kernel with both entry points', () => {
    const seen = [...variantsSeen].filter((v) => v.startsWith(`${kernel} `));
    const families = new Set(seen.map((v) => v.split(' ')[1]));
    const expected = kernel === 'tiled' ? ['rows1', 'rows2', 'rows4', 'tile32', 'tile64'] : ['block1', 'block2', 'block4'];
    for (const f of expected) {
      expect(families, f).toContain(f);
      expect(families, `${f}-vec4`).toContain(`${f}-vec4`);
    }
    // the direct kernel's two block widths on the vec4 path: 4 and 8 columns
    if (kernel === 'direct') {
      expect(families, 'block8-vec4').toContain('block8-vec4'); // 8 rows: the vec4 path only
      for (const w of ['×4)', '×8)']) expect(seen.some((v) => v.includes('-vec4') && v.endsWith(w)), w).toBe(true);
    }
  });
});
