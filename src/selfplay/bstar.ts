// B-STaR (Zeng et al. 2024, "B-STaR: Monitoring and Balancing Exploration and Exploitation in
// Self-Taught Reasoners"): each iteration of a self-improvement loop picks the sampling configuration —
// here the temperature, from a small grid — that maximises the mean BALANCE SCORE over the queries,
//
//   bs_i = min(n'_i / n*, 1) · (n'_i / n_i),
//
// n'_i the distinct correct responses among the ones selected for query i, n_i the selected responses of
// query i, n* the number of correct responses one wants per query. The first factor rewards exploration
// (enough distinct right answers), the second exploitation (what is kept is right and not repeated).
// The lab selects with the task's exact verifier (the curated loop keeps exactly the correct samples),
// so n'_i / n_i is the share of DISTINCT answers among the kept correct ones; a query with nothing
// selected scores 0 (the paper's convention: it contributes no training data).
//
// Monitoring (the paper's exploration / exploitation curves), per query from its k samples:
//   pass@k                 at least one of the k samples is right;
//   distinct correct       n'_i, the number of different right answers;
//   Reward@k               the sample the "reward model" ranks highest is right (best-of-k). The lab's
//                          verifier is exact, so the reward model is the task's shaped partial credit;
//   AUC                    how well a score separates right samples from wrong ones (Mann–Whitney, ties
//                          count ½), for the shaped reward and for the policy's own confidence (mean
//                          token log-prob), pooled over the queries.

/** One sample of a query: its text, whether the verifier accepts it, and two scores to rank it by. */
export interface ScoredSample {
  text: string;
  correct: boolean;
  /** The shaped reward (the task's partial credit), the lab's stand-in for a reward model. */
  shaped: number;
  /** The policy's own confidence: mean log-probability per completion token. */
  confidence: number;
}

/** bs_i of one query whose kept responses are `selected` (the verifier's picks), for a target n*. */
export function balanceScore(selected: readonly { text: string; correct: boolean }[], target: number): number {
  if (!(target > 0)) throw new RangeError(`balanceScore: n* must be positive, got ${target}`);
  const n = selected.length;
  if (n === 0) return 0;
  const distinctCorrect = new Set(selected.filter((s) => s.correct).map((s) => s.text)).size;
  return Math.min(distinctCorrect / target, 1) * (distinctCorrect / n);
}

/** The mean balance score over queries when the verifier keeps the correct samples of each. */
export function meanBalanceScore(queries: readonly (readonly { text: string; correct: boolean }[])[], target: number): number {
  if (queries.length === 0) return 0;
  return queries.reduce((s, q) => s + balanceScore(q.filter((x) => x.correct), target), 0) / queries.length;
}

/** The index of the largest score (the first on a tie, so a grid ordered cold to hot prefers cold). */
export function argmax(scores: readonly number[]): number {
  if (scores.length === 0) throw new RangeError('argmax: no scores');
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

/** The probability that a random positive outscores a random negative (ties ½); null when a side is empty. */
export function rankAuc(positives: readonly number[], negatives: readonly number[]): number | null {
  if (positives.length === 0 || negatives.length === 0) return null;
  let wins = 0;
  for (const p of positives) for (const q of negatives) wins += p > q ? 1 : p === q ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

/** Exploration and exploitation of one sampling configuration, over its queries' samples. */
export interface ExplorationExploitation {
  /** Fraction of queries with a right answer among their k samples. */
  pass_at_k: number;
  /** Mean over queries of n'_i (distinct right answers). */
  distinct_correct: number;
  /** Fraction of samples that are right (the candidates' accuracy, pass@1 at this temperature). */
  accuracy: number;
  /** Fraction of queries whose best sample by the shaped reward is right (first on a tie). */
  reward_at_k: number;
  /** AUC of the shaped reward, right vs wrong samples (null when all right or all wrong). */
  auc_shaped: number | null;
  /** AUC of the policy's mean token log-prob, right vs wrong samples. */
  auc_confidence: number | null;
}

export function explorationExploitation(queries: readonly (readonly ScoredSample[])[]): ExplorationExploitation {
  const m = Math.max(1, queries.length);
  let solved = 0;
  let distinct = 0;
  let right = 0;
  let samples = 0;
  let bestRight = 0;
  const shaped: [number[], number[]] = [[], []];
  const confidence: [number[], number[]] = [[], []];
  for (const q of queries) {
    const correct = q.filter((s) => s.correct);
    if (correct.length > 0) solved++;
    distinct += new Set(correct.map((s) => s.text)).size;
    right += correct.length;
    samples += q.length;
    if (q.length > 0 && q[argmax(q.map((s) => s.shaped))].correct) bestRight++;
    for (const s of q) {
      shaped[s.correct ? 0 : 1].push(s.shaped);
      confidence[s.correct ? 0 : 1].push(s.confidence);
    }
  }
  return {
    pass_at_k: solved / m,
    distinct_correct: distinct / m,
    accuracy: samples > 0 ? right / samples : 0,
    reward_at_k: bestRight / m,
    auc_shaped: rankAuc(shaped[0], shaped[1]),
    auc_confidence: rankAuc(confidence[0], confidence[1]),
  };
}
