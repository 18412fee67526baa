// Fused log-softmax + target gather + full-vocabulary entropy at a temperature, and its gradient.
//
// Per row, with z = logits * invT and lse = logsumexp(z) (max-shifted, so ±1e4 logits are fine):
//   logp    = z[target] - lse                       (-Infinity when z[target] = -Infinity, i.e. p = 0)
//   entropy = -sum_j p_j log p_j = sum_j p_j (lse - z_j), terms with p_j = 0 taken as 0.
// The entropy is summed in the form p_j (lse - z_j): every term is >= 0 (lse >= max z), so there is no
// cancellation between two large numbers as in lse - sum p z with large logits.
// Rows whose target is < 0 are ignored: 0 out, 0 gradient.

/** Row statistics shared by forward and backward. A row whose logits are all -Infinity has no
 *  distribution: lse = -Infinity, and both kernels treat every entry as probability 0. */
function rowLse(logits: Float32Array, off: number, vocab: number, invT: number): number {
  let max = -Infinity;
  for (let j = 0; j < vocab; j++) {
    const z = logits[off + j] * invT;
    if (z > max) max = z;
  }
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let j = 0; j < vocab; j++) sum += Math.exp(logits[off + j] * invT - max);
  return max + Math.log(sum);
}

function checkTarget(t: number, vocab: number, r: number): void {
  if (t >= vocab) throw new Error(`logProbEntropy: target ${t} at row ${r} is outside the vocabulary of ${vocab}`);
}

export function logProbEntropy(
  logits: Float32Array,
  targets: Int32Array,
  rows: number,
  vocab: number,
  invT: number,
): { logp: Float32Array; entropy: Float32Array } {
  const logp = new Float32Array(rows);
  const entropy = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t < 0) continue; // ignored row: 0, 0
    checkTarget(t, vocab, r);
    const off = r * vocab;
    const lse = rowLse(logits, off, vocab, invT);
    if (lse === -Infinity) {
      logp[r] = -Infinity; // every probability is 0, the target's included
      continue; // entropy 0
    }
    let h = 0;
    for (let j = 0; j < vocab; j++) {
      const z = logits[off + j] * invT;
      if (z === -Infinity) continue; // p = 0: 0 * log 0 = 0
      const nlp = lse - z;
      h += Math.exp(-nlp) * nlp;
    }
    logp[r] = logits[off + t] * invT - lse;
    entropy[r] = h;
  }
  return { logp, entropy };
}

/**
 * dlogits for loss = sum_r dlogp[r]*logp[r] + dentropy[r]*entropy[r]:
 *   d logp / d logits_j = invT * (onehot_j - p_j)
 *   d H    / d logits_j = -invT * p_j * (log p_j + H)
 * An entry with z_j = -Infinity (probability exactly 0, log p = -Infinity) gets 0, the target included:
 * its gradient is undefined and 0 * -Infinity would be NaN.
 */
export function logProbEntropyGrad(
  logits: Float32Array,
  targets: Int32Array,
  dlogp: Float32Array,
  dentropy: Float32Array | null,
  rows: number,
  vocab: number,
  invT: number,
): Float32Array {
  const out = new Float32Array(rows * vocab);
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t < 0) continue;
    checkTarget(t, vocab, r);
    const off = r * vocab;
    const lse = rowLse(logits, off, vocab, invT);
    if (lse === -Infinity) continue;
    const gl = dlogp[r];
    const ge = dentropy ? dentropy[r] : 0;
    let h = 0;
    if (ge !== 0) {
      for (let j = 0; j < vocab; j++) {
        const z = logits[off + j] * invT;
        if (z === -Infinity) continue;
        const nlp = lse - z;
        h += Math.exp(-nlp) * nlp;
      }
    }
    for (let j = 0; j < vocab; j++) {
      const z = logits[off + j] * invT;
      if (z === -Infinity) continue; // stays 0
      const lp = z - lse;
      const p = Math.exp(lp);
      const g = gl * ((j === t ? 1 : 0) - p) - ge * p * (lp + h);
      out[off + j] = invT * g;
    }
  }
  return out;
}
