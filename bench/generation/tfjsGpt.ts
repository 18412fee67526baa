// The baseline for the generation benchmark: the same GPT (src/model) written the way a competent
// TF.js user would write batched KV-cache generation, run on TF.js's WebGPU backend.
//
//   prefill   the B prompts (right-aligned, padding masked by an additive -1e9 bias), then each
//             prompt's keys/values and last-position logits are gathered out to its G sample rows;
//   per step  sample on the GPU (tf.multinomial at the temperature, or tf.argMax when greedy), PAD for
//             rows that already emitted EOS, log-prob and entropy of the sampled token at the
//             temperature (what a rollout must return for RL, and what ours returns), then embed the
//             token, and per layer: LayerNorm, q/k/v projections, keys/values appended to the cache
//             with tf.concat, q·Kᵀ + padding bias, softmax, att·V, output projection, GELU MLP; final
//             LayerNorm and the tied head give the next logits;
//   end       tokens, log-probs and entropies stacked into one tensor and read with ONE data().
//
// Every step runs in tf.tidy(); the previous step's cache/logits are disposed by hand, so memory stays
// flat. Same numerics as ours: pre-LN blocks, LayerNorm eps 1e-5 with biased variance, tanh-GELU,
// queries pre-scaled by 1/√dh, tied output head, position ids counted from each row's first token.
import * as tf from '@tensorflow/tfjs';
import { parameterShapes, type GptConfig } from '../../src/model/config';
import { EOS_ID, PAD_ID } from '../../src/tasks/tokenizer';
import { GELU_C } from '../gptConstants';
import { rolloutLayout, type RolloutOptions, type RolloutResult } from './rolloutLayout';

const EOS = EOS_ID;
const PAD = PAD_ID;

/** One step's carried state: every tensor here outlives the step's tidy(). */
type StepState = {
  ids: tf.Tensor1D;
  finished: tf.Tensor1D;
  logp: tf.Tensor1D;
  entropy: tf.Tensor1D;
  logits?: tf.Tensor2D;
  keys?: tf.Tensor4D[];
  values?: tf.Tensor4D[];
};

export class TfjsGpt {
  private readonly w = new Map<string, tf.Tensor>();
  /** Query projections pre-scaled by 1/√dh (ours does the same). */
  private readonly wq: tf.Tensor2D[];

  constructor(readonly config: GptConfig, values: Map<string, Float32Array>) {
    for (const [name, shape] of parameterShapes(config)) {
      const data = values.get(name);
      if (!data) throw new Error(`TfjsGpt: missing parameter ${name}.`);
      this.w.set(name, tf.tensor(data, shape, 'float32'));
    }
    const dh = config.dModel / config.nHeads;
    this.wq = Array.from({ length: config.nLayers }, (_, l) => tf.mul(this.p(`h${l}.attn.wq`), 1 / Math.sqrt(dh)) as tf.Tensor2D);
  }

  dispose(): void {
    for (const t of this.w.values()) t.dispose();
    for (const t of this.wq) t.dispose();
  }

  private p(name: string): tf.Tensor {
    const t = this.w.get(name);
    if (!t) throw new Error(`TfjsGpt: no parameter ${name}.`);
    return t;
  }

  private layerNorm(x: tf.Tensor2D, name: string): tf.Tensor2D {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), this.p(`${name}.g`)), this.p(`${name}.b`));
  }

  private mlp(x: tf.Tensor2D, l: number): tf.Tensor2D {
    const h = this.layerNorm(x, `h${l}.ln2`);
    const z = tf.add(tf.matMul(h, this.p(`h${l}.mlp.w1`) as tf.Tensor2D), this.p(`h${l}.mlp.b1`));
    const inner = tf.mul(tf.add(z, tf.mul(tf.mul(tf.mul(z, z), z), 0.044715)), GELU_C);
    const gelu = tf.mul(tf.mul(z, 0.5), tf.add(tf.tanh(inner), 1));
    return tf.add(x, tf.add(tf.matMul(gelu as tf.Tensor2D, this.p(`h${l}.mlp.w2`) as tf.Tensor2D), this.p(`h${l}.mlp.b2`)));
  }

  private head(x: tf.Tensor2D): tf.Tensor2D {
    return tf.matMul(this.layerNorm(x, 'ln_f'), this.p('tok_emb') as tf.Tensor2D, false, true);
  }

  /** B prompts (BOS included) × G samples, T new tokens; one readback at the end. */
  async generate(prompts: number[][], o: RolloutOptions): Promise<RolloutResult> {
    const c = this.config;
    const B = prompts.length;
    const G = o.samplesPerPrompt;
    const T = o.maxNewTokens;
    const N = B * G;
    const D = c.dModel;
    const H = c.nHeads;
    const dh = D / H;
    const V = c.vocabSize;
    const P = Math.max(...prompts.map((p) => p.length));
    if (P + T > c.contextLength) throw new Error(`TfjsGpt: ${P} + ${T} tokens exceed the context of ${c.contextLength}.`);
    const cacheLen = P + T - 1;
    const greedy = o.temperature === 0;
    const invTemp = greedy ? 1 : 1 / o.temperature;

    // ---- host-side layout (right-aligned prompts, positions, masks), uploaded once before the loop
    const { ids, positions, promptBias, rowBias, rowToPrompt } = rolloutLayout(prompts, G, cacheLen);
    // Position of the token fed at step t ≥ 1: its row's prompt length + t - 1.
    const stepPositions = Array.from({ length: Math.max(T - 1, 0) }, (_, i) => Int32Array.from(rowToPrompt, (b) => prompts[b].length + i));
    const idsT = tf.tensor2d(ids, [B, P], 'int32');
    const positionsT = tf.tensor2d(positions, [B, P], 'int32');
    const promptBiasT = tf.tensor4d(promptBias, [B, 1, P, P]);
    const rowBiasT = tf.tensor4d(rowBias, [N, 1, 1, cacheLen]);
    const rowToPromptT = tf.tensor1d(rowToPrompt, 'int32');
    const stepPositionsT = stepPositions.map((p) => tf.tensor1d(p, 'int32'));
    const padT = tf.fill([N], PAD, 'int32') as tf.Tensor1D;
    const eosT = tf.scalar(EOS, 'int32');

    // ---- prefill
    const first = tf.tidy(() => {
      let x = tf.add(
        tf.gather(this.p('tok_emb'), idsT.reshape([B * P])),
        tf.gather(this.p('pos_emb'), positionsT.reshape([B * P])),
      ) as tf.Tensor2D;
      const heads = (t: tf.Tensor2D) => tf.transpose(tf.reshape(t, [B, P, H, dh]), [0, 2, 1, 3]) as tf.Tensor4D;
      const keys: tf.Tensor4D[] = [];
      const values: tf.Tensor4D[] = [];
      for (let l = 0; l < c.nLayers; l++) {
        const h = this.layerNorm(x, `h${l}.ln1`);
        const q = heads(tf.matMul(h, this.wq[l]));
        const k = heads(tf.matMul(h, this.p(`h${l}.attn.wk`) as tf.Tensor2D));
        const v = heads(tf.matMul(h, this.p(`h${l}.attn.wv`) as tf.Tensor2D));
        const att = tf.softmax(tf.add(tf.matMul(q, k, false, true), promptBiasT)); // [B, H, P, P]
        const ctx = tf.reshape(tf.transpose(tf.matMul(att, v), [0, 2, 1, 3]), [B * P, D]) as tf.Tensor2D;
        x = tf.add(x, tf.matMul(ctx, this.p(`h${l}.attn.wo`) as tf.Tensor2D));
        x = this.mlp(x, l);
        // Each prompt's cache, once per sample row: [N, H, P, dh].
        keys.push(tf.gather(k, rowToPromptT));
        values.push(tf.gather(v, rowToPromptT));
      }
      const last = tf.reshape(tf.slice(tf.reshape(x, [B, P, D]), [0, P - 1, 0], [B, 1, D]), [B, D]) as tf.Tensor2D;
      const logits = tf.gather(this.head(last), rowToPromptT) as tf.Tensor2D; // [N, V]
      return { logits, keys, values };
    });

    let logits = first.logits;
    let keys = first.keys;
    let values = first.values;
    let finished = tf.zeros([N], 'bool') as tf.Tensor1D;
    const stepTokens: tf.Tensor1D[] = [];
    const stepLogp: tf.Tensor1D[] = [];
    const stepEntropy: tf.Tensor1D[] = [];
    const stepLogits: tf.Tensor2D[] = [];

    for (let t = 0; t < T; t++) {
      const last = t === T - 1;
      const s = tf.tidy((): StepState => {
        const scaled = greedy ? logits : (tf.mul(logits, invTemp) as tf.Tensor2D);
        const sampled = greedy
          ? (tf.argMax(logits, 1) as tf.Tensor1D)
          : (tf.reshape(tf.multinomial(scaled, 1, o.seed + t), [N]) as tf.Tensor1D);
        const ids = tf.where(finished, padT, sampled) as tf.Tensor1D;
        const nowFinished = tf.logicalOr(finished, tf.equal(ids, eosT)) as tf.Tensor1D;
        const logSm = tf.logSoftmax(scaled);
        const logp = tf.sum(tf.mul(logSm, tf.oneHot(ids, V)), 1) as tf.Tensor1D;
        const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logSm), logSm), 1)) as tf.Tensor1D;
        if (last) return { ids, finished: nowFinished, logp, entropy };

        // Feed the token at cache column P + t (keys visible: columns 0 .. P + t).
        const len = P + t + 1;
        const bias = tf.slice(rowBiasT, [0, 0, 0, 0], [N, 1, 1, len]);
        let x = tf.add(tf.gather(this.p('tok_emb'), ids), tf.gather(this.p('pos_emb'), stepPositionsT[t])) as tf.Tensor2D;
        const newKeys: tf.Tensor4D[] = [];
        const newValues: tf.Tensor4D[] = [];
        for (let l = 0; l < c.nLayers; l++) {
          const h = this.layerNorm(x, `h${l}.ln1`);
          const q = tf.reshape(tf.matMul(h, this.wq[l]), [N, H, 1, dh]) as tf.Tensor4D;
          const k = tf.reshape(tf.matMul(h, this.p(`h${l}.attn.wk`) as tf.Tensor2D), [N, H, 1, dh]) as tf.Tensor4D;
          const v = tf.reshape(tf.matMul(h, this.p(`h${l}.attn.wv`) as tf.Tensor2D), [N, H, 1, dh]) as tf.Tensor4D;
          const K = tf.concat([keys[l], k], 2);
          const Vc = tf.concat([values[l], v], 2);
          newKeys.push(K);
          newValues.push(Vc);
          const att = tf.softmax(tf.add(tf.matMul(q, K, false, true), bias)); // [N, H, 1, len]
          const ctx = tf.reshape(tf.matMul(att, Vc), [N, D]) as tf.Tensor2D; // [N, H, 1, dh] = [N, H*dh]
          x = tf.add(x, tf.matMul(ctx, this.p(`h${l}.attn.wo`) as tf.Tensor2D));
          x = this.mlp(x, l);
        }
        return { ids, finished: nowFinished, logp, entropy, logits: this.head(x), keys: newKeys, values: newValues };
      });
      stepTokens.push(s.ids);
      stepLogp.push(s.logp);
      stepEntropy.push(s.entropy);
      if (o.returnLogits) stepLogits.push(logits);
      else logits.dispose();
      finished.dispose();
      finished = s.finished;
      for (const k of keys) k.dispose();
      for (const v of values) v.dispose();
      if (s.logits && s.keys && s.values) {
        logits = s.logits;
        keys = s.keys;
        values = s.values;
      } else {
        keys = [];
        values = [];
      }
    }

    // ---- one readback: [3, T, N] = tokens (as floats; ids < 2^24 are exact), log-probs, entropies
    const packed = tf.tidy(() =>
      tf.stack([tf.cast(tf.stack(stepTokens), 'float32'), tf.stack(stepLogp), tf.stack(stepEntropy)]),
    );
    const allLogits = o.returnLogits ? tf.tidy(() => tf.transpose(tf.stack(stepLogits), [1, 0, 2])) : null;
    const [data, logitsData] = await Promise.all([packed.data() as Promise<Float32Array>, allLogits?.data() as Promise<Float32Array> | undefined]);
    tf.dispose([packed, finished, idsT, positionsT, promptBiasT, rowBiasT, rowToPromptT, padT, eosT, ...stepPositionsT]);
    tf.dispose([...stepTokens, ...stepLogp, ...stepEntropy, ...stepLogits]);
    if (allLogits) allLogits.dispose();

    const tokens = new Int32Array(N * T);
    const logProbs = new Float32Array(N * T);
    const entropies = new Float32Array(N * T);
    for (let t = 0; t < T; t++) {
      for (let r = 0; r < N; r++) {
        tokens[r * T + t] = data[t * N + r];
        logProbs[r * T + t] = data[(T + t) * N + r];
        entropies[r * T + t] = data[(2 * T + t) * N + r];
      }
    }
    return { tokens, logProbs, entropies, logits: logitsData };
  }
}
