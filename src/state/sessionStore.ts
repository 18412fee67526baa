// The training worker's lifecycle on the main thread: one TrainingClient for the page, what its
// `ready` said about the backend, the session's state, and the routing of its events into the run
// records (useRunsStore). Metrics arrive once per step, never per token; the runs store appends them
// in place and lets React and the plots see one update per animation frame however fast the worker
// steps (the llm-viz rule: hot state outside React) — the only per-frame hop on the way.
import { create } from 'zustand';
import { useRunsStore } from './runsStore';
import { useConfigStore } from './configStore';
import { classroomLink, heldGroups } from './classroom';
import { keepLocked } from '../experiment/classroomLink';
import type { ExperimentConfig } from '../experiment/schema';
import { LIVE_FIELDS } from '../worker/liveConfig';
import { estimateCost, type CostEstimate } from '../experiment/costEstimate';
import type { AdapterDescription, BackendKind, ConfigPatch, SessionState, TrainingErrorEvent } from '../worker/protocol';
import { TrainingClient } from '../worker/trainingClient';

/** How a run is started for a caller (a gallery card's arm): its label, and whether its cost is
 *  already accepted (the cost dialog asked once for the whole queue). */
export interface RunOptions {
  label?: string;
  confirmed?: boolean;
}

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
  /** The active run's replicas (config.seeds): its first is activeRunId, all advance together. */
  activeRunIds: string[];
  message: string | null;
  lastError: { kind: TrainingErrorEvent['kind']; message: string } | null;
  /** The arms the active run trains on (from runInfo). */
  runArms: string[];
  /** The active run's SFT warm-up (null when it has none); kept once done, with step = total. */
  warmup: WarmupProgress | null;
  /** A change that needs a restart, waiting for the reader's answer (the restart dialog). */
  pendingRestart: PendingRestart | null;
  /** A run waiting for the reader to confirm its estimated cost (the cost dialog); null when none. */
  pendingCost: { estimate: CostEstimate; paused: boolean; stepOnce: boolean; label?: string } | null;
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
  loadAndRun(next: ExperimentConfig, options?: RunOptions): string[] | null;
  /** Stops the active run (it stays in the run list); nothing starts. */
  stop(): void;
  cancelRestart(): void;
  /** Starts the run the cost dialog asked about. */
  confirmCost(): void;
  cancelCost(): void;
  /** Sends the editor's reward code to the running run (reward.code is live-changeable). */
  sendRewardCode(): void;
  /** The active run's current policy (an RLVR Lab checkpoint), or null when there is no run or the
   *  worker does not answer within `timeoutMs` (the export then takes the starting policy). */
  requestSnapshot(timeoutMs?: number): Promise<{ bytes: Uint8Array; step: number; runId: string } | null>;
}

let client: TrainingClient | null = null;
/** Ids of snapshot requests (the export asks for the current policy). */
let snapshotRequests = 0;
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

// ---- the worker's events on the main thread --------------------------------------------------------
// Run data (metrics, evaluations, samples, self-play iterations) goes straight into the runs store: it
// appends in place and re-renders its subscribers once per animation frame (its `version`), the one
// per-frame hop between the worker and the plots. This store's own per-step fields — the active run's
// step counter and its warm-up progress — are coalesced to one update per frame the same way.
let frameScheduled = false;
/** The latest warm-up progress not yet shown (only the last of a frame matters). */
let pendingWarmup: WarmupProgress | null = null;
/** The active run's newest step (RL steps or self-play iterations) not yet shown. */
let pendingStep: { runId: string; step: number } | null = null;

/** Shows the pending step counter and warm-up progress now (the page is being hidden or going away:
 *  a hidden page gets no animation frame). Run data needs no flush here: it reaches the runs store as it
 *  arrives, and flushOnHide writes the runs store's unsaved records. */
export function flushSessionEvents(): void {
  showProgress();
}

function showProgress(): void {
  frameScheduled = false;
  const warmup = pendingWarmup;
  const step = pendingStep;
  pendingWarmup = null;
  pendingStep = null;
  const session = useSessionStore.getState();
  if (warmup && warmup.runId === session.activeRunId) useSessionStore.setState({ warmup });
  // The step counter moves with the metrics (the worker sends no status per step), once per frame.
  if (step && step.runId === useSessionStore.getState().activeRunId && step.step > useSessionStore.getState().step) useSessionStore.setState({ step: step.step });
}

function scheduleProgress(): void {
  if (frameScheduled) return;
  frameScheduled = true;
  // A hidden tab gets no animation frames; a timeout keeps the counter moving there.
  if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') requestAnimationFrame(showProgress);
  else setTimeout(showProgress, 100);
}

/** Notes that the active run reached `step` (shown at the next frame). */
function noteStep(runId: string, step: number): void {
  if (runId !== useSessionStore.getState().activeRunId) return;
  if (pendingStep === null || pendingStep.runId !== runId || step > pendingStep.step) pendingStep = { runId, step };
  scheduleProgress();
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
      // The state is every replica's (a multi-seed run's seeds advance, pause and stop together).
      const ids = e.runIds?.length ? e.runIds : [runId];
      const runs = useRunsStore.getState();
      for (const id of ids) {
        if (e.state === 'running' || e.state === 'paused' || e.state === 'stopped' || e.state === 'error') runs.setStatus(id, e.state);
        if (e.state === 'running') runs.setError(id, null);
      }
    });
    c.on('metrics', (e) => {
      useRunsStore.getState().appendMetrics(e.runId, e.metrics, e.curriculum);
      noteStep(e.runId, e.metrics.step + 1);
    });
    c.on('evaluation', (e) => useRunsStore.getState().appendEvaluation(e.runId, e.step, e.results));
    c.on('samples', (e) => useRunsStore.getState().setSamples(e.runId, e.samples, e.step));
    c.on('selfplayMetrics', (e) => {
      useRunsStore.getState().appendSelfplay(e.runId, e.loop, e.iteration, e.metrics);
      noteStep(e.runId, e.iteration);
    });
    c.on('sftProgress', (e) => {
      pendingWarmup = { runId: e.runId, step: e.step, total: e.total, loss: e.loss };
      scheduleProgress();
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
  function startRun(paused: boolean, options: { stepOnce?: boolean } & RunOptions = {}): void {
    const config = useConfigStore.getState().config;
    if (!options.confirmed) {
      const estimate = estimateCost(config);
      if (estimate.reasons.length > 0) {
        set({ pendingCost: { estimate, paused, stepOnce: options.stepOnce ?? false, ...(options.label ? { label: options.label } : {}) } });
        return;
      }
    }
    const c = ensureClient();
    // One record per seed (a group of one for a single-seed run); the first is the active run.
    const runIds = useRunsStore.getState().createRunGroup(config, options.label);
    const runId = runIds[0];
    const warmup = config.model.init === 'sft' ? { runId, step: 0, total: config.model.sftSteps, loss: null } : null;
    pendingWarmup = null;
    pendingStep = null;
    set({ activeRunId: runId, activeRunIds: runIds, step: 0, lastError: null, runArms: [], message: null, state: 'loading', warmup });
    // A classroom link's stopAt pauses every run the reader starts here; a gallery card's arms (labelled
    // runs of a queue) run to their end, or the queue would wait on them.
    const pauseAtStep = classroomLink.stopAt !== null && !options.label ? classroomLink.stopAt : undefined;
    c.send({ type: 'start', config, runIds, paused, ...(pauseAtStep !== undefined ? { pauseAtStep } : {}) });
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
    activeRunIds: [],
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

    proposeConfig(proposed) {
      const current = useConfigStore.getState().config;
      // What a classroom link locks does not change (setConfig holds it too); nor is it asked about.
      const next = keepLocked(proposed, current, heldGroups);
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

    loadAndRun(next, options = {}) {
      const problems = useConfigStore.getState().setConfig(next);
      if (problems) return problems;
      set({ pendingRestart: null });
      if (rewardBlocked()) return null;
      if (isActive(get().state)) ensureClient().send({ type: 'stop' });
      startRun(false, options);
      return null;
    },

    stop() {
      if (isActive(get().state)) ensureClient().send({ type: 'stop' });
    },

    cancelRestart() {
      set({ pendingRestart: null });
    },

    confirmCost() {
      const pending = get().pendingCost;
      // The run starts before the question goes (a queue waiting on it sees its run, not a refusal).
      if (pending && !rewardBlocked()) startRun(pending.paused, { stepOnce: pending.stepOnce, confirmed: true, ...(pending.label ? { label: pending.label } : {}) });
      set({ pendingCost: null });
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

    async requestSnapshot(timeoutMs = 10_000) {
      const { state, activeRunId } = get();
      if (!client || !activeRunId || !(isActive(state) || state === 'stopped')) return null;
      const requestId = ++snapshotRequests;
      const answer = client.next('snapshot', (e) => e.requestId === requestId);
      client.send({ type: 'snapshot', requestId });
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
      const e = await Promise.race([answer, timeout]);
      return e ? { bytes: e.bytes, step: e.step, runId: e.runId } : null;
    },
  };
});

/** For tests and hot reload: the worker goes away. */
export function disposeSession(): void {
  client?.terminate();
  client = null;
}
