// The TF.js baseline of the train step: the same GPT as bench/generation/tfjsGpt.ts (pre-LN blocks,
// LayerNorm eps 1e-5 with biased variance, tanh-GELU, tied head, learned positions), written for
// training over the padded batch: gathers for the embeddings, an additive [N, 1, T, T] bias for
// causal + key-padding masking, log-softmax · one-hot for the targets' log-probs, and the same
// token-mean PPO-clip loss with old log-probs = a stop-gradient of the current ones (a customGrad:
// TF.js has no stop_gradient). Gradients by TF.js's own autograd through `optimizer.minimize`
// (= tf.variableGrads + applyGradients) with tf.train.adam at our hyper-parameters (weight decay 0
// on both sides: TF.js's Adam is not AdamW). One data() per step.
import * as tf from '@tensorflow/tfjs';
import { parameterShapes, type GptConfig } from '../../src/model/config';
import type { TrainBatch } from './workload';
import { GELU_C } from '../gptConstants';


/** d/dx = 0: logπ_old as a constant view of logπ. */
const stopGradient = tf.customGrad((x, save) => {
  void save;
  return { value: tf.clone(x as tf.Tensor), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

interface TfBatch {
  ids: tf.Tensor1D;
  /** [N*T, vocab] and [N*T, context] one-hots of ids and positions, for the one-hot embedding. */
  idsOneHot: tf.Tensor2D | null;
  positionsOneHot: tf.Tensor2D | null;
  positions: tf.Tensor1D;
  bias: tf.Tensor4D;
  oneHot: tf.Tensor2D;
  advantages: tf.Tensor1D;
  mask: tf.Tensor1D;
}

/** 'gather': tf.gather (its gradient is an UnsortedSegmentSum); 'one-hot': one-hot · table, for
 *  back ends without UnsortedSegmentSum (TF.js's wasm back end): the same values and gradients. */
export type TfjsEmbedding = 'gather' | 'one-hot';

function oneHotRows(ids: Int32Array, width: number): Float32Array {
  const out = new Float32Array(ids.length * width);
  ids.forEach((id, i) => (out[i * width + id] = 1));
  return out;
}

const tensorsOf = (b: TfBatch): tf.Tensor[] => Object.values(b).filter((t): t is tf.Tensor => t !== null);

export class TfjsTrainer {
  private readonly w = new Map<string, tf.Variable>();
  private readonly optimizer: tf.AdamOptimizer;

  constructor(
    readonly config: GptConfig,
    values: Map<string, Float32Array>,
    readonly adam: { lr: number; beta1: number; beta2: number; eps: number },
    readonly embedding: TfjsEmbedding = 'gather',
  ) {
    for (const [name, shape] of parameterShapes(config)) {
      const data = values.get(name);
      if (!data) throw new Error(`TfjsTrainer: missing parameter ${name}.`);
      this.w.set(name, tf.variable(tf.tensor(data, shape, 'float32'), true, `bench_${name}`));
    }
    this.optimizer = tf.train.adam(adam.lr, adam.beta1, adam.beta2, adam.eps);
  }

  private p(name: string): tf.Tensor {
    const t = this.w.get(name);
    if (!t) throw new Error(`TfjsTrainer: no parameter ${name}.`);
    return t;
  }

  private layerNorm(x: tf.Tensor2D, name: string): tf.Tensor2D {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), this.p(`${name}.g`)), this.p(`${name}.b`));
  }

  /** Logits [N*T, V]. */
  private forward(b: TfBatch, N: number, T: number): tf.Tensor2D {
    const c = this.config;
    const D = c.dModel;
    const H = c.nHeads;
    const dh = D / H;
    let x = (
      b.idsOneHot && b.positionsOneHot
        ? tf.add(tf.matMul(b.idsOneHot, this.p('tok_emb') as tf.Tensor2D), tf.matMul(b.positionsOneHot, this.p('pos_emb') as tf.Tensor2D))
        : tf.add(tf.gather(this.p('tok_emb'), b.ids), tf.gather(this.p('pos_emb'), b.positions))
    ) as tf.Tensor2D;
    const heads = (t: tf.Tensor2D) => tf.transpose(tf.reshape(t, [N, T, H, dh]), [0, 2, 1, 3]) as tf.Tensor4D;
    for (let l = 0; l < c.nLayers; l++) {
      const h = this.layerNorm(x, `h${l}.ln1`);
      const q = heads(tf.matMul(h, this.p(`h${l}.attn.wq`) as tf.Tensor2D));
      const k = heads(tf.matMul(h, this.p(`h${l}.attn.wk`) as tf.Tensor2D));
      const v = heads(tf.matMul(h, this.p(`h${l}.attn.wv`) as tf.Tensor2D));
      const att = tf.softmax(tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), b.bias)); // [N, H, T, T]
      const ctx = tf.reshape(tf.transpose(tf.matMul(att, v), [0, 2, 1, 3]), [N * T, D]) as tf.Tensor2D;
      x = tf.add(x, tf.matMul(ctx, this.p(`h${l}.attn.wo`) as tf.Tensor2D));
      const h2 = this.layerNorm(x, `h${l}.ln2`);
      const z = tf.add(tf.matMul(h2, this.p(`h${l}.mlp.w1`) as tf.Tensor2D), this.p(`h${l}.mlp.b1`));
      const inner = tf.mul(tf.add(z, tf.mul(tf.mul(tf.mul(z, z), z), 0.044715)), GELU_C);
      const gelu = tf.mul(tf.mul(z, 0.5), tf.add(tf.tanh(inner), 1));
      x = tf.add(x, tf.add(tf.matMul(gelu as tf.Tensor2D, this.p(`h${l}.mlp.w2`) as tf.Tensor2D), this.p(`h${l}.mlp.b2`)));
    }
    return tf.matMul(this.layerNorm(x, 'ln_f'), this.p('tok_emb') as tf.Tensor2D, false, true);
  }

  private logp(b: TfBatch, batch: TrainBatch): tf.Tensor1D {
    return tf.sum(tf.mul(tf.logSoftmax(this.forward(b, batch.N, batch.T)), b.oneHot), 1);
  }

  private loss(b: TfBatch, batch: TrainBatch): tf.Scalar {
    const logp = this.logp(b, batch);
    const ratio = tf.exp(tf.clipByValue(tf.sub(logp, stopGradient(logp)), -20, 20));
    const unclipped = tf.neg(tf.mul(b.advantages, ratio));
    const clipped = tf.neg(tf.mul(b.advantages, tf.clipByValue(ratio, 0.8, 1.2)));
    return tf.mul(tf.sum(tf.mul(tf.maximum(unclipped, clipped), b.mask)), batch.invTokenCount) as tf.Scalar;
  }

  private upload(batch: TrainBatch): TfBatch {
    const { N, T, packed } = batch;
    const oneHot = this.embedding === 'one-hot';
    return {
      ids: tf.tensor1d(packed.ids, 'int32'),
      idsOneHot: oneHot ? tf.tensor2d(oneHotRows(packed.ids, this.config.vocabSize), [N * T, this.config.vocabSize]) : null,
      positionsOneHot: oneHot ? tf.tensor2d(oneHotRows(packed.positions, this.config.contextLength), [N * T, this.config.contextLength]) : null,
      positions: tf.tensor1d(packed.positions, 'int32'),
      bias: tf.tensor4d(batch.attentionBias, [N, 1, T, T]),
      oneHot: tf.tensor2d(batch.targetOneHot, [N * T, this.config.vocabSize]),
      advantages: tf.tensor1d(batch.tokenAdvantages),
      mask: tf.tensor1d(packed.completionMask),
    };
  }

  /** Loss and Σ mask·logπ, without an update. No gradient norm: reading tf.variableGrads' results
   *  here gave zeros and values that changed from run to run (while minimize's own update matches ours
   *  exactly, see the after-one-step Σ mask·logπ), so the gradients are checked through the update. */
  async probe(batch: TrainBatch): Promise<{ loss: number; logpSum: number; gradNormSq: null }> {
    const b = this.upload(batch);
    const lossT = tf.tidy(() => this.loss(b, batch));
    const logpSumT = tf.tidy(() => tf.sum(tf.mul(this.logp(b, batch), b.mask)));
    const loss = (await lossT.data())[0];
    const logpSum = (await logpSumT.data())[0];
    tf.dispose([lossT, logpSumT, ...tensorsOf(b)]);
    return { loss, logpSum, gradNormSq: null };
  }

  /** One step; resolves to the loss before the update (one readback). */
  async step(batch: TrainBatch): Promise<number> {
    const b = this.upload(batch);
    const loss = this.optimizer.minimize(() => this.loss(b, batch), true, [...this.w.values()]);
    if (!loss) throw new Error('TfjsTrainer: minimize returned no loss.');
    const value = (await loss.data())[0];
    loss.dispose();
    tf.dispose(tensorsOf(b));
    return value;
  }

  dispose(): void {
    for (const v of this.w.values()) v.dispose();
    this.optimizer.dispose();
  }
}
