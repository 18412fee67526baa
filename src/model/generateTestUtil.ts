// Shared by generate.test.ts (CPU) and generate.gpu.test.ts (WebGPU): a tiny random GPT with weights
// large enough that attention is far from uniform and logits spread over several units, and a full
// gptForward reference for generated rows.
import { noGrad, readAll, tensor, tidy } from '../engine';
import { mulberry32, normalArray } from '../engine/random';
import { packBatch } from './batch';
import { parameterShapes, type GptConfig } from './config';
import { gptForward } from './forward';
import type { GenerateResult } from './generate';
import type { GptParams } from './params';
import { EOS } from './special';

export const tinyConfig: GptConfig = { vocabSize: 12, contextLength: 24, dModel: 32, nHeads: 2, nLayers: 2, mlpRatio: 2 };

/** Random values: matrices N(0, 0.3²), LayerNorm gains 1 ± 0.1, biases ±0.1. */
export function randomValues(config: GptConfig, seed: number): Map<string, Float32Array> {
  const uniform = mulberry32(seed);
  const values = new Map<string, Float32Array>();
  for (const [name, shape] of parameterShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (name.endsWith('.g')) data = normalArray(n, 0.1, uniform).map((v) => 1 + v);
    else if (shape.length === 1) data = normalArray(n, 0.1, uniform);
    else data = normalArray(n, 0.3, uniform);
    values.set(name, data);
  }
  return values;
}

/** Makes EOS likelier by `boost` logits everywhere: final LN bias +1 on dim 0, EOS embedding = boost there. */
export function boostEos(config: GptConfig, values: Map<string, Float32Array>, boost: number, flatten = false): Map<string, Float32Array> {
  const out = new Map([...values].map(([k, v]) => [k, Float32Array.from(v)]));
  const d = config.dModel;
  const lnG = out.get('ln_f.g')!;
  const lnB = out.get('ln_f.b')!;
  const emb = out.get('tok_emb')!;
  if (flatten) lnG.fill(0); // every logit comes from the bias alone: EOS = boost, the rest 0
  lnB.fill(0);
  lnB[0] = 1;
  lnG[0] = 0;
  for (let v = 0; v < config.vocabSize; v++) emb[v * d] = v === EOS ? boost : 0;
  return out;
}

/** Prompts of different lengths (BOS first), so the batch is padded. */
export function testPrompts(config: GptConfig): number[][] {
  const V = config.vocabSize;
  return [
    [1, 5, 7, 3],
    [1, 9],
    [1, 4, 4, 6, 8, 10],
  ].map((p) => p.map((t) => t % V));
}

/** gptForward's logits at the positions generation sampled from: [rows, T, vocab] (0 beyond each length). */
export async function referenceStepLogits(config: GptConfig, params: GptParams, prompts: number[][], result: GenerateResult): Promise<Float32Array> {
  const { rows, samplesPerPrompt: G, maxNewTokens: T, promptWidth: P } = result;
  const V = config.vocabSize;
  const rowPrompts = Array.from({ length: rows }, (_, r) => prompts[Math.floor(r / G)]);
  const completions = Array.from({ length: rows }, (_, r) => result.completion(r));
  const packed = packBatch(rowPrompts, completions, P, T);
  const logits = noGrad(() =>
    tidy(() =>
      gptForward(config, params, {
        ids: tensor(packed.ids, [rows, P + T], 'i32'),
        positions: tensor(packed.positions, [rows, P + T], 'i32'),
        keyMask: tensor(packed.keyMask, [rows, P + T]),
      }),
    ),
  );
  const [all] = (await readAll([logits])) as Float32Array[];
  logits.dispose();
  const out = new Float32Array(rows * T * V);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < result.lengths[r]; t++) {
      const col = P - 1 + t;
      out.set(all.subarray((r * (P + T) + col) * V, (r * (P + T) + col + 1) * V), (r * T + t) * V);
    }
  }
  return out;
}

/** max |a - b| / max |b| over the first `lengths[r]` steps of every row. */
export function relativeStepError(a: Float32Array, b: Float32Array, result: GenerateResult, V: number): number {
  let maxDiff = 0;
  let maxAbs = 0;
  const T = result.maxNewTokens;
  for (let r = 0; r < result.rows; r++) {
    for (let t = 0; t < result.lengths[r]; t++) {
      for (let v = 0; v < V; v++) {
        const i = (r * T + t) * V + v;
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        maxAbs = Math.max(maxAbs, Math.abs(b[i]));
      }
    }
  }
  return maxDiff / Math.max(maxAbs, 1e-30);
}

export function argmax(x: ArrayLike<number>, off: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (x[off + j] > x[off + best]) best = j;
  return best;
}

/** log softmax(z / T)[id] and the entropy of softmax(z / T), in f64. */
export function logpAndEntropy(x: ArrayLike<number>, off: number, n: number, temperature: number, id: number): [number, number] {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, x[off + j] / temperature);
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(x[off + j] / temperature - m);
  const lse = m + Math.log(s);
  let h = 0;
  for (let j = 0; j < n; j++) {
    const lp = x[off + j] / temperature - lse;
    h -= Math.exp(lp) * lp;
  }
  return [x[off + id] / temperature - lse, h];
}
