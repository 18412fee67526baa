// The fused decode loop of generate(): the same rollout as the unfused ops in generate.ts, in
// 1 + nLayers dispatches per generated token instead of ~20 per layer.
//
//   once per rollout  pack each block's 12 weights into one buffer and the head's (ln_f, tok_emb,
//                     pos_emb) into another (Backend.concat), and prefill the prompts with the
//                     ordinary ops (prefillHidden): it leaves x [rows, D], the residual stream at
//                     each row's last prompt position;
//   step t            decodeHead: ln_f, the tied head, sampling, the sampled token's log-prob and
//                     entropy written into column t of the outputs, and x ← the token's embedding at
//                     its next position; then, unless t is the last step, one decodeLayer per block
//                     (LN, QKV, cache write, attention, output projection, MLP) at cache column P+t.
//
// Nothing is allocated inside the loop: x, the caches and the outputs are updated in place.
import { noGrad, tensor, tidy, zeros, type Tensor } from '../engine';
import type { Backend } from '../engine/backend';
import { wrap } from '../engine/tape';
import type { GptConfig } from './config';
import { param } from './forward';
import { prefillHidden, scaledQueryWeights, type KvCache } from './kvCache';
import type { PackedBatch } from './batch';
import type { GptParams } from './params';
import { EOS, PAD } from './special';

const LAYER_NORM_EPS = 1e-5; // as ops/nn.ts layerNorm's default, which the unfused model uses

/** The block's weights in the order Backend.decodeLayer documents. */
export function layerWeightNames(l: number): string[] {
  return ['ln1.g', 'ln1.b', 'attn.wq', 'attn.wk', 'attn.wv', 'attn.wo', 'ln2.g', 'ln2.b', 'mlp.w1', 'mlp.b1', 'mlp.w2', 'mlp.b2'].map((n) => `h${l}.${n}`);
}

export const HEAD_WEIGHT_NAMES = ['ln_f.g', 'ln_f.b', 'tok_emb', 'pos_emb'];

export function canFuseDecode(backend: Backend, config: GptConfig): boolean {
  return backend.canFuseDecode({
    dModel: config.dModel,
    nHeads: config.nHeads,
    hidden: config.dModel * config.mlpRatio,
    vocab: config.vocabSize,
    maxCacheLen: config.contextLength,
  });
}

export interface FusedRolloutInputs {
  packed: PackedBatch;
  /** Prompt lengths, one per prompt (BOS included). */
  promptLengths: number[];
  samplesPerPrompt: number;
  maxNewTokens: number;
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
  returnLogits: boolean;
}

/** Tensors to read once: tokens i32 [N, T]; scores f32 [2, N, T] (log-probs, entropies); logits [N, T, V] when asked. */
export function fusedRollout(config: GptConfig, params: GptParams, backend: Backend, inp: FusedRolloutInputs): Tensor[] {
  const { packed, samplesPerPrompt: G, maxNewTokens: T } = inp;
  const B = packed.B;
  const P = packed.promptWidth;
  const N = B * G;
  const D = config.dModel;
  const H = config.nHeads;
  const V = config.vocabSize;
  const F = D * config.mlpRatio;
  const cacheLen = P + T - 1;
  const rowStart = new Int32Array(N);
  for (let r = 0; r < N; r++) rowStart[r] = P - inp.promptLengths[Math.floor(r / G)];
  const greedy = inp.temperature === 0;

  return noGrad(() =>
    tidy(() => {
      const concat = (names: string[]): Tensor => {
        const s = backend.concat(names.map((n) => param(params, n).storage));
        return wrap(s, [s.size]);
      };
      const layerWeights = Array.from({ length: config.nLayers }, (_, l) => concat(layerWeightNames(l)));
      const headWeights = concat(HEAD_WEIGHT_NAMES);
      const cache: KvCache = {
        rows: N,
        cacheLen,
        keys: Array.from({ length: config.nLayers }, () => zeros([N * H, cacheLen, D / H])),
        values: Array.from({ length: config.nLayers }, () => zeros([N * H, cacheLen, D / H])),
        keyMask: zeros([N, cacheLen]), // unused here: decodeLayer masks by rowStart and column
      };
      const prompt = {
        ids: tensor(packed.ids, [B, P], 'i32'),
        positions: tensor(packed.positions, [B, P], 'i32'),
        keyMask: tensor(packed.keyMask, [B, P]),
      };
      const x = prefillHidden(config, params, scaledQueryWeights(config, params), cache, prompt, G);
      const starts = tensor(rowStart, [N], 'i32');
      const finished = zeros([N], 'i32');
      const tokens = zeros([N, T], 'i32');
      const scores = zeros([2, N, T]);
      const logits = inp.returnLogits ? zeros([N, T, V]) : null;
      for (let t = 0; t < T; t++) {
        const last = t === T - 1;
        backend.decodeHead(
          x.storage,
          headWeights.storage,
          finished.storage,
          starts.storage,
          { tokens: tokens.storage, scores: scores.storage, logits: logits?.storage ?? null },
          {
            rows: N,
            dModel: D,
            vocab: V,
            positions: config.contextLength,
            eps: LAYER_NORM_EPS,
            sample: {
              rows: N,
              vocab: V,
              invTemperature: greedy ? 1 : 1 / inp.temperature,
              greedy,
              topK: inp.topK,
              topP: inp.topP,
              seed: inp.seed >>> 0,
              step: t,
              eosId: EOS,
              padId: PAD,
            },
            scoreInvTemperature: greedy ? 1 : 1 / inp.temperature,
            steps: T,
            step: t,
            embedColumn: last ? -1 : P + t,
          },
        );
        if (last) break;
        for (let l = 0; l < config.nLayers; l++) {
          backend.decodeLayer(x.storage, layerWeights[l].storage, cache.keys[l].storage, cache.values[l].storage, starts.storage, {
            rows: N,
            dModel: D,
            nHeads: H,
            hidden: F,
            cacheLen,
            column: P + t,
            maxCacheLen: config.contextLength,
            eps: LAYER_NORM_EPS,
          });
        }
      }
      return logits ? [tokens, scores, logits] : [tokens, scores];
    }),
  );
}
