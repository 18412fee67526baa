// The GPT forward pass split for generation: a prefill over the (left-padded) prompts that fills
// per-layer key/value caches, and a one-token decode step that appends to them. Numerically the same
// model as gptForward (src/model/forward.ts); generate.test.ts checks the step logits against it.
//
// Layout. The B*G generation rows are row r = b*G + g (prompt b, sample g). Each layer's cache is
// [B*G*H, cacheLen, dh] — one [cacheLen, dh] matrix per (row, head), so q·Kᵀ and att·V are plain
// batched matmuls that read the cache in place (batch stride cacheLen*dh). Columns 0..P-1 hold the
// prompts (right-aligned, padding masked by keyMask), column P+t-1 the token fed at step t. The
// caches start zero-filled: unwritten columns are masked, and 0 (not garbage NaN) times a masked
// attention weight of 0 stays 0.
import type { Backend } from '../engine/backend';
import {
  add, biasActivation, decodeAttention, embedding, layerNorm, matmul, packColumns, reshape, residualLayerNorm, scale, softmax, transpose, type Tensor,
} from '../engine';
import { wrap } from '../engine/tape';
import type { GptConfig } from './config';
import { param } from './forward';
import type { GptParams } from './params';

export interface KvCache {
  /** Generation rows (B*G). */
  rows: number;
  /** Columns per row: prompt width + maxNewTokens - 1 (the last sampled token is never fed). */
  cacheLen: number;
  keys: Tensor[]; // per layer [rows*H, cacheLen, dh]
  values: Tensor[];
  /** f32 [rows, cacheLen]: 1 = a written, real key. Extended by one column per decode step. */
  keyMask: Tensor;
}

/** Query projections pre-scaled by 1/√dh, once per generate call, so no step spends a dispatch on it. */
export function scaledQueryWeights(config: GptConfig, params: GptParams): Tensor[] {
  const dh = config.dModel / config.nHeads;
  return Array.from({ length: config.nLayers }, (_, l) => scale(param(params, `h${l}.attn.wq`), 1 / Math.sqrt(dh)));
}

/** Per layer, the decode step's one projection matrix Wq/√dh | Wk | Wv [D, 3D], packed once per generate call. */
export function packedProjections(config: GptConfig, params: GptParams, wq: Tensor[]): Tensor[] {
  return wq.map((w, l) => packColumns([w, param(params, `h${l}.attn.wk`), param(params, `h${l}.attn.wv`)]));
}

/** The norm called `name` applied to x + delta, fused with that residual add (one launch): the stream and the norm. */
function addNorm(x: Tensor, delta: Tensor, params: GptParams, name: string): { sum: Tensor; y: Tensor } {
  return residualLayerNorm(x, delta, param(params, `${name}.g`), param(params, `${name}.b`));
}

/**
 * The rest of block l after its attention output: the residual add and ln2 (fused), the MLP (its biases
 * and GELU fused), its residual add — fused with the next norm (the next block's ln1, or ln_f) when
 * `next` names one. Returns the stream after the block and that norm of it (null when next is null).
 */
function blockRest(x: Tensor, attention: Tensor, params: GptParams, l: number, next: string | null): { x: Tensor; h: Tensor | null } {
  const w = (name: string) => param(params, `h${l}.mlp.${name}`);
  const a = addNorm(x, attention, params, `h${l}.ln2`);
  const mlp = biasActivation(matmul(biasActivation(matmul(a.y, w('w1')), w('b1'), 'gelu'), w('w2')), w('b2'), 'none');
  if (next === null) return { x: add(a.sum, mlp), h: null };
  const r = addNorm(a.sum, mlp, params, next);
  return { x: r.sum, h: r.y };
}

/** The norm that follows block l: the next block's ln1, or ln_f after the last block. */
const nextNorm = (config: GptConfig, l: number) => (l + 1 < config.nLayers ? `h${l + 1}.ln1` : 'ln_f');

function head(x: Tensor, params: GptParams): Tensor {
  const hf = layerNorm(x, param(params, 'ln_f.g'), param(params, 'ln_f.b'));
  return matmul(hf, param(params, 'tok_emb'), { transB: true });
}

/**
 * Runs the B prompts once and writes their keys/values into the caches of all B*G rows (each prompt's
 * G samples share its prefix). ids/positions i32 [B, P], promptMask f32 [B, P] as packBatch lays them
 * out. Returns the residual stream at each row's last prompt position, [B*G, D] (before ln_f): the
 * fused decode path (generateFused.ts) applies the head itself.
 */
export function prefillHidden(
  config: GptConfig,
  params: GptParams,
  wq: Tensor[],
  cache: KvCache,
  prompt: { ids: Tensor; positions: Tensor; keyMask: Tensor },
  samplesPerPrompt: number,
): Tensor {
  const [B, P] = prompt.ids.shape;
  const G = samplesPerPrompt;
  const D = config.dModel;
  const H = config.nHeads;
  const dh = D / H;
  const L = cache.cacheLen;
  const backend: Backend = prompt.ids.backend;
  const tokens = reshape(embedding(param(params, 'tok_emb'), prompt.ids), [B * P, D]);
  let { sum: x, y: h } = addNorm(tokens, reshape(embedding(param(params, 'pos_emb'), prompt.positions), [B * P, D]), params, 'h0.ln1');
  for (let l = 0; l < config.nLayers; l++) {
    const kProj = matmul(h, param(params, `h${l}.attn.wk`)); // [B*P, D] = [B, P, H, dh]
    const vProj = matmul(h, param(params, `h${l}.attn.wv`));
    // Cache write: [B, P, H, dh] read as [B, G(broadcast), H, P, dh] = the rows' [N, H, P, dh], then
    // placed at columns 0..P-1 of each (row, head) matrix.
    for (const [proj, dst] of [[kProj, cache.keys[l]], [vProj, cache.values[l]]] as const) {
      const expanded = backend.stridedCopy(proj.storage, 0, [P * D, 0, dh, D, 1], [B, G, H, P, dh]);
      backend.copyInto(dst.storage, 0, [H * L * dh, L * dh, dh, 1], expanded, [B * G, H, P, dh]);
      backend.free(expanded);
    }
    const heads = (t: Tensor) => transpose(reshape(t, [B, P, H, dh]), [0, 2, 1, 3]);
    const q = heads(matmul(h, wq[l]));
    const scores = matmul(q, heads(kProj), { transB: true }); // [B, H, P, P], already scaled by 1/√dh
    const att = softmax(scores, { causal: true, queryLen: P, keyMask: prompt.keyMask, rowsPerBatch: H * P });
    const ctx = transpose(matmul(att, heads(vProj)), [0, 2, 1, 3]);
    // The last block's stream is left without ln_f: only each prompt's last column needs the head.
    const rest = blockRest(x, matmul(reshape(ctx, [B * P, D]), param(params, `h${l}.attn.wo`)), params, l, l + 1 < config.nLayers ? nextNorm(config, l) : null);
    x = rest.x;
    if (rest.h) h = rest.h;
  }
  // Each prompt's last column, once per sample: [B, P, D] at column P-1 read as [B, G(broadcast), D].
  return wrap(backend.stridedCopy(x.storage, (P - 1) * D, [P * D, 0, 1], [B, G, D]), [B * G, D]);
}

/** prefillHidden, then the head: the logits of each row's last prompt position, [B*G, vocab]. */
export function prefill(
  config: GptConfig,
  params: GptParams,
  wq: Tensor[],
  cache: KvCache,
  prompt: { ids: Tensor; positions: Tensor; keyMask: Tensor },
  samplesPerPrompt: number,
): Tensor {
  return head(prefillHidden(config, params, wq, cache, prompt, samplesPerPrompt), params);
}

/**
 * One decode step: feeds token ids [rows] (i32) at cache column `column` with position embeddings
 * posEmb [rows, D], appends their keys/values, and returns next-token logits [rows, vocab].
 * Per layer: one q|k|v projection (wqkv from packedProjections), one launch for the cache writes and
 * the attention over the cache (decodeAttention), the output projection, its residual add fused with
 * ln2, the MLP (biases and GELU fused) and its residual add fused with the next norm: 9 launches, no
 * host work and no readback.
 */
export function decodeStep(
  config: GptConfig,
  params: GptParams,
  wqkv: Tensor[],
  cache: KvCache,
  ids: Tensor,
  posEmb: Tensor,
  column: number,
  ones: Tensor,
): Tensor {
  const N = cache.rows;
  const L = cache.cacheLen;
  const backend = ids.backend;
  // The new column becomes visible to this step's query (and every later one).
  backend.copyInto(cache.keyMask.storage, column, [L], ones.storage, [N]);
  let { sum: x, y: h } = addNorm(embedding(param(params, 'tok_emb'), ids), posEmb, params, 'h0.ln1'); // [N, D]
  for (let l = 0; l < config.nLayers; l++) {
    // One projection (q pre-scaled), then one launch for the cache writes and the attention over the cache.
    const ctx = decodeAttention(matmul(h, wqkv[l]), cache.keys[l], cache.values[l], cache.keyMask, config.nHeads, column);
    const rest = blockRest(x, matmul(ctx, param(params, `h${l}.attn.wo`)), params, l, nextNorm(config, l));
    x = rest.x;
    h = rest.h!;
  }
  return matmul(h, param(params, 'tok_emb'), { transB: true }); // h is ln_f of the stream
}
