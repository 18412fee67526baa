// The pace of the active run for the top bar (issue 19): steps per second and the time left, from the
// step times the worker measured (StepMetrics.step_time, seconds: rollout, update and report). A
// multi-seed run's seeds take turns on one device, so a round of the run costs the sum of its seeds'
// step times. Recent steps only: the first steps compile pipelines and are slower.
import type { StepMetrics } from '../rl/metrics';

export interface RunPace {
  /** Steps of the run (rounds of every seed) per second. */
  stepsPerSecond: number;
  /** Seconds until `totalSteps`, at the recent pace. */
  secondsLeft: number;
}

/** How many of the latest steps the pace averages. */
export const PACE_WINDOW = 10;

/** The pace from each replica's metrics (one list per seed); null before the first step. */
export function runPace(replicas: readonly (readonly StepMetrics[])[], totalSteps: number, window = PACE_WINDOW): RunPace | null {
  const done = Math.min(...replicas.map((m) => m.length));
  if (replicas.length === 0 || done === 0) return null;
  const from = Math.max(0, done - window);
  let seconds = 0;
  for (const metrics of replicas) for (let i = from; i < done; i++) seconds += Number.isFinite(metrics[i].step_time) ? metrics[i].step_time : 0;
  const perStep = seconds / (done - from);
  if (!(perStep > 0)) return null;
  return { stepsPerSecond: 1 / perStep, secondsLeft: Math.max(0, totalSteps - done) * perStep };
}

/** "12 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
