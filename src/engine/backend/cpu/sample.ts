// Token sampling for generation on plain arrays: the oracle for shaders/sample.wgsl, which follows
// the same steps (argmax, then ranks, top-k/top-p filtering, inverse CDF in id order).
//
// Randomness is counter-based: u = uniform(seed, step, row) from a PCG-style u32 hash, computed with
// exactly the integer operations the shader uses (Math.imul wraps like a WGSL u32 multiply), so both
// backends draw the same u. The float work around it (exp, sums) differs in the last bits between
// f64 here and f32 on the GPU, so the two agree except when u lands within ~1e-6 of a CDF boundary.
import type { SampleParams } from '../../backend';
import { sampleUniform } from '../sampling';

const NEG_FLT_MAX = -3.4028234663852886e38;
const FLT_MAX = 3.4028234663852886e38;

/** ids [rows]; updates `finished` in place. */
export function sampleTokens(logits: Float32Array, finished: Int32Array, p: SampleParams): Int32Array {
  const { rows, vocab: V, topK, topP, eosId, padId } = p;
  // f32 like the shader's uniform and products, so the two backends' weights differ only through exp.
  const invT = Math.fround(p.invTemperature);
  const out = new Int32Array(rows);
  const useTopK = topK > 0 && topK < V;
  const useTopP = topP < 1;
  const weights = new Float64Array(V);
  const ranks = new Int32Array(V);
  const ahead = new Float64Array(V);
  for (let r = 0; r < rows; r++) {
    if (finished[r] !== 0) {
      out[r] = padId;
      continue;
    }
    const off = r * V;
    // Argmax, ties to the lowest id (also the answer for a row with no finite logit).
    let best = 0;
    let bestV = logits[off];
    for (let j = 1; j < V; j++) {
      if (logits[off + j] > bestV) {
        bestV = logits[off + j];
        best = j;
      }
    }
    let id = best;
    if (!p.greedy && bestV >= NEG_FLT_MAX && bestV <= FLT_MAX) {
      const m = Math.fround(bestV * invT);
      for (let j = 0; j < V; j++) {
        const l = logits[off + j];
        weights[j] = l >= NEG_FLT_MAX ? Math.exp(Math.fround(Math.fround(l * invT) - m)) : 0;
      }
      if (useTopK || useTopP) {
        // rank = how many ids come before j (larger logit, or equal logit and lower id); mass = their weight.
        for (let j = 0; j < V; j++) {
          const lj = logits[off + j];
          let count = 0;
          let mass = 0;
          for (let i = 0; i < V; i++) {
            const li = logits[off + i];
            if (li > lj || (li === lj && i < j)) {
              count++;
              mass += weights[i];
            }
          }
          ranks[j] = count;
          ahead[j] = mass;
        }
      }
      const inTopK = (j: number) => !useTopK || ranks[j] < topK;
      let massK = 0;
      if (useTopP) for (let j = 0; j < V; j++) if (inTopK(j)) massK += weights[j];
      const kept = (j: number) =>
        weights[j] > 0 && inTopK(j) && (!useTopP || ranks[j] === 0 || ahead[j] < topP * massK) ? weights[j] : 0;
      let total = 0;
      for (let j = 0; j < V; j++) total += kept(j);
      const target = sampleUniform(p.seed, p.step, r) * total;
      let cum = 0;
      let last = best;
      id = -1;
      for (let j = 0; j < V; j++) {
        const w = kept(j);
        if (w === 0) continue;
        last = j;
        cum += w;
        if (cum > target) {
          id = j;
          break;
        }
      }
      if (id < 0) id = last; // rounding left the target at the very top of the CDF
    }
    out[r] = id;
    if (id === eosId) finished[r] = 1;
  }
  return out;
}
