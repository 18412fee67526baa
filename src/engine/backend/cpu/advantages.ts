// GRPO-family advantages over consecutive groups, following TRL (docs/rl-reference.md, "Advantages"):
// std is Bessel-corrected (n - 1) like torch.std; a group (or batch) of one has std 0 rather than the
// 0/0 = NaN torch would give, so a lone sample gets advantage 0 under 'group' and 'batch'.
import type { AdvantageScale } from '../../backend';

/** Sample standard deviation of x[from, from + n), two-pass in f64. */
function besselStd(x: Float32Array, from: number, n: number, mean: number): number {
  if (n < 2) return 0;
  let ss = 0;
  for (let i = from; i < from + n; i++) {
    const d = x[i] - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

function meanOf(x: Float32Array, from: number, n: number): number {
  let s = 0;
  for (let i = from; i < from + n; i++) s += x[i];
  return n > 0 ? s / n : 0;
}

export function groupAdvantages(
  rewards: Float32Array,
  numGroups: number,
  groupSize: number,
  scale: AdvantageScale,
  eps: number,
): Float32Array {
  const total = numGroups * groupSize;
  const out = new Float32Array(total);
  let batchStd = 0;
  if (scale === 'batch') batchStd = besselStd(rewards, 0, total, meanOf(rewards, 0, total));
  for (let g = 0; g < numGroups; g++) {
    const from = g * groupSize;
    const mean = meanOf(rewards, from, groupSize);
    let denom = 1;
    if (scale === 'group') denom = besselStd(rewards, from, groupSize, mean) + eps;
    else if (scale === 'batch') denom = batchStd + eps;
    else if (scale !== 'none') throw new Error(`groupAdvantages: unknown scale ${String(scale)}`);
    for (let i = from; i < from + groupSize; i++) out[i] = (rewards[i] - mean) / denom;
  }
  return out;
}
