// WebGPU elementwise kernels against the CPU oracle (f64 maths rounded to f32) on awkward sizes.
//
// Tolerances: rtol 1e-4 everywhere; absolute floors only where stated:
// - every unary op, atol 1e-37: WGSL may flush subnormal results (e.g. sigmoid(-100) ~ 4e-44) to 0.
// - gelu, atol 1e-12: for x < -6 the oracle's own 0.5x(1 + tanh u) cancels in f64 (1 + tanh u < 1e-11),
//   so below 1e-12 it is the oracle that is off; the kernel evaluates x * sigmoid(2u) without cancellation.
// - gelu gradient, atol 1e-6 (|dy| <= 1, f' in [-0.17, 1.13]): f' has a root near x = -0.75 where its two
//   O(0.2) terms cancel, so f32 rounding is absolute there.
// - affine, atol 1e-6 × (|x·scale| + |shift|): x·scale + shift cancels when the terms nearly cancel.
// Everything else (binary ops, clamp, where, relu/abs/neg/square) is correctly rounded or exact, and
// exp/log/tanh/sigmoid/sqrt stay within a few ulp (measured max relative error is logged).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinaryOp, UnaryGradOp, UnaryOp } from '../../../backend';
import { CpuBackend } from '../../cpu/cpuBackend';
import { WebGpuBackend } from '../webgpuBackend';
import { binaryQuadPlan } from './elementwise';
import { expectAllClose, maxAbs, randomF32, runBoth, seededRandom } from './kernelTestUtil';

let gpu: WebGpuBackend;
const cpu = new CpuBackend();
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

// The maps run 4 elements per thread: whole quads (4, 1000) and ragged last quads (the rest).
const SIZES = [1, 3, 4, 5, 17, 65, 130, 1000];

/** Largest |gpu - cpu| / |cpu| over entries with |cpu| above `floor` (where a relative error means something). */
function maxRelAbove(gpuValues: ArrayLike<number>, cpuValues: ArrayLike<number>, floor: number): number {
  let worst = 0;
  for (let i = 0; i < cpuValues.length; i++) {
    const e = cpuValues[i];
    if (Number.isFinite(e) && Math.abs(e) > floor) worst = Math.max(worst, Math.abs(gpuValues[i] - e) / Math.abs(e));
  }
  return worst;
}

/** Random inputs in the op's domain, plus the edge values the kernels treat specially. */
function inputsFor(op: UnaryOp, n: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const pick = rnd();
    switch (op) {
      case 'log': // log-uniform over [1e-3, 150], a third of them within 0.3 of 1 (the series branch)
        x[i] = pick < 0.33 ? 1 + rnd(-0.3, 0.3) ** 3 : Math.exp(rnd(-7, 5));
        break;
      case 'sqrt':
        x[i] = pick < 0.05 ? 0 : rnd(0, 100);
        break;
      case 'exp':
        x[i] = rnd(-20, 20);
        break;
      case 'gelu':
        x[i] = pick < 0.5 ? rnd(-6, 6) : rnd(-1, 1);
        break;
      case 'tanh':
      case 'sigmoid': // both branches of each: |x| < 0.4 and beyond
        x[i] = pick < 0.4 ? rnd(-0.5, 0.5) : rnd(-30, 30);
        break;
      default:
        x[i] = pick < 0.05 ? 0 : rnd(-10, 10);
    }
  }
  return x;
}

/** Values that overflow naive formulas (tanh via e^2x, sigmoid via e^-x) or need care. */
const EXTREMES: Partial<Record<UnaryOp, number[]>> = {
  tanh: [0, -0, 1e-30, -1e-7, 0.39999, 0.4, 0.40001, 44, -45, 89, -100, 1e4, -1e30],
  sigmoid: [0, 88, -88, 100, -100, 1e4, -1e4, 1e30],
  gelu: [0, 1e-20, -1e-20, 0.75, -0.75, 7, 10, 50, 1e4, -8, -10, -30, -1e4, -1e20, 1e20],
  exp: [0, 1e-8, 50, 88, 89, 100, -87, -103, -200],
  log: [1, 1.0000001, 0.9999999, 0.75, 0.7500001, 1.25, 1.2499999, 1e-30, 1e30, 3e38],
  sqrt: [0, 1e-30, 1, 2, 3e38],
};

const UNARY_OPS: UnaryOp[] = ['neg', 'exp', 'log', 'tanh', 'gelu', 'sqrt', 'square', 'relu', 'abs', 'sigmoid'];
const GRAD_OPS: UnaryGradOp[] = ['exp', 'log', 'tanh', 'gelu', 'sqrt', 'relu', 'abs', 'sigmoid'];

describe('unary', () => {
  for (const op of UNARY_OPS) {
    it(`${op} on sizes ${SIZES.join(', ')} and edge values`, async () => {
      const atol = op === 'gelu' ? 1e-12 : 1e-37;
      let worst = 0;
      for (const n of SIZES) {
        const x = inputsFor(op, n, n * 31 + op.length);
        const r = await runBoth(gpu, (b, up) => [b.unary(op, up(x))]);
        expectAllClose(`${op}[${n}]`, r.gpu[0], r.cpu[0], { atol });
        worst = Math.max(worst, maxRelAbove(r.gpu[0], r.cpu[0], atol));
      }
      const edges = Float32Array.from(EXTREMES[op] ?? [0, -0, 1, -1, 1e30, -1e30]);
      const r = await runBoth(gpu, (b, up) => [b.unary(op, up(edges))]);
      expectAllClose(`${op} edges`, r.gpu[0], r.cpu[0], { atol });
      worst = Math.max(worst, maxRelAbove(r.gpu[0], r.cpu[0], atol));
      console.log(`unary ${op}: max relative error ${worst.toExponential(2)} where |value| > ${atol}`);
    });
  }

  // With 4 elements per thread, the map kernels reach the 2-D grid only past 65535 × 256 quads
  // (268M elements, too large for a test); binary's and layout's scalar kernels test that grid.
  it('one large case (65535 × 256 + 1233 elements: a ragged last quad)', async () => {
    const n = 65535 * 256 + 1233;
    const x = randomF32(n, 5, -8, 8);
    const r = await runBoth(gpu, (b, up) => [b.unary('sigmoid', up(x))]);
    expectAllClose('sigmoid large', r.gpu[0], r.cpu[0], { atol: 1e-37 });
    expect(r.gpu[0][n - 1]).toBeCloseTo(1 / (1 + Math.exp(-x[n - 1])), 6);
  });
});

describe('unaryGrad', () => {
  for (const op of GRAD_OPS) {
    it(`${op}`, async () => {
      let worst = 0;
      for (const n of SIZES) {
        let x = inputsFor(op as UnaryOp, n, n * 7 + 3);
        // The gradient of sqrt/log is infinite at 0: keep x > 0 there. relu/abs get exact zeros (subgradient 0).
        if (op === 'sqrt' || op === 'log') x = x.map((v) => Math.max(v, 1e-3));
        if (op === 'exp') x = x.map((v) => v / 2);
        const dy = randomF32(n, n + 99, -1, 1);
        const y = (await cpu.read(cpu.unary(op as UnaryOp, cpu.upload(x)))) as Float32Array; // y = f(x) from the oracle
        const r = await runBoth(gpu, (b, up) => [b.unaryGrad(op, up(x), up(y), up(dy))]);
        const atol = op === 'gelu' ? 1e-6 : 1e-37;
        expectAllClose(`${op}'[${n}]`, r.gpu[0], r.cpu[0], { atol });
        worst = Math.max(worst, maxRelAbove(r.gpu[0], r.cpu[0], op === 'gelu' ? 1e-3 : atol));
      }
      console.log(`unaryGrad ${op}: max relative error ${worst.toExponential(2)} (gelu: where |value| > 1e-3)`);
    });
  }
});

describe('affine, clamp, clampGrad, where', () => {
  it('affine', async () => {
    for (const n of SIZES) {
      const x = randomF32(n, n, -3, 3);
      for (const [scale, shift] of [
        [1.7, -0.3],
        [-2, 0],
        [0, 5],
        [1e-3, 1e3],
      ]) {
        const r = await runBoth(gpu, (b, up) => [b.affine(up(x), scale, shift)]);
        const atol = 1e-6 * (maxAbs(x) * Math.abs(scale) + Math.abs(shift));
        expectAllClose(`affine ${scale} ${shift} [${n}]`, r.gpu[0], r.cpu[0], { atol });
      }
    }
  });

  it('clamp and clampGrad, inclusive at the bounds', async () => {
    for (const n of SIZES) {
      const x = randomF32(n, n + 1, -2, 2);
      x[0] = -0.5; // exactly at the bounds: the gradient passes
      if (n > 1) x[1] = 0.75;
      const dy = randomF32(n, n + 2, -1, 1);
      for (const [lo, hi] of [
        [-0.5, 0.75],
        [-Infinity, 0.25],
        [0, Infinity],
      ]) {
        const r = await runBoth(gpu, (b, up) => [b.clamp(up(x), lo, hi), b.clampGrad(up(x), up(dy), lo, hi)]);
        expectAllClose(`clamp [${n}] ${lo}..${hi}`, r.gpu[0], r.cpu[0], { rtol: 0 });
        expectAllClose(`clampGrad [${n}] ${lo}..${hi}`, r.gpu[1], r.cpu[1], { rtol: 0 });
      }
    }
  });

  it('where', async () => {
    for (const n of SIZES) {
      const cond = randomF32(n, n + 3, 0, 1).map((v) => (v < 0.5 ? 0 : 1));
      cond[0] = -0; // picks b
      if (n > 2) cond[2] = NaN; // NaN != 0: picks a
      const a = randomF32(n, n + 4);
      const b2 = randomF32(n, n + 5);
      const r = await runBoth(gpu, (b, up) => [b.where(up(cond), up(a), up(b2))]);
      expectAllClose(`where [${n}]`, r.gpu[0], r.cpu[0], { rtol: 0 });
    }
  });

  it('refuses mismatched sizes', () => {
    const a = gpu.upload(new Float32Array(3));
    const b = gpu.upload(new Float32Array(4));
    expect(() => gpu.where(a, a, b)).toThrow(/sizes differ/);
    gpu.free(a);
    gpu.free(b);
  });
});

describe('binary (broadcasting)', () => {
  const OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'max', 'min'];

  /** Contiguous strides of a shape. */
  function contiguous(shape: number[]): number[] {
    const s = new Array<number>(shape.length);
    let acc = 1;
    for (let k = shape.length - 1; k >= 0; k--) {
      s[k] = acc;
      acc *= shape[k];
    }
    return s;
  }
  /** Strides of a shape broadcast to outShape (right-aligned, 0 where the size is 1). */
  function broadcastStrides(shape: number[], outShape: number[]): number[] {
    const own = contiguous(shape);
    return outShape.map((_, k) => {
      const j = k - (outShape.length - shape.length);
      return j < 0 || shape[j] === 1 ? 0 : own[j];
    });
  }

  interface Case {
    label: string;
    out: number[];
    aSize: number;
    aStrides: number[];
    bSize: number;
    bStrides: number[];
  }
  const bc = (label: string, aShape: number[], bShape: number[], out: number[]): Case => ({
    label,
    out,
    aSize: aShape.reduce((p, d) => p * d, 1),
    aStrides: broadcastStrides(aShape, out),
    bSize: bShape.reduce((p, d) => p * d, 1),
    bStrides: broadcastStrides(bShape, out),
  });
  const CASES: Case[] = [
    ...[1, 3, 17, 65, 130].map((n) => bc(`same shape [${n}]`, [n], [n], [n])),
    bc('scalar b', [3, 65], [1], [3, 65]),
    bc('scalar a', [1], [17, 3], [17, 3]),
    bc('row broadcast', [130, 17], [17], [130, 17]),
    bc('column broadcast', [65, 3], [65, 1], [65, 3]),
    bc('outer product', [5, 1, 7], [1, 6, 1], [5, 6, 7]),
    bc('rank 6', [2, 3, 1, 4, 5, 3], [2, 1, 5, 1], [2, 3, 2, 4, 5, 3]),
    bc('rank 0', [], [], []),
    { label: 'transposed a', out: [17, 65], aSize: 17 * 65, aStrides: [1, 17], bSize: 65, bStrides: [0, 1] },
    { label: 'rank 6 permuted a', out: [2, 3, 2, 2, 3, 2], aSize: 144, aStrides: [1, 2, 6, 12, 24, 72], bSize: 144, bStrides: contiguous([2, 3, 2, 2, 3, 2]) },
    // Innermost length a multiple of 4: main4, each operand read as VEC / SPLAT / GATHER (binaryQuadPlan).
    ...[4, 8, 1000].map((n) => bc(`quads: same shape [${n}]`, [n], [n], [n])),
    bc('quads: bias (row broadcast)', [13, 8], [8], [13, 8]),
    bc('quads: scalar b', [3, 64], [1], [3, 64]),
    bc('quads: scalar a', [1], [5, 4], [5, 4]),
    bc('quads: column broadcast', [5, 8], [5, 1], [5, 8]),
    bc('quads: outer product', [6, 1], [1, 8], [6, 8]),
    bc('quads: rank 6', [2, 3, 1, 3, 5, 4], [2, 1, 5, 4], [2, 3, 2, 3, 5, 4]),
    { label: 'quads: transposed a (gathered)', out: [8, 12], aSize: 96, aStrides: [1, 8], bSize: 12, bStrides: [0, 1] },
    { label: 'quads: misaligned rows of a (cols 0..7 of 5x10)', out: [5, 8], aSize: 50, aStrides: [10, 1], bSize: 40, bStrides: [8, 1] },
    { label: 'quads: both gathered', out: [4, 4], aSize: 16, aStrides: [1, 4], bSize: 24, bStrides: [1, 6] },
  ];

  for (const op of OPS) {
    it(op, async () => {
      for (const [i, c] of CASES.entries()) {
        const a = randomF32(c.aSize, i * 2 + 1, -4, 4);
        // Divisors kept away from 0: |b| in [0.25, 4].
        const b = randomF32(c.bSize, i * 2 + 2, -4, 4).map((v) => (op === 'div' ? Math.sign(v || 1) * Math.max(Math.abs(v), 0.25) : v));
        const r = await runBoth(gpu, (be, up) => [be.binary(op, up(a), c.aStrides, up(b), c.bStrides, c.out)]);
        expectAllClose(`${op} ${c.label}`, r.gpu[0], r.cpu[0]);
      }
    });
  }

  it('max and min propagate NaN like Math.max/Math.min (scalar and quad kernels)', async () => {
    const a = Float32Array.from([NaN, 1, NaN, -2, 3, 2, -5, Infinity]);
    const b = Float32Array.from([1, NaN, NaN, -3, 3, 5, -2, -Infinity]);
    const nan = Float32Array.from([NaN]);
    for (const op of ['max', 'min'] as BinaryOp[]) {
      const r = await runBoth(gpu, (be, up) => [
        be.binary(op, up(a), [1], up(b), [1], [5]), // odd length: main
        be.binary(op, up(a), [1], up(b), [1], [8]), // main4, VEC operands
        be.binary(op, up(a), [1], up(nan), [0], [8]), // main4, a SPLAT NaN
        be.binary(op, up(nan), [0], up(b), [1], [8]),
      ]);
      r.gpu.forEach((g, i) => expect(Array.from(g), `${op} ${i}`).toEqual(Array.from(r.cpu[i])));
    }
  });

  it('binaryQuadPlan: VEC, SPLAT or GATHER per operand when the innermost length splits into quads', () => {
    expect(binaryQuadPlan([1920, 256], [[256, 1], [0, 1]])).toEqual({ modes: [0, 0], inner: [1, 1], strides: [[256, 4], [0, 4]] });
    expect(binaryQuadPlan([1920, 64], [[64, 1], [1, 0]])).toEqual({ modes: [0, 1], inner: [1, 0], strides: [[64, 4], [1, 0]] });
    expect(binaryQuadPlan([8, 12], [[1, 8], [0, 1]])?.modes).toEqual([2, 0]);
    expect(binaryQuadPlan([5, 8], [[10, 1], [8, 1]])?.modes).toEqual([2, 0]); // rows 10 apart: not aligned vec4s
    expect(binaryQuadPlan([130, 17], [[17, 1], [0, 1]])).toBeNull();
  });

  it('one case over 65535 × 256 elements (row broadcast, odd row length: scalar kernel, 2-D grid)', async () => {
    const rows = 4100;
    const cols = 4097; // 16.8M outputs
    const a = randomF32(rows * cols, 11);
    const b = randomF32(cols, 12);
    const r = await runBoth(gpu, (be, up) => [be.binary('mul', up(a), [cols, 1], up(b), [0, 1], [rows, cols])]);
    expectAllClose('mul large', r.gpu[0], r.cpu[0]);
  });

  it('refuses strides that reach outside an operand', () => {
    const a = gpu.upload(new Float32Array(6));
    expect(() => gpu.binary('add', a, [4, 1], a, [3, 1], [2, 3])).toThrow(/outside a storage/);
    gpu.free(a);
  });
});
