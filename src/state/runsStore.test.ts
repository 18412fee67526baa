import { describe, expect, it, vi } from 'vitest';
import { defaultExperiment, experimentSchema } from '../experiment/schema';
import type { StepMetrics } from '../rl/metrics';
import { createMemoryRunStorage, type RunStorage } from './runPersistence';
import { createRunsStore, RUN_COLORS, SAMPLE_HISTORY_STEPS } from './runsStore';
import type { RunLocks } from './runLocks';

function metricsAt(step: number, reward = step / 10): StepMetrics {
  return {
    step,
    reward,
    reward_std: 0,
    rewards: { correctness: reward },
    frac_reward_zero_std: 0,
    entropy: 1,
    kl: { k1: 0, k2: 0, k3: 0 },
    clip_ratio: { low_mean: 0, high_mean: 0, region_mean: 0 },
    loss: 0,
    grad_norm: 1,
    learning_rate: 1e-3,
    completions: { mean_length: 3, min_length: 2, max_length: 4, clipped_ratio: 0 },
    num_tokens: 24,
    step_time: 0.1,
    tokens_per_second: 240,
    arms: {},
  };
}

const selfplayConfig = experimentSchema.parse({ selfplay: { loop: 'spin', iterations: 5 } });

/** A self-play iteration's flattened metrics; `seconds` (what loop time sums) from iteration 1, as the
 *  start's evaluation (iteration 0) reports none. */
function selfplayMetrics(iteration: number, heldout = iteration / 10): Record<string, number> {
  return iteration === 0 ? { 'heldout/mean': heldout } : { 'heldout/mean': heldout, margin: 0.1 * iteration, seconds: 2 };
}

/** A store whose frames and persistence flushes run only when the test says so. */
function manualStore(storage: RunStorage = createMemoryRunStorage()) {
  const frames: (() => void)[] = [];
  const flushes: (() => void)[] = [];
  const store = createRunsStore({ storage, requestFrame: (cb) => frames.push(cb), schedulePersist: (cb) => flushes.push(cb), now: () => 1000 });
  return {
    store,
    storage,
    runFrame: () => frames.splice(0).forEach((cb) => cb()),
    pendingFrames: () => frames.length,
    pendingFlushes: () => flushes.length,
  };
}

describe('runs store', () => {
  it('creates runs with palette colours by creation index, a config label, and makes the newest active', () => {
    const { store } = manualStore();
    const a = store.getState().createRun(defaultExperiment());
    const b = store.getState().createRun(defaultExperiment(), 'mine');
    const [ra, rb] = store.getState().runs;
    expect([ra.color, rb.color]).toEqual([RUN_COLORS[0], RUN_COLORS[1]]);
    expect(ra.label).toBe('defaults');
    expect(rb.label).toBe('mine');
    expect(ra).toMatchObject({ visible: true, status: 'running', error: null, metrics: [], evaluations: [], samples: [] });
    expect(store.getState().activeRunId).toBe(b);
    expect(a).not.toBe(b);
  });

  it('creates a multi-seed run as one record per replica sharing a group, colour and label, seeds config.seed + k', async () => {
    const { store, storage } = manualStore();
    const ids = store.getState().createRunGroup({ ...defaultExperiment(), seed: 41, seeds: 3 }, 'three');
    const runs = store.getState().runs;
    expect(runs.map((r) => r.id)).toEqual(ids);
    expect(runs.map((r) => r.replica?.seed)).toEqual([41, 42, 43]);
    expect(runs.map((r) => r.replica?.index)).toEqual([0, 1, 2]);
    expect(new Set(runs.map((r) => r.replica?.groupId)).size).toBe(1);
    expect(runs[0].replica?.groupId).not.toBe(ids[0]);
    expect(new Set(runs.map((r) => r.color))).toEqual(new Set([RUN_COLORS[0]]));
    expect(runs.every((r) => r.label === 'three' && r.config.seeds === 3)).toBe(true);
    expect(store.getState().activeRunId).toBe(ids[0]);
    // A single seed is a plain run, and the next run gets the next colour.
    const [solo] = store.getState().createRunGroup(defaultExperiment());
    const soloRun = store.getState().runs.find((r) => r.id === solo);
    expect(soloRun?.replica).toBeUndefined();
    expect(soloRun?.color).toBe(RUN_COLORS[1]);
    await store.getState().flushPersistence();
    const stored = await storage.loadAll();
    expect(stored.map((r) => r.meta.replica?.seed ?? null).sort()).toEqual([41, 42, 43, null]);
  });

  it('bumps version once per frame however many steps arrive', () => {
    const { store, runFrame, pendingFrames } = manualStore();
    const id = store.getState().createRun(defaultExperiment());
    const v0 = store.getState().version;
    const listener = vi.fn();
    store.subscribe(listener);
    for (let s = 0; s < 100; s++) store.getState().appendMetrics(id, metricsAt(s));
    expect(store.getState().runs[0].metrics).toHaveLength(100);
    expect(store.getState().version).toBe(v0);
    expect(listener).not.toHaveBeenCalled();
    expect(pendingFrames()).toBe(1);
    runFrame();
    expect(store.getState().version).toBe(v0 + 1);
    expect(listener).toHaveBeenCalledTimes(1);
    store.getState().appendMetrics(id, metricsAt(100));
    store.getState().setSamples(id, []);
    store.getState().appendEvaluation(id, 100, []);
    runFrame();
    expect(store.getState().version).toBe(v0 + 2);
  });

  it('keeps the samples of the last SAMPLE_HISTORY_STEPS steps in memory, and only the latest in storage', async () => {
    const storage = createMemoryRunStorage();
    const store = createRunsStore({ storage, schedulePersist: () => {} });
    const id = store.getState().createRun(defaultExperiment());
    const sampleAt = (step: number) => ({ prompt: `${step}+0=`, completion: String(step), answer: String(step), arm: 'd1', reward: 1, components: {}, advantage: 0, tokens: [], logProbs: [], entropies: [] });
    for (let s = 0; s < SAMPLE_HISTORY_STEPS + 3; s++) store.getState().setSamples(id, [sampleAt(s)], s);
    const run = () => store.getState().runs.find((r) => r.id === id)!;
    expect(run().sampleHistory!.map((h) => h.step)).toEqual(Array.from({ length: SAMPLE_HISTORY_STEPS }, (_, i) => i + 3));
    expect(run().samples[0].prompt).toBe(`${SAMPLE_HISTORY_STEPS + 2}+0=`);
    // A resumed run that repeats step 5 drops the later steps it is about to redo.
    store.getState().setSamples(id, [sampleAt(5)], 5);
    expect(run().sampleHistory!.map((h) => h.step)).toEqual([3, 4, 5]);
    await store.getState().flushPersistence();
    const [stored] = await storage.loadAll();
    expect('sampleHistory' in stored.meta).toBe(false);
    expect(stored.meta.samples[0].prompt).toBe('5+0=');
  });

  it('falls back to a timeout for frames where requestAnimationFrame is absent (Node)', async () => {
    expect(typeof requestAnimationFrame).toBe('undefined');
    const store = createRunsStore({ storage: createMemoryRunStorage(), schedulePersist: () => {} });
    const id = store.getState().createRun(defaultExperiment());
    const v0 = store.getState().version;
    for (let s = 0; s < 10; s++) store.getState().appendMetrics(id, metricsAt(s));
    expect(store.getState().version).toBe(v0);
    await new Promise((r) => setTimeout(r, 40));
    expect(store.getState().version).toBe(v0 + 1);
  });

  it('replaces a re-sent step instead of duplicating it', () => {
    const { store } = manualStore();
    const id = store.getState().createRun(defaultExperiment());
    for (let s = 0; s < 5; s++) store.getState().appendMetrics(id, metricsAt(s));
    store.getState().appendMetrics(id, metricsAt(3, 0.99));
    expect(store.getState().runs[0].metrics.map((m) => m.step)).toEqual([0, 1, 2, 3]);
    expect(store.getState().runs[0].metrics[3].reward).toBe(0.99);
  });

  it('keeps evaluations sorted and one per step', () => {
    const { store } = manualStore();
    const id = store.getState().createRun(defaultExperiment());
    store.getState().appendEvaluation(id, 25, []);
    store.getState().appendEvaluation(id, 0, []);
    store.getState().appendEvaluation(id, 25, []);
    expect(store.getState().runs[0].evaluations.map((e) => e.step)).toEqual([0, 25]);
  });

  it('changes status, error and visibility immutably and at once', () => {
    const { store } = manualStore();
    const id = store.getState().createRun(defaultExperiment());
    const before = store.getState().runs[0];
    const v0 = store.getState().version;
    store.getState().setStatus(id, 'paused');
    store.getState().setError(id, 'reward failed');
    store.getState().toggleVisible(id);
    const after = store.getState().runs[0];
    expect(after).not.toBe(before);
    expect(after).toMatchObject({ status: 'paused', error: 'reward failed', visible: false });
    expect(after.metrics).toBe(before.metrics);
    expect(store.getState().version).toBe(v0 + 3);
    store.getState().toggleVisible(id);
    expect(store.getState().runs[0].visible).toBe(true);
  });

  it('ignores unknown run ids', () => {
    const { store } = manualStore();
    store.getState().appendMetrics('nope', metricsAt(0));
    store.getState().setStatus('nope', 'stopped');
    store.getState().deleteRun('nope');
    expect(store.getState().runs).toEqual([]);
  });

  it('persists runs and steps in batches, and loads them back into a new store', async () => {
    const storage = createMemoryRunStorage();
    const write = vi.spyOn(storage, 'write');
    const { store, pendingFlushes } = manualStore(storage);
    const id = store.getState().createRun(defaultExperiment(), 'first');
    for (let s = 0; s < 20; s++) store.getState().appendMetrics(id, metricsAt(s));
    store.getState().appendEvaluation(id, 0, [{ task: 'addition', arm: 'a', prompts: 1, samplesPerPrompt: 2, passAtK: { '1': 0.5, '2': 1 }, meanAtN: 0.5, greedyAccuracy: null }]);
    expect(pendingFlushes()).toBe(1);
    await store.getState().flushPersistence();
    expect(write).toHaveBeenCalledTimes(1);
    expect(write.mock.calls[0][0].metrics).toHaveLength(20);
    store.getState().createRun(defaultExperiment(), 'second');
    store.getState().setStatus(id, 'running');
    await store.getState().flushPersistence();

    const fresh = manualStore(storage).store;
    await fresh.getState().loadPersisted();
    const runs = fresh.getState().runs;
    expect(runs.map((r) => r.label)).toEqual(['first', 'second']);
    expect(runs[0].metrics).toHaveLength(20);
    expect(runs[0].evaluations[0].results[0].passAtK['2']).toBe(1);
    // The worker died with the old page.
    expect(runs[0].status).toBe('stopped');
    expect(fresh.getState().activeRunId).toBe(runs[1].id);
    // Colours continue after the loaded runs'.
    fresh.getState().createRun(defaultExperiment());
    expect(fresh.getState().runs[2].color).toBe(RUN_COLORS[2]);
  });

  it('a page going away writes at once the batches still waiting behind a slow write (a reload right after a step)', async () => {
    const storage = createMemoryRunStorage();
    const realWrite = storage.write.bind(storage);
    // The first write hangs, as an IndexedDB write can on a loaded machine when the page goes away.
    let first = true;
    const write = vi.spyOn(storage, 'write').mockImplementation((batch, options) => {
      if (first) {
        first = false;
        return new Promise(() => {});
      }
      return realWrite(batch, options);
    });
    const { store } = manualStore(storage);
    const id = store.getState().createRun(defaultExperiment(), 'reloaded');
    void store.getState().flushPersistence(); // the run's record: hangs
    await new Promise((resolve) => setTimeout(resolve, 0)); // (its write has begun)
    expect(write).toHaveBeenCalledTimes(1);
    store.getState().appendMetrics(id, metricsAt(1));
    store.getState().appendMetrics(id, metricsAt(2));
    void store.getState().flushPersistence(); // steps 1-2: queued behind it
    store.getState().appendMetrics(id, metricsAt(3));
    await store.getState().flushPersistence(true); // pagehide
    const urgent = write.mock.calls.at(-1)!;
    expect(urgent[1]).toEqual({ urgent: true });
    expect(urgent[0].metas.map((m) => m.id)).toEqual([id]);
    expect(urgent[0].metrics.map((m) => m.metrics.step).sort()).toEqual([1, 2, 3]);
    const fresh = manualStore(storage).store;
    await fresh.getState().loadPersisted();
    expect(fresh.getState().runs[0].metrics.map((m) => m.step).sort()).toEqual([1, 2, 3]);
  });

  it('removes a deleted run from storage and moves the active run', async () => {
    const storage = createMemoryRunStorage();
    const { store } = manualStore(storage);
    const a = store.getState().createRun(defaultExperiment());
    const b = store.getState().createRun(defaultExperiment());
    store.getState().appendMetrics(b, metricsAt(0));
    await store.getState().flushPersistence();
    store.getState().appendMetrics(b, metricsAt(1));
    store.getState().deleteRun(b);
    await store.getState().flushPersistence();
    expect(store.getState().runs.map((r) => r.id)).toEqual([a]);
    expect(store.getState().activeRunId).toBe(a);
    expect([...storage.runs.keys()]).toEqual([a]);
  });

  it('reports a full quota on the run and in storageError instead of swallowing it', async () => {
    const storage = createMemoryRunStorage();
    const quota = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    vi.spyOn(storage, 'write').mockRejectedValue(quota);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { store, pendingFlushes } = manualStore(storage);
    const id = store.getState().createRun(defaultExperiment());
    store.getState().appendMetrics(id, metricsAt(0));
    await store.getState().flushPersistence();
    expect(store.getState().runs[0].error).toMatch(/storage is full/);
    expect(store.getState().storageError).toMatch(/storage is full/);
    // Reporting the error does not itself queue a write (which would fail and retry forever).
    const flushesBefore = pendingFlushes();
    await store.getState().flushPersistence();
    expect(pendingFlushes()).toBe(flushesBefore);
    store.getState().dismissStorageError();
    expect(store.getState().storageError).toBeNull();
    consoleError.mockRestore();
  });

  it('appends self-play iterations in place, summing their seconds into loop time, once per frame', () => {
    const { store, runFrame, pendingFrames } = manualStore();
    const id = store.getState().createRun(selfplayConfig);
    const run = store.getState().runs[0];
    const v0 = store.getState().version;
    for (let i = 0; i < 3; i++) store.getState().appendSelfplay(id, 'spin', i, selfplayMetrics(i));
    expect(store.getState().runs[0]).toBe(run);
    expect(run.selfplay?.points.map((p) => [p.iteration, p.wall])).toEqual([
      [0, 0],
      [1, 2],
      [2, 4],
    ]);
    expect(pendingFrames()).toBe(1);
    runFrame();
    expect(store.getState().version).toBe(v0 + 1);
    // A re-sent iteration replaces what followed it (storage keys points by iteration, too).
    store.getState().appendSelfplay(id, 'spin', 1, selfplayMetrics(1, 0.99));
    expect(run.selfplay?.points.map((p) => p.metrics['heldout/mean'])).toEqual([0, 0.99]);
    store.getState().appendSelfplay('nope', 'spin', 0, selfplayMetrics(0));
    expect(store.getState().runs).toHaveLength(1);
  });

  it('writes RL steps and self-play iterations in one flush, and restores the self-play series on load', async () => {
    const storage = createMemoryRunStorage();
    const write = vi.spyOn(storage, 'write');
    const { store } = manualStore(storage);
    const rl = store.getState().createRun(defaultExperiment(), 'rl');
    const sp = store.getState().createRun(selfplayConfig, 'self-play');
    for (let s = 0; s < 3; s++) store.getState().appendMetrics(rl, metricsAt(s));
    for (let i = 0; i < 3; i++) store.getState().appendSelfplay(sp, 'spin', i, selfplayMetrics(i));
    await store.getState().flushPersistence();
    expect(write).toHaveBeenCalledTimes(1);
    const batch = write.mock.calls[0][0];
    expect(batch.metrics).toHaveLength(3);
    expect(batch.selfplay.map((p) => [p.runId, p.loop, p.point.iteration])).toEqual([0, 1, 2].map((i) => [sp, 'spin', i]));
    // The series go point by point, never inside the record (rewritten whole on every change).
    expect(batch.metas.every((m) => !('selfplay' in m))).toBe(true);
    store.getState().appendSelfplay(sp, 'spin', 3, selfplayMetrics(3));
    await store.getState().flushPersistence();
    expect(write.mock.calls[1][0].selfplay.map((p) => p.point.iteration)).toEqual([3]);

    const fresh = manualStore(storage).store;
    await fresh.getState().loadPersisted();
    const [loadedRl, loadedSp] = fresh.getState().runs;
    expect(loadedRl.selfplay).toBeNull();
    expect(loadedRl.metrics).toHaveLength(3);
    expect(loadedSp.selfplay).toEqual(store.getState().runs[1].selfplay);
    expect(loadedSp.selfplay?.points.map((p) => [p.iteration, p.wall])).toEqual([
      [0, 0],
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
    // A restored series grows on, as a live one does.
    fresh.getState().appendSelfplay(sp, 'spin', 4, selfplayMetrics(4));
    expect(loadedSp.selfplay?.points.at(-1)).toMatchObject({ iteration: 4, wall: 8 });
  });

  it('deleting a self-play run drops its queued iterations and its stored ones', async () => {
    const storage = createMemoryRunStorage();
    const write = vi.spyOn(storage, 'write');
    const { store } = manualStore(storage);
    const keep = store.getState().createRun(selfplayConfig);
    const gone = store.getState().createRun(selfplayConfig);
    store.getState().appendSelfplay(keep, 'spin', 0, selfplayMetrics(0));
    store.getState().appendSelfplay(gone, 'spin', 0, selfplayMetrics(0));
    await store.getState().flushPersistence();
    expect(storage.runs.get(gone)?.selfplay?.points).toHaveLength(1);
    store.getState().appendSelfplay(gone, 'spin', 1, selfplayMetrics(1));
    store.getState().deleteRun(gone);
    await store.getState().flushPersistence();
    expect([...storage.runs.keys()]).toEqual([keep]);
    expect(write.mock.calls.flatMap((c) => c[0].selfplay).filter((p) => p.runId === gone).map((p) => p.point.iteration)).toEqual([0]);
    const fresh = manualStore(storage).store;
    await fresh.getState().loadPersisted();
    expect(fresh.getState().runs.map((r) => [r.id, r.selfplay?.points.length])).toEqual([[keep, 1]]);
  });

  it('keeps the self-play series in memory when a write fails (full quota), and says so', async () => {
    const storage = createMemoryRunStorage();
    const quota = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    const write = vi.spyOn(storage, 'write').mockRejectedValue(quota);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { store } = manualStore(storage);
    const id = store.getState().createRun(selfplayConfig);
    store.getState().appendSelfplay(id, 'spin', 0, selfplayMetrics(0));
    await store.getState().flushPersistence();
    expect(store.getState().runs[0].error).toMatch(/storage is full/);
    expect(store.getState().storageError).toMatch(/storage is full/);
    // The loop goes on; its points stay on the plots (only a reload would lose them).
    store.getState().appendSelfplay(id, 'spin', 1, selfplayMetrics(1));
    await store.getState().flushPersistence();
    expect(write).toHaveBeenCalledTimes(2);
    expect(store.getState().runs[0].selfplay?.points.map((p) => p.iteration)).toEqual([0, 1]);
    consoleError.mockRestore();
  });

  it('reports an unreadable store on load', async () => {
    const storage = createMemoryRunStorage();
    vi.spyOn(storage, 'loadAll').mockRejectedValue(new Error('blocked'));
    const { store } = manualStore(storage);
    await store.getState().loadPersisted();
    expect(store.getState().storageError).toMatch(/blocked/);
  });
});

describe('runs store: several tabs on one storage (issue 20, class 5)', () => {
  /** Web Locks as the browser keeps them for the origin: one holder per run, any tab may ask. */
  function lockRegistry() {
    const owners = new Map<string, object>();
    return (tab: object): RunLocks => ({
      acquire: async (id) => {
        const owner = owners.get(id);
        if (owner && owner !== tab) return false;
        owners.set(id, tab);
        return true;
      },
      holds: (id) => owners.get(id) === tab,
      release: (id) => void (owners.get(id) === tab && owners.delete(id)),
    });
  }
  const silentChannel = { announceDeleted: () => {}, onDeleted: () => {} };
  function tab(storage: RunStorage, locks: (tab: object) => RunLocks) {
    const mine = locks({});
    const store = createRunsStore({ storage, locks: mine, channel: silentChannel, requestFrame: () => {}, schedulePersist: () => {}, now: () => 1000 });
    return Object.assign(store, { locks: mine });
  }

  it('a stale tab cannot overwrite a run another tab is writing', async () => {
    const storage = createMemoryRunStorage();
    const locks = lockRegistry();
    const a = tab(storage, locks);
    const id = a.getState().createRun(defaultExperiment());
    a.getState().setLabel(id, 'two steps');
    for (const step of [0, 1]) a.getState().appendMetrics(id, metricsAt(step));
    await a.getState().flushPersistence();
    const b = tab(storage, locks);
    await b.getState().loadPersisted();
    a.getState().setLabel(id, 'seven steps');
    for (const step of [2, 3, 4, 5, 6]) a.getState().appendMetrics(id, metricsAt(step));
    await a.getState().flushPersistence();
    // The stale tab toggles the run: its copy (label "two steps") must not replace the record.
    b.getState().toggleVisible(id);
    await b.getState().flushPersistence();
    expect(storage.runs.get(id)!.meta).toMatchObject({ label: 'seven steps', visible: true });
    expect(storage.runs.get(id)!.metrics).toHaveLength(7);
    expect(b.getState().runs[0].error).toMatch(/Another tab is training or editing this run/);
  });

  it('a stale write is refused even with the lock, and the tab re-reads the run', async () => {
    const storage = createMemoryRunStorage();
    const locks = lockRegistry();
    const a = tab(storage, locks);
    const id = a.getState().createRun(defaultExperiment(), 'first');
    await a.getState().flushPersistence();
    const b = tab(storage, locks);
    await b.getState().loadPersisted();
    a.getState().setLabel(id, 'newer');
    a.getState().appendMetrics(id, metricsAt(0));
    await a.getState().flushPersistence();
    a.locks.release(id); // as closing tab a does: the lock is free, b's copy is still stale
    b.getState().toggleVisible(id);
    await b.getState().flushPersistence();
    expect(storage.runs.get(id)!.meta).toMatchObject({ label: 'newer', visible: true });
    const reread = b.getState().runs.find((r) => r.id === id)!;
    expect(reread).toMatchObject({ label: 'newer', visible: true, error: expect.stringMatching(/changed in another tab/) });
    expect(reread.metrics).toHaveLength(1);
  });

  it('a run deleted in one tab is not brought back by the tab training it', async () => {
    const storage = createMemoryRunStorage();
    const locks = lockRegistry();
    const a = tab(storage, locks);
    const id = a.getState().createRun(defaultExperiment());
    a.getState().appendMetrics(id, metricsAt(0));
    await a.getState().flushPersistence();
    const b = tab(storage, locks);
    await b.getState().loadPersisted();
    b.getState().deleteRun(id);
    await b.getState().flushPersistence();
    expect(storage.runs.has(id)).toBe(false);
    for (const step of [1, 2]) a.getState().appendMetrics(id, metricsAt(step));
    await a.getState().flushPersistence();
    expect(storage.runs.has(id)).toBe(false);
    expect(a.getState().runs).toEqual([]);
    expect(a.getState().storageError).toMatch(/deleted in another tab/);
  });
});
