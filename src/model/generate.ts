// Batched generation with a KV cache: B prompts × G samples at once, entirely on the backend, with ONE
// readback at the end (DESIGN.md, "Engine rules").
//
//   prefill (once)   the B prompts, right-aligned as packBatch lays them out, fill every layer's K/V
//                    cache for all B*G rows and give the first step's logits;
//   step t = 0..T-1  sampleTokens draws one token per row from the step's logits (a counter-based hash
//                    of (seed, t, row), so the same seed gives the same samples); logProbs scores it
//                    at the sampling temperature over the full vocabulary (what the RL forward
//                    recomputes); both are copied into [rows, T] buffers; then, unless t is the last
//                    step, decodeStep feeds the token at column P+t and produces the next logits.
//
// Finished rows (EOS sampled) are not re-run differently: sampleTokens makes them emit PAD and they
// ride along. All host-side layout (packing, positions, masks) is computed and uploaded before the
// loop; nothing is read until the end. Every step runs in its own tidy(), so memory stays flat.
import { getBackend, logProbs, noGrad, readAll, tensor, tidy, zeros, full, embedding, type Tensor } from '../engine';
import { sampleTokens } from '../engine/ops/sample';
import { wrap } from '../engine/tape';
import type { GptConfig } from './config';
import { param } from './forward';
import { decodeStep, packedProjections, prefill, scaledQueryWeights, type KvCache } from './kvCache';
import { packBatch } from './batch';
import { canFuseDecode, fusedRollout } from './generateFused';
import type { GptParams } from './params';
import { EOS, PAD } from './special';

export interface GenerateOptions {
  /** G: samples drawn per prompt. Row r of the result is prompt floor(r / G), sample r % G. */
  samplesPerPrompt: number;
  /** T: tokens generated per row (EOS included); rows that stop early are padded with PAD. */
  maxNewTokens: number;
  /** 0 = greedy (argmax, ties to the lowest id). */
  temperature: number;
  /** Keep only the k most likely tokens; 0 (default) = off. */
  topK?: number;
  /** Nucleus sampling threshold; 1 (default) = off. */
  topP?: number;
  /** Any integer; used as a u32. Same seed ⇒ same samples on the same backend. */
  seed: number;
  /** Also return every step's logits (tests and the inspector); costs rows × T × vocab floats. */
  returnLogits?: boolean;
  /** 'auto' (default): the fused decode kernels (generateFused.ts, 1 + nLayers dispatches per token)
   *  when the backend can run this model, else the unfused ops; 'fused' insists (an error if the backend cannot); 'unfused' keeps the op-by-op loop below,
   *  the reference the tests compare to. */
  decode?: 'auto' | 'fused' | 'unfused';
}

export interface GenerateResult {
  /** B*G. */
  rows: number;
  samplesPerPrompt: number;
  maxNewTokens: number;
  /** Width the prompts were right-aligned to (the longest prompt). */
  promptWidth: number;
  /** i32 [rows, maxNewTokens]: sampled ids, PAD after EOS. */
  tokens: Int32Array;
  /** [rows] tokens up to and including the first EOS (maxNewTokens when there is none). */
  lengths: Int32Array;
  /** [rows] 1 when the row sampled EOS, 0 when it ran out of tokens (clipped). */
  stopped: Uint8Array;
  /** f32 [rows, maxNewTokens]: log π(token) at the sampling temperature (T = 1 when greedy), full
   *  vocabulary, before top-k/top-p; 0 beyond the row's length. */
  logProbs: Float32Array;
  /** f32 [rows, maxNewTokens]: full-vocabulary entropy at the same temperature; 0 beyond the length. */
  entropies: Float32Array;
  /** f32 [rows, maxNewTokens, vocab] when options.returnLogits. */
  logits?: Float32Array;
  /** Row r's completion as a policy would be trained on it: tokens[r, 0 .. lengths[r]), EOS included. */
  completion(row: number): number[];
}

function checkOptions(config: GptConfig, prompts: number[][], o: GenerateOptions): void {
  const int = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`generate: ${name} must be an integer >= ${min}, got ${v}.`);
  };
  int('samplesPerPrompt', o.samplesPerPrompt, 1);
  int('maxNewTokens', o.maxNewTokens, 1);
  int('topK', o.topK ?? 0, 0);
  int('seed', o.seed, -0x80000000);
  if (!(Number.isFinite(o.temperature) && o.temperature >= 0)) throw new Error(`generate: temperature must be >= 0, got ${o.temperature}.`);
  const topP = o.topP ?? 1;
  if (!(topP > 0 && topP <= 1)) throw new Error(`generate: topP must be in (0, 1], got ${topP}.`);
  prompts.forEach((p, i) => {
    if (p.length === 0) throw new Error(`generate: prompt ${i} is empty (it should start with BOS).`);
    for (const id of p) {
      if (!Number.isInteger(id) || id < 0 || id >= config.vocabSize) throw new Error(`generate: prompt ${i} has token ${id}, outside the vocabulary of ${config.vocabSize}.`);
    }
  });
  const P = Math.max(...prompts.map((p) => p.length));
  if (P + o.maxNewTokens > config.contextLength) {
    throw new Error(`generate: the longest prompt (${P} tokens) plus ${o.maxNewTokens} new tokens exceeds the model's context of ${config.contextLength}.`);
  }
}

/** Samples G completions for each prompt (BOS included) with one readback. */
export async function generate(config: GptConfig, params: GptParams, prompts: number[][], options: GenerateOptions): Promise<GenerateResult> {
  checkOptions(config, prompts, options);
  const B = prompts.length;
  const G = options.samplesPerPrompt;
  const T = options.maxNewTokens;
  const N = B * G;
  const V = config.vocabSize;
  const D = config.dModel;
  const H = config.nHeads;
  const dh = D / H;
  if (B === 0) return emptyResult(G, T);
  const P = Math.max(...prompts.map((p) => p.length));
  const cacheLen = P + T - 1;

  // ---- host-side layout, uploaded once
  const packed = packBatch(prompts, [], P, 0);
  const keyMaskInit = new Float32Array(N * cacheLen);
  for (let r = 0; r < N; r++) keyMaskInit.set(packed.keyMask.subarray(Math.floor(r / G) * P, Math.floor(r / G) * P + P), r * cacheLen);
  // Position of the token fed at step t (t = 1..T-1) in row r: its prompt's length + t - 1.
  const stepPositions = new Int32Array(Math.max(T - 1, 0) * N);
  for (let t = 1; t < T; t++) for (let r = 0; r < N; r++) stepPositions[(t - 1) * N + r] = prompts[Math.floor(r / G)].length + t - 1;
  const temperature = options.temperature;
  const scoreTemperature = temperature > 0 ? temperature : 1;

  const mode = options.decode ?? 'auto';
  const fusable = canFuseDecode(getBackend(), config);
  if (mode === 'fused' && !fusable) throw new Error('generate: this backend cannot run the fused decode kernels for this model (decode: "fused").');
  if (fusable && mode !== 'unfused') {
    const outs = fusedRollout(config, params, getBackend(), {
      packed,
      promptLengths: prompts.map((p) => p.length),
      samplesPerPrompt: G,
      maxNewTokens: T,
      temperature,
      topK: options.topK ?? 0,
      topP: options.topP ?? 1,
      seed: options.seed,
      returnLogits: options.returnLogits ?? false,
    });
    const data = await readAll(outs);
    for (const t of outs) t.dispose();
    const scores = data[1] as Float32Array;
    return finishResult(data[0] as Int32Array, scores.slice(0, N * T), scores.slice(N * T), data[2] as Float32Array | undefined, N, G, T, P);
  }

  const outputs = noGrad(() =>
    tidy(() => {
      const backend = getBackend();
      const wq = scaledQueryWeights(config, params);
      const wqkv = packedProjections(config, params, wq);
      const cache: KvCache = {
        rows: N,
        cacheLen,
        keys: Array.from({ length: config.nLayers }, () => zeros([N * H, cacheLen, dh])),
        values: Array.from({ length: config.nLayers }, () => zeros([N * H, cacheLen, dh])),
        keyMask: tensor(keyMaskInit, [N, cacheLen]),
      };
      const promptInputs = {
        ids: tensor(packed.ids, [B, P], 'i32'),
        positions: tensor(packed.positions, [B, P], 'i32'),
        keyMask: tensor(packed.keyMask, [B, P]),
      };
      // Every step's position embeddings in one gather: [T-1, N, D].
      const posEmbAll = T > 1 ? embedding(param(params, 'pos_emb'), tensor(stepPositions, [T - 1, N], 'i32')) : null;
      const ones = full([N], 1);
      const finished = zeros([N], 'i32');
      const tokens = zeros([N, T], 'i32');
      const logp = zeros([N, T]);
      const entropy = zeros([N, T]);
      const allLogits = options.returnLogits ? zeros([N, T, V]) : null;

      // Each step's logits outlive the step's tidy (they feed the next one) and are disposed by hand.
      let logits: Tensor = tidy(() => prefill(config, params, wq, cache, promptInputs, G));
      for (let t = 0; t < T; t++) {
        const next = tidy(() => {
          const ids = sampleTokens(logits, finished, {
            temperature,
            topK: options.topK ?? 0,
            topP: options.topP ?? 1,
            seed: options.seed,
            step: t,
            eosId: EOS,
            padId: PAD,
          });
          const scored = logProbs(logits, ids, scoreTemperature);
          backend.copyInto(tokens.storage, t, [T], ids.storage, [N]);
          backend.copyInto(logp.storage, t, [T], scored.logp.storage, [N]);
          backend.copyInto(entropy.storage, t, [T], scored.entropy.storage, [N]);
          if (allLogits) backend.copyInto(allLogits.storage, t * V, [T * V, 1], logits.storage, [N, V]);
          if (t === T - 1) return null;
          const posEmb = wrap(backend.stridedCopy(posEmbAll!.storage, t * N * D, [1], [N * D]), [N, D]);
          return decodeStep(config, params, wqkv, cache, ids, posEmb, P + t, ones);
        });
        logits.dispose();
        if (next) logits = next;
      }
      return allLogits ? [tokens, logp, entropy, allLogits] : [tokens, logp, entropy];
    }),
  );

  const data = await readAll(outputs);
  for (const t of outputs) t.dispose();
  return finishResult(data[0] as Int32Array, data[1] as Float32Array, data[2] as Float32Array, data[3] as Float32Array | undefined, N, G, T, P);
}

/** Lengths and stop flags from the tokens; zeroes what finished rows scored on their PAD. */
function finishResult(
  tokens: Int32Array,
  logProbsOut: Float32Array,
  entropies: Float32Array,
  logits: Float32Array | undefined,
  N: number,
  G: number,
  T: number,
  P: number,
): GenerateResult {
  const lengths = new Int32Array(N);
  const stopped = new Uint8Array(N);
  for (let r = 0; r < N; r++) {
    let len = T;
    for (let t = 0; t < T; t++) {
      if (tokens[r * T + t] === EOS) {
        len = t + 1;
        stopped[r] = 1;
        break;
      }
    }
    lengths[r] = len;
    // Finished rows were scored on the PAD they emitted; those numbers mean nothing.
    logProbsOut.fill(0, r * T + len, r * T + T);
    entropies.fill(0, r * T + len, r * T + T);
  }
  return {
    rows: N,
    samplesPerPrompt: G,
    maxNewTokens: T,
    promptWidth: P,
    tokens,
    lengths,
    stopped,
    logProbs: logProbsOut,
    entropies,
    logits,
    completion: (r) => rowCompletion(tokens, lengths, T, r),
  };
}

function emptyResult(G: number, T: number): GenerateResult {
  return {
    rows: 0,
    samplesPerPrompt: G,
    maxNewTokens: T,
    promptWidth: 0,
    tokens: new Int32Array(0),
    lengths: new Int32Array(0),
    stopped: new Uint8Array(0),
    logProbs: new Float32Array(0),
    entropies: new Float32Array(0),
    completion: (r) => rowCompletion(new Int32Array(0), new Int32Array(0), T, r),
  };
}

function rowCompletion(tokens: Int32Array, lengths: Int32Array, T: number, r: number): number[] {
  if (!(Number.isInteger(r) && r >= 0 && r < lengths.length)) throw new RangeError(`completion: row ${r} is outside [0, ${lengths.length}).`);
  return Array.from(tokens.subarray(r * T, r * T + lengths[r]));
}
