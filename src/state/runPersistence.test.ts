import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../experiment/schema';
import { createDefaultRunStorage, createMemoryRunStorage, isQuotaError, type RunMeta, type SelfplayPoint } from './runPersistence';

function metaOf(id: string): RunMeta {
  return { id, label: 'x', color: '#fff', colorIndex: 0, config: defaultExperiment(), createdAt: 1, visible: true, status: 'running', error: null, samples: [] };
}

const point = (iteration: number, value = iteration / 10): SelfplayPoint => ({ iteration, wall: iteration * 2, metrics: { 'heldout/mean': value, seconds: 2 } });

describe('run persistence', () => {
  it('recognises quota errors by name or legacy code, across browsers', () => {
    expect(isQuotaError(Object.assign(new Error('full'), { name: 'QuotaExceededError' }))).toBe(true);
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    expect(isQuotaError({ code: 22 })).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
    expect(isQuotaError('QuotaExceededError')).toBe(false);
  });

  it('stores copies (later edits of the live record do not leak into storage)', async () => {
    const storage = createMemoryRunStorage();
    const meta = metaOf('a');
    const p0 = point(0);
    await storage.write({ metas: [meta], metrics: [], evaluations: [{ runId: 'a', evaluation: { step: 0, results: [] } }], selfplay: [{ runId: 'a', loop: 'spin', point: p0 }] });
    meta.label = 'changed';
    p0.metrics['heldout/mean'] = 1;
    const [run] = await storage.loadAll();
    expect(run.meta.label).toBe('x');
    expect(run.evaluations).toEqual([{ step: 0, results: [] }]);
    expect(run.selfplay).toEqual({ loop: 'spin', points: [point(0)] });
    await storage.deleteRun('a');
    expect(await storage.loadAll()).toEqual([]);
  });

  it('round-trips self-play points in iteration order, a re-sent iteration overwriting, and deletes them with the run', async () => {
    const storage = createMemoryRunStorage();
    await storage.write({ metas: [metaOf('rl'), metaOf('sp')], metrics: [], evaluations: [], selfplay: [0, 1].map((i) => ({ runId: 'sp', loop: 'propose-solve' as const, point: point(i) })) });
    // A later flush: iteration 1 sent again (as IndexedDB's [runId, iteration] key overwrites), then 2;
    // a point of a run never stored is dropped, as its metrics would be.
    await storage.write({
      metas: [],
      metrics: [],
      evaluations: [],
      selfplay: [
        { runId: 'sp', loop: 'propose-solve', point: point(2) },
        { runId: 'sp', loop: 'propose-solve', point: point(1, 0.99) },
        { runId: 'ghost', loop: 'spin', point: point(0) },
      ],
    });
    const byId = new Map((await storage.loadAll()).map((r) => [r.meta.id, r]));
    expect([...byId.keys()].sort()).toEqual(['rl', 'sp']);
    expect(byId.get('rl')?.selfplay).toBeNull();
    expect(byId.get('sp')?.selfplay).toEqual({ loop: 'propose-solve', points: [point(0), point(1, 0.99), point(2)] });
    await storage.deleteRun('sp');
    expect((await storage.loadAll()).map((r) => r.meta.id)).toEqual(['rl']);
  });

  it('falls back to memory where IndexedDB is missing (Node)', async () => {
    expect(typeof indexedDB).toBe('undefined');
    expect(await createDefaultRunStorage().loadAll()).toEqual([]);
  });
});
