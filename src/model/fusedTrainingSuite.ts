// The cases both fused-training test files run (on whichever backend is set): see fusedCheck.ts.
import { expect, it } from 'vitest';
import { defaultGptConfig, type GptConfig } from './config';
import { compareAttention, compareBiasActivation, compareLinear, compareDecodeAttention, compareForward, compareResidualLayerNorm } from './fusedCheck';

/** [batch, seq, heads, headDim]: 1, 3, 17, 65 and 130 where they fit. */
export const ATTENTION_SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [3, 17, 2, 3],
  [2, 65, 3, 5],
  [17, 3, 4, 16],
  [1, 130, 1, 2],
  [2, 33, 3, 8], // the WebGPU register kernels (headDim a multiple of 4, ≤ 16) over a longer sequence
  [2, 19, 2, 4], // … with one register of four (HD4 = 1)
  [3, 9, 2, 12], // … three (HD4 = 3)
  [2, 21, 2, 24], // the vec4 kernels with array rows (headDim a multiple of 4 above 16)
  [1, 17, 1, 64], // … at their widest
];

/** [rows, cols]. */
export const NORM_SHAPES: [number, number][] = [
  [1, 1],
  [3, 17],
  [17, 3],
  [65, 130],
  [130, 65],
  [7, 12], // rows of whole quads: the WebGPU vec4 kernels
  [130, 64],
];

export const FORWARD_CASES: { config: GptConfig; B: number; T: number }[] = [
  { config: { vocabSize: 7, contextLength: 17, dModel: 12, nHeads: 3, nLayers: 2, mlpRatio: 2 }, B: 3, T: 17 },
  { config: defaultGptConfig, B: 5, T: 15 },
  { config: { vocabSize: 3, contextLength: 1, dModel: 4, nHeads: 1, nLayers: 1, mlpRatio: 1 }, B: 1, T: 1 },
];

export function fusedTrainingSuite(forwardCases: typeof FORWARD_CASES): void {
  for (const [B, T, H, dh] of ATTENTION_SHAPES) {
    it(`attention: B ${B}, T ${T}, ${H} heads of ${dh} (output, and the gradients of x, Wq, Wk, Wv, Wo)`, async () => {
      const r = await compareAttention(B, T, H, dh, B * 100 + T);
      expect(r.out).toBeLessThan(1e-5);
      for (const g of r.grads) expect(g).toBeLessThan(1e-5);
    });
  }
  for (const [rows, cols] of NORM_SHAPES) {
    for (const withDelta of [true, false]) {
      it(`residual layer norm: ${rows} × ${cols}, ${withDelta ? 'x + delta' : 'x alone'} (output and every gradient)`, async () => {
        const diffs = await compareResidualLayerNorm(rows, cols, withDelta, rows + cols);
        for (const d of diffs) expect(d).toBeLessThan(1e-5);
      });
    }
  }
  // ... and an MLP's 256 columns
  for (const [rows, cols] of [...NORM_SHAPES, [33, 256]] as [number, number][]) {
    for (const act of ['gelu', 'none'] as const) {
      it(`bias + ${act}: ${rows} × ${cols} (output and both gradients)`, async () => {
        const diffs = await compareBiasActivation(rows, cols, act, rows * 7 + cols);
        for (const d of diffs) expect(d).toBeLessThan(1e-5);
      });
    }
  }
  // [rows, k, n]: the fused launch (k, n multiples of 4, rows not: a partial last row block) and the
  // composed fallback (n or k not)
  for (const [rows, k, n] of [[1, 4, 4], [17, 8, 12], [130, 64, 256], [65, 256, 64], [3, 5, 7], [9, 12, 6]] as const) {
    for (const act of ['gelu', 'none'] as const) {
      it(`linear + ${act}: ${rows} × ${k} · ${k} × ${n} (output and the gradients of x, w, bias)`, async () => {
        const diffs = await compareLinear(rows, k, n, act, rows + k * 3 + n);
        for (const d of diffs) expect(d).toBeLessThan(1e-5);
      });
    }
  }
  // [rows, heads, headDim, cacheLen, column]
  for (const [rows, heads, dh, cacheLen, column] of [[1, 1, 1, 1, 0], [3, 2, 3, 17, 16], [17, 4, 16, 65, 30], [130, 1, 5, 3, 1]] as const) {
    it(`decode attention over a KV cache: ${rows} rows, ${heads} heads of ${dh}, cache ${cacheLen}, column ${column} (context and both caches)`, async () => {
      const diffs = await compareDecodeAttention(rows, heads, dh, cacheLen, column, rows + cacheLen);
      for (const d of diffs) expect(d).toBeLessThan(1e-5);
    });
  }
  for (const { config, B, T } of forwardCases) {
    it(`gptForward fused = op by op: d ${config.dModel}, ${config.nHeads} heads, ${config.nLayers} layers, B ${B}, T ${T} (logits and every gradient)`, async () => {
      const diffs = await compareForward(config, B, T, 11);
      for (const [name, d] of diffs) expect(d, name).toBeLessThan(1e-4);
    });
  }
}
