import { describe, expect, it } from 'vitest';
import type { BinaryOp, UnaryGradOp } from '../../backend';
import { CpuBackend } from './cpuBackend';
import { expectClose, finiteDifference, peek, randomArray, readF32, weightedSum } from './testUtil';

const f = Math.fround;

// GELU has a WASM SIMD kernel besides the JavaScript reference: the unary tests run on both.
describe.each(['js', 'wasm'] as const)('cpu unary (%s kernels)', (kernels) => {
  const b = new CpuBackend({ kernels });
  const x = Float32Array.of(-2, -0.5, 0, 0.5, 3);

  it.each([
    ['neg', [2, 0.5, -0, -0.5, -3]],
    ['exp', [-2, -0.5, 0, 0.5, 3].map(Math.exp)],
    ['tanh', [-2, -0.5, 0, 0.5, 3].map(Math.tanh)],
    ['square', [4, 0.25, 0, 0.25, 9]],
    ['relu', [0, 0, 0, 0.5, 3]],
    ['abs', [2, 0.5, 0, 0.5, 3]],
    ['sigmoid', [-2, -0.5, 0, 0.5, 3].map((v) => 1 / (1 + Math.exp(-v)))],
  ] as const)('%s', async (op, expected) => {
    expectClose(await readF32(b, b.unary(op, b.upload(x))), expected.map(f), 1e-7, 0);
  });

  it('log and sqrt, including log 0 = -Infinity and sqrt of a negative = NaN', async () => {
    const v = b.upload(Float32Array.of(0, 1, 4, Math.E));
    expectClose(await readF32(b, b.unary('log', v)), [-Infinity, 0, Math.log(4), 1].map(f), 1e-7, 0);
    expectClose(await readF32(b, b.unary('sqrt', v)), [0, 1, 2, Math.sqrt(Math.E)].map(f), 1e-7, 0);
    expect((await readF32(b, b.unary('sqrt', b.upload(Float32Array.of(-1)))))[0]).toBeNaN();
  });

  it('gelu is the tanh approximation (GPT-2 / TF.js), hand-checked values', async () => {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), evaluated independently here.
    const ref = (v: number) => 0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v ** 3)));
    const y = await readF32(b, b.unary('gelu', b.upload(x)));
    expectClose(y, [-2, -0.5, 0, 0.5, 3].map(ref).map(f), 1e-7, 0);
    // Values that distinguish it from the erf GELU (x·Φ(x) gives 0.8413447 at 1 and -0.0455003 at -2).
    const at = await readF32(b, b.unary('gelu', b.upload(Float32Array.of(1, -2))));
    expectClose(at, [0.8411920070648193, -0.04540230705547333], 1e-6, 0);
  });

  it('sigmoid does not overflow at ±100', async () => {
    expectClose(await readF32(b, b.unary('sigmoid', b.upload(Float32Array.of(-100, 100)))), [f(Math.exp(-100)), 1], 1e-6, 0);
  });

  it('rejects i32 input', () => {
    expect(() => b.unary('exp', b.upload(Int32Array.of(1)))).toThrow(/f32/);
  });
});

describe.each(['js', 'wasm'] as const)('cpu unaryGrad matches finite differences of unary (%s kernels)', (kernels) => {
  const b = new CpuBackend({ kernels });
  const domains: Record<UnaryGradOp, [number, number]> = {
    exp: [-2, 2],
    log: [0.3, 3],
    tanh: [-2, 2],
    gelu: [-4, 4],
    sqrt: [0.3, 3],
    relu: [-2, 2],
    abs: [-2, 2],
    sigmoid: [-4, 4],
  };
  for (const op of Object.keys(domains) as UnaryGradOp[]) {
    it(op, () => {
      const [lo, hi] = domains[op];
      // 17 points, none within 0.05 of relu/abs's kink at 0.
      const x = randomArray(17, 7, lo, hi).map((v) => (Math.abs(v) < 0.05 ? 0.5 : v));
      const w = randomArray(17, 8, -1, 1);
      const loss = (xv: Float32Array) => {
        const s = b.unary(op, b.upload(xv));
        const l = weightedSum(peek(s), w);
        b.free(s);
        return l;
      };
      const xs = b.upload(x);
      const ys = b.unary(op, xs);
      const dx = peek(b.unaryGrad(op, xs, ys, b.upload(w)));
      const fd = finiteDifference(x, loss, 1e-3);
      expectClose(dx, fd, 1e-3, 1e-3);
    });
  }

  it('relu and abs use 0 at the kink', async () => {
    const x = b.upload(Float32Array.of(0));
    const dy = b.upload(Float32Array.of(5));
    expect(await readF32(b, b.unaryGrad('relu', x, b.unary('relu', x), dy))).toEqual([0]);
    expect(await readF32(b, b.unaryGrad('abs', x, b.unary('abs', x), dy))).toEqual([0]);
  });
});

describe('cpu affine / clamp / clampGrad / where', () => {
  const b = new CpuBackend();
  it('affine', async () => {
    expect(await readF32(b, b.affine(b.upload(Float32Array.of(1, -2, 0)), 3, 0.5))).toEqual([3.5, -5.5, 0.5]);
  });
  it('clamp and its gradient (inclusive at the bounds)', async () => {
    const x = b.upload(Float32Array.of(-3, -1, 0, 1, 3));
    expect(await readF32(b, b.clamp(x, -1, 1))).toEqual([-1, -1, 0, 1, 1]);
    const dy = b.upload(Float32Array.of(10, 20, 30, 40, 50));
    expect(await readF32(b, b.clampGrad(x, dy, -1, 1))).toEqual([0, 20, 30, 40, 0]);
  });
  it('where picks a where cond != 0', async () => {
    const c = b.upload(Float32Array.of(1, 0, 1, 0));
    const a = b.upload(Float32Array.of(1, 2, 3, 4));
    const d = b.upload(Float32Array.of(-1, -2, -3, -4));
    expect(await readF32(b, b.where(c, a, d))).toEqual([1, -2, 3, -4]);
  });
});

describe('cpu binary with broadcasting', () => {
  const b = new CpuBackend();

  /** Independent reference: full index arithmetic per element. */
  function refBinary(op: BinaryOp, a: Float32Array, as: number[], bb: Float32Array, bs: number[], shape: number[]) {
    const total = shape.reduce((p, d) => p * d, 1);
    const out: number[] = [];
    const fn = { add: (u: number, v: number) => u + v, sub: (u: number, v: number) => u - v, mul: (u: number, v: number) => u * v, div: (u: number, v: number) => u / v, max: Math.max, min: Math.min }[op];
    for (let flat = 0; flat < total; flat++) {
      let rem = flat;
      let ai = 0;
      let bi = 0;
      for (let d = shape.length - 1; d >= 0; d--) {
        const i = rem % shape[d];
        rem = Math.floor(rem / shape[d]);
        ai += i * as[d];
        bi += i * bs[d];
      }
      out.push(f(fn(a[ai], bb[bi])));
    }
    return out;
  }

  it('hand-computed: [2,3] + [3] row broadcast, and [2,1] * [1,3] outer product', async () => {
    const a = b.upload(Float32Array.of(1, 2, 3, 4, 5, 6));
    const r = b.upload(Float32Array.of(10, 20, 30));
    expect(await readF32(b, b.binary('add', a, [3, 1], r, [0, 1], [2, 3]))).toEqual([11, 22, 33, 14, 25, 36]);
    const col = b.upload(Float32Array.of(2, 3));
    expect(await readF32(b, b.binary('mul', col, [1, 0], r, [0, 1], [2, 3]))).toEqual([20, 40, 60, 30, 60, 90]);
    expect(await readF32(b, b.binary('sub', r, [0, 1], col, [1, 0], [2, 3]))).toEqual([8, 18, 28, 7, 17, 27]);
  });

  it('scalar (rank 0) and size-1 shapes', async () => {
    expect(await readF32(b, b.binary('div', b.upload(Float32Array.of(1)), [], b.upload(Float32Array.of(4)), [], []))).toEqual([0.25]);
    expect(await readF32(b, b.binary('max', b.upload(Float32Array.of(-1)), [0], b.upload(Float32Array.of(2)), [0], [1]))).toEqual([2]);
  });

  const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'max', 'min'];
  for (const op of ops) {
    it(`${op}: rank-4 [3,1,17,3] with broadcast and a transposed operand matches the reference`, async () => {
      const shape = [3, 1, 17, 3];
      const a = randomArray(3 * 17 * 3, 1, 0.5, 2); // contiguous [3,1,17,3]
      const bb = randomArray(3 * 17, 2, 0.5, 2); // stored [3,17] (the last axis is [17] transposed), broadcast over axis 0
      const as = [51, 51, 3, 1];
      const bs = [0, 0, 1, 17];
      const out = await readF32(b, b.binary(op, b.upload(a), as, b.upload(bb), bs, shape));
      expect(out).toEqual(refBinary(op, a, as, bb, bs, shape));
    });
  }

  it('throws on strides that reach outside a storage', () => {
    const a = b.upload(new Float32Array(3));
    expect(() => b.binary('add', a, [1], a, [1], [4])).toThrow(/outside/);
  });
});
