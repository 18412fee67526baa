// Turning run records into plottable series: one series per (run, line), where a chart may draw
// several lines per run (KL's k1/k2/k3, the three clip ratios, one line per arm). Pure functions,
// memoised by the caller on the store's `version`.
import type { CurriculumPoint, RunRecord } from '../../state/runsStore';
import type { ArmEvaluation } from '../../rl/evaluate';
import type { StepMetrics } from '../../rl/metrics';

export interface Point {
  step: number;
  /** Seconds of training (sum of step times) when the point was recorded. */
  wall: number;
  /** Completions generated so far (StepMetrics.samples_spent): the "equal compute" x. */
  samples?: number;
  value: number;
}

export interface RunSeries {
  runId: string;
  runLabel: string;
  color: string;
  /** Which line of the chart (e.g. 'k3'); unique within a chart together with runId. */
  line: string;
  lineLabel: string;
  /** SVG stroke-dasharray telling a run's lines apart ('' = solid). */
  dash: string;
  points: Point[];
  // A multi-seed run's lines (seedBands.ts); absent on a single-seed run's series.
  /** A group's mean line: the mean of the seeds smoothed one by one, aligned with `points` (so the
   *  chart does not smooth it again), for a smoothing weight. */
  presmoothed?: (smoothing: number) => number[];
  /** The group's band per point at a smoothing weight (null: no band drawn). */
  band?: (smoothing: number) => { low: (number | null)[]; high: (number | null)[] } | null;
  /** The records a group's line stands for (the active run may be any of them). */
  members?: string[];
  /** One seed drawn thin under its group's mean. */
  thin?: boolean;
}

export interface MetricLine {
  key: string;
  label: string;
  get(m: StepMetrics): number | undefined;
}

/** Dash patterns for the 2nd, 3rd … line of a chart (the run's colour stays the same). */
export const LINE_DASHES: readonly string[] = ['', '6 3', '2 3', '10 3 2 3', '1 5', '8 6'];

export function dashFor(index: number): string {
  return LINE_DASHES[index % LINE_DASHES.length];
}

/** Cumulative training seconds after each step (index i: after metrics[i]). */
export function wallTimes(metrics: readonly StepMetrics[]): number[] {
  const out = new Array<number>(metrics.length);
  let t = 0;
  for (let i = 0; i < metrics.length; i++) {
    t += Number.isFinite(metrics[i].step_time) ? metrics[i].step_time : 0;
    out[i] = t;
  }
  return out;
}

/** Completions generated after each step: StepMetrics.samples_spent, or for records made before it
 *  existed, the groups generated (B, or the over-sampled count) × G added up. */
export function samplesSpent(run: RunRecord): number[] {
  const G = run.config.algorithm.samplesPerPrompt;
  const B = run.config.algorithm.promptsPerStep;
  let total = 0;
  return run.metrics.map((m) => {
    total = m.samples_spent ?? total + (m.filtering?.generated_groups ?? m.dynamic_sampling?.generated_groups ?? B) * G;
    return total;
  });
}

/** Lines of the given run's StepMetrics, one series per line. */
export function metricSeries(run: RunRecord, lines: readonly MetricLine[]): RunSeries[] {
  const walls = wallTimes(run.metrics);
  const spent = samplesSpent(run);
  return lines.map((line, i) => {
    const points: Point[] = [];
    run.metrics.forEach((m, j) => {
      const value = line.get(m);
      if (value !== undefined) points.push({ step: m.step, wall: walls[j], samples: spent[j], value });
    });
    return { runId: run.id, runLabel: run.label, color: run.color, line: line.key, lineLabel: line.label, dash: dashFor(i), points };
  }).filter((s, i) => i === 0 || s.points.length > 0); // a line with no points draws nothing: leave it out
}

/** Every arm seen in any of the runs' batches, sorted: the same arm keeps the same dash across runs. */
export function armsOf(runs: readonly RunRecord[]): string[] {
  const arms = new Set<string>();
  for (const run of runs) for (const m of run.metrics) for (const arm of Object.keys(m.arms)) arms.add(arm);
  return [...arms].sort();
}

/** One line per arm: the arm's accuracy (mean reward) in each training batch that drew it. */
export function armLines(arms: readonly string[]): MetricLine[] {
  return arms.map((arm) => ({ key: `arm:${arm}`, label: arm, get: (m: StepMetrics) => m.arms[arm]?.reward }));
}

// ------------------------------------------------------------------------------------------ pass@k

/** pass@k averaged over the arms that report it; undefined when none does. */
export function meanPassAtK(results: readonly ArmEvaluation[], k: number): number | undefined {
  const values = results.map((r) => r.passAtK[String(k)]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The k values an evaluation reports, ascending. */
export function evaluationKs(results: readonly ArmEvaluation[]): number[] {
  const ks = new Set<number>();
  for (const r of results) for (const key of Object.keys(r.passAtK)) if (Number.isFinite(Number(key))) ks.add(Number(key));
  return [...ks].sort((a, b) => a - b);
}

/** The largest k any of the runs' evaluations report (1 when there are none). */
export function largestK(runs: readonly RunRecord[]): number {
  let k = 1;
  for (const run of runs) for (const e of run.evaluations) for (const key of evaluationKs(e.results)) k = Math.max(k, key);
  return k;
}

/** Wall time at "after `step` steps": the cumulative time of the steps before it. */
function wallAtStep(run: RunRecord, walls: number[], step: number): number {
  let wall = 0;
  for (let i = 0; i < run.metrics.length && run.metrics[i].step < step; i++) wall = walls[i];
  return wall;
}

// ------------------------------------------------------------------------------------------ curriculum

/** The per-arm quantities of a curriculum trace a chart can show. */
export type CurriculumField = keyof Omit<CurriculumPoint, 'step'>;

/** One series per arm of the run's curriculum trace (none without one); null values are gaps. */
export function curriculumSeries(run: RunRecord, field: CurriculumField): RunSeries[] {
  const trace = run.curriculum;
  if (!trace) return [];
  const walls = wallTimes(run.metrics);
  const spent = samplesSpent(run);
  const at = new Map(run.metrics.map((m, j) => [m.step, j]));
  return trace.arms.map((arm, a) => {
    const points: Point[] = [];
    for (const p of trace.points) {
      const value = p[field][a];
      if (value === null || value === undefined || !Number.isFinite(value)) continue;
      const j = at.get(p.step);
      points.push({ step: p.step, wall: j === undefined ? 0 : walls[j], samples: j === undefined ? 0 : spent[j], value });
    }
    return { runId: run.id, runLabel: run.label, color: run.color, line: `arm:${arm}`, lineLabel: arm, dash: dashFor(a), points };
  });
}

/** pass@1 and pass@kMax (mean over arms) at each evaluation of the run. */
export function passAtKSeries(run: RunRecord, ks: readonly number[]): RunSeries[] {
  const walls = wallTimes(run.metrics);
  const spent = samplesSpent(run);
  return ks.map((k, i) => {
    const points: Point[] = [];
    for (const e of run.evaluations) {
      const value = meanPassAtK(e.results, k);
      if (value !== undefined) points.push({ step: e.step, wall: wallAtStep(run, walls, e.step), samples: wallAtStep(run, spent, e.step), value });
    }
    return { runId: run.id, runLabel: run.label, color: run.color, line: `pass@${k}`, lineLabel: `pass@${k}`, dash: dashFor(i), points };
  });
}

/** Which evaluation a pass@k-vs-k curve shows: the first, the latest, or the one at (or before) a step. */
export type EvaluationPick = 'first' | 'latest' | number;

export function pickEvaluation(run: RunRecord, pick: EvaluationPick): RunRecord['evaluations'][number] | undefined {
  const evals = run.evaluations;
  if (evals.length === 0) return undefined;
  if (pick === 'first') return evals[0];
  if (pick === 'latest') return evals[evals.length - 1];
  let found = evals[0];
  for (const e of evals) if (e.step <= pick) found = e;
  return found;
}

/** pass@k against k for one evaluation; `step` of each point is k (the x of this chart). */
export function passAtKCurve(results: readonly ArmEvaluation[]): { k: number; value: number }[] {
  return evaluationKs(results).flatMap((k) => {
    const value = meanPassAtK(results, k);
    return value === undefined ? [] : [{ k, value }];
  });
}
