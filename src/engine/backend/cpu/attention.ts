// Causal multi-head attention over projected q, k, v packed side by side in qkv [batch·seq, 3·D]
// (D = heads·headDim), and its gradient (Backend.attention). The unfused reference is matmul → scale →
// masked softmax → matmul over split heads (src/model/forward.ts); here the heads are read by strides
// and the context is written merged. Masking follows softmax's rules: a query sees keys j ≤ i whose
// keyMask is not 0; the scores' max is over visible keys; a query that sees none gets all-zero
// probabilities. Also the column packing that builds the one projection matrix Wq | Wk | Wv.
import type { AttentionShape } from '../../backend';

export function attention(qkv: Float32Array, keyMask: Float32Array | null, s: AttentionShape): { ctx: Float32Array; probs: Float32Array } {
  const { batch: B, seq: T, heads: H, headDim: dh, scale } = s;
  const D = H * dh;
  const ld = 3 * D;
  const ctx = new Float32Array(B * T * D);
  const probs = new Float32Array(B * H * T * T);
  const scores = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const qOff = (b * T + i) * ld + h * dh;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          scores[j] = -Infinity;
          if (keyMask && keyMask[b * T + j] === 0) continue;
          const kOff = (b * T + j) * ld + D + h * dh;
          let dot = 0;
          for (let d = 0; d < dh; d++) dot += qkv[qOff + d] * qkv[kOff + d];
          scores[j] = Math.fround(Math.fround(dot) * scale);
          if (scores[j] > max) max = scores[j];
        }
        if (max === -Infinity) continue; // nothing visible: zero probabilities and context
        let sum = 0;
        for (let j = 0; j <= i; j++) if (scores[j] !== -Infinity) sum += Math.exp(scores[j] - max);
        const pOff = ((b * H + h) * T + i) * T;
        for (let j = 0; j <= i; j++) probs[pOff + j] = scores[j] === -Infinity ? 0 : Math.exp(scores[j] - max) / sum;
        for (let d = 0; d < dh; d++) {
          let acc = 0;
          for (let j = 0; j <= i; j++) acc += probs[pOff + j] * qkv[(b * T + j) * ld + 2 * D + h * dh + d];
          ctx[(b * T + i) * D + h * dh + d] = acc;
        }
      }
    }
  }
  return { ctx, probs };
}

/**
 * With P the probabilities and dC the context's gradient, per (batch, head):
 *   dP = dC·Vᵀ, dS = P ∘ (dP − rowsum(P ∘ dP)) · scale, dQ = dS·K, dK = dSᵀ·Q, dV = Pᵀ·dC,
 * written into dqkv [batch·seq, 3·D] in qkv's layout.
 */
export function attentionGrad(qkv: Float32Array, probs: Float32Array, dctx: Float32Array, s: AttentionShape): Float32Array {
  const { batch: B, seq: T, heads: H, headDim: dh, scale } = s;
  const D = H * dh;
  const ld = 3 * D;
  const dqkv = new Float32Array(B * T * ld);
  const dScores = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const pOff = ((b * H + h) * T + i) * T;
        const iRow = (b * T + i) * ld + h * dh;
        const iCtx = (b * T + i) * D + h * dh;
        let rowDot = 0;
        for (let j = 0; j <= i; j++) {
          const vOff = (b * T + j) * ld + 2 * D + h * dh;
          let dp = 0;
          for (let d = 0; d < dh; d++) dp += dctx[iCtx + d] * qkv[vOff + d];
          dScores[j] = dp;
          rowDot += probs[pOff + j] * dp;
        }
        for (let j = 0; j <= i; j++) {
          const p = probs[pOff + j];
          if (p === 0) continue;
          const ds = p * (dScores[j] - rowDot) * scale;
          const jRow = (b * T + j) * ld + h * dh;
          for (let d = 0; d < dh; d++) {
            dqkv[iRow + d] += ds * qkv[jRow + D + d]; // dQ_i += dS_ij K_j
            dqkv[jRow + D + d] += ds * qkv[iRow + d]; // dK_j += dS_ij Q_i
            dqkv[jRow + 2 * D + d] += p * dctx[iCtx + d]; // dV_j += P_ij dC_i
          }
        }
      }
    }
  }
  return dqkv;
}

/** [rows, n·cols] with block i of each row = row of list[i]. */
export function packColumns(list: Float32Array[], rows: number, cols: number): Float32Array {
  const n = list.length;
  const out = new Float32Array(rows * n * cols);
  for (let r = 0; r < rows; r++) list.forEach((x, i) => out.set(x.subarray(r * cols, (r + 1) * cols), (r * n + i) * cols));
  return out;
}

export function unpackColumns(x: Float32Array, rows: number, cols: number, n: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => {
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) out.set(x.subarray((r * n + i) * cols, (r * n + i + 1) * cols), r * cols);
    return out;
  });
}

/** Backend.decodeAttention: the new k, v into the caches at `column`, then attention of q over the visible columns. */
export function decodeAttention(
  qkv: Float32Array,
  keys: Float32Array,
  values: Float32Array,
  keyMask: Float32Array,
  rows: number,
  heads: number,
  dh: number,
  L: number,
  column: number,
): Float32Array {
  const D = heads * dh;
  const ctx = new Float32Array(rows * D);
  const scores = new Float64Array(L);
  for (let r = 0; r < rows; r++) {
    for (let h = 0; h < heads; h++) {
      const q = r * 3 * D + h * dh;
      const cache = (r * heads + h) * L * dh;
      keys.set(qkv.subarray(q + D, q + D + dh), cache + column * dh);
      values.set(qkv.subarray(q + 2 * D, q + 2 * D + dh), cache + column * dh);
      let max = -Infinity;
      for (let j = 0; j < L; j++) {
        scores[j] = -Infinity;
        if (keyMask[r * L + j] === 0) continue;
        let dot = 0;
        for (let d = 0; d < dh; d++) dot += qkv[q + d] * keys[cache + j * dh + d];
        scores[j] = Math.fround(dot);
        if (scores[j] > max) max = scores[j];
      }
      if (max === -Infinity) continue;
      let sum = 0;
      for (let j = 0; j < L; j++) if (scores[j] !== -Infinity) sum += Math.exp(scores[j] - max);
      for (let d = 0; d < dh; d++) {
        let acc = 0;
        for (let j = 0; j < L; j++) if (scores[j] !== -Infinity) acc += (Math.exp(scores[j] - max) / sum) * values[cache + j * dh + d];
        ctx[r * D + h * dh + d] = acc;
      }
    }
  }
  return ctx;
}
