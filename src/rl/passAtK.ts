// pass@k by the unbiased estimator of openai/human-eval (docs/rl-reference.md): with n samples of which c
// are correct, pass@k = 1 − C(n−c, k)/C(n, k) = 1 − Π_{i=n−c+1..n} (1 − k/i), and 1 when n − c < k.
// Not the bootstrap "best@k", which is biased low.

export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`passAtK: need integers 0 <= c <= n, 1 <= k <= n; got n=${n}, c=${c}, k=${k}.`);
  }
  if (n - c < k) return 1;
  let product = 1;
  for (let i = n - c + 1; i <= n; i++) product *= 1 - k / i;
  return 1 - product;
}

/** The powers of two up to n, and n itself: the k values a pass@k-vs-k curve is drawn at. */
export function kValues(n: number): number[] {
  const ks: number[] = [];
  for (let k = 1; k < n; k *= 2) ks.push(k);
  ks.push(n);
  return ks;
}

/** Mean pass@k over prompts, each given as its number of correct samples out of n. */
export function meanPassAtK(correctPerPrompt: number[], n: number, k: number): number {
  if (correctPerPrompt.length === 0) return 0;
  return correctPerPrompt.reduce((acc, c) => acc + passAtK(n, c, k), 0) / correctPerPrompt.length;
}
