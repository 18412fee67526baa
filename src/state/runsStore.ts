// The runs of this tab: their configs, metric series (RL steps or self-play iterations), evaluations
// and latest samples (zustand).
//
// Hot path (llm-viz style: hot state outside React). A metrics event can arrive every few
// milliseconds, so appendMetrics pushes into the run's array IN PLACE and only schedules a `version`
// bump for the next animation frame: however fast steps arrive, subscribers re-render at most once per
// frame. Components therefore subscribe to `version` (not to the arrays, whose identity does not
// change on append) and memoise what they derive from the runs by it. Rare changes (status, visibility,
// label, error, delete) replace the run record immutably and bump `version` at once.
//
// Persistence: new records, their changes and every appended step (or self-play iteration) are queued
// and written to the RunStorage in one batch a few times a second. A failed write (a full quota above
// all) is reported on the affected runs and in `storageError`, never swallowed: the student must know
// their runs will not survive a reload. The series in memory stay whole either way.
//
// Several tabs (runLocks.ts). A run is written by one tab at a time: the tab that creates a run takes
// its Web Lock and keeps it while open; another tab writes the run only if it can take the free lock,
// and otherwise keeps its changes (e.g. a visibility toggle) to itself. Storage refuses a stale record
// (revision) and any write for a run deleted elsewhere, so a tab that lost a race re-reads the run or
// drops it instead of bringing it back. Deletions are also announced on a BroadcastChannel so other
// tabs drop the run at once. The queue is flushed when the page is hidden or goes away.
import { create } from 'zustand';
import { createStore, type StateCreator } from 'zustand/vanilla';
import { replicaSeed, type ExperimentConfig } from '../experiment/schema';
import { runLabel } from './runLabel';
import { appendCurriculum, appendSampleStep, describeStorageError, newRunId, runColor, toMeta, type CurriculumTrace, type RunRecord, type RunsState } from './runRecord';
import { createDefaultRunsChannel, createDefaultRunLocks, type RunLocks, type RunsChannel } from './runLocks';
import {
  createDefaultRunStorage,
  type PersistBatch,
  type RunEvaluation,
  type RunMeta,
  type RunStatus,
  type RunStorage,
  type SelfplayLoop,
  type SelfplayPoint,
  type SelfplaySeries,
  type StoredRun,
  type WriteRefusal,
} from './runPersistence';

export type { RunEvaluation, RunStatus, SelfplayLoop, SelfplayPoint, SelfplaySeries };
export { RUN_COLORS, runColor, type CurriculumPoint, type CurriculumTrace, type RunRecord, type RunsState, type SampleStep, SAMPLE_HISTORY_STEPS } from './runRecord';

export interface RunsStoreDeps {
  storage: RunStorage;
  /** Calls back at the next frame. Default: requestAnimationFrame, or a 16 ms timeout without it. */
  requestFrame?: (callback: () => void) => void;
  /** Calls back when the queued writes should go out. Default: a 250 ms timeout. */
  schedulePersist?: (callback: () => void) => void;
  now?: () => number;
  /** Which tab may write which run. Default: Web Locks where the browser has them, else this tab alone. */
  locks?: RunLocks;
  /** Tells other tabs about deletions. Default: a BroadcastChannel where there is one. */
  channel?: RunsChannel;
}

const PERSIST_DELAY_MS = 250;

function defaultRequestFrame(callback: () => void): void {
  // rAF is absent in Node and workers; a timeout keeps the same "coalesce, then bump once" behaviour.
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => callback());
  else setTimeout(callback, 16);
}

const FOREIGN_RUN = 'Another tab is training or editing this run: changes made here are not saved. Reload this tab to see its latest steps.';
const STALE_RUN = 'This run changed in another tab since this tab read it: it was reloaded, and the change made here was not saved.';
const DELETED_RUN = 'A run was deleted in another tab: it is no longer shown or saved here.';

export function runsStoreCreator(deps: RunsStoreDeps): StateCreator<RunsState> {
  const storage = deps.storage;
  const requestFrame = deps.requestFrame ?? defaultRequestFrame;
  const schedulePersist = deps.schedulePersist ?? ((cb: () => void) => void setTimeout(cb, PERSIST_DELAY_MS));
  const now = deps.now ?? (() => Date.now());
  const locks = deps.locks ?? createDefaultRunLocks();
  const channel = deps.channel ?? createDefaultRunsChannel();

  return (set, get) => {
    let nextColorIndex = 0;
    const colorIndexOf = new Map<string, number>();
    let framePending = false;
    let persistPending = false;
    // Writes are chained so a delete never overtakes the writes queued before it.
    let storageChain: Promise<void> = Promise.resolve();
    type Queue = Omit<PersistBatch, 'metas'> & { metas: Set<string> };
    const emptyQueue = (): Queue => ({ metas: new Set(), metrics: [], evaluations: [], selfplay: [] });
    let queue = emptyQueue();
    /** Batches handed to the write chain and not yet written: a page going away writes them again. */
    const unwritten = new Set<Queue>();

    const find = (runId: string) => get().runs.find((r) => r.id === runId);

    const bumpNextFrame = () => {
      if (framePending) return;
      framePending = true;
      requestFrame(() => {
        framePending = false;
        set((s) => ({ version: s.version + 1 }));
      });
    };

    /** Replaces one run's record (rare changes) and re-renders now. */
    const updateRun = (runId: string, patch: Partial<RunRecord>, persist = true) => {
      if (!find(runId)) return;
      set((s) => ({ runs: s.runs.map((r) => (r.id === runId ? { ...r, ...patch } : r)), version: s.version + 1 }));
      if (persist) queueMeta(runId);
    };

    const reportStorageError = (runIds: Iterable<string>, e: unknown) => {
      const message = describeStorageError(e);
      // Not persisted (persist = false): writing the error would fail the same way, and retry forever.
      for (const id of runIds) if (find(id)?.error !== message) updateRun(id, { error: message }, false);
      set({ storageError: message });
      console.error('RLVR Lab: run storage failed', e);
    };

    /** Removes a run from this tab only (it was deleted in another one). */
    const dropRun = (runId: string) => {
      if (!find(runId)) return;
      locks.release(runId);
      colorIndexOf.delete(runId);
      set((s) => {
        const runs = s.runs.filter((r) => r.id !== runId);
        return { runs, activeRunId: s.activeRunId === runId ? (runs.at(-1)?.id ?? null) : s.activeRunId, version: s.version + 1 };
      });
    };
    channel.onDeleted(dropRun);

    /** Replaces this tab's copy of a run with what storage holds. */
    const reloadRun = ({ meta, metrics, evaluations, selfplay }: StoredRun, note: string) => {
      const { colorIndex: _c, revision, ...record } = meta;
      const curriculum = (meta as RunMeta & { curriculum?: CurriculumTrace | null }).curriculum ?? null;
      updateRun(meta.id, { ...record, curriculum, metrics, evaluations, selfplay, revision: revision ?? 0, error: note }, false);
    };

    const handleRefusals = (refused: WriteRefusal[]) => {
      for (const r of refused) {
        if (r.reason === 'deleted') {
          dropRun(r.runId);
          set({ storageError: DELETED_RUN });
        } else if (r.current) reloadRun(r.current, STALE_RUN);
      }
    };

    /** The batch of the given queue, built when its turn to be written comes (records as they are then). */
    const buildBatch = (q: Queue, writable: (runId: string) => boolean): PersistBatch => {
      const metas: RunMeta[] = [];
      for (const id of q.metas) {
        const run = find(id);
        if (run && writable(id)) metas.push(toMeta(run, colorIndexOf.get(id) ?? 0));
      }
      const ok = (e: { runId: string }) => writable(e.runId) && find(e.runId) !== undefined;
      return { metas, metrics: q.metrics.filter(ok), evaluations: q.evaluations.filter(ok), selfplay: q.selfplay.filter(ok) };
    };

    const writeBatch = async (q: Queue, urgent: boolean) => {
      const ids = new Set([...q.metas, ...q.metrics.map((m) => m.runId), ...q.evaluations.map((e) => e.runId), ...q.selfplay.map((p) => p.runId)]);
      const writable = new Set<string>();
      for (const id of ids) {
        if (!find(id)) continue;
        // Urgent: no time to ask for a lock, only the runs this tab already holds.
        if (urgent ? locks.holds(id) : await locks.acquire(id)) writable.add(id);
        else if (find(id)?.error !== FOREIGN_RUN) updateRun(id, { error: FOREIGN_RUN }, false);
      }
      const batch = buildBatch(q, (id) => writable.has(id));
      if (batch.metas.length + batch.metrics.length + batch.evaluations.length + batch.selfplay.length === 0) return;
      try {
        const refused = await storage.write(batch, { urgent });
        for (const meta of batch.metas) {
          const run = find(meta.id);
          if (run && !refused.some((r) => r.runId === meta.id)) run.revision = meta.revision ?? run.revision;
        }
        handleRefusals(refused);
      } catch (e) {
        reportStorageError(ids, e);
      }
    };

    const writeQueued = (urgent = false): Promise<void> => {
      persistPending = false;
      const q = queue;
      queue = emptyQueue();
      // A page going away cannot wait for earlier writes (their IndexedDB events may never come): its
      // last write goes out at once, outside the chain, with every batch still waiting in the chain (on
      // a loaded machine a step's metrics can sit there behind a slow first write when the page is
      // reloaded). Rows are keyed, so order and writing a row twice do not matter.
      if (urgent) {
        const all = [q, ...unwritten].reduce(mergeQueues, emptyQueue());
        if (all.metas.size + all.metrics.length + all.evaluations.length + all.selfplay.length === 0) return storageChain;
        return writeBatch(all, true);
      }
      if (q.metas.size + q.metrics.length + q.evaluations.length + q.selfplay.length === 0) return storageChain;
      unwritten.add(q);
      storageChain = storageChain.then(() => writeBatch(q, false)).finally(() => unwritten.delete(q));
      return storageChain;
    };

    const mergeQueues = (a: Queue, b: Queue): Queue => ({
      metas: new Set([...a.metas, ...b.metas]),
      metrics: [...a.metrics, ...b.metrics],
      evaluations: [...a.evaluations, ...b.evaluations],
      selfplay: [...a.selfplay, ...b.selfplay],
    });

    const schedule = () => {
      if (persistPending) return;
      persistPending = true;
      schedulePersist(() => void writeQueued());
    };
    const queueMeta = (runId: string) => {
      queue.metas.add(runId);
      schedule();
    };

    /** One record per replica (count 1: a plain run). The group shares a colour index and a label;
     *  the first replica becomes the active run. */
    const createRecords = (config: ExperimentConfig, label: string | undefined, count: number): string[] => {
      const createdAt = now();
      const colorIndex = nextColorIndex++;
      const groupLabel = label?.trim() || runLabel(config);
      const groupId = count > 1 ? newRunId(createdAt) : null;
      const records: RunRecord[] = Array.from({ length: count }, (_, index) => {
        const id = newRunId(createdAt);
        colorIndexOf.set(id, colorIndex);
        return {
          id,
          ...(groupId ? { replica: { groupId, seed: replicaSeed(config, index), index, count } } : {}),
          label: groupLabel,
          color: runColor(colorIndex),
          config,
          createdAt,
          visible: true,
          status: 'running',
          error: null,
          metrics: [],
          evaluations: [],
          samples: [],
          curriculum: null,
          selfplay: null,
          revision: 0,
        };
      });
      const ids = records.map((r) => r.id);
      set((s) => ({ runs: [...s.runs, ...records], activeRunId: ids[0], version: s.version + 1 }));
      // This tab writes the runs: take their locks now (the first write waits for them anyway).
      for (const id of ids) {
        void locks.acquire(id);
        queueMeta(id);
      }
      return ids;
    };

    return {
      runs: [],
      activeRunId: null,
      version: 0,
      storageError: null,

      createRun(config, label) {
        return createRecords(config, label, 1)[0];
      },

      createRunGroup(config, label) {
        return createRecords(config, label, config.seeds);
      },

      appendMetrics(runId, metrics, curriculum) {
        const run = find(runId);
        if (!run) return;
        const series = run.metrics;
        // A step sent again (a run resumed after a lost device) replaces what followed it, never duplicates.
        while (series.length > 0 && series[series.length - 1].step >= metrics.step) series.pop();
        series.push(metrics);
        queue.metrics.push({ runId, metrics });
        if (curriculum) {
          appendCurriculum(run, metrics.step, curriculum);
          queueMeta(runId); // the trace travels with the run's record
        }
        schedule();
        bumpNextFrame();
      },

      appendEvaluation(runId, step, results) {
        const run = find(runId);
        if (!run) return;
        const evaluation: RunEvaluation = { step, results };
        const at = run.evaluations.findIndex((e) => e.step === step);
        if (at >= 0) run.evaluations[at] = evaluation;
        else {
          run.evaluations.push(evaluation);
          run.evaluations.sort((a, b) => a.step - b.step);
        }
        queue.evaluations.push({ runId, evaluation });
        schedule();
        bumpNextFrame();
      },

      appendSelfplay(runId, loop, iteration, metrics) {
        const run = find(runId);
        if (!run) return;
        let series = run.selfplay;
        if (!series || series.loop !== loop) run.selfplay = series = { loop, points: [] };
        const points = series.points;
        // A re-sent iteration replaces what followed it, as a re-sent step does (and as storage keys it).
        while (points.length > 0 && points[points.length - 1].iteration >= iteration) points.pop();
        const seconds = metrics.seconds;
        const wall = (points.at(-1)?.wall ?? 0) + (Number.isFinite(seconds) ? seconds : 0);
        const point: SelfplayPoint = { iteration, wall, metrics };
        points.push(point);
        queue.selfplay.push({ runId, loop, point });
        schedule();
        bumpNextFrame();
      },

      setSamples(runId, samples, step) {
        const run = find(runId);
        if (!run) return;
        // Samples come every step too: same in-place, once-per-frame treatment as metrics.
        run.samples = samples;
        if (step !== undefined) appendSampleStep(run, step, samples);
        queueMeta(runId);
        bumpNextFrame();
      },

      setStatus(runId, status) {
        if (find(runId)?.status !== status) updateRun(runId, { status });
      },

      setError(runId, message) {
        if (find(runId)?.error !== message) updateRun(runId, { error: message });
      },

      toggleVisible(runId) {
        const run = find(runId);
        if (run) updateRun(runId, { visible: !run.visible });
      },

      setLabel(runId, label) {
        const run = find(runId);
        if (run) updateRun(runId, { label: label.trim() || runLabel(run.config) });
      },

      setActiveRun(runId) {
        if (runId !== null && !find(runId)) return;
        set((s) => ({ activeRunId: runId, version: s.version + 1 }));
      },

      deleteRun(runId) {
        if (!find(runId)) return;
        set((s) => {
          const runs = s.runs.filter((r) => r.id !== runId);
          const activeRunId = s.activeRunId === runId ? (runs.at(-1)?.id ?? null) : s.activeRunId;
          return { runs, activeRunId, version: s.version + 1 };
        });
        colorIndexOf.delete(runId);
        queue.metas.delete(runId);
        queue.metrics = queue.metrics.filter((m) => m.runId !== runId);
        queue.evaluations = queue.evaluations.filter((e) => e.runId !== runId);
        queue.selfplay = queue.selfplay.filter((p) => p.runId !== runId);
        storageChain = storageChain
          .then(() => storage.deleteRun(runId))
          .then(() => {
            locks.release(runId);
            channel.announceDeleted(runId);
          })
          .catch((e: unknown) => {
            set({ storageError: `Could not delete the run from browser storage (${e instanceof Error ? e.message : String(e)}): it may come back after a reload.` });
          });
      },

      async loadPersisted() {
        let stored;
        try {
          stored = await storage.loadAll();
        } catch (e) {
          set({ storageError: `Could not read saved runs (${e instanceof Error ? e.message : String(e)}).` });
          return;
        }
        const known = new Set(get().runs.map((r) => r.id));
        const loaded: RunRecord[] = [];
        for (const { meta, metrics, evaluations, selfplay } of stored.sort((a, b) => a.meta.createdAt - b.meta.createdAt)) {
          if (known.has(meta.id)) continue;
          const { colorIndex, revision, ...record } = meta;
          colorIndexOf.set(meta.id, colorIndex);
          nextColorIndex = Math.max(nextColorIndex, colorIndex + 1);
          // The worker that trained it is gone with the old page: a run saved mid-training is stopped now.
          const status: RunStatus = record.status === 'running' || record.status === 'paused' ? 'stopped' : record.status;
          // Records saved before curricula were recorded have no trace.
          const curriculum = (meta as RunMeta & { curriculum?: CurriculumTrace | null }).curriculum ?? null;
          loaded.push({ ...record, curriculum, status, metrics, evaluations: evaluations.sort((a, b) => a.step - b.step), selfplay, revision: revision ?? 0 });
        }
        if (loaded.length === 0) return;
        set((s) => ({
          runs: [...loaded, ...s.runs],
          activeRunId: s.activeRunId ?? loaded[loaded.length - 1].id,
          version: s.version + 1,
        }));
      },

      dismissStorageError() {
        set({ storageError: null });
      },

      flushPersistence(urgent = false) {
        return writeQueued(urgent);
      },
    };
  };
}

/** A separate store (tests, or a second view) over the given storage. */
export function createRunsStore(deps: RunsStoreDeps) {
  return createStore<RunsState>()(runsStoreCreator(deps));
}

/** The app's store: IndexedDB in the browser, memory where there is none. */
export const useRunsStore = create<RunsState>()(runsStoreCreator({ storage: createDefaultRunStorage() }));
