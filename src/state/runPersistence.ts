// Runs survive a reload: every run's record, its per-step metrics and (self-play runs) its per-iteration
// loop metrics live in IndexedDB (via idb).
// The store talks to a `RunStorage` interface so its logic is tested in Node with the in-memory fake
// below; the browser gets the IndexedDB one. Writes come in batches (one transaction per flush, not
// one per step) because a step can arrive every few milliseconds.
//
// Several tabs share one database. A checked write (the normal kind) refuses, inside its transaction,
// (a) anything for a run whose record is gone, unless the batch brings the run's first record — the run
// was deleted in another tab and must not come back — and (b) a record whose `revision` is not the
// stored one plus one — the writer's copy is stale, someone else wrote the run since it last read it. Which tab
// may write a run at all is decided above this layer (runsStore, with Web Locks).
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { ExperimentConfig, SelfplayLoopKind } from '../experiment/schema';
import type { ArmEvaluation } from '../rl/evaluate';
import type { InspectedSample, StepMetrics } from '../rl/metrics';

export type RunStatus = 'running' | 'paused' | 'stopped' | 'error';

export interface RunEvaluation {
  step: number;
  results: ArmEvaluation[];
}

/** Where a record sits in a multi-seed run (issue 16): the N replicas of one experiment are N records
 *  sharing `groupId`, one colour and one label; each is an ordinary run (own metrics, evaluations,
 *  persistence), so everything that handles one run handles a replica. Absent: a single-seed run. */
export interface ReplicaOf {
  groupId: string;
  /** This replica's training seed (config.seed + index). */
  seed: number;
  /** 0 … count − 1, in seed order. */
  index: number;
  count: number;
}

/** A run's record without its growing series: what changes rarely, written whole. */
export interface RunMeta {
  id: string;
  /** Set on each replica of a multi-seed run (absent: a single-seed run, or one saved before seeds). */
  replica?: ReplicaOf;
  label: string;
  color: string;
  /** Creation index, which picks the colour; kept so colours stay stable across reloads. */
  colorIndex: number;
  config: ExperimentConfig;
  createdAt: number;
  visible: boolean;
  status: RunStatus;
  error: string | null;
  samples: InspectedSample[];
  /** Bumped by every write of the record; a write must carry the stored revision + 1 (absent: 0). */
  revision?: number;
}

export type SelfplayLoop = Exclude<SelfplayLoopKind, 'none'>;

/** One report of a self-play loop: `iteration` = iterations done (0: the starting policy), `wall` =
 *  seconds of loop time so far (the sum of the iterations' `seconds`), the flattened metrics. */
export interface SelfplayPoint {
  iteration: number;
  wall: number;
  metrics: Record<string, number>;
}

/** A self-play run's metric series, one point per iteration, in iteration order. */
export interface SelfplaySeries {
  loop: SelfplayLoop;
  points: SelfplayPoint[];
}

export interface StoredRun {
  meta: RunMeta;
  metrics: StepMetrics[];
  evaluations: RunEvaluation[];
  /** null for RL runs (and runs saved before self-play points were stored). */
  selfplay: SelfplaySeries | null;
}

/** Everything that changed since the last flush, written together. */
export interface PersistBatch {
  /** Records to write whole (new runs, status / label / visibility / samples changes). */
  metas: RunMeta[];
  metrics: { runId: string; metrics: StepMetrics }[];
  evaluations: { runId: string; evaluation: RunEvaluation }[];
  selfplay: { runId: string; loop: SelfplayLoop; point: SelfplayPoint }[];
}

/** A run whose writes a checked batch refused: deleted elsewhere, or this copy of its record is stale
 *  (then `current` is what storage holds). */
export interface WriteRefusal {
  runId: string;
  reason: 'deleted' | 'stale';
  current?: StoredRun;
}

export interface WriteOptions {
  /** Blind puts, committed at once: for a page going away, where there is no time to read first.
   *  Only for runs this tab holds the write lock of. */
  urgent?: boolean;
}

export interface RunStorage {
  /** Writes what it may; resolves with the runs it refused (none for an urgent write). */
  write(batch: PersistBatch, options?: WriteOptions): Promise<WriteRefusal[]>;
  deleteRun(runId: string): Promise<void>;
  /** All stored runs, series sorted by step (self-play points by iteration). */
  loadAll(): Promise<StoredRun[]>;
}

/** True for the errors a full disk or an exhausted origin quota raise (names differ by browser). */
export function isQuotaError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014;
}

/** The refusals of a checked batch, given what storage holds (`stored` reads a run's record). */
function refusals(batch: PersistBatch, stored: (runId: string) => RunMeta | undefined): WriteRefusal[] {
  const runIds = new Set([...batch.metas.map((m) => m.id), ...batch.metrics.map((m) => m.runId), ...batch.evaluations.map((e) => e.runId), ...batch.selfplay.map((p) => p.runId)]);
  const out: WriteRefusal[] = [];
  for (const runId of runIds) {
    const record = stored(runId);
    const meta = batch.metas.find((m) => m.id === runId);
    if (!record) {
      // Only a run's first record (revision 1; none from writers before revisions) may create it.
      if (!meta || (meta.revision !== undefined && meta.revision !== 1)) out.push({ runId, reason: 'deleted' });
      continue;
    }
    if (meta && meta.revision !== undefined && meta.revision !== (record.revision ?? 0) + 1) out.push({ runId, reason: 'stale' });
  }
  return out;
}

/** The batch without the refused runs' writes. */
function allowed(batch: PersistBatch, ok: (runId: string) => boolean): PersistBatch {
  return {
    metas: batch.metas.filter((m) => ok(m.id)),
    metrics: batch.metrics.filter((m) => ok(m.runId)),
    evaluations: batch.evaluations.filter((e) => ok(e.runId)),
    selfplay: batch.selfplay.filter((p) => ok(p.runId)),
  };
}

// ------------------------------------------------------------------------------------------ in memory

/** The Node/test storage, and the fallback where IndexedDB is missing (e.g. some private modes). */
export function createMemoryRunStorage(): RunStorage & { runs: Map<string, StoredRun> } {
  const runs = new Map<string, StoredRun>();
  const clone = <T>(v: T): T => structuredClone(v);
  return {
    runs,
    async write(batch, options = {}) {
      const refused = options.urgent ? [] : refusals(batch, (id) => runs.get(id)?.meta);
      for (const r of refused) if (r.reason === 'stale') r.current = clone(runs.get(r.runId)!);
      const ok = (runId: string) => !refused.some((r) => r.runId === runId);
      batch = allowed(batch, ok);
      for (const meta of batch.metas) {
        const existing = runs.get(meta.id);
        if (existing) existing.meta = clone(meta);
        else runs.set(meta.id, { meta: clone(meta), metrics: [], evaluations: [], selfplay: null });
      }
      for (const { runId, metrics } of batch.metrics) {
        const series = runs.get(runId)?.metrics;
        // As IndexedDB's [runId, step] key does: a re-sent step overwrites.
        if (series) series.splice(0, series.length, ...series.filter((m) => m.step !== metrics.step), clone(metrics));
      }
      for (const { runId, evaluation } of batch.evaluations) runs.get(runId)?.evaluations.push(clone(evaluation));
      for (const { runId, loop, point } of batch.selfplay) {
        const run = runs.get(runId);
        if (!run) continue;
        // As IndexedDB's [runId, iteration] key does: a re-sent iteration overwrites, never duplicates.
        const series = run.selfplay?.loop === loop ? run.selfplay : (run.selfplay = { loop, points: [] });
        series.points = [...series.points.filter((p) => p.iteration !== point.iteration), clone(point)].sort((a, b) => a.iteration - b.iteration);
      }
      return refused;
    },
    async deleteRun(runId) {
      runs.delete(runId);
    },
    async loadAll() {
      return [...runs.values()].map(clone);
    },
  };
}

// ------------------------------------------------------------------------------------------ IndexedDB

const DB_NAME = 'rlvr-lab-runs';
/** 1: runs, metrics, evaluations. 2: + selfplay (a page at 1 upgrades in place, keeping its runs). */
const DB_VERSION = 2;
const STORES = ['runs', 'metrics', 'evaluations', 'selfplay'] as const;

interface StoredSelfplayPoint extends SelfplayPoint {
  runId: string;
  loop: SelfplayLoop;
}

interface RunsDb extends DBSchema {
  runs: { key: string; value: RunMeta };
  /** Keyed [runId, step]: a step re-sent (e.g. after a resumed device loss) overwrites, never duplicates. */
  metrics: { key: [string, number]; value: { runId: string; step: number; metrics: StepMetrics } };
  evaluations: { key: [string, number]; value: { runId: string; step: number; evaluation: RunEvaluation } };
  /** Keyed [runId, iteration], one row per self-play report, for the same reason. */
  selfplay: { key: [string, number]; value: StoredSelfplayPoint };
}

/** A run's series from its rows (in iteration order). A run has one loop, its config's; rows of another
 *  (none are written) would be dropped, as the runs store starts a new series when the loop changes. */
function selfplaySeries(rows: StoredSelfplayPoint[]): SelfplaySeries | null {
  const last = rows.at(-1);
  if (!last) return null;
  const points = rows.filter((r) => r.loop === last.loop).map(({ iteration, wall, metrics }) => ({ iteration, wall, metrics }));
  return { loop: last.loop, points };
}

/** All keys of one run in a [runId, step] (or [runId, iteration]) store. */
function runRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId, -Infinity], [runId, Infinity]);
}

export function createIndexedDbRunStorage(): RunStorage {
  let db: Promise<IDBPDatabase<RunsDb>> | null = null;
  // Opened on first use, so importing this module (or a page without runs) costs nothing.
  const open = () =>
    (db ??= new Promise<IDBPDatabase<RunsDb>>((resolve, reject) => {
      openDB<RunsDb>(DB_NAME, DB_VERSION, {
        // Step by step from the version on disk: a user's existing stores (and their runs) stay as they are.
        upgrade(database, oldVersion) {
          if (oldVersion < 1) {
            database.createObjectStore('runs', { keyPath: 'id' });
            database.createObjectStore('metrics', { keyPath: ['runId', 'step'] });
            database.createObjectStore('evaluations', { keyPath: ['runId', 'step'] });
          }
          if (oldVersion < 2) database.createObjectStore('selfplay', { keyPath: ['runId', 'iteration'] });
        },
        // A tab of the previous version still holds the database open: the upgrade waits for it, so say so
        // rather than leave the saved runs silently missing.
        blocked() {
          reject(new Error('another tab of the lab, opened before an update, holds browser storage: close it and reload this page'));
        },
        // A newer tab needs to upgrade: let it. This tab's next use reopens, and reports the version error.
        blocking(_current, _next, event) {
          db = null;
          (event.target as IDBDatabase).close();
        },
      }).then(resolve, reject);
    }));
  /** A run's series, read inside `tx` (keys sort by [runId, step], so they come back in order). */
  async function readRun(tx: IDBPTransaction<RunsDb, typeof STORES, IDBTransactionMode>, meta: RunMeta): Promise<StoredRun> {
    const metrics = (await tx.objectStore('metrics').getAll(runRange(meta.id))).map((r) => r.metrics);
    const evaluations = (await tx.objectStore('evaluations').getAll(runRange(meta.id))).map((r) => r.evaluation);
    const selfplay = selfplaySeries(await tx.objectStore('selfplay').getAll(runRange(meta.id)));
    return { meta, metrics, evaluations, selfplay };
  }

  return {
    async write(original, options = {}) {
      const database = await open();
      const tx = database.transaction(STORES, 'readwrite');
      let batch = original;
      let refused: WriteRefusal[] = [];
      if (!options.urgent) {
        // Read and decide inside the write's own transaction: no other tab's write can land in between.
        const runIds = [...new Set([...batch.metas.map((m) => m.id), ...batch.metrics.map((m) => m.runId), ...batch.evaluations.map((e) => e.runId), ...batch.selfplay.map((p) => p.runId)])];
        const records = new Map<string, RunMeta>();
        for (const runId of runIds) {
          const record = await tx.objectStore('runs').get(runId);
          if (record) records.set(runId, record);
        }
        refused = refusals(batch, (id) => records.get(id));
        for (const r of refused) if (r.reason === 'stale') r.current = await readRun(tx, records.get(r.runId)!);
        batch = allowed(batch, (runId) => !refused.some((r) => r.runId === runId));
      }
      const puts: Promise<unknown>[] = [];
      for (const meta of batch.metas) puts.push(tx.objectStore('runs').put(meta));
      for (const { runId, metrics } of batch.metrics) puts.push(tx.objectStore('metrics').put({ runId, step: metrics.step, metrics }));
      for (const { runId, evaluation } of batch.evaluations) puts.push(tx.objectStore('evaluations').put({ runId, step: evaluation.step, evaluation }));
      for (const { runId, loop, point } of batch.selfplay) puts.push(tx.objectStore('selfplay').put({ runId, loop, ...point }));
      // A page going away: ask for the commit now rather than when the event loop next turns.
      if (options.urgent) tx.commit();
      // tx.done rejects with the transaction's error (QuotaExceededError lands here, often on commit).
      await Promise.all([...puts, tx.done]);
      return refused;
    },
    async deleteRun(runId) {
      const database = await open();
      const tx = database.transaction(STORES, 'readwrite');
      const range = runRange(runId);
      await Promise.all([tx.objectStore('runs').delete(runId), tx.objectStore('metrics').delete(range), tx.objectStore('evaluations').delete(range), tx.objectStore('selfplay').delete(range), tx.done]);
    },
    async loadAll() {
      const database = await open();
      const tx = database.transaction(STORES, 'readonly');
      const metas = await tx.objectStore('runs').getAll();
      const out: StoredRun[] = [];
      for (const meta of metas) out.push(await readRun(tx, meta));
      await tx.done;
      return out;
    },
  };
}

/** IndexedDB where the browser has it, memory otherwise (Node, or storage disabled). */
export function createDefaultRunStorage(): RunStorage {
  return typeof indexedDB !== 'undefined' ? createIndexedDbRunStorage() : createMemoryRunStorage();
}
