// Causal multi-head attention over projected q, k, v in their [batch·seq, heads·headDim] layout, and
// its gradient (Backend.attention). The unfused reference is matmul → scale → masked softmax → matmul
// over split heads (src/model/forward.ts); here the heads are read by strides and the context is
// written merged. Masking follows softmax's rules: a query sees keys j ≤ i whose keyMask is not 0; the
// scores' max is over visible keys; a query that sees none gets all-zero probabilities.
import type { AttentionShape } from '../../backend';

export function attention(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  keyMask: Float32Array | null,
  s: AttentionShape,
): { ctx: Float32Array; probs: Float32Array } {
  const { batch: B, seq: T, heads: H, headDim: dh, scale } = s;
  const D = H * dh;
  const ctx = new Float32Array(B * T * D);
  const probs = new Float32Array(B * H * T * T);
  const scores = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const qOff = (b * T + i) * D + h * dh;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          scores[j] = -Infinity;
          if (keyMask && keyMask[b * T + j] === 0) continue;
          const kOff = (b * T + j) * D + h * dh;
          let dot = 0;
          for (let d = 0; d < dh; d++) dot += q[qOff + d] * k[kOff + d];
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
          for (let j = 0; j <= i; j++) acc += probs[pOff + j] * v[(b * T + j) * D + h * dh + d];
          ctx[qOff + d] = acc;
        }
      }
    }
  }
  return { ctx, probs };
}

/**
 * With P the probabilities and dC the context's gradient, per (batch, head):
 *   dP = dC·Vᵀ, dS = P ∘ (dP − rowsum(P ∘ dP)) · scale, dQ = dS·K, dK = dSᵀ·Q, dV = Pᵀ·dC.
 */
export function attentionGrad(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  probs: Float32Array,
  dctx: Float32Array,
  s: AttentionShape,
): { dq: Float32Array; dk: Float32Array; dv: Float32Array } {
  const { batch: B, seq: T, heads: H, headDim: dh, scale } = s;
  const D = H * dh;
  const dq = new Float32Array(B * T * D);
  const dk = new Float32Array(B * T * D);
  const dv = new Float32Array(B * T * D);
  const dScores = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const pOff = ((b * H + h) * T + i) * T;
        const iOff = (b * T + i) * D + h * dh;
        let rowDot = 0;
        for (let j = 0; j <= i; j++) {
          const jOff = (b * T + j) * D + h * dh;
          let dp = 0;
          for (let d = 0; d < dh; d++) dp += dctx[iOff + d] * v[jOff + d];
          dScores[j] = dp;
          rowDot += probs[pOff + j] * dp;
        }
        for (let j = 0; j <= i; j++) {
          const p = probs[pOff + j];
          if (p === 0) continue;
          const ds = p * (dScores[j] - rowDot) * scale;
          const jOff = (b * T + j) * D + h * dh;
          for (let d = 0; d < dh; d++) {
            dq[iOff + d] += ds * k[jOff + d];
            dk[jOff + d] += ds * q[iOff + d];
            dv[jOff + d] += p * dctx[iOff + d];
          }
        }
      }
    }
  }
  return { dq, dk, dv };
}
