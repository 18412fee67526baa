import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../experiment/schema';
import { createDefaultRunStorage, createMemoryRunStorage, isQuotaError, type RunMeta } from './runPersistence';

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
    const meta: RunMeta = { id: 'a', label: 'x', color: '#fff', colorIndex: 0, config: defaultExperiment(), createdAt: 1, visible: true, status: 'running', error: null, samples: [] };
    await storage.write({ metas: [meta], metrics: [], evaluations: [{ runId: 'a', evaluation: { step: 0, results: [] } }] });
    meta.label = 'changed';
    const [run] = await storage.loadAll();
    expect(run.meta.label).toBe('x');
    expect(run.evaluations).toEqual([{ step: 0, results: [] }]);
    await storage.deleteRun('a');
    expect(await storage.loadAll()).toEqual([]);
  });

  it('falls back to memory where IndexedDB is missing (Node)', async () => {
    expect(typeof indexedDB).toBe('undefined');
    expect(await createDefaultRunStorage().loadAll()).toEqual([]);
  });
});
