// The GPT's training forward pass over a padded batch: token + learned position embeddings,
// pre-LayerNorm blocks (causal multi-head attention, GELU MLP), final LayerNorm, tied output head.
//
// Sequences are laid out as generation lays them out — prompts left-padded so that they all end at
// the same column — so one set of logits serves SFT, RL and the KV-cache equivalence check. Each
// token's position id counts from its row's first real token, and padding keys are masked.
import {
  add, causalSelfAttention, embedding, gelu, layerNorm, matmul, reshape, scale, softmax, transpose, type Tensor,
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
  /** Attention as one fused op (causalSelfAttention, the default) or op by op over split heads (the
   *  reference the fused kernels are tested against). */
  fusedAttention?: boolean;
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

/** The same with the fused attention op: q, k, v stay [B·T, D], read per head by strides. */
export function attentionFused(x2: Tensor, B: number, c: GptConfig, params: GptParams, l: number, keyMask: Tensor): Tensor {
  const project = (w: string) => matmul(x2, param(params, `h${l}.attn.${w}`));
  const ctx = causalSelfAttention(project('wq'), project('wk'), project('wv'), keyMask, B, c.nHeads);
  return matmul(ctx, param(params, `h${l}.attn.wo`));
}

/** Logits [B*T, vocab] for every position. */
export function gptForward(config: GptConfig, params: GptParams, batch: BatchInputs, options: ForwardOptions = {}): Tensor {
  const [B, T] = batch.ids.shape;
  if (T > config.contextLength) throw new Error(`A batch of length ${T} exceeds the model's context of ${config.contextLength} tokens.`);
  const D = config.dModel;
  let x = reshape(add(embedding(param(params, 'tok_emb'), batch.ids), embedding(param(params, 'pos_emb'), batch.positions)), [B * T, D]);
  for (let l = 0; l < config.nLayers; l++) {
    const h = layerNorm(x, param(params, `h${l}.ln1.g`), param(params, `h${l}.ln1.b`));
    const attention = options.fusedAttention === false ? attentionUnfused(h, B, T, config, params, l, batch.keyMask) : attentionFused(h, B, config, params, l, batch.keyMask);
    x = add(x, attention);
    const h2 = layerNorm(x, param(params, `h${l}.ln2.g`), param(params, `h${l}.ln2.b`));
    const mlp = add(matmul(gelu(add(matmul(h2, param(params, `h${l}.mlp.w1`)), param(params, `h${l}.mlp.b1`))), param(params, `h${l}.mlp.w2`)), param(params, `h${l}.mlp.b2`));
    x = add(x, mlp);
  }
  const hf = layerNorm(x, param(params, 'ln_f.g'), param(params, 'ln_f.b'));
  return matmul(hf, param(params, 'tok_emb'), { transB: true });
}
