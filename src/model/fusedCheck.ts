// Test helpers shared by the Node and WebGPU tests of the fused training ops: each runs a fused op
// and its op-by-op reference on the current backend, on the same inputs, and returns the largest
// differences of the outputs and of the gradients (relative to the reference's largest magnitude).
import {
  add, backward, biasActivation, decodeAttention, gelu, keep, layerNorm, linear, matmul, mul, parameter, readAll, reshape, residualLayerNorm, slice, softmax, tensor, tidy, type Tensor,
} from '../engine';
import { mulberry32, uniformArray } from '../engine/random';
import type { GptConfig } from './config';
import { attentionFused, attentionUnfused, gptForward, type BatchInputs } from './forward';
import { initGptParams, type GptParams } from './params';

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

/** Values of `out` and the gradients of `leaves` after backward(out, dy), then the leaves' grads dropped. */
async function valuesAndGrads(build: () => Tensor, leaves: Tensor[], dy: Tensor): Promise<Float32Array[]> {
  const out = tidy(() => {
    const y = build();
    backward(y, dy);
    return y;
  });
  const values = (await readAll([out, ...leaves.map((l) => l.grad!)])) as Float32Array[];
  out.dispose();
  for (const l of leaves) {
    l.grad!.dispose();
    l.grad = null;
  }
  return values;
}

/** residualLayerNorm (both outputs used downstream) against add + layerNorm, rows × cols. */
export async function compareResidualLayerNorm(rows: number, cols: number, withDelta: boolean, seed: number): Promise<number[]> {
  const x = parameter(uniformArray(rows * cols, seed, -3, 5), [rows, cols], 'x');
  const delta = parameter(uniformArray(rows * cols, seed + 1), [rows, cols], 'delta');
  const gamma = parameter(uniformArray(cols, seed + 2, 0.5, 1.5), [cols], 'gamma');
  const beta = parameter(uniformArray(cols, seed + 3), [cols], 'beta');
  const leaves = withDelta ? [x, delta, gamma, beta] : [x, gamma, beta];
  const w = keep(tensor(uniformArray(rows * cols, seed + 4), [rows, cols]));
  const dy = keep(tensor(uniformArray(rows * cols, seed + 5), [rows, cols]));
  // A loss that reads both the stream and the norm, as the model does: y + w·sum.
  const fused = await valuesAndGrads(() => {
    const r = residualLayerNorm(x, withDelta ? delta : null, gamma, beta);
    return add(r.y, mul(r.sum, w));
  }, leaves, dy);
  const reference = await valuesAndGrads(() => {
    const sum = withDelta ? add(x, delta) : x;
    return add(layerNorm(sum, gamma, beta), mul(sum, w));
  }, leaves, dy);
  for (const t of [x, delta, gamma, beta, w, dy]) t.dispose();
  return fused.map((v, i) => relMaxDiff(v, reference[i]));
}

/** A left-padded batch of B rows of T tokens for gptForward (each row's first `pad` columns are padding). */
export function paddedBatch(B: number, T: number, vocab: number, seed: number): BatchInputs {
  const rand = mulberry32(seed);
  const ids = new Int32Array(B * T);
  const positions = new Int32Array(B * T);
  const mask = new Float32Array(B * T);
  for (let b = 0; b < B; b++) {
    const pad = Math.floor(rand() * Math.min(T, 5));
    for (let t = 0; t < T; t++) {
      const real = t >= pad;
      ids[b * T + t] = real ? Math.floor(rand() * vocab) : 0;
      positions[b * T + t] = real ? t - pad : 0;
      mask[b * T + t] = real ? 1 : 0;
    }
  }
  return { ids: tensor(ids, [B, T], 'i32'), positions: tensor(positions, [B, T], 'i32'), keyMask: tensor(mask, [B, T]) };
}

/** gptForward fused against op by op: the logits and every parameter's gradient (relative max differences by name). */
export async function compareForward(config: GptConfig, B: number, T: number, seed: number): Promise<Map<string, number>> {
  const params = initGptParams(config, seed);
  const batch = paddedBatch(B, T, config.vocabSize, seed + 1);
  for (const t of Object.values(batch)) keep(t);
  const leaves = [...params.values()];
  const dy = keep(tensor(uniformArray(B * T * config.vocabSize, seed + 2), [B * T, config.vocabSize]));
  const fused = await valuesAndGrads(() => gptForward(config, params, batch), leaves, dy);
  const reference = await valuesAndGrads(() => gptForward(config, params, batch, { fused: false }), leaves, dy);
  const names = ['logits', ...params.keys()];
  const out = new Map(names.map((n, i) => [n, relMaxDiff(fused[i], reference[i])]));
  for (const t of [...leaves, dy, ...Object.values(batch)]) t.dispose();
  return out;
}

/** biasActivation against add (then gelu): output, and the gradients of x and the bias. */
export async function compareBiasActivation(rows: number, cols: number, act: 'none' | 'gelu', seed: number): Promise<number[]> {
  const x = parameter(uniformArray(rows * cols, seed, -4, 4), [rows, cols], 'x');
  const bias = parameter(uniformArray(cols, seed + 1), [cols], 'bias');
  const dy = keep(tensor(uniformArray(rows * cols, seed + 2), [rows, cols]));
  const fused = await valuesAndGrads(() => biasActivation(x, bias, act), [x, bias], dy);
  const reference = await valuesAndGrads(() => (act === 'gelu' ? gelu(add(x, bias)) : add(x, bias)), [x, bias], dy);
  for (const t of [x, bias, dy]) t.dispose();
  return fused.map((v, i) => relMaxDiff(v, reference[i]));
}

/** linear (the bias and activation as the matmul's epilogue) against matmul, add (then gelu): output,
 *  and the gradients of x, w and the bias. */
export async function compareLinear(rows: number, k: number, n: number, act: 'none' | 'gelu', seed: number): Promise<number[]> {
  const x = parameter(uniformArray(rows * k, seed, -2, 2), [rows, k], 'x');
  const w = parameter(uniformArray(k * n, seed + 1), [k, n], 'w');
  const bias = parameter(uniformArray(n, seed + 2), [n], 'bias');
  const dy = keep(tensor(uniformArray(rows * n, seed + 3), [rows, n]));
  const fused = await valuesAndGrads(() => linear(x, w, bias, act), [x, w, bias], dy);
  const reference = await valuesAndGrads(() => {
    const pre = add(matmul(x, w), bias);
    return act === 'gelu' ? gelu(pre) : pre;
  }, [x, w, bias], dy);
  for (const t of [x, w, bias, dy]) t.dispose();
  return fused.map((v, i) => relMaxDiff(v, reference[i]));
}

/**
 * decodeAttention against the op-by-op decode step it replaced (two cache writes, q·Kᵀ, the masked
 * softmax, att·V): the context and both caches after the step.
 */
export async function compareDecodeAttention(rows: number, heads: number, dh: number, cacheLen: number, column: number, seed: number): Promise<number[]> {
  const D = heads * dh;
  const qkv = keep(tensor(uniformArray(rows * 3 * D, seed), [rows, 3 * D]));
  const mask = Float32Array.from({ length: rows * cacheLen }, (_, i) => (i % cacheLen === column || (i % cacheLen < column && (i * 7) % 5 !== 0) ? 1 : 0));
  const keyMask = keep(tensor(mask, [rows, cacheLen]));
  const initial = uniformArray(rows * heads * cacheLen * dh, seed + 1);
  const run = async (fused: boolean) => {
    const keys = keep(tensor(initial, [rows * heads, cacheLen, dh]));
    const values = keep(tensor(Float32Array.from(initial, (v) => -v), [rows * heads, cacheLen, dh]));
    const ctx = tidy(() => {
      if (fused) return decodeAttention(qkv, keys, values, keyMask, heads, column);
      const part = (i: number) => slice(qkv, [0, i * D], [rows, D]);
      for (const [i, cache] of [[1, keys], [2, values]] as const) {
        qkv.backend.copyInto(cache.storage, column * dh, [heads * cacheLen * dh, cacheLen * dh, 1], part(i).storage, [rows, heads, dh]);
      }
      const q = reshape(part(0), [rows * heads, 1, dh]);
      const att = softmax(matmul(q, keys, { transB: true }), { causal: false, queryLen: 1, keyMask, rowsPerBatch: heads });
      return reshape(matmul(att, values), [rows, D]);
    });
    const out = await readAll([ctx, keys, values]);
    for (const t of [ctx, keys, values]) t.dispose();
    return out;
  };
  const fused = await run(true);
  const reference = await run(false);
  for (const t of [qkv, keyMask]) t.dispose();
  return fused.map((v, i) => relMaxDiff(v, reference[i]));
}
