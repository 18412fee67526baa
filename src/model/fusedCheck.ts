// Test helpers shared by the Node and WebGPU tests of the fused attention: it runs the fused op
// and its op-by-op reference on the current backend, on the same inputs, and returns the largest
// differences of the outputs and of the gradients (relative to the reference's largest magnitude).
import { backward, keep, parameter, readAll, tensor, tidy } from '../engine';
import { mulberry32, uniformArray } from '../engine/random';
import type { GptConfig } from './config';
import { attentionFused, attentionUnfused } from './forward';
import type { GptParams } from './params';

/** max |a − b| / max(1e-6, max |b|). */
export function relMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

/** A key mask with left padding (as packed batches have) and the odd hole, some rows fully padded up to a point. */
function keyMaskFor(B: number, T: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const m = new Float32Array(B * T);
  for (let b = 0; b < B; b++) {
    const pad = Math.floor(rand() * Math.min(T, 4));
    for (let t = pad; t < T; t++) m[b * T + t] = rand() < 0.9 || t === T - 1 ? 1 : 0;
  }
  return m;
}

/**
 * Fused attention (causalSelfAttention over projected q, k, v) against the split-heads reference:
 * x [B·T, D] → q, k, v = x·Wq, x·Wk, x·Wv → attention → ·Wo, with gradients into x and the weights.
 */
export async function compareAttention(B: number, T: number, H: number, dh: number, seed: number): Promise<{ out: number; grads: number[] }> {
  const D = H * dh;
  const config: GptConfig = { vocabSize: 2, contextLength: T, dModel: D, nHeads: H, nLayers: 1, mlpRatio: 1 };
  const x = parameter(uniformArray(B * T * D, seed), [B * T, D], 'x');
  const params: GptParams = new Map(['wq', 'wk', 'wv', 'wo'].map((w, i) => [`h0.attn.${w}`, parameter(uniformArray(D * D, seed + 1 + i, -0.5, 0.5), [D, D], w)]));
  const leaves = [x, ...params.values()];
  const keyMask = keep(tensor(keyMaskFor(B, T, seed), [B, T]));
  const dy = keep(tensor(uniformArray(B * T * D, seed + 9), [B * T, D]));
  const run = async (fused: boolean) => {
    const out = tidy(() => {
      const y = fused ? attentionFused(x, B, config, params, 0, keyMask) : attentionUnfused(x, B, T, config, params, 0, keyMask);
      backward(y, dy);
      return y;
    });
    const values = await readAll([out, ...leaves.map((l) => l.grad!)]);
    out.dispose();
    for (const l of leaves) {
      l.grad!.dispose();
      l.grad = null;
    }
    return values;
  };
  const fused = await run(true);
  const reference = await run(false);
  for (const t of [...leaves, keyMask, dy]) t.dispose();
  return { out: relMaxDiff(fused[0], reference[0]), grads: fused.slice(1).map((g, i) => relMaxDiff(g, reference[i + 1])) };
}
