// What a run is in this tab (its record, colours, curriculum trace) and the small pure helpers the runs
// store uses on it; the store itself (runsStore.ts) holds the state, the hot path and persistence.
import type { CurriculumState, ScoreLabel } from '../curriculum/curriculum';
import type { ExperimentConfig } from '../experiment/schema';
import type { ArmEvaluation } from '../rl/evaluate';
import type { InspectedSample, StepMetrics } from '../rl/metrics';
import { isQuotaError, type ReplicaOf, type RunEvaluation, type RunMeta, type RunStatus, type SelfplayLoop, type SelfplaySeries } from './runPersistence';

/** One step's curriculum state, compact: per arm, in CurriculumTrace.arms order. */
export interface CurriculumPoint {
  /** The step whose update produced it (the probabilities are those of the next step's draws). */
  step: number;
  probability: number[];
  score: (number | null)[];
  meanAbsAdvantage: (number | null)[];
  accuracy: (number | null)[];
}

/** The curriculum's per-arm state over a run (arms named once, one point per step), and its latest
 *  full state. Kept compact because it is written with the run's record. */
export interface CurriculumTrace {
  kind: string;
  name: string;
  scoreLabel: ScoreLabel | null;
  arms: string[];
  points: CurriculumPoint[];
  latest: CurriculumState;
}

export type { ReplicaOf };

/** One step's inspected samples. */
export interface SampleStep {
  step: number;
  samples: InspectedSample[];
}

/** Steps of samples a run keeps in this tab for the inspector's step picker (only the latest is stored
 *  with the record, which is rewritten every step). */
export const SAMPLE_HISTORY_STEPS = 10;

export interface RunRecord {
  id: string;
  /** Set on each replica of a multi-seed run; its `config` is the group's (with `seeds` = count). */
  replica?: ReplicaOf;
  label: string;
  color: string;
  config: ExperimentConfig;
  createdAt: number;
  visible: boolean;
  status: RunStatus;
  error: string | null;
  /** Appended in place (see the header); read it under a `version` subscription. */
  metrics: StepMetrics[];
  evaluations: RunEvaluation[];
  samples: InspectedSample[];
  /** The last SAMPLE_HISTORY_STEPS steps' samples, oldest first, the latest included; in memory only
   *  (absent for runs loaded from storage, which keep only `samples`). */
  sampleHistory?: SampleStep[];
  /** The curriculum's state step by step (null: the worker sent none). Appended in place. */
  curriculum: CurriculumTrace | null;
  /** A self-play run's loop metrics iteration by iteration (null: none yet, or an RL run). Appended in
   *  place; stored point by point like `metrics`, not with the record. */
  selfplay: SelfplaySeries | null;
  /** The stored record's revision this copy is based on (absent or 0: never written). */
  revision?: number;
}

export interface RunsState {
  runs: RunRecord[];
  activeRunId: string | null;
  /** Bumped (at most once per animation frame for appends) whenever anything about the runs changes. */
  version: number;
  /** A storage problem affecting all runs (quota full, IndexedDB unavailable), for a visible banner. */
  storageError: string | null;

  createRun(config: ExperimentConfig, label?: string): string;
  /** config.seeds records (one per replica, seeds config.seed + k) sharing a group, a colour and a
   *  label; returns their ids in seed order. With seeds = 1 it is createRun (no group). */
  createRunGroup(config: ExperimentConfig, label?: string): string[];
  appendMetrics(runId: string, metrics: StepMetrics, curriculum?: CurriculumState): void;
  appendEvaluation(runId: string, step: number, results: ArmEvaluation[]): void;
  /** A self-play loop's report: `iteration` done (0: the starting policy), its flattened metrics. */
  appendSelfplay(runId: string, loop: SelfplayLoop, iteration: number, metrics: Record<string, number>): void;
  /** The latest samples; with `step`, also kept in the run's sampleHistory. */
  setSamples(runId: string, samples: InspectedSample[], step?: number): void;
  setStatus(runId: string, status: RunStatus): void;
  setError(runId: string, message: string | null): void;
  toggleVisible(runId: string): void;
  deleteRun(runId: string): void;
  loadPersisted(): Promise<void>;

  setActiveRun(runId: string | null): void;
  setLabel(runId: string, label: string): void;
  dismissStorageError(): void;
  /** Writes whatever is queued now; resolves when storage has it (e.g. before a test checks storage).
   *  `urgent`: the page is going away — write the runs this tab holds, without reading first. */
  flushPersistence(urgent?: boolean): Promise<void>;
}

/** Run colours by creation index: distinct on the dark panel, and stable for a run's lifetime. */
export const RUN_COLORS: readonly string[] = ['#6cb6ff', '#f0883e', '#4fc27d', '#e5655b', '#b083f0', '#e5c84b', '#39c5cf', '#ff7eb6', '#a5d6a7', '#c9a26b'];

export function runColor(index: number): string {
  return RUN_COLORS[((index % RUN_COLORS.length) + RUN_COLORS.length) % RUN_COLORS.length];
}

let idCounter = 0;
export function newRunId(now: number): string {
  idCounter += 1;
  const random = Math.floor(Math.random() * 0x100000).toString(36);
  return `run-${now.toString(36)}-${idCounter.toString(36)}${random}`;
}

export function describeStorageError(e: unknown): string {
  if (isQuotaError(e)) return 'Browser storage is full: new steps are kept in this tab but will not survive a reload. Delete old runs to free space.';
  const message = e instanceof Error ? e.message : String(e);
  return `Could not save runs to browser storage (${message}): they will not survive a reload.`;
}

export function toMeta(run: RunRecord, colorIndex: number): RunMeta {
  // The growing series go point by point to their own stores; the record is rewritten every step.
  const { metrics: _m, evaluations: _e, selfplay: _s, sampleHistory: _h, revision, ...rest } = run;
  return { ...rest, colorIndex, revision: (revision ?? 0) + 1 };
}

/** Adds a step's samples to the run's history, in place: a step seen again (a resumed run) replaces the
 *  later ones, and only the last SAMPLE_HISTORY_STEPS stay. */
export function appendSampleStep(run: RunRecord, step: number, samples: InspectedSample[]): void {
  const history = (run.sampleHistory ??= []);
  while (history.length > 0 && history[history.length - 1].step >= step) history.pop();
  history.push({ step, samples });
  if (history.length > SAMPLE_HISTORY_STEPS) history.splice(0, history.length - SAMPLE_HISTORY_STEPS);
}

/** Appends a step's curriculum state to the run's trace, in place (a new trace when the arms change). */
export function appendCurriculum(run: RunRecord, step: number, state: CurriculumState): void {
  const arms = state.arms.map((a) => a.id);
  let trace = run.curriculum;
  if (!trace || trace.kind !== state.kind || trace.arms.join('\n') !== arms.join('\n')) {
    trace = { kind: state.kind, name: state.name, scoreLabel: state.scoreLabel, arms, points: [], latest: state };
    run.curriculum = trace;
  }
  const points = trace.points;
  while (points.length > 0 && points[points.length - 1].step >= step) points.pop();
  points.push({
    step,
    probability: state.arms.map((a) => a.probability),
    score: state.arms.map((a) => a.score),
    meanAbsAdvantage: state.arms.map((a) => a.meanAbsAdvantage),
    accuracy: state.arms.map((a) => a.accuracy),
  });
  trace.latest = state;
}

