// "Is the difference between two runs real?" — the one computation behind `npm run compare`, the lab's
// comparison view and the gallery's verdicts, so all three say the same numbers. Each run is a list of
// replicas (one per training seed); the replicas are paired by seed, the metric is reduced to one
// number per seed over a window fixed before looking (STATISTICS.md), and the n paired differences
// A − B get a 95 % t-interval and a percentile bootstrap interval (10,000 resamples, fixed seed). The
// verdict follows the t-interval; one pair is an anecdote and gets no interval.
//
// Metric names are paths into a step's metrics (`reward`, `entropy`, `kl.k3`, `rewards.correctness`)
// or `eval.<field>` for the held-out evaluations, averaged over the evaluation's arms (`eval.pass@1`,
// `eval.meanAtN`, `eval.greedyAccuracy`); `eval.<arm>.pass@k` reads one arm only.
import { areaUnderCurve, DEFAULT_BOOTSTRAP_RESAMPLES, DEFAULT_BOOTSTRAP_SEED, finalValue, lastK, pairedDifference, type PairedDifference } from '../stats';

/** What a comparison reads of one seed's run: the Node record's fields, or the lab's record mapped. */
export interface ComparableReplica {
  seed: number;
  steps: readonly object[];
  evaluations: readonly { afterSteps: number; arms: readonly object[] }[];
}

export type Window = { kind: 'last'; k: number } | { kind: 'final' } | { kind: 'auc' };

export function parseWindow(text: string): Window {
  if (text === 'final') return { kind: 'final' };
  if (text === 'auc') return { kind: 'auc' };
  const m = /^last:([0-9]+)$/.exec(text);
  if (m && Number(m[1]) >= 1) return { kind: 'last', k: Number(m[1]) };
  throw new Error(`window must be last:K (K ≥ 1), final or auc; got ${JSON.stringify(text)}`);
}

export function windowText(window: Window): string {
  return window.kind === 'last' ? `last:${window.k}` : window.kind;
}

function valueAt(object: unknown, path: string): unknown {
  let v: unknown = object;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function finite(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}: not a finite number (${JSON.stringify(v)})`);
  return v;
}

/** The value of an evaluation field (`pass@k`, `meanAtN` …) in one arm's result. */
function armValue(arm: object, field: string, where: string): number {
  const pass = /^pass@([0-9]+)$/.exec(field);
  return finite(pass ? valueAt(arm, `passAtK.${pass[1]}`) : valueAt(arm, field), where);
}

/** The metric's series as points: x = step (step metrics) or training steps done (evaluations). */
export function metricSeries(replica: ComparableReplica, metric: string, label: string): { x: number; y: number }[] {
  if (metric.startsWith('eval.')) {
    const rest = metric.slice('eval.'.length);
    // eval.<arm>.<field>: one arm (arm ids have no dots); eval.<field>: the mean over the arms.
    const dot = rest.indexOf('.');
    const onlyArm = dot > 0 && !/^pass@/.test(rest) ? rest.slice(0, dot) : null;
    const field = onlyArm === null ? rest : rest.slice(dot + 1);
    if (replica.evaluations.length === 0) throw new Error(`${label}, seed ${replica.seed}: no evaluations recorded, so no ${metric}`);
    return replica.evaluations.map((e) => {
      const arms = onlyArm === null ? e.arms : e.arms.filter((a) => valueAt(a, 'arm') === onlyArm);
      if (arms.length === 0) throw new Error(`${label}, seed ${replica.seed}, evaluation after ${e.afterSteps} steps: no arm ${onlyArm}`);
      const perArm = arms.map((arm, i) => armValue(arm, field, `${label}, seed ${replica.seed}, evaluation after ${e.afterSteps} steps, arm ${String(valueAt(arm, 'arm') ?? i)}: ${metric}`));
      return { x: e.afterSteps, y: perArm.reduce((s, v) => s + v, 0) / perArm.length };
    });
  }
  if (replica.steps.length === 0) throw new Error(`${label}, seed ${replica.seed}: no steps recorded`);
  return replica.steps.map((step, i) => {
    const x = valueAt(step, 'step');
    return { x: typeof x === 'number' ? x : i, y: finite(valueAt(step, metric), `${label}, seed ${replica.seed}, step ${i}: metric ${metric}`) };
  });
}

export function reduceWindow(points: { x: number; y: number }[], window: Window): number {
  const ys = points.map((p) => p.y);
  if (window.kind === 'final') return finalValue(ys);
  if (window.kind === 'last') return lastK(ys, window.k);
  return areaUnderCurve(points);
}

/** One number per seed (of `seeds`, or every replica's): the metric reduced over the window. Only the
 *  paired seeds are asked for, so a replica the other run lacks cannot fail the comparison. */
export function valuesBySeed(replicas: readonly ComparableReplica[], metric: string, window: Window, label: string, seeds?: ReadonlySet<number>): Record<number, number> {
  const out: Record<number, number> = {};
  for (const replica of replicas) {
    if (seeds && !seeds.has(replica.seed)) continue;
    try {
      out[replica.seed] = reduceWindow(metricSeries(replica, metric, label), window);
    } catch (e) {
      if (e instanceof RangeError) throw new Error(`${label}, seed ${replica.seed}: ${e.message}`);
      throw e;
    }
  }
  return out;
}

export interface RunComparison {
  metric: string;
  window: Window;
  /** Per paired seed, ascending: the two runs' values and A − B. */
  pairs: { seed: number; a: number; b: number; difference: number }[];
  onlyInA: number[];
  onlyInB: number[];
  result: PairedDifference;
  /** The verdict in a sentence (what the lab shows and the CLI prints after "verdict:"). */
  words: string;
  /** A sentence about the seeds left out, or null when every seed was paired. */
  leftOut: string | null;
}

const pct = (v: number) => (Math.abs(v) < 10 ? v.toFixed(4) : v.toPrecision(4));

/** The verdict in words: which way the t-interval excludes zero, that it does not, or that one pair
 *  is an anecdote. */
export function verdictWords(result: PairedDifference): string {
  if (result.verdict === 'undefined: fewer than 2 paired seeds') return 'One seed: an anecdote, no interval. Run more seeds to tell whether the difference is real.';
  const d = pct(result.t.mean);
  if (result.verdict === 'excludes zero: A > B') return `The 95 % t-interval excludes zero: A is higher than B (by ${d} on average) on this metric and window.`;
  if (result.verdict === 'excludes zero: A < B') return `The 95 % t-interval excludes zero: A is lower than B (by ${pct(-result.t.mean)} on average) on this metric and window.`;
  return `The 95 % t-interval includes zero: these ${result.seeds.length} seeds do not show a difference (mean ${d}).`;
}

function leftOutWords(onlyInA: number[], onlyInB: number[]): string | null {
  const parts = [onlyInA.length > 0 ? `seed${onlyInA.length > 1 ? 's' : ''} ${onlyInA.join(', ')} only in A` : '', onlyInB.length > 0 ? `seed${onlyInB.length > 1 ? 's' : ''} ${onlyInB.join(', ')} only in B` : ''].filter(Boolean);
  return parts.length === 0 ? null : `Left out, having no partner of the same seed: ${parts.join('; ')}. Only paired seeds share a base, prompt stream and evaluation prompts, so only they are compared.`;
}

/** Pairs two sets of per-seed values (`values[seed]`) and judges A − B: the core of compareRuns, for
 *  callers that reduce a run to a number themselves (the gallery's claims). */
export function compareValues(valuesA: Record<number, number>, valuesB: Record<number, number>, metric = 'value', window: Window = { kind: 'final' }): RunComparison {
  const result = pairedDifference(valuesA, valuesB, { resamples: DEFAULT_BOOTSTRAP_RESAMPLES, seed: DEFAULT_BOOTSTRAP_SEED });
  return {
    metric,
    window,
    pairs: result.seeds.map((seed, i) => ({ seed, a: valuesA[seed], b: valuesB[seed], difference: result.differences[i] })),
    onlyInA: result.onlyInA,
    onlyInB: result.onlyInB,
    result,
    words: verdictWords(result),
    leftOut: leftOutWords(result.onlyInA, result.onlyInB),
  };
}

/** A claim about the difference A − B: at least `atLeast`, or at most `atMost`. */
export type DifferenceClaim = { atLeast: number } | { atMost: number };

export interface ClaimVerdict {
  holds: boolean;
  /** 'interval': judged on the 95 % t-interval (two or more paired seeds); 'one seed': on the one difference. */
  basis: 'interval' | 'one seed';
  comparison: RunComparison;
}

/** Whether A − B satisfies the claim. With two or more paired seeds (STATISTICS.md) the t-interval must
 *  lie beyond zero in the claimed direction — beyond the bound itself when the bound is on the far side
 *  of zero (a "no worse than m" claim) — and the mean difference must clear the bound. With one seed
 *  there is no interval, and the claim is judged on the one difference, as the gallery always has. */
export function judgeClaim(valuesA: Record<number, number>, valuesB: Record<number, number>, claim: DifferenceClaim): ClaimVerdict {
  const comparison = compareValues(valuesA, valuesB);
  const { mean, low, high } = comparison.result.t;
  if (low === null || high === null) {
    const holds = 'atLeast' in claim ? mean >= claim.atLeast : mean <= claim.atMost;
    return { holds, basis: 'one seed', comparison };
  }
  const holds = 'atLeast' in claim ? low > Math.min(claim.atLeast, 0) && mean >= claim.atLeast : high < Math.max(claim.atMost, 0) && mean <= claim.atMost;
  return { holds, basis: 'interval', comparison };
}

/** Pairs the runs' replicas by seed and judges the difference A − B of the metric over the window.
 *  Throws (with the run's label and seed in the message) when the runs share no seed or a paired
 *  replica lacks the metric or the window. */
export function compareRuns(a: readonly ComparableReplica[], b: readonly ComparableReplica[], metric: string, window: Window, labels: { a: string; b: string } = { a: 'A', b: 'B' }): RunComparison {
  for (const [replicas, label] of [[a, labels.a], [b, labels.b]] as const) {
    const seeds = replicas.map((r) => r.seed);
    const repeated = seeds.find((s, i) => seeds.indexOf(s) !== i);
    if (repeated !== undefined) throw new Error(`${label}: seed ${repeated} appears in more than one replica`);
  }
  const seedsB = new Set(b.map((r) => r.seed));
  const paired = new Set(a.map((r) => r.seed).filter((s) => seedsB.has(s)));
  if (paired.size === 0) throw new Error(`the two runs share no seed (A: ${a.map((r) => r.seed).join(', ')}; B: ${b.map((r) => r.seed).join(', ')})`);
  const valuesA = valuesBySeed(a, metric, window, labels.a, paired);
  const valuesB = valuesBySeed(b, metric, window, labels.b, paired);
  const onlyInA = a.map((r) => r.seed).filter((s) => !paired.has(s)).sort((x, y) => x - y);
  const onlyInB = b.map((r) => r.seed).filter((s) => !paired.has(s)).sort((x, y) => x - y);
  // Only the paired seeds were reduced; the unpaired ones are reported here, not by compareValues.
  return { ...compareValues(valuesA, valuesB, metric, window), onlyInA, onlyInB, leftOut: leftOutWords(onlyInA, onlyInB) };
}
