// The GPT's training forward pass over a padded batch: token + learned position embeddings,
// pre-LayerNorm blocks (causal multi-head attention, GELU MLP), final LayerNorm, tied output head.
//
// Sequences are laid out as generation lays them out — prompts left-padded so that they all end at
// the same column — so one set of logits serves SFT, RL and the KV-cache equivalence check. Each
// token's position id counts from its row's first real token, and padding keys are masked.
import {
  add, causalSelfAttention, embedding, gelu, layerNorm, linear, matmul, packColumns, reshape, residualLayerNorm, scale, softmax, transpose, type Tensor,
} from '../engine';
import type { GptConfig } from './config';
import type { GptParams } from './params';

export interface BatchInputs {
  /** i32 [B, T] token ids (PAD where keyMask is 0). */
  ids: Tensor;
  /** i32 [B, T] position of each token within its own sequence. */
  positions: Tensor;
  /** f32 [B, T]: 1 for real tokens, 0 for padding. */
  keyMask: Tensor;
}

export function param(params: GptParams, name: string): Tensor {
  const p = params.get(name);
  if (!p) throw new Error(`The model has no parameter "${name}".`);
  return p;
}

export interface ForwardOptions {
  /** The fused training ops (the default): attention as one op over a packed q|k|v projection, each
   *  residual add fused with the layer norm after it, each MLP layer's bias and activation as its
   *  matmul's epilogue (`linear`). false: op by
   *  op (split heads, separate adds, norms and GELU), the reference the fused kernels are tested against. */
  fused?: boolean;
}

/** Multi-head causal self-attention of x [B, T, D] -> [B, T, D], op by op (before the output projection). */
export function attentionUnfused(x2: Tensor, B: number, T: number, c: GptConfig, params: GptParams, l: number, keyMask: Tensor): Tensor {
  const D = c.dModel;
  const H = c.nHeads;
  const dh = D / H;
  const heads = (w: string) => transpose(reshape(matmul(x2, param(params, `h${l}.attn.${w}`)), [B, T, H, dh]), [0, 2, 1, 3]);
  const q = heads('wq');
  const k = heads('wk');
  const v = heads('wv');
  const scores = scale(matmul(q, k, { transB: true }), 1 / Math.sqrt(dh)); // [B, H, T, T]
  const att = softmax(scores, { causal: true, queryLen: T, keyMask, rowsPerBatch: H * T });
  const ctx = transpose(matmul(att, v), [0, 2, 1, 3]); // [B, T, H, dh]
  return matmul(reshape(ctx, [B * T, D]), param(params, `h${l}.attn.wo`));
}

/** The same with the fused attention op: one projection x·(Wq | Wk | Wv), heads read by strides. */
export function attentionFused(x2: Tensor, B: number, c: GptConfig, params: GptParams, l: number, keyMask: Tensor): Tensor {
  const wqkv = packColumns(['wq', 'wk', 'wv'].map((w) => param(params, `h${l}.attn.${w}`)));
  const ctx = causalSelfAttention(matmul(x2, wqkv), keyMask, B, c.nHeads);
  return matmul(ctx, param(params, `h${l}.attn.wo`));
}

/** Logits [B*T, vocab] for every position. */
export function gptForward(config: GptConfig, params: GptParams, batch: BatchInputs, options: ForwardOptions = {}): Tensor {
  const [B, T] = batch.ids.shape;
  if (T > config.contextLength) throw new Error(`A batch of length ${T} exceeds the model's context of ${config.contextLength} tokens.`);
  const D = config.dModel;
  const tokens = reshape(embedding(param(params, 'tok_emb'), batch.ids), [B * T, D]);
  const positions = reshape(embedding(param(params, 'pos_emb'), batch.positions), [B * T, D]);
  const w = (l: number, name: string) => param(params, `h${l}.mlp.${name}`);
  const mlp = (l: number, h2: Tensor) => add(matmul(gelu(add(matmul(h2, w(l, 'w1')), w(l, 'b1'))), w(l, 'w2')), w(l, 'b2'));
  const mlpFused = (l: number, h2: Tensor) => linear(linear(h2, w(l, 'w1'), w(l, 'b1'), 'gelu'), w(l, 'w2'), w(l, 'b2'), 'none');
  const norm = (name: string): [Tensor, Tensor] => [param(params, `${name}.g`), param(params, `${name}.b`)];
  if (options.fused === false) {
    let x = add(tokens, positions);
    for (let l = 0; l < config.nLayers; l++) {
      x = add(x, attentionUnfused(layerNorm(x, ...norm(`h${l}.ln1`)), B, T, config, params, l, batch.keyMask));
      x = add(x, mlp(l, layerNorm(x, ...norm(`h${l}.ln2`))));
    }
    return matmul(layerNorm(x, ...norm('ln_f')), param(params, 'tok_emb'), { transB: true });
  }
  // Every residual add is followed by a norm (the next block's ln1, the block's ln2, or ln_f): fuse each
  // pair; and each MLP bias with its activation.
  let { sum: x, y: h } = residualLayerNorm(tokens, positions, ...norm('h0.ln1'));
  for (let l = 0; l < config.nLayers; l++) {
    const afterAttention = residualLayerNorm(x, attentionFused(h, B, config, params, l, batch.keyMask), ...norm(`h${l}.ln2`));
    const next = residualLayerNorm(afterAttention.sum, mlpFused(l, afterAttention.y), ...norm(l + 1 < config.nLayers ? `h${l + 1}.ln1` : 'ln_f'));
    x = next.sum;
    h = next.y;
  }
  return matmul(h, param(params, 'tok_emb'), { transB: true });
}
