// The fused KV-cache decode step on plain arrays: the oracle for shaders/decode_layer.wgsl and
// shaders/decode_head.wgsl. It is composed from the same array kernels the unfused ops use (layer
// norm, matmul, gelu, sampling, log-prob/entropy), in the same order, so the fused CPU path and the
// unfused one differ only where the fused step differs on purpose: the query is scaled by 1/√dh
// after its projection instead of through pre-scaled weights, and attention reads only the visible
// cache columns.
import type { DecodeGeometry, DecodeHeadParams, MatmulParams } from '../../backend';
import { decodeHeadOffsets, decodeLayerOffsets } from '../decode';
import { gelu } from './elementwise';
import { layerNorm } from './layerNorm';
import { logProbEntropy } from './logProbEntropy';
import { matmul } from './matmul';
import { sampleTokens } from './sample';

function rowsTimes(m: number, k: number, n: number): MatmulParams {
  return { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
}

/** a [m, k] · the k×n matrix at w[off ..] (+ bias at w[biasOff ..] when given). */
function project(a: Float32Array, w: Float32Array, off: number, m: number, k: number, n: number, biasOff = -1): Float32Array {
  const y = matmul(a, w.subarray(off, off + k * n), rowsTimes(m, k, n));
  if (biasOff >= 0) for (let i = 0; i < m * n; i++) y[i] += w[biasOff + (i % n)];
  return y;
}

export function decodeLayer(
  x: Float32Array,
  w: Float32Array,
  keys: Float32Array,
  values: Float32Array,
  rowStart: Int32Array,
  g: DecodeGeometry,
): void {
  const { rows: N, dModel: D, nHeads: H, hidden: F, cacheLen: L, column, eps } = g;
  const dh = D / H;
  const o = decodeLayerOffsets(D, F);
  const h = layerNorm(x, w.subarray(o.ln1g, o.ln1g + D), w.subarray(o.ln1b, o.ln1b + D), N, D, eps).y;
  const q = project(h, w, o.wq, N, D, D);
  const k = project(h, w, o.wk, N, D, D);
  const v = project(h, w, o.wv, N, D, D);
  const qScale = Math.fround(1 / Math.sqrt(dh));
  const ctx = new Float32Array(N * D);
  const weights = new Float64Array(L);
  for (let r = 0; r < N; r++) {
    const start = Math.max(rowStart[r], 0);
    for (let hd = 0; hd < H; hd++) {
      const cache = ((r * H + hd) * L) * dh;
      const at = r * D + hd * dh;
      keys.set(k.subarray(at, at + dh), cache + column * dh);
      values.set(v.subarray(at, at + dh), cache + column * dh);
      // Masked softmax over the visible columns start .. column (max-shifted, as the softmax kernel).
      let max = -Infinity;
      for (let c = start; c <= column; c++) {
        let s = 0;
        for (let e = 0; e < dh; e++) s += Math.fround(q[at + e] * qScale) * keys[cache + c * dh + e];
        weights[c] = Math.fround(s);
        if (weights[c] > max) max = weights[c];
      }
      let sum = 0;
      for (let c = start; c <= column; c++) {
        weights[c] = Math.exp(weights[c] - max);
        sum += weights[c];
      }
      for (let e = 0; e < dh; e++) {
        let acc = 0;
        for (let c = start; c <= column; c++) acc += Math.fround(weights[c] / sum) * values[cache + c * dh + e];
        ctx[at + e] = acc;
      }
    }
  }
  const attn = project(ctx, w, o.wo, N, D, D);
  for (let i = 0; i < N * D; i++) x[i] += attn[i];
  const h2 = layerNorm(x, w.subarray(o.ln2g, o.ln2g + D), w.subarray(o.ln2b, o.ln2b + D), N, D, eps).y;
  const hidden = project(h2, w, o.w1, N, D, F, o.b1);
  for (let i = 0; i < hidden.length; i++) hidden[i] = gelu(hidden[i]);
  const mlp = project(hidden, w, o.w2, N, F, D, o.b2);
  for (let i = 0; i < N * D; i++) x[i] += mlp[i];
}

export function decodeHead(
  x: Float32Array,
  hw: Float32Array,
  finished: Int32Array,
  rowStart: Int32Array,
  tokens: Int32Array,
  scores: Float32Array,
  logitsOut: Float32Array | null,
  p: DecodeHeadParams,
): void {
  const { rows: N, dModel: D, vocab: V, positions, steps: T, step: t } = p;
  const o = decodeHeadOffsets(D, V, positions);
  const hf = layerNorm(x, hw.subarray(o.lnfg, o.lnfg + D), hw.subarray(o.lnfb, o.lnfb + D), N, D, p.eps).y;
  // The tied head: tok_emb [V, D] read transposed.
  const logits = matmul(hf, hw.subarray(o.tok, o.tok + V * D), { ...rowsTimes(N, D, V), transB: true });
  if (logitsOut) for (let r = 0; r < N; r++) logitsOut.set(logits.subarray(r * V, r * V + V), (r * T + t) * V);
  const ids = sampleTokens(logits, finished, p.sample);
  // Ids outside the vocabulary (a PAD id beyond it) are scored as ignored rows, as the GPU treats them.
  const targets = ids.map((id) => (id >= 0 && id < V ? id : -1));
  const scored = logProbEntropy(logits, targets, N, V, p.scoreInvTemperature);
  for (let r = 0; r < N; r++) {
    tokens[r * T + t] = ids[r];
    scores[r * T + t] = scored.logp[r];
    scores[N * T + r * T + t] = scored.entropy[r];
  }
  if (p.embedColumn < 0) return;
  for (let r = 0; r < N; r++) {
    const id = ids[r];
    const pos = p.embedColumn - rowStart[r];
    // Out-of-range ids or positions embed as zeros, as gather does.
    for (let c = 0; c < D; c++) {
      const te = id >= 0 && id < V ? hw[o.tok + id * D + c] : 0;
      const pe = pos >= 0 && pos < positions ? hw[o.pos + pos * D + c] : 0;
      x[r * D + c] = te + pe;
    }
  }
}
