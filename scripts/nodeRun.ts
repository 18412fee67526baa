// Runs an experiment in Node exactly as the lab's training worker does: the same TrainingSession, the
// same run builder and phases, on the CPU backend, with base checkpoints read from public/checkpoints.
// Every script that trains (train, gallery:record via train, curriculum:race, soak) goes through here
// or the session directly, so a preset or link means the same run in Node and in the page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CurriculumState } from '../src/curriculum';
import type { Backend } from '../src/engine/backend';
import type { CheckpointLoader } from '../src/experiment/runBuilder';
import type { ExperimentConfig } from '../src/experiment/schema';
import type { SelfplayIterations } from '../src/experiment/selfplayRecord';
import { CheckpointError, parseCheckpoint } from '../src/model/checkpoint';
import type { ArmEvaluation } from '../src/rl/evaluate';
import type { StepMetrics } from '../src/rl/metrics';
import { cpuBackend } from '../src/worker/backendSelection';
import type { EventOf, TrainingEvent } from '../src/worker/protocol';
import { TrainingSession } from '../src/worker/trainingSession';

export const CHECKPOINTS = 'public/checkpoints';

/** Base checkpoints from the repository (the page fetches the same files). `file` overrides the task's. */
export function nodeCheckpointLoader(dir = CHECKPOINTS, file?: string): CheckpointLoader {
  return async (taskId) => {
    let entry: { file: string; rlArms?: string[] } | undefined;
    try {
      entry = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, { file: string; rlArms?: string[] }>)[taskId];
    } catch {
      entry = undefined;
    }
    const path = file ?? join(dir, entry?.file ?? `${taskId}.safetensors`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(path));
    } catch {
      throw new CheckpointError(`no base checkpoint for the task "${taskId}" at ${path}. Make it with \`npm run pretrain -- --task ${taskId}\`, or train from a random init with --init random.`);
    }
    return { checkpoint: parseCheckpoint(bytes), rlArms: entry?.rlArms ?? [], url: path };
  };
}

/** What a run produced, event by event. */
export interface NodeRunResult {
  info: EventOf<'runInfo'> | null;
  steps: StepMetrics[];
  /** The curriculum's state after each step (aligned with `steps`). */
  curriculum: (CurriculumState | null)[];
  evaluations: { afterSteps: number; arms: ArmEvaluation[] }[];
  /** A self-play run's iterations (iteration 0 = the start), each its flattened metrics; null for RL. */
  selfplay: SelfplayIterations | null;
  /** How it ended: the last status message, or the error that stopped or paused it. */
  outcome: { state: string; message: string };
  errors: string[];
  seconds: number;
}

export interface NodeRunOptions {
  checkpointFile?: string;
  /** Every event as it arrives (progress lines, soak sampling). */
  onEvent?: (event: TrainingEvent, backend: Backend) => void;
}

/** Runs the experiment to its end (or until it pauses on an error) and returns what it reported. */
export async function runExperimentInNode(config: ExperimentConfig, options: NodeRunOptions = {}): Promise<NodeRunResult> {
  const result: NodeRunResult = { info: null, steps: [], curriculum: [], evaluations: [], selfplay: null, outcome: { state: 'idle', message: '' }, errors: [], seconds: 0 };
  let backend: Backend | null = null;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const started = performance.now();
  const session = new TrainingSession({
    createBackend: async () => {
      const selected = cpuBackend();
      backend = selected.backend;
      return selected;
    },
    loadCheckpoint: nodeCheckpointLoader(CHECKPOINTS, options.checkpointFile),
    // No device to lose on the CPU: the host copy of step 0 is enough.
    hostStateEvery: Number.MAX_SAFE_INTEGER,
    emit: (e) => {
      if (e.type === 'runInfo') result.info = e;
      if (e.type === 'metrics') {
        result.steps.push(e.metrics);
        result.curriculum.push(e.curriculum ?? null);
      }
      if (e.type === 'evaluation') result.evaluations.push({ afterSteps: e.step, arms: e.results });
      if (e.type === 'selfplayMetrics') {
        result.selfplay ??= { loop: e.loop, iterations: [] };
        result.selfplay.iterations.push({ iteration: e.iteration, ...e.metrics });
      }
      if (e.type === 'error') result.errors.push(`${e.kind}: ${e.message}`);
      if (backend) options.onEvent?.(e, backend);
      if (e.type === 'status' && ['stopped', 'error', 'paused'].includes(e.state)) {
        result.outcome = { state: e.state, message: e.message ?? result.errors.at(-1) ?? '' };
        done();
      }
    },
  });
  await session.init();
  // One run, one result: a multi-seed experiment runs here as its first seed (callers that want every
  // seed run each replicaSeed(config, k) with seeds 1).
  await session.handle({ type: 'start', runIds: [`node-${config.preset || 'custom'}-${config.seed}`], config: { ...config, seeds: 1 } });
  await finished;
  result.seconds = (performance.now() - started) / 1000;
  await session.dispose();
  return result;
}
