// The host-side layout of a batched rollout, shared by the TF.js and jax-js copies of the GPT (ours is
// src/model/generate.ts): B prompts right-aligned in P columns (left-padded with PAD), each token's
// position counted from its prompt's first token, the prefill's causal + padding attention bias, and
// per sample row (G per prompt) its prompt and the padding columns of its cache masked.
import { PAD_ID } from '../../src/tasks/tokenizer';
import { MASKED } from '../gptConstants';

/** What a baseline's generate() takes: the same knobs as ours (src/model/generate.ts). */
export interface RolloutOptions {
  samplesPerPrompt: number;
  maxNewTokens: number;
  /** 0 = greedy (argmax). */
  temperature: number;
  seed: number;
  /** Also return every step's logits [rows, T, vocab] (the correctness check). */
  returnLogits?: boolean;
}

/** What a baseline's generate() returns, read back once. */
export interface RolloutResult {
  /** [rows, T], PAD after EOS. */
  tokens: Int32Array;
  /** [rows, T] log π(token) at the sampling temperature (1 when greedy); PAD steps scored too. */
  logProbs: Float32Array;
  /** [rows, T] entropy at the same temperature. */
  entropies: Float32Array;
  logits?: Float32Array;
}

export interface RolloutLayout {
  /** Prompt columns: the longest prompt. */
  P: number;
  /** Sample rows: B · G. */
  N: number;
  /** [B, P] token ids, PAD on the left. */
  ids: Int32Array<ArrayBuffer>;
  /** [B, P] position ids (0 at each prompt's first token). */
  positions: Int32Array<ArrayBuffer>;
  /** [B, 1, P, P] additive prefill bias: causal, and padding keys masked. */
  promptBias: Float32Array<ArrayBuffer>;
  /** [N, 1, 1, cacheLen] additive bias of each row's cache columns: its prompt's padding masked. */
  rowBias: Float32Array<ArrayBuffer>;
  /** [N] the prompt each row samples from (row r = b · G + g). */
  rowToPrompt: Int32Array<ArrayBuffer>;
}

export function rolloutLayout(prompts: number[][], G: number, cacheLen: number): RolloutLayout {
  const B = prompts.length;
  const N = B * G;
  const P = Math.max(...prompts.map((p) => p.length));
  const ids = new Int32Array(B * P).fill(PAD_ID);
  const positions = new Int32Array(B * P);
  const promptBias = new Float32Array(B * P * P);
  const rowBias = new Float32Array(N * cacheLen);
  const rowToPrompt = new Int32Array(N);
  for (let b = 0; b < B; b++) {
    const start = P - prompts[b].length;
    prompts[b].forEach((tok, j) => {
      ids[b * P + start + j] = tok;
      positions[b * P + start + j] = j;
    });
    for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) promptBias[(b * P + i) * P + j] = j <= i && j >= start ? 0 : MASKED;
    for (let g = 0; g < G; g++) {
      const r = b * G + g;
      rowToPrompt[r] = b;
      for (let j = 0; j < start; j++) rowBias[r * cacheLen + j] = MASKED;
    }
  }
  return { P, N, ids, positions, promptBias, rowBias, rowToPrompt };
}
