// Packing token sequences into the padded layout the forward pass and generation share:
// prompts right-aligned at column `promptWidth`, completions after them, PAD elsewhere.
import { PAD } from './special';

export interface PackedBatch {
  B: number;
  T: number;
  promptWidth: number;
  ids: Int32Array;
  positions: Int32Array;
  keyMask: Float32Array;
  /** i32 [B*T]: the next token at each position (the training target), -1 where there is none. */
  targets: Int32Array;
  /** f32 [B*T]: 1 where the target is a completion token (what SFT and RL score), else 0. */
  completionMask: Float32Array;
}

/**
 * prompts[i] (BOS included) are right-aligned to `promptWidth`; completions[i] follow and are padded to
 * `completionWidth`. Positions count from each row's first real token.
 */
export function packBatch(prompts: number[][], completions: number[][], promptWidth: number, completionWidth: number): PackedBatch {
  const B = prompts.length;
  const T = promptWidth + completionWidth;
  const ids = new Int32Array(B * T).fill(PAD);
  const positions = new Int32Array(B * T);
  const keyMask = new Float32Array(B * T);
  const targets = new Int32Array(B * T).fill(-1);
  const completionMask = new Float32Array(B * T);
  for (let b = 0; b < B; b++) {
    const p = prompts[b];
    const c = completions[b] ?? [];
    if (p.length > promptWidth) throw new Error(`Prompt ${b} has ${p.length} tokens; the batch allows ${promptWidth}.`);
    if (c.length > completionWidth) throw new Error(`Completion ${b} has ${c.length} tokens; the batch allows ${completionWidth}.`);
    const start = promptWidth - p.length;
    const seq = [...p, ...c];
    seq.forEach((tok, j) => {
      const at = b * T + start + j;
      ids[at] = tok;
      positions[at] = j;
      keyMask[at] = 1;
      if (j + 1 < seq.length) {
        targets[at] = seq[j + 1];
        if (j + 1 >= p.length) completionMask[at] = 1;
      }
    });
  }
  return { B, T, promptWidth, ids, positions, keyMask, targets, completionMask };
}
