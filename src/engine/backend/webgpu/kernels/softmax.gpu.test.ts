// WebGPU softmax / log-softmax and their gradient against the CPU oracle, on awkward shapes and every mask.
//
// Tolerances: rtol 1e-4 everywhere. Absolute floors, where a value is formed by cancellation:
// - log-softmax, atol 1e-6: y = (x - max) - log(sum) is ~0 for a dominant entry, where f32 rounding of
//   the sum (≈ 1e-7 relative, so ≈ 1e-7 absolute in its log) swamps a relative bound;
// - gradients, atol 1e-6 × the magnitude of the terms of each entry (y·|dy| + y·|sum dy·y|, or
//   |dy| + exp(y)·|sum dy|): dy - sum(...) cancels when the two are close, leaving their f32 rounding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoftmaxMask, Storage } from '../../../backend';
import { WebGpuBackend } from '../webgpuBackend';
import { expectAllClose, randomF32, runBoth, seededRandom } from './kernelTestUtil';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

interface MaskSpec {
  causal: boolean;
  queryLen: number;
  keyMask: Float32Array | null;
  rowsPerBatch: number;
}

function toMask(up: (d: Float32Array) => Storage, m: MaskSpec | null): SoftmaxMask | null {
  if (!m) return null;
  return { causal: m.causal, queryLen: m.queryLen, keyMask: m.keyMask ? up(m.keyMask) : null, rowsPerBatch: m.rowsPerBatch };
}

/** Forward for both modes, then the gradient of each from the CPU-made forward output (so masked entries agree). */
async function check(label: string, rows: number, cols: number, x: Float32Array, mask: MaskSpec | null, seed = 1) {
  for (const log of [false, true]) {
    const name = `${label} ${log ? 'log-softmax' : 'softmax'} [${rows}x${cols}]`;
    const fwd = await runBoth(gpu, (b, up) => [b.softmax(up(x), rows, cols, toMask(up, mask), log)]);
    const y = fwd.cpu[0] as Float32Array;
    expectAllClose(name, fwd.gpu[0], y, { atol: log ? 1e-6 : 0 });
    const dy = randomF32(rows * cols, seed + 7, -1, 1);
    const bwd = await runBoth(gpu, (b, up) => [b.softmaxGrad(up(y), up(dy), rows, cols, log)]);
    // Term scale per element: softmax y·(|dy| + |sum dy·y|), log-softmax |dy| + exp(y)·|sum dy| (masked: 0).
    const scale = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        if (log ? y[i] !== -Infinity : y[i] !== 0) sum += log ? dy[i] : dy[i] * y[i];
      }
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        scale[i] = log ? Math.abs(dy[i]) + Math.exp(y[i]) * Math.abs(sum) : Math.abs(y[i]) * (Math.abs(dy[i]) + Math.abs(sum));
      }
    }
    expectAllClose(`${name} grad`, bwd.gpu[0], bwd.cpu[0], { atol: (i) => 1e-6 * scale[i] });
  }
}

describe('softmax (webgpu vs cpu)', () => {
  const shapes: [number, number][] = [
    [1, 1],
    [1, 3],
    [3, 17],
    [17, 65],
    [65, 130],
    [130, 1],
    [2, 257],
    [3, 4096],
  ];
  for (const [rows, cols] of shapes) {
    it(`no mask, ${rows}x${cols}`, async () => {
      await check('plain', rows, cols, randomF32(rows * cols, rows * 1000 + cols, -8, 8), null);
    });
  }

  it('causal self-attention (queryLen = cols) over several heads', async () => {
    const cols = 17;
    const rows = 3 * cols; // 3 heads × 17 queries
    await check('causal', rows, cols, randomF32(rows * cols, 11, -4, 4), { causal: true, queryLen: cols, keyMask: null, rowsPerBatch: 1 });
  });

  it('causal KV-cache steps: queryLen 1 sees every key, queryLen 4 a chunk, queryLen > cols masks rows fully', async () => {
    const cols = 65;
    await check('kv1', 6, cols, randomF32(6 * cols, 12, -4, 4), { causal: true, queryLen: 1, keyMask: null, rowsPerBatch: 1 });
    await check('kv4', 8, cols, randomF32(8 * cols, 13, -4, 4), { causal: true, queryLen: 4, keyMask: null, rowsPerBatch: 1 });
    await check('over', 9, 3, randomF32(27, 14, -4, 4), { causal: true, queryLen: 9, keyMask: null, rowsPerBatch: 1 });
  });

  it('key padding mask, including a fully padded batch', async () => {
    const cols = 130;
    const rowsPerBatch = 5;
    const batches = 3;
    const rnd = seededRandom(21);
    const keyMask = new Float32Array(batches * cols);
    for (let i = 0; i < cols; i++) {
      keyMask[i] = rnd() < 0.7 ? 1 : 0;
      keyMask[cols + i] = 0; // batch 1: nothing visible
      keyMask[2 * cols + i] = i >= 100 ? 1 : 0;
    }
    const rows = batches * rowsPerBatch;
    await check('keyMask', rows, cols, randomF32(rows * cols, 22, -4, 4), { causal: false, queryLen: 1, keyMask, rowsPerBatch });
  });

  it('causal + left padding: early queries that see only padding are fully masked', async () => {
    const cols = 17;
    const batches = 2;
    const rowsPerBatch = 2 * cols; // 2 heads × 17 queries per batch
    const keyMask = new Float32Array(batches * cols);
    for (let i = 0; i < cols; i++) {
      keyMask[i] = i >= 3 ? 1 : 0; // 3 pad tokens on the left
      keyMask[cols + i] = 1;
    }
    const rows = batches * rowsPerBatch;
    await check('causal+keyMask', rows, cols, randomF32(rows * cols, 31, -4, 4), { causal: true, queryLen: cols, keyMask, rowsPerBatch });
  });

  it('logits of ±1e4 and -Infinity logits stay finite where they should', async () => {
    const rows = 4;
    const cols = 65;
    const rnd = seededRandom(41);
    const x = new Float32Array(rows * cols);
    for (let i = 0; i < x.length; i++) x[i] = rnd() < 0.5 ? 1e4 * rnd(-1, 1) : rnd() < 0.5 ? 1e4 : -1e4;
    x[3] = -Infinity;
    x.fill(-Infinity, 2 * cols, 3 * cols); // row 2: every logit -Infinity
    await check('1e4', rows, cols, x, null);
    const fwd = await runBoth(gpu, (b, up) => [b.softmax(up(x), rows, cols, null, false)]);
    const p = fwd.gpu[0];
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += p[r * cols + c];
      expect(s, `row ${r}`).toBeCloseTo(r === 2 ? 0 : 1, 5);
    }
  });

  it('more than 65535 rows (2-D grid of workgroups)', async () => {
    const rows = 70_000;
    const cols = 5;
    const keyMask = new Float32Array(Math.ceil(rows / 7) * cols).fill(1);
    keyMask[cols * 9999 + 2] = 0;
    await check('many rows', rows, cols, randomF32(rows * cols, 51, -4, 4), { causal: true, queryLen: 7, keyMask, rowsPerBatch: 7 });
  });
});
