// The training worker's lifecycle on the main thread: one TrainingClient for the page, what its
// `ready` said about the backend, the session's state, and the routing of its events into the run
// records (useRunsStore). Metrics arrive once per step, never per token; they are still queued and
// handed to the runs store at most once per animation frame, so React and the plots see one update
// per frame however fast the worker steps (the llm-viz rule: hot state outside React).
import { create } from 'zustand';
import { useRunsStore, type SelfplayLoop } from './runsStore';
import { useConfigStore } from './configStore';
import type { ExperimentConfig } from '../experiment/schema';
import { LIVE_FIELDS } from '../worker/liveConfig';
import { estimateCost, type CostEstimate } from '../experiment/costEstimate';
import type { AdapterDescription, ArmEvaluation, BackendKind, ConfigPatch, CurriculumState, InspectedSample, SessionState, StepMetrics, TrainingErrorEvent } from '../worker/protocol';
import { TrainingClient } from '../worker/trainingClient';

export interface PendingRestart {
  /** The config the change would give. */
  next: ExperimentConfig;
  /** Schema paths of the fields that change and cannot change mid-run. */
  fields: string[];
}

/** The SFT warm-up of a run (model.init 'sft') as last reported; `loss` null before its first step. */
export interface WarmupProgress {
  runId: string;
  step: number;
  total: number;
  loss: number | null;
}

/** The active run is warming up (or paused in its warm-up): RL has not started. */
export function isWarmingUp(s: Pick<SessionStoreState, 'warmup' | 'activeRunId' | 'state'>): boolean {
  const w = s.warmup;
  return w !== null && w.runId === s.activeRunId && w.step < w.total && (s.state === 'running' || s.state === 'paused' || s.state === 'loading');
}

export interface SessionStoreState {
  /** null until the worker's `ready`. */
  backend: BackendKind | null;
  adapter: AdapterDescription | null;
  fallbackReason: string | null;
  state: SessionState;
  /** Optimisation steps done in the active run. */
  step: number;
  activeRunId: string | null;
  message: string | null;
  lastError: { kind: TrainingErrorEvent['kind']; message: string } | null;
  /** The arms the active run trains on (from runInfo). */
  runArms: string[];
  /** The active run's SFT warm-up (null when it has none); kept once done, with step = total. */
  warmup: WarmupProgress | null;
  /** A change that needs a restart, waiting for the reader's answer (the restart dialog). */
  pendingRestart: PendingRestart | null;
  /** A run waiting for the reader to confirm its estimated cost (the cost dialog); null when none. */
  pendingCost: { estimate: CostEstimate; paused: boolean; stepOnce: boolean } | null;
  /** What the last updateConfig applied / refused (shown briefly in the top bar). */
  lastLiveUpdate: { applied: string[]; refused: { field: string; reason: string }[] } | null;

  init(): void;
  play(): void;
  pause(): void;
  stepOnce(): void;
  /** Stop + a new run at step 0 (running again if it was running). */
  reset(): void;
  /** Proposes a new config: applied at once when nothing runs or only live fields change (those are
   *  sent to the worker); otherwise it waits in pendingRestart for the restart dialog. */
  proposeConfig(next: ExperimentConfig): string[] | null;
  confirmRestart(mode: 'restart' | 'next-run'): void;
  /** Replaces the experiment (a gallery card's) and starts it at once: a run in progress is stopped
   *  (it stays in the run list). Returns the config's problems instead when it does not validate. */
  loadAndRun(next: ExperimentConfig): string[] | null;
  cancelRestart(): void;
  /** Starts the run the cost dialog asked about. */
  confirmCost(): void;
  cancelCost(): void;
  /** Sends the editor's reward code to the running run (reward.code is live-changeable). */
  sendRewardCode(): void;
}

let client: TrainingClient | null = null;
/** A run started paused for "step once": its first step is sent once the worker reports it paused
 *  (a stepOnce arriving while the run still loads would be ignored). */
let stepWhenPaused: string | null = null;

/** Dotted paths of the leaves where two configs differ. */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

function livePatch(next: ExperimentConfig, fields: string[]): ConfigPatch {
  const patch: Record<string, Record<string, unknown>> = {};
  for (const field of fields) {
    const [section, key] = field.split('.');
    patch[section] ??= {};
    patch[section][key] = (next as unknown as Record<string, Record<string, unknown>>)[section][key];
  }
  return patch as ConfigPatch;
}

const isActive = (state: SessionState) => state === 'running' || state === 'paused' || state === 'loading';

// ---- per-frame batching of the worker's events into the runs store -----------------------------
type Queued =
  | { kind: 'metrics'; runId: string; metrics: StepMetrics; curriculum?: CurriculumState }
  | { kind: 'evaluation'; runId: string; step: number; results: ArmEvaluation[] }
  | { kind: 'samples'; runId: string; samples: InspectedSample[] }
  | { kind: 'selfplay'; runId: string; loop: SelfplayLoop; iteration: number; metrics: Record<string, number> };
let queue: Queued[] = [];
let flushScheduled = false;
/** The latest warm-up progress not yet shown (only the last of a frame matters). */
let pendingWarmup: WarmupProgress | null = null;

/** Hands every queued worker event to the runs store now (the page is being hidden or going away:
 *  a hidden page gets no animation frame). */
export function flushSessionEvents(): void {
  flushQueue();
}

function flushQueue(): void {
  flushScheduled = false;
  const items = queue;
  queue = [];
  const warmup = pendingWarmup;
  pendingWarmup = null;
  if (warmup && warmup.runId === useSessionStore.getState().activeRunId) useSessionStore.setState({ warmup });
  const runs = useRunsStore.getState();
  // Only the latest samples of a run matter: skip older ones queued in the same frame.
  const lastSamples = new Map<string, number>();
  items.forEach((item, i) => item.kind === 'samples' && lastSamples.set(item.runId, i));
  const active = useSessionStore.getState().activeRunId;
  let activeStep = -1;
  items.forEach((item, i) => {
    if (item.kind === 'selfplay' && item.runId === active) activeStep = Math.max(activeStep, item.iteration);
    if (item.kind === 'metrics' && item.runId === active) activeStep = Math.max(activeStep, item.metrics.step + 1);
    if (item.kind === 'metrics') runs.appendMetrics(item.runId, item.metrics, item.curriculum);
    else if (item.kind === 'selfplay') runs.appendSelfplay(item.runId, item.loop, item.iteration, item.metrics);
    else if (item.kind === 'evaluation') runs.appendEvaluation(item.runId, item.step, item.results);
    else if (lastSamples.get(item.runId) === i) runs.setSamples(item.runId, item.samples);
  });
  // The step counter moves with the metrics (the worker sends no status per step), once per frame.
  if (activeStep >= 0 && activeStep > useSessionStore.getState().step) useSessionStore.setState({ step: activeStep });
}

function enqueue(item: Queued | null): void {
  if (item) queue.push(item);
  if (flushScheduled) return;
  flushScheduled = true;
  // A hidden tab gets no animation frames; a timeout keeps records complete there.
  if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') requestAnimationFrame(flushQueue);
  else setTimeout(flushQueue, 100);
}

export const useSessionStore = create<SessionStoreState>()((set, get) => {
  function ensureClient(): TrainingClient {
    if (client) return client;
    const c = new TrainingClient();
    client = c;
    c.on('ready', (e) => set({ backend: e.backend, adapter: e.adapter ?? null, fallbackReason: e.fallbackReason ?? null }));
    c.on('status', (e) => {
      const runId = e.runId ?? get().activeRunId;
      // A late status of a run that was replaced (reset) only updates that run's record.
      if (e.runId === null || e.runId === get().activeRunId) set({ state: e.state, step: e.step, message: e.message ?? null });
      if (e.state === 'paused' && e.runId !== null && e.runId === stepWhenPaused) {
        stepWhenPaused = null;
        c.send({ type: 'stepOnce' });
      }
      if (!runId) return;
      const runs = useRunsStore.getState();
      if (e.state === 'running' || e.state === 'paused' || e.state === 'stopped' || e.state === 'error') runs.setStatus(runId, e.state);
      if (e.state === 'running') runs.setError(runId, null);
    });
    c.on('metrics', (e) => enqueue({ kind: 'metrics', runId: e.runId, metrics: e.metrics, curriculum: e.curriculum }));
    c.on('evaluation', (e) => enqueue({ kind: 'evaluation', runId: e.runId, step: e.step, results: e.results }));
    c.on('samples', (e) => enqueue({ kind: 'samples', runId: e.runId, samples: e.samples }));
    c.on('selfplayMetrics', (e) => enqueue({ kind: 'selfplay', runId: e.runId, loop: e.loop, iteration: e.iteration, metrics: e.metrics }));
    c.on('sftProgress', (e) => {
      pendingWarmup = { runId: e.runId, step: e.step, total: e.total, loss: e.loss };
      enqueue(null);
    });
    c.on('runInfo', (e) => {
      if (e.runId === get().activeRunId) set({ runArms: e.arms });
    });
    c.on('configUpdated', (e) => set({ lastLiveUpdate: { applied: e.applied, refused: e.refused } }));
    c.on('error', (e) => {
      set({ lastError: { kind: e.kind, message: e.message } });
      const runId = e.runId ?? get().activeRunId;
      if (runId) useRunsStore.getState().setError(runId, e.message);
    });
    return c;
  }

  /** Starts a run of the current config — or, when its estimated cost is above the thresholds and not
   *  yet confirmed, asks first (pendingCost) and starts nothing. */
  function startRun(paused: boolean, options: { stepOnce?: boolean; confirmed?: boolean } = {}): void {
    const config = useConfigStore.getState().config;
    if (!options.confirmed) {
      const estimate = estimateCost(config);
      if (estimate.reasons.length > 0) {
        set({ pendingCost: { estimate, paused, stepOnce: options.stepOnce ?? false } });
        return;
      }
    }
    const c = ensureClient();
    const runId = useRunsStore.getState().createRun(config);
    const warmup = config.model.init === 'sft' ? { runId, step: 0, total: config.model.sftSteps, loss: null } : null;
    pendingWarmup = null;
    set({ activeRunId: runId, step: 0, lastError: null, runArms: [], message: null, state: 'loading', warmup });
    c.send({ type: 'start', config, runId, paused });
    if (options.stepOnce) stepWhenPaused = runId;
  }

  /** Reward code from a link runs only once approved. */
  function rewardBlocked(): boolean {
    return useConfigStore.getState().rewardApproval === 'pending' && useConfigStore.getState().config.reward.kind === 'code';
  }

  return {
    backend: null,
    adapter: null,
    fallbackReason: null,
    state: 'idle',
    step: 0,
    activeRunId: null,
    message: null,
    lastError: null,
    runArms: [],
    warmup: null,
    pendingRestart: null,
    pendingCost: null,
    lastLiveUpdate: null,

    init() {
      ensureClient();
    },

    play() {
      if (rewardBlocked()) return;
      const { state, activeRunId } = get();
      if (state === 'paused' && activeRunId) ensureClient().send({ type: 'resume' });
      else if (state === 'running' || state === 'loading') return;
      else startRun(false);
    },

    pause() {
      if (get().state === 'running') ensureClient().send({ type: 'pause' });
    },

    stepOnce() {
      if (rewardBlocked()) return;
      const { state } = get();
      if (state === 'paused') ensureClient().send({ type: 'stepOnce' });
      else if (state === 'idle' || state === 'stopped' || state === 'error') {
        startRun(true, { stepOnce: true });
      }
    },

    reset() {
      if (rewardBlocked()) return;
      const wasRunning = get().state === 'running' || get().state === 'loading';
      if (isActive(get().state)) ensureClient().send({ type: 'stop' });
      startRun(!wasRunning);
    },

    proposeConfig(next) {
      const current = useConfigStore.getState().config;
      const fields = changedPaths(current, next);
      if (fields.length === 0) return null;
      // Reward code is edited freely: a running run keeps its code until sendRewardCode (half-typed code
      // would fail the reward and pause the run), so it needs neither a restart nor a live update.
      const needsRestart = fields.filter((f) => f !== 'reward.code' && !LIVE_FIELDS.includes(f));
      const live = fields.filter((f) => f !== 'reward.code' && LIVE_FIELDS.includes(f));
      if (isActive(get().state) && needsRestart.length > 0) {
        set({ pendingRestart: { next, fields: needsRestart } });
        return null;
      }
      const problems = useConfigStore.getState().setConfig(next);
      if (problems) return problems;
      if (isActive(get().state) && client && live.length > 0) client.send({ type: 'updateConfig', patch: livePatch(useConfigStore.getState().config, live) });
      return null;
    },

    confirmRestart(mode) {
      const pending = get().pendingRestart;
      set({ pendingRestart: null });
      if (!pending) return;
      if (useConfigStore.getState().setConfig(pending.next)) return;
      if (mode === 'restart') get().reset();
    },

    loadAndRun(next) {
      const problems = useConfigStore.getState().setConfig(next);
      if (problems) return problems;
      set({ pendingRestart: null });
      if (rewardBlocked()) return null;
      if (isActive(get().state)) ensureClient().send({ type: 'stop' });
      startRun(false);
      return null;
    },

    cancelRestart() {
      set({ pendingRestart: null });
    },

    confirmCost() {
      const pending = get().pendingCost;
      set({ pendingCost: null });
      if (pending && !rewardBlocked()) startRun(pending.paused, { stepOnce: pending.stepOnce, confirmed: true });
    },

    cancelCost() {
      set({ pendingCost: null });
    },

    sendRewardCode() {
      const { config } = useConfigStore.getState();
      // Unapproved link code never reaches a run, whichever button asked (the dialog covers this one).
      if (!client || !isActive(get().state) || config.reward.kind !== 'code' || useConfigStore.getState().rewardApproval === 'pending') return;
      client.send({ type: 'updateConfig', patch: { reward: { code: config.reward.code } } });
    },
  };
});

/** For tests and hot reload: the worker goes away. */
export function disposeSession(): void {
  client?.terminate();
  client = null;
}
