// The gallery's claims judged over seeds (issue 18, STATISTICS.md). A claim compares arm A's metric over
// its window with arm B's (B over `baselineWindow` when given — usually the same arm's start, "rises by
// at least m"), pairs the values by training seed and judges the mean paired difference with the lab's
// one comparison (runComparison.ts judgeClaim: the 95 % t-interval must exclude zero in the claimed
// direction and the mean must clear the bound). Three outcomes: shown, not shown, and untestable — a
// mechanism check, or a metric bounded in [0, 1] whose B side already sits at the ceiling (for a rise) or
// the floor (for a fall), where no effect could appear. docs/gallery/claims.json holds the claims with
// their recorded values; `npm test` recomputes every value and verdict from the records.
import { compareValues, judgeClaim, metricSeries, reduceWindow, parseWindow, type ComparableReplica, type DifferenceClaim } from './runComparison';

export type GalleryVerdict = 'shown' | 'not shown' | 'untestable';

/** A claim as designed (written before recording). */
export interface ClaimDesign {
  id: string;
  text: string;
  /** A runComparison metric path: `eval.pass@1`, `entropy`, `kl.k3`, `completions.mean_length` … */
  metric: string;
  /** A's window: final | initial | auc | max | last:K | first:K. */
  window: string;
  /** B's window when it differs from A's (e.g. `initial`: the arm's own start). */
  baselineWindow?: string;
  /** [A, B]: gallery arm ids; the same arm twice compares it with itself at two windows. */
  arms: [string, string];
  claim: DifferenceClaim;
  /** A check that the mechanism works as built (true by construction): never "shown". */
  mechanism?: boolean;
}

/** What the recording adds to a claim. */
export interface ClaimResult {
  seeds: number[];
  /** Per arm of `arms` (A, B): value by seed. */
  values: [Record<string, number>, Record<string, number>];
  /** The mean paired difference A − B. */
  effect: number;
  /** The 95 % t-interval of the mean paired difference. */
  ci: [number, number];
  verdict: GalleryVerdict;
  /** Why, in one sentence. */
  reason: string;
}

export type JudgedClaim = ClaimDesign & Partial<ClaimResult>;

/** The ceiling and floor of a [0, 1] metric, inside which a rise or a fall can still show. */
export const CEILING = 0.95;
export const FLOOR = 0.05;

/** pass@k, accuracies and the verifier's batch correctness live in [0, 1]; entropy, KL, length do not. */
export function isUnitMetric(metric: string): boolean {
  return /^eval\.(?:[^.]+\.)?(?:pass@[0-9]+|meanAtN|greedyAccuracy)$/.test(metric) || metric === 'rewards.correctness';
}

/** One seed's value of the metric over a window. Adds `initial`, `first:K` and `max` to the comparison
 *  view's windows (final, auc, last:K). */
export function windowValue(replica: ComparableReplica, metric: string, window: string, label: string): number {
  const points = metricSeries(replica, metric, label);
  if (window === 'initial') return points[0].y;
  if (window === 'max') return Math.max(...points.map((p) => p.y));
  const first = /^first:([0-9]+)$/.exec(window);
  if (first) {
    const k = Number(first[1]);
    if (k < 1 || points.length < k) throw new Error(`${label}, seed ${replica.seed}: ${metric} has ${points.length} points, fewer than the window first:${k}`);
    return points.slice(0, k).reduce((s, p) => s + p.y, 0) / k;
  }
  return reduceWindow(points, parseWindow(window));
}

const mean = (values: Record<string, number>) => {
  const v = Object.values(values);
  return v.reduce((a, b) => a + b, 0) / v.length;
};

/** The verdict of a claim from its per-seed values (what the test recomputes and flips). */
export function verdictOf(design: ClaimDesign, values: [Record<string, number>, Record<string, number>]): Omit<ClaimResult, 'values'> {
  const [a, b] = values;
  const judged = judgeClaim(a as Record<number, number>, b as Record<number, number>, design.claim);
  const { mean: effect, low, high } = judged.comparison.result.t;
  const seeds = judged.comparison.result.seeds;
  const ci: [number, number] = [low ?? Number.NaN, high ?? Number.NaN];
  const base = { seeds, effect, ci };
  if (seeds.length < 2) return { ...base, verdict: 'not shown', reason: 'fewer than two paired seeds: an anecdote, no interval' };
  if (design.mechanism) return { ...base, verdict: 'untestable', reason: 'a mechanism check: true by construction, not a finding' };
  const rising = 'atLeast' in design.claim;
  const bound = rising ? (design.claim as { atLeast: number }).atLeast : (design.claim as { atMost: number }).atMost;
  const bMean = mean(b);
  // A rise cannot show from the ceiling (nor one larger than the room left), a fall not from the floor.
  if (isUnitMetric(design.metric) && rising && (bMean >= CEILING || bMean + Math.max(bound, 0) > 1)) return { ...base, verdict: 'untestable', reason: `B is at the ceiling (mean ${bMean.toFixed(3)}): no room to rise by ${Math.max(bound, 0)}` };
  if (isUnitMetric(design.metric) && !rising && (bMean <= FLOOR || bMean + Math.min(bound, 0) < 0)) return { ...base, verdict: 'untestable', reason: `B is at the floor (mean ${bMean.toFixed(3)}): no room to fall by ${Math.abs(Math.min(bound, 0))}` };
  // judgeClaim's rule (the interval clears zero, or the bound itself when the bound lies beyond zero on
  // the far side, and the mean clears the bound) — and, whatever the bound, the interval must exclude
  // zero in the claimed direction: a tie is never shown, not even for a "no worse than" claim.
  const excludesZero = rising ? ci[0] > 0 : ci[1] < 0;
  if (judged.holds && excludesZero) return { ...base, verdict: 'shown', reason: `the 95 % interval [${ci[0].toFixed(4)}, ${ci[1].toFixed(4)}] lies ${rising ? 'above' : 'below'} zero and the mean ${effect.toFixed(4)} clears ${bound}` };
  if (judged.holds) return { ...base, verdict: 'not shown', reason: `no worse than ${bound}, but the interval [${ci[0].toFixed(4)}, ${ci[1].toFixed(4)}] includes zero: a tie is not shown` };
  const why = rising
    ? effect < bound ? `the mean ${effect.toFixed(4)} is under the bound ${bound}` : `the interval reaches down to ${ci[0].toFixed(4)}`
    : effect > bound ? `the mean ${effect.toFixed(4)} is over the bound ${bound}` : `the interval reaches up to ${ci[1].toFixed(4)}`;
  return { ...base, verdict: 'not shown', reason: why };
}

/** Judges a claim from the recorded replicas of its arms, or returns the design alone until both arms
 *  have every seed of `seeds` recorded (a claim is judged on the full set, never on the seeds that
 *  happened to finish first). */
export function judgeFromRecords(design: ClaimDesign, replicasOf: (arm: string) => readonly ComparableReplica[], seeds: readonly number[]): JudgedClaim {
  const [armA, armB] = design.arms;
  const wanted = new Set(seeds);
  const [ra, rb] = [replicasOf(armA), replicasOf(armB)].map((rs) => rs.filter((r) => wanted.has(r.seed)));
  const seedsB = new Set(rb.map((r) => r.seed));
  const paired = ra.filter((r) => seedsB.has(r.seed));
  if (paired.length < wanted.size) return stripResult(design);
  const values: [Record<string, number>, Record<string, number>] = [{}, {}];
  for (const r of paired) values[0][r.seed] = windowValue(r, design.metric, design.window, armA);
  for (const r of rb.filter((x) => values[0][x.seed] !== undefined)) values[1][r.seed] = windowValue(r, design.metric, design.baselineWindow ?? design.window, armB);
  return { ...stripResult(design), values, ...verdictOf(design, values) };
}

/** The design fields of a judged claim. */
export function stripResult(claim: JudgedClaim): ClaimDesign {
  const { id, text, metric, window, baselineWindow, arms, claim: bound, mechanism } = claim;
  return { id, text, metric, window, ...(baselineWindow ? { baselineWindow } : {}), arms, claim: bound, ...(mechanism ? { mechanism } : {}) };
}

/** The comparison of a judged claim's values, for the card's words (bootstrap interval too). */
export function claimComparison(claim: JudgedClaim) {
  if (!claim.values) return null;
  return compareValues(claim.values[0] as Record<number, number>, claim.values[1] as Record<number, number>, claim.metric);
}
