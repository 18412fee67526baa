// The jax-js baseline of the train step: the same GPT and loss as TfjsTrainer, written in jax-js
// (numpy-style ops under its reference-counting rules: `.ref` for every use of an array but the
// last), differentiated by `valueAndGrad` and compiled with `jit` (which fuses element-wise chains
// into the neighbouring kernels), plus an Adam update (same formula as TF.js's and ours, weight decay
// 0) written with jax-js ops and jitted too. Runs on jax-js's WebGPU device. One data() per step (the
// loss), then blockUntilReady on the new parameters, so the update is inside the timed step even if
// jax-js defers it.
import { blockUntilReady, defaultDevice, init, jit, lax, nn, numpy as np, tree, valueAndGrad } from '@jax-js/jax';
import { parameterShapes, type GptConfig } from '../../src/model/config';
import type { TrainBatch } from './workload';
import { GELU_C } from '../gptConstants';

type Arr = np.Array;
type Params = Record<string, Arr>;
type Batch = { ids: Arr; positions: Arr; bias: Arr; oneHot: Arr; adv: Arr; maskScaled: Arr };


/** Starts jax-js's WebGPU device and makes it the default; throws with the reason when it cannot. */
export async function startJaxWebGpu(): Promise<void> {
  const devices = await init('webgpu');
  if (!devices.includes('webgpu')) throw new Error(`jax-js could not start its WebGPU device (init gave: ${JSON.stringify(devices)}).`);
  defaultDevice('webgpu');
}

/** LayerNorm (eps 1e-5, biased variance) in jax-js; also used by the rollout's JaxGpt. */
export function layerNorm(x: Arr, g: Arr, b: Arr): Arr {
  const mean = x.ref.mean(-1, { keepdims: true });
  const xc = x.sub(mean);
  const variance = np.square(xc.ref).mean(-1, { keepdims: true });
  return xc.div(np.sqrt(variance.add(1e-5))).mul(g).add(b);
}

export class JaxTrainer {
  private params: Params = {};
  private m: Params = {};
  private v: Params = {};
  private t = 0;
  private readonly names: string[];
  private gradFn: (params: Params, b: Batch) => [Arr, Params];
  private logpSumFn!: (params: Params, b: Batch) => Arr;
  private readonly update: (params: Params, grads: Params, m: Params, v: Params, c1: Arr, c2: Arr) => [Params, Params, Params];
  /** How the embeddings are looked up: 'take' (a gather, whose gradient is a scatter-add) unless it failed. */
  embedding: 'take' | 'one-hot matmul' = 'take';

  constructor(
    readonly config: GptConfig,
    values: Map<string, Float32Array>,
    readonly adam: { lr: number; beta1: number; beta2: number; eps: number },
    readonly N: number,
    readonly T: number,
  ) {
    this.names = parameterShapes(config).map(([name]) => name);
    for (const [name, shape] of parameterShapes(config)) {
      const data = values.get(name);
      if (!data) throw new Error(`JaxTrainer: missing parameter ${name}.`);
      this.params[name] = np.array(Float32Array.from(data), { shape });
      this.m[name] = np.zeros(shape);
      this.v[name] = np.zeros(shape);
    }
    this.gradFn = this.buildGrad();
    const { beta1: b1, beta2: b2, eps } = adam;
    this.update = jit((params: Params, grads: Params, m: Params, v: Params, c1: Arr, c2: Arr): [Params, Params, Params] => {
      const np_: Params = {};
      const nm: Params = {};
      const nv: Params = {};
      for (const name of Object.keys(params)) {
        const g = grads[name];
        const mi = m[name].mul(b1).add(g.ref.mul(1 - b1));
        const vi = v[name].mul(b2).add(g.ref.mul(g).mul(1 - b2));
        // p − lr·(m/bc1) / (sqrt(v/bc2) + eps), with c1 = lr/bc1, c2 = 1/bc2
        np_[name] = params[name].sub(mi.ref.mul(c1.ref).div(np.sqrt(vi.ref.mul(c2.ref)).add(eps)));
        nm[name] = mi;
        nv[name] = vi;
      }
      c1.dispose();
      c2.dispose();
      return [np_, nm, nv];
    }) as unknown as JaxTrainer['update'];
  }

  private buildGrad(): JaxTrainer['gradFn'] {
    const c = this.config;
    const { N, T } = this;
    const M = N * T;
    const D = c.dModel;
    const H = c.nHeads;
    const dh = D / H;
    const V = c.vocabSize;
    const oneHotEmbed = this.embedding === 'one-hot matmul';
    const embed = (table: Arr, ids: Arr, rows: number): Arr =>
      oneHotEmbed ? np.matmul(nn.oneHot(ids, rows).astype(np.float32), table) : np.take(table, ids, 0);
    const logProbs = (p: Params, b: Batch): Arr => {
      let x = embed(p.tok_emb.ref, b.ids, V).add(embed(p.pos_emb, b.positions, c.contextLength)); // [M, D]
      const heads = (t: Arr) => t.reshape([N, T, H, dh]).transpose([0, 2, 1, 3]);
      for (let l = 0; l < c.nLayers; l++) {
        const h = layerNorm(x.ref, p[`h${l}.ln1.g`], p[`h${l}.ln1.b`]);
        const q = heads(np.matmul(h.ref, p[`h${l}.attn.wq`]));
        const k = heads(np.matmul(h.ref, p[`h${l}.attn.wk`]));
        const v = heads(np.matmul(h, p[`h${l}.attn.wv`]));
        const scores = np.matmul(q, k.transpose([0, 1, 3, 2])).mul(1 / Math.sqrt(dh)).add(b.bias.ref); // [N, H, T, T]
        const ctx = np.matmul(nn.softmax(scores, -1), v).transpose([0, 2, 1, 3]).reshape([M, D]);
        x = x.add(np.matmul(ctx, p[`h${l}.attn.wo`]));
        const h2 = layerNorm(x.ref, p[`h${l}.ln2.g`], p[`h${l}.ln2.b`]);
        const z = np.matmul(h2, p[`h${l}.mlp.w1`]).add(p[`h${l}.mlp.b1`]);
        const inner = z.ref.add(z.ref.mul(z.ref).mul(z.ref).mul(0.044715)).mul(GELU_C);
        const gelu = z.mul(0.5).mul(np.tanh(inner).add(1));
        x = x.add(np.matmul(gelu, p[`h${l}.mlp.w2`]).add(p[`h${l}.mlp.b2`]));
      }
      b.bias.dispose();
      const logits = np.matmul(layerNorm(x, p['ln_f.g'], p['ln_f.b']), p.tok_emb.transpose()); // [M, V]
      return nn.logSoftmax(logits, -1).mul(b.oneHot).sum(-1); // [M]
    };
    const loss = (p: Params, b: Batch): Arr => {
      const logp = logProbs(p, b);
      const ratio = np.exp(np.clip(logp.ref.sub(lax.stopGradient(logp)), -20, 20));
      const unclipped = b.adv.ref.mul(ratio.ref).neg();
      const clipped = b.adv.mul(np.clip(ratio, 0.8, 1.2)).neg();
      return np.maximum(unclipped, clipped).mul(b.maskScaled).sum();
    };
    this.logpSumFn = jit((p: Params, b: Batch): Arr => {
      b.adv.dispose();
      return logProbs(p, b).mul(b.maskScaled).sum();
    }) as unknown as JaxTrainer['logpSumFn'];
    return jit(valueAndGrad(loss)) as unknown as JaxTrainer['gradFn'];
  }

  /** Loss, Σ mask·logπ and the squared global gradient norm, without an update. */
  async probe(batch: TrainBatch): Promise<{ loss: number; logpSum: number; gradNormSq: number }> {
    const [loss, grads] = this.gradFn(tree.ref(this.params), this.upload(batch));
    const sq = Object.values(grads).map((g) => np.square(g).sum());
    const gradNormSq = sq.slice(1).reduce((a, x) => a.add(x), sq[0]);
    const logpSum = this.logpSumFn(tree.ref(this.params), this.upload(batch));
    return {
      loss: (await loss.data())[0],
      logpSum: (await logpSum.data())[0] / batch.invTokenCount,
      gradNormSq: (await gradNormSq.data())[0],
    };
  }

  /** Switch to one-hot-matmul embeddings (differentiable without a scatter), e.g. when take's fails. */
  useOneHotEmbedding(): void {
    this.embedding = 'one-hot matmul';
    this.gradFn = this.buildGrad();
  }

  private upload(batch: TrainBatch): Batch {
    const { N, T, packed } = batch;
    const maskScaled = Float32Array.from(packed.completionMask, (m) => m * batch.invTokenCount);
    return {
      ids: np.array(Int32Array.from(packed.ids), { dtype: np.int32 }),
      positions: np.array(Int32Array.from(packed.positions), { dtype: np.int32 }),
      bias: np.array(Float32Array.from(batch.attentionBias), { shape: [N, 1, T, T] }),
      oneHot: np.array(Float32Array.from(batch.targetOneHot), { shape: [N * T, this.config.vocabSize] }),
      adv: np.array(Float32Array.from(batch.tokenAdvantages)),
      maskScaled: np.array(maskScaled),
    };
  }

  /** One step; resolves to the loss before the update (one readback of the loss). */
  async step(batch: TrainBatch): Promise<number> {
    const b = this.upload(batch);
    const [loss, grads] = this.gradFn(tree.ref(this.params), b);
    this.t++;
    const { lr, beta1, beta2 } = this.adam;
    const c1 = np.array([lr / (1 - beta1 ** this.t)]);
    const c2 = np.array([1 / (1 - beta2 ** this.t)]);
    [this.params, this.m, this.v] = this.update(this.params, grads, this.m, this.v, c1, c2);
    const value = (await loss.data())[0]; // data() consumes the array
    await blockUntilReady(this.params);
    return value;
  }

  dispose(): void {
    tree.dispose([this.params, this.m, this.v]);
  }

  get parameterNames(): string[] {
    return this.names;
  }
}
