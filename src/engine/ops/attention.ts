// Causal multi-head self-attention as one fused op (Backend.attention), on q, k, v packed side by side
// as one projection matmul writes them ([B·T, 3·D], from x·(Wq | Wk | Wv), see packColumns): the heads
// are read by strides, so the split/merge copies, the score scaling and the separate softmax of the
// op-by-op graph (src/model/forward.ts, `fused: false`, kept as the reference) are gone — one launch
// forward, two backward — and the one projection matmul replaces three (and the two gradient adds
// where the three met).
import type { AttentionShape } from '../backend';
import { ShapeError } from '../errors';
import { backendOf, record, wrap } from '../tape';
import type { Tensor } from '../tensor';

/** qkv [B·T, 3·D] (D = heads·dh); keyMask f32 [B, T] (1 = real token) or null. Returns ctx [B·T, D]. */
export function causalSelfAttention(qkv: Tensor, keyMask: Tensor | null, batch: number, heads: number): Tensor {
  const [rows, width] = qkv.shape;
  const seq = rows / batch;
  const D = width / 3;
  if (qkv.rank !== 2 || !Number.isInteger(seq) || !Number.isInteger(D) || D % heads !== 0) {
    throw new ShapeError(`causalSelfAttention: qkv must be [B·T, 3·heads·dh], got ${qkv.toString()} for ${batch} sequences and ${heads} heads.`);
  }
  if (keyMask && keyMask.size !== rows) throw new ShapeError(`causalSelfAttention: keyMask ${keyMask.toString()} must be [${batch}, ${seq}].`);
  const backend = backendOf('causalSelfAttention', qkv, ...(keyMask ? [keyMask] : []));
  const headDim = D / heads;
  const s: AttentionShape = { batch, seq, heads, headDim, scale: 1 / Math.sqrt(headDim) };
  const r = backend.attention(qkv.storage, keyMask?.storage ?? null, s);
  const ctx = wrap(r.ctx, [rows, D]);
  const probs = wrap(r.probs, [batch, heads, seq, seq]);
  record([qkv], [ctx], ([g]) => [wrap(backend.attentionGrad(qkv.storage, probs.storage, g!.storage, s), qkv.shape)]);
  return ctx;
}

/** [rows, n·cols] from n (≤ 4) matrices [rows, cols] side by side; the gradient unpacks. */
export function packColumns(list: Tensor[]): Tensor {
  const [rows, cols] = list[0]?.shape ?? [];
  if (list.length === 0 || list.some((t) => t.rank !== 2 || t.shape[0] !== rows || t.shape[1] !== cols || t.dtype !== 'f32')) {
    throw new ShapeError(`packColumns: needs f32 matrices of one shape, got ${list.map((t) => t.toString()).join(', ')}.`);
  }
  const backend = backendOf('packColumns', ...list);
  const out = wrap(backend.packColumns(list.map((t) => t.storage), rows, cols), [rows, list.length * cols]);
  record(list, [out], ([g]) => backend.unpackColumns(g!.storage, rows, cols, list.length).map((s) => wrap(s, [rows, cols])));
  return out;
}

/**
 * One decode step's attention over a KV cache (no gradient: generation only): qkv [rows, 3·D] with q
 * pre-scaled by 1/√dh; writes k and v into keys/values [rows·heads, cacheLen, dh] at `column` (in
 * place) and attends over the columns keyMask [rows, cacheLen] shows. Returns ctx [rows, D].
 */
export function decodeAttention(qkv: Tensor, keys: Tensor, values: Tensor, keyMask: Tensor, heads: number, column: number): Tensor {
  const [rows, width] = qkv.shape;
  const D = width / 3;
  const cacheLen = keyMask.shape[keyMask.rank - 1];
  const dh = D / heads;
  if (qkv.rank !== 2 || !Number.isInteger(dh) || keys.size !== rows * heads * cacheLen * dh || values.size !== keys.size || keyMask.size !== rows * cacheLen) {
    throw new ShapeError(`decodeAttention: qkv ${qkv.toString()}, caches ${keys.toString()} and ${values.toString()}, keyMask ${keyMask.toString()} do not fit ${heads} heads.`);
  }
  const backend = backendOf('decodeAttention', qkv, keys, values, keyMask);
  return wrap(backend.decodeAttention(qkv.storage, keys.storage, values.storage, keyMask.storage, rows, heads, dh, cacheLen, column), [rows, D]);
}
