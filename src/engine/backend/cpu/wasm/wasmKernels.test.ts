// The WASM SIMD matmul against the JavaScript reference (../matmul.ts) on awkward shapes: every
// (m, n, k) from {1, 3, 17, 65, 130} — tails of the 4-row and 8-column register tiles, single rows and
// columns, k = 1 — with both transpose flags, batched and broadcast.
import { describe, expect, it } from 'vitest';
import type { MatmulParams } from '../../../backend';
import { CpuBackend } from '../cpuBackend';
import { gelu as jsGeluOne, unary, unaryGrad } from '../elementwise';
import { matmul as jsMatmul } from '../matmul';
import { randomArray, seededRandom } from '../testUtil';
import { instantiateWasmKernels, loadWasmKernels, matmulWasmBytes } from './wasmKernels';

const SIZES = [1, 3, 17, 65, 130];
const TOLERANCE = 1e-5;

function params(batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, broadcast: 'none' | 'a' | 'b' = 'none'): MatmulParams {
  return {
    batch, m, n, k, transA, transB,
    aBatchStride: broadcast === 'a' ? 0 : m * k,
    bBatchStride: broadcast === 'b' ? 0 : k * n,
  };
}

function integers(n: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  return Float32Array.from({ length: n }, () => Math.floor(rnd(-4, 5)));
}

/** Σ_k |A(i,k)|·|B(k,j)| per output element: the scale the rounding error of a dot product is relative to. */
function absProduct(a: Float32Array, b: Float32Array, p: MatmulParams): Float32Array {
  const abs = (x: Float32Array) => x.map(Math.abs);
  return jsMatmul(abs(a), abs(b), p);
}

const wasm = loadWasmKernels();

describe('WASM SIMD matmul vs the JavaScript reference', () => {
  it('compiles in Node (SIMD is on in every Node this project supports)', () => {
    expect(wasm).not.toBeNull();
    expect(new CpuBackend().kernels).toBe('wasm');
    expect(new CpuBackend({ kernels: 'js' }).kernels).toBe('js');
  });

  it('an engine that rejects the module gets null (the JavaScript fallback), not an exception', () => {
    const broken = matmulWasmBytes().slice();
    broken[1] = 0; // "\0asm" -> "\0\0sm": not a WebAssembly module any more, as an engine without SIMD would find ours
    expect(instantiateWasmKernels(broken)).toBeNull();
  });

  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`every m, n, k in {${SIZES.join(', ')}}, transA=${transA} transB=${transB}: exact on integers, within ${TOLERANCE} on floats`, () => {
        let cases = 0;
        for (const m of SIZES) {
          for (const n of SIZES) {
            for (const k of SIZES) {
              const p = params(1, m, n, k, transA, transB);
              // Small integers: every product and partial sum is exact in f32, so both kernels must give
              // the same bits whatever their summation order; any indexing slip shows as a mismatch.
              const ai = integers(m * k, m * 1000 + k);
              const bi = integers(k * n, n * 1000 + k + 7);
              const exact = wasm!.matmul(ai, bi, p);
              const ref = jsMatmul(ai, bi, p);
              if (!exact.every((v, i) => v === ref[i])) expect.fail(`integers m=${m} n=${n} k=${k}: wasm differs from js`);
              // Floats: |wasm − js| ≤ 1e-5 · Σ|a||b| elementwise (f32 vs f64 accumulation).
              const af = randomArray(m * k, m * 31 + k);
              const bf = randomArray(k * n, n * 37 + k);
              const got = wasm!.matmul(af, bf, p);
              const want = jsMatmul(af, bf, p);
              const scale = absProduct(af, bf, p);
              for (let i = 0; i < want.length; i++) {
                if (!(Math.abs(got[i] - want[i]) <= TOLERANCE * scale[i])) {
                  expect.fail(`floats m=${m} n=${n} k=${k} index ${i}: wasm ${got[i]}, js ${want[i]}, Σ|a||b| ${scale[i]}`);
                }
              }
              cases++;
            }
          }
        }
        expect(cases).toBe(SIZES.length ** 3);
      });
    }
  }

  it('batched, with A or B broadcast over the batch, and operands longer than the product reads', () => {
    for (const broadcast of ['none', 'a', 'b'] as const) {
      for (const [m, n, k] of [[17, 65, 3], [130, 17, 65], [3, 130, 17], [1, 1, 130]]) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const p = params(3, m, n, k, transA, transB, broadcast);
            const a = integers(3 * m * k + 5, m + n + k); // 5 spare elements: only the extent is read
            const b = integers(3 * k * n + 5, m * n + k);
            expect(Array.from(wasm!.matmul(a, b, p)), `${broadcast} ${m}×${k}·${k}×${n} ${transA} ${transB}`).toEqual(Array.from(jsMatmul(a, b, p)));
          }
        }
      }
    }
  });

  it('n a multiple of 8 (B read in place, not packed, when not transposed), batched and broadcast', () => {
    for (const broadcast of ['none', 'a', 'b'] as const) {
      for (const [m, n, k] of [[1, 8, 1], [17, 16, 3], [65, 64, 130], [130, 256, 17]]) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const p = params(3, m, n, k, transA, transB, broadcast);
            const a = integers(3 * m * k, m + 2 * n + k);
            const b = integers(3 * k * n, m * n + 3 * k);
            expect(Array.from(wasm!.matmul(a, b, p)), `${broadcast} ${m}×${k}·${k}×${n} ${transA} ${transB}`).toEqual(Array.from(jsMatmul(a, b, p)));
          }
        }
      }
    }
  });

  it('empty products give empty or zero outputs like the reference', () => {
    for (const [batch, m, n, k] of [[0, 3, 3, 3], [2, 0, 3, 3], [2, 3, 0, 3], [2, 3, 5, 0]]) {
      const p = params(batch, m, n, k, false, false);
      const a = new Float32Array(batch * m * k);
      const b = new Float32Array(batch * k * n);
      expect(Array.from(wasm!.matmul(a, b, p))).toEqual(Array.from(jsMatmul(a, b, p)));
    }
  });

  it('gelu and its gradient: lengths 1, 3, 17, 65, 130 (4-lane tails) and x from −12 to 12, within 1e-5 relative', () => {
    for (const n of [...SIZES, 100_003]) {
      const rnd = seededRandom(n);
      const x = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? rnd(-12, 12) : rnd(-4, 4)));
      const dy = randomArray(n, n + 1);
      const y = wasm!.gelu(x);
      const yRef = unary('gelu', x);
      const g = wasm!.geluGrad(x, dy);
      const gRef = unaryGrad('gelu', x, yRef, dy);
      expect(y.length).toBe(n);
      expect(g.length).toBe(n);
      for (let i = 0; i < n; i++) {
        // gelu: relative, with a floor far below f32's resolution of the values around it: for x < −6
        // the reference's 1 + tanh(u) cancels to exactly 0 in f64, while the sigmoid form keeps ~1e-15.
        if (!(Math.abs(y[i] - yRef[i]) <= TOLERANCE * Math.abs(yRef[i]) + 1e-12)) {
          expect.fail(`gelu n=${n} x=${x[i]}: wasm ${y[i]}, js ${yRef[i]}`);
        }
        // The gradient crosses zero (x ≈ −0.75) by cancellation of its two terms, so it is compared
        // relative to the incoming gradient's size there.
        if (!(Math.abs(g[i] - gRef[i]) <= TOLERANCE * Math.max(Math.abs(gRef[i]), Math.abs(dy[i])))) {
          expect.fail(`geluGrad n=${n} x=${x[i]} dy=${dy[i]}: wasm ${g[i]}, js ${gRef[i]}`);
        }
      }
    }
  });

  it('gelu at special values matches the reference: ±0, ±∞, NaN, large |x|', () => {
    const x = Float32Array.of(0, -0, Infinity, -Infinity, NaN, 1e20, -1e20, 3.4e38, -3.4e38, 20, -20);
    const y = wasm!.gelu(x);
    x.forEach((v, i) => {
      const ref = Math.fround(jsGeluOne(v));
      if (Number.isNaN(ref)) expect(y[i], `x=${v}`).toBeNaN();
      else if (!Number.isFinite(ref)) expect(y[i], `x=${v}`).toBe(ref);
      else expect(Math.abs(y[i] - ref), `x=${v}: wasm ${y[i]}, js ${ref}`).toBeLessThanOrEqual(TOLERANCE * Math.abs(ref) + 1e-12);
    });
  });

  it('memory grows for a big product and later small ones still read the right region', () => {
    const big = params(1, 600, 600, 300, false, true);
    const a = randomArray(600 * 300, 1);
    const b = randomArray(600 * 300, 2);
    const got = wasm!.matmul(a, b, big);
    const want = jsMatmul(a, b, big);
    const scale = absProduct(a, b, big);
    for (let i = 0; i < want.length; i += 97) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(TOLERANCE * scale[i]);
    const small = params(1, 3, 3, 3, false, false);
    const s = integers(9, 3);
    expect(Array.from(wasm!.matmul(s, s, small))).toEqual(Array.from(jsMatmul(s, s, small)));
  });
});
