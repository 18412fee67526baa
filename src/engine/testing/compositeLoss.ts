// A small GPT-shaped computation used by the gradient-oracle test (vs TF.js) and the WebGPU-vs-CPU
// parity test: the same seeded problem, built with our ops.
import { parameter } from '../creation';
import { add, gelu, mul, neg, scale, sub } from '../ops/elementwise';
import { reshape, transpose } from '../ops/layout';
import { matmul } from '../ops/matmul';
import { embedding, layerNorm, softmax } from '../ops/nn';
import { logProbs } from '../ops/logProbs';
import { mean, sum } from '../ops/reduce';
import { tensor } from '../creation';
import type { Tensor } from '../tensor';
import { mulberry32 } from '../random';

export interface CompositeProblem {
  dims: { B: number; T: number; D: number; H: number; V: number; F: number; temperature: number };
  weights: Record<string, { data: Float32Array; shape: number[] }>;
  ids: Int32Array;
  targets: Int32Array;
  keyMask: Float32Array;
  lossWeights: Float32Array;
  entropyCoef: number;
  toParameters(): { params: Record<string, Tensor>; dispose(): void };
}

const rng = mulberry32;

export function makeCompositeProblem(seed: number, dims = { B: 2, T: 5, D: 8, H: 2, V: 11, F: 12, temperature: 0.7 }): CompositeProblem {
  const rand = rng(seed);
  const { B, T, D, V, F } = dims;
  const normal = (n: number, s: number) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * s * 1.7);
  const weights: CompositeProblem['weights'] = {
    tokEmb: { data: normal(V * D, 0.5), shape: [V, D] },
    posEmb: { data: normal(T * D, 0.2), shape: [T, D] },
    ln1g: { data: Float32Array.from({ length: D }, () => 1 + (rand() - 0.5) * 0.2), shape: [D] },
    ln1b: { data: normal(D, 0.05), shape: [D] },
    wq: { data: normal(D * D, 0.35), shape: [D, D] },
    wk: { data: normal(D * D, 0.35), shape: [D, D] },
    wv: { data: normal(D * D, 0.35), shape: [D, D] },
    wo: { data: normal(D * D, 0.35), shape: [D, D] },
    ln2g: { data: Float32Array.from({ length: D }, () => 1 + (rand() - 0.5) * 0.2), shape: [D] },
    ln2b: { data: normal(D, 0.05), shape: [D] },
    w1: { data: normal(D * F, 0.35), shape: [D, F] },
    b1: { data: normal(F, 0.05), shape: [F] },
    w2: { data: normal(F * D, 0.3), shape: [F, D] },
    b2: { data: normal(D, 0.05), shape: [D] },
    lnfg: { data: Float32Array.from({ length: D }, () => 1 + (rand() - 0.5) * 0.2), shape: [D] },
    lnfb: { data: normal(D, 0.05), shape: [D] },
  };
  const ids = Int32Array.from({ length: B * T }, () => Math.floor(rand() * V));
  const targets = Int32Array.from({ length: B * T }, () => Math.floor(rand() * V));
  // The last key of the second sequence is padding.
  const keyMask = Float32Array.from({ length: B * T }, (_, i) => (i === B * T - 1 ? 0 : 1));
  const lossWeights = Float32Array.from({ length: B * T }, (_, i) => (i % T === 0 || keyMask[i] === 0 ? 0 : 1));
  return {
    dims,
    weights,
    ids,
    targets,
    keyMask,
    lossWeights,
    entropyCoef: 0.01,
    toParameters() {
      const params: Record<string, Tensor> = {};
      for (const [name, w] of Object.entries(weights)) params[name] = parameter(w.data, w.shape, name);
      return { params, dispose: () => Object.values(params).forEach((p) => p.dispose()) };
    },
  };
}

export function compositeLoss(p: CompositeProblem, w: Record<string, Tensor>): Tensor {
  const { B, T, D, H, temperature } = p.dims;
  const dh = D / H;
  const ids = tensor(p.ids, [B * T], 'i32');
  const targets = tensor(p.targets, [B * T], 'i32');
  const keyMask = tensor(p.keyMask, [B, T]);
  let x = add(reshape(embedding(w.tokEmb, ids), [B, T, D]), w.posEmb);
  const h = reshape(layerNorm(x, w.ln1g, w.ln1b), [B * T, D]);
  const split = (t: Tensor) => transpose(reshape(t, [B, T, H, dh]), [0, 2, 1, 3]);
  const q = split(matmul(h, w.wq));
  const k = split(matmul(h, w.wk));
  const v = split(matmul(h, w.wv));
  const scores = scale(matmul(q, k, { transB: true }), 1 / Math.sqrt(dh));
  const att = softmax(scores, { causal: true, queryLen: T, keyMask, rowsPerBatch: H * T });
  const ctx = reshape(transpose(matmul(att, v), [0, 2, 1, 3]), [B * T, D]);
  x = add(x, reshape(matmul(ctx, w.wo), [B, T, D]));
  const h2 = reshape(layerNorm(x, w.ln2g, w.ln2b), [B * T, D]);
  const mlp = add(matmul(gelu(add(matmul(h2, w.w1), w.b1)), w.w2), w.b2);
  x = add(x, reshape(mlp, [B, T, D]));
  const hf = reshape(layerNorm(x, w.lnfg, w.lnfb), [B * T, D]);
  const logits = matmul(hf, w.tokEmb, { transB: true });
  const { logp, entropy } = logProbs(logits, targets, temperature);
  const weights = tensor(p.lossWeights, [B * T]);
  const nll = neg(mul(sum(mul(logp, weights)), tensor([1 / p.lossWeights.reduce((a, b) => a + b, 0)], [])));
  return sub(nll, scale(mean(entropy), p.entropyCoef));
}
