// Causal multi-head self-attention as one fused op (Backend.attention): q, k, v stay in the
// projections' [B·T, H·dh] layout and the heads are read by strides, so the split/merge copies, the
// score scaling and the separate softmax of the op-by-op graph (src/model/forward.ts, `fusedAttention:
// false`, kept as the reference) are gone: one launch forward, two backward.
import type { AttentionShape } from '../backend';
import { ShapeError } from '../errors';
import { backendOf, record, wrap } from '../tape';
import type { Tensor } from '../tensor';

/** q, k, v [B·T, D] (D = heads·dh); keyMask f32 [B, T] (1 = real token) or null. Returns ctx [B·T, D]. */
export function causalSelfAttention(q: Tensor, k: Tensor, v: Tensor, keyMask: Tensor | null, batch: number, heads: number): Tensor {
  const [rows, width] = q.shape;
  const seq = rows / batch;
  const same = (t: Tensor) => t.rank === 2 && t.shape[0] === rows && t.shape[1] === width;
  if (q.rank !== 2 || !same(k) || !same(v) || !Number.isInteger(seq) || width % heads !== 0) {
    throw new ShapeError(`causalSelfAttention: q, k, v must be [B·T, heads·dh] alike, got ${q.toString()}, ${k.toString()}, ${v.toString()} for ${batch} sequences and ${heads} heads.`);
  }
  if (keyMask && keyMask.size !== rows) throw new ShapeError(`causalSelfAttention: keyMask ${keyMask.toString()} must be [${batch}, ${seq}].`);
  const backend = backendOf('causalSelfAttention', q, k, v, ...(keyMask ? [keyMask] : []));
  const headDim = width / heads;
  const s: AttentionShape = { batch, seq, heads, headDim, scale: 1 / Math.sqrt(headDim) };
  const r = backend.attention(q.storage, k.storage, v.storage, keyMask?.storage ?? null, s);
  const ctx = wrap(r.ctx, [rows, width]);
  const probs = wrap(r.probs, [batch, heads, seq, seq]);
  record([q, k, v], [ctx], ([g]) => {
    const d = backend.attentionGrad(q.storage, k.storage, v.storage, probs.storage, g!.storage, s);
    return [wrap(d.dq, q.shape), wrap(d.dk, k.shape), wrap(d.dv, v.shape)];
  });
  return ctx;
}
