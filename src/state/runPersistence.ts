// Runs survive a reload: every run's record and its per-step metrics live in IndexedDB (via idb).
// The store talks to a `RunStorage` interface so its logic is tested in Node with the in-memory fake
// below; the browser gets the IndexedDB one. Writes come in batches (one transaction per flush, not
// one per step) because a step can arrive every few milliseconds.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ExperimentConfig } from '../experiment/schema';
import type { ArmEvaluation } from '../rl/evaluate';
import type { InspectedSample, StepMetrics } from '../rl/trainer';

export type RunStatus = 'running' | 'paused' | 'stopped' | 'error';

export interface RunEvaluation {
  step: number;
  results: ArmEvaluation[];
}

/** A run's record without its growing series: what changes rarely, written whole. */
export interface RunMeta {
  id: string;
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
}

export interface StoredRun {
  meta: RunMeta;
  metrics: StepMetrics[];
  evaluations: RunEvaluation[];
}

/** Everything that changed since the last flush, written together. */
export interface PersistBatch {
  /** Records to write whole (new runs, status / label / visibility / samples changes). */
  metas: RunMeta[];
  metrics: { runId: string; metrics: StepMetrics }[];
  evaluations: { runId: string; evaluation: RunEvaluation }[];
}

export interface RunStorage {
  write(batch: PersistBatch): Promise<void>;
  deleteRun(runId: string): Promise<void>;
  /** All stored runs, series sorted by step. */
  loadAll(): Promise<StoredRun[]>;
}

/** True for the errors a full disk or an exhausted origin quota raise (names differ by browser). */
export function isQuotaError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014;
}

// ------------------------------------------------------------------------------------------ in memory

/** The Node/test storage, and the fallback where IndexedDB is missing (e.g. some private modes). */
export function createMemoryRunStorage(): RunStorage & { runs: Map<string, StoredRun> } {
  const runs = new Map<string, StoredRun>();
  const clone = <T>(v: T): T => structuredClone(v);
  return {
    runs,
    async write(batch) {
      for (const meta of batch.metas) {
        const existing = runs.get(meta.id);
        if (existing) existing.meta = clone(meta);
        else runs.set(meta.id, { meta: clone(meta), metrics: [], evaluations: [] });
      }
      for (const { runId, metrics } of batch.metrics) runs.get(runId)?.metrics.push(clone(metrics));
      for (const { runId, evaluation } of batch.evaluations) runs.get(runId)?.evaluations.push(clone(evaluation));
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
const DB_VERSION = 1;

interface RunsDb extends DBSchema {
  runs: { key: string; value: RunMeta };
  /** Keyed [runId, step]: a step re-sent (e.g. after a resumed device loss) overwrites, never duplicates. */
  metrics: { key: [string, number]; value: { runId: string; step: number; metrics: StepMetrics } };
  evaluations: { key: [string, number]; value: { runId: string; step: number; evaluation: RunEvaluation } };
}

/** All keys of one run in a [runId, step] store. */
function runRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId, -Infinity], [runId, Infinity]);
}

export function createIndexedDbRunStorage(): RunStorage {
  let db: Promise<IDBPDatabase<RunsDb>> | null = null;
  // Opened on first use, so importing this module (or a page without runs) costs nothing.
  const open = () =>
    (db ??= openDB<RunsDb>(DB_NAME, DB_VERSION, {
      upgrade(database) {
        database.createObjectStore('runs', { keyPath: 'id' });
        database.createObjectStore('metrics', { keyPath: ['runId', 'step'] });
        database.createObjectStore('evaluations', { keyPath: ['runId', 'step'] });
      },
    }));
  return {
    async write(batch) {
      const database = await open();
      const tx = database.transaction(['runs', 'metrics', 'evaluations'], 'readwrite');
      const puts: Promise<unknown>[] = [];
      for (const meta of batch.metas) puts.push(tx.objectStore('runs').put(meta));
      for (const { runId, metrics } of batch.metrics) puts.push(tx.objectStore('metrics').put({ runId, step: metrics.step, metrics }));
      for (const { runId, evaluation } of batch.evaluations) puts.push(tx.objectStore('evaluations').put({ runId, step: evaluation.step, evaluation }));
      // tx.done rejects with the transaction's error (QuotaExceededError lands here, often on commit).
      await Promise.all([...puts, tx.done]);
    },
    async deleteRun(runId) {
      const database = await open();
      const tx = database.transaction(['runs', 'metrics', 'evaluations'], 'readwrite');
      await Promise.all([tx.objectStore('runs').delete(runId), tx.objectStore('metrics').delete(runRange(runId)), tx.objectStore('evaluations').delete(runRange(runId)), tx.done]);
    },
    async loadAll() {
      const database = await open();
      const tx = database.transaction(['runs', 'metrics', 'evaluations'], 'readonly');
      const metas = await tx.objectStore('runs').getAll();
      const out: StoredRun[] = [];
      for (const meta of metas) {
        // Keys sort by [runId, step], so each run's series come back in step order.
        const metrics = (await tx.objectStore('metrics').getAll(runRange(meta.id))).map((r) => r.metrics);
        const evaluations = (await tx.objectStore('evaluations').getAll(runRange(meta.id))).map((r) => r.evaluation);
        out.push({ meta, metrics, evaluations });
      }
      await tx.done;
      return out;
    },
  };
}

/** IndexedDB where the browser has it, memory otherwise (Node, or storage disabled). */
export function createDefaultRunStorage(): RunStorage {
  return typeof indexedDB !== 'undefined' ? createIndexedDbRunStorage() : createMemoryRunStorage();
}
