// The typed protocol between the main thread and the training worker (the Sequence Toy / Piston pattern):
// commands go in, events come out, both discriminated unions on `type`. Each union is generated from a
// map of payloads, so a new message (curriculum arm probabilities, self-play roles …) is one map entry;
// the session's `switch` over commands is exhaustive, so the compiler points at the handler to write.
import type { CurriculumState } from '../curriculum/curriculum';
import type { ExperimentConfig, SelfplayLoopKind } from '../experiment/schema';
import type { RewardErrorKind, RewardInput } from '../rewards/sandbox/protocol';
import type { ArmEvaluation } from '../rl/evaluate';
import type { InspectedSample, StepMetrics } from '../rl/metrics';

export type { ArmEvaluation, CurriculumState, InspectedSample, StepMetrics };

/** A patch of the experiment config: any subset of its fields, nested as in the config. */
export type ConfigPatch = { [K in keyof ExperimentConfig]?: ExperimentConfig[K] extends object ? Partial<ExperimentConfig[K]> : ExperimentConfig[K] };

// ------------------------------------------------------------------------------------------ commands

/** A command without a payload. */
type NoPayload = Record<never, never>;

export interface TrainingCommandMap {
  /** Builds backend state, model and trainer from the config, then trains (or waits, when `paused`).
   *  `runIds`: one record id per replica (length config.seeds); replica k trains with seed
   *  replicaSeed(config, k) and its events carry runIds[k]. The replicas advance together.
   *  `pauseAtStep`: the run pauses by itself once it has done this many steps (a classroom link's
   *  stopAt); the pause is the loop's own, so it lands exactly there, not a step later. */
  start: { config: ExperimentConfig; runIds: string[]; paused?: boolean; pauseAtStep?: number };
  pause: NoPayload;
  resume: NoPayload;
  /** One step (of every replica) while paused (ignored while running). */
  stepOnce: NoPayload;
  stop: NoPayload;
  /** Applies the fields that may change mid-run (see LIVE_FIELDS); refuses the rest (they need a restart). */
  updateConfig: { patch: ConfigPatch };
  /** A checkpoint of the current policy; `requestId` is echoed in the `snapshot` event. `runId`: which
   *  replica of a multi-seed run (default: the first). */
  snapshot: { requestId?: number; runId?: string };
  /** Held-out evaluation now (between steps when running). */
  evaluate: { requestId?: number };
}

export type TrainingCommandType = keyof TrainingCommandMap;
export type CommandOf<K extends TrainingCommandType> = { type: K } & TrainingCommandMap[K];
export type TrainingCommand = { [K in TrainingCommandType]: CommandOf<K> }[TrainingCommandType];

export const COMMAND_TYPES: readonly TrainingCommandType[] = ['start', 'pause', 'resume', 'stepOnce', 'stop', 'updateConfig', 'snapshot', 'evaluate'];

/** A light shape check for what arrives over postMessage (the start config is validated by zod later). */
export function isTrainingCommand(data: unknown): data is TrainingCommand {
  return typeof data === 'object' && data !== null && COMMAND_TYPES.includes((data as { type: TrainingCommandType }).type);
}

// ------------------------------------------------------------------------------------------ events

export type BackendKind = 'webgpu' | 'cpu';
export type SessionState = 'idle' | 'loading' | 'running' | 'paused' | 'stopped' | 'error';

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  description: string;
}

/** What went wrong, and what the error's `detail` carries for each kind. */
export interface ErrorDetailMap {
  /** The reward function failed: the run is paused with its state kept; resume retries the step. */
  reward: { sample?: RewardInput; sampleIndex?: number; rewardError?: RewardErrorKind };
  /** Loss, gradient norm, entropy, KL or the updated weights were NaN or ±Infinity: the step's update
   *  was undone (weights and optimizer state are the last good step's), the run is paused, the step not counted. */
  nonfinite: { quantities: string[]; metrics: StepMetrics };
  /** The GPU device was lost. With `resumeStep`, the run carries on from the state after that many
   *  steps on a new backend (a `ready` event follows; no metric is lost or sent twice); without, it stopped. */
  'device-lost': { reason: string; resumeStep?: number };
  /** The base checkpoint is missing or unreadable: the run does not start. */
  checkpoint: { url?: string };
  /** The start config is invalid (unknown arm, out-of-range value …): the run does not start. */
  config: { issues: string[] };
  /** Anything else (a bug): the run is paused. */
  internal: { stack?: string };
}

export type ErrorKind = keyof ErrorDetailMap;
export type ErrorEventOf<K extends ErrorKind> = { type: 'error'; runId: string | null; kind: K; message: string; detail?: ErrorDetailMap[K] };
export type TrainingErrorEvent = { [K in ErrorKind]: ErrorEventOf<K> }[ErrorKind];

export interface TrainingEventMap {
  /** The worker's backend is up. `fallbackReason` says why it is the CPU one. */
  ready: { backend: BackendKind; adapter?: AdapterDescription; fallbackReason?: string };
  /** `step`: optimisation steps done so far (by every replica). `message` says e.g. why a run stopped.
   *  `runId`: the run's first replica (null: no run); `runIds`: all its replicas (the state is theirs). */
  status: { state: SessionState; step: number; runId: string | null; runIds: string[]; message?: string };
  /** One step's metrics; `step` is the 0-based index of the step that produced them. `curriculum`: the
   *  sampler's per-arm state after the step's update (probabilities for the next step, scores, |A|). */
  metrics: { runId: string; step: number; metrics: StepMetrics; curriculum?: CurriculumState };
  /** Held-out evaluation after `step` optimisation steps (0 = the starting policy). */
  evaluation: { runId: string; step: number; results: ArmEvaluation[]; requestId?: number };
  samples: { runId: string; step: number; samples: InspectedSample[] };
  /** The policy after `step` steps as an RLVR Lab checkpoint (safetensors); the bytes are transferred. */
  snapshot: { runId: string; step: number; bytes: Uint8Array; requestId?: number };
  /** The answer to updateConfig: what now applies, and what was refused (and why). */
  configUpdated: { runId: string | null; step: number; applied: string[]; refused: { field: string; reason: string }[] };
  /** The run's training arms (config.task.arms, or the base checkpoint's RL arms when that is empty). */
  runInfo: { runId: string; task: string; arms: string[]; init: ExperimentConfig['model']['init']; parameters: number };
  /** model.init 'sft': after each supervised step of the warm-up that precedes RL (`step` of `total`
   *  done; `loss` that step's cross-entropy). RL metrics follow the last one. */
  sftProgress: { runId: string; step: number; total: number; loss: number };
  /** A self-play run (selfplay.loop ≠ 'none'): one loop iteration's metrics, nested ones flattened to
   *  'a/b' keys, numbers only. `iteration`: iterations done (0 = the starting policy's evaluation). */
  selfplayMetrics: { runId: string; loop: Exclude<SelfplayLoopKind, 'none'>; iteration: number; metrics: Record<string, number> };
  log: { message: string };
}

export type TrainingEventType = keyof TrainingEventMap | 'error';
export type EventOf<K extends TrainingEventType> = K extends 'error' ? TrainingErrorEvent : K extends keyof TrainingEventMap ? { type: K } & TrainingEventMap[K] : never;
export type TrainingEvent = { [K in keyof TrainingEventMap]: EventOf<K> }[keyof TrainingEventMap] | TrainingErrorEvent;
