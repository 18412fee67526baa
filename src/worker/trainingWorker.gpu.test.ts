// The real thing in Chromium: the training worker as a module Worker behind the client, on WebGPU
// (SwiftShader here). One worker, so pipelines compile once: a shipped base checkpoint loaded through
// fetch (a random policy if none is shipped yet), two steps, a snapshot, stop; then a run with user
// reward code (the sandbox worker nested in this one).
import { afterEach, describe, expect, it } from 'vitest';
import { experimentSchema } from '../experiment/schema';
import { TrainingClient } from './trainingClient';

let client: TrainingClient | null = null;
afterEach(() => {
  client?.terminate();
  client = null;
});

async function shippedTask(): Promise<{ task: string; rlArms: string[] } | null> {
  const response = await fetch('/checkpoints/manifest.json');
  if (!response.ok) return null;
  const manifest = (await response.json()) as Record<string, { rlArms: string[] }>;
  // Prefer a task whose manifest entry names RL arms (the run must train on exactly those).
  const tasks = Object.keys(manifest).sort((a, b) => Number(manifest[b].rlArms?.length > 0) - Number(manifest[a].rlArms?.length > 0));
  return tasks[0] ? { task: tasks[0], rlArms: manifest[tasks[0]].rlArms ?? [] } : null;
}

describe('training worker (WebGPU)', () => {
  it('reports the WebGPU backend, trains two steps, snapshots, stops, runs reward code', async () => {
    const shipped = await shippedTask();
    const c = (client = new TrainingClient());
    const errors: string[] = [];
    c.on('error', (e) => errors.push(`${e.kind}: ${e.message}`));
    const ready = await c.next('ready');
    expect(ready.backend, ready.fallbackReason).toBe('webgpu');
    expect(ready.adapter?.vendor).toBeTruthy();

    const info = c.next('runInfo');
    const second = c.next('metrics', (e) => e.step === 1);
    const config = experimentSchema.parse({
      task: { id: shipped?.task ?? 'addition', arms: [] },
      model: { init: shipped ? 'base' : 'random' },
      algorithm: { promptsPerStep: 2, samplesPerPrompt: 2, maxNewTokens: 3 },
      run: { steps: 100, evalEvery: 0 },
    });
    c.send({ type: 'start', runIds: ['gpu-1'], config });
    const arms = (await info).arms;
    if (shipped && shipped.rlArms.length > 0) expect(arms).toEqual(shipped.rlArms);
    else expect(arms.length).toBeGreaterThan(0);
    const m = await second;
    expect(m.runId).toBe('gpu-1');
    expect(Number.isFinite(m.metrics.loss)).toBe(true);

    const stopped = c.next('status', (e) => e.state === 'stopped');
    c.send({ type: 'stop' });
    await stopped;
    c.send({ type: 'snapshot', requestId: 1 });
    const snap = await c.next('snapshot');
    expect(snap.requestId).toBe(1);
    expect(snap.bytes.byteLength).toBeGreaterThan(100_000);

    // User reward code: the sandbox worker nested in the training worker scores the samples.
    const scored = c.next('metrics', (e) => e.runId === 'gpu-2');
    const code = 'function reward({ completion }) { return completion.length % 2; }';
    c.send({ type: 'start', runIds: ['gpu-2'], config: { ...config, reward: { ...config.reward, kind: 'code', code } } });
    const first = await scored;
    expect(first.metrics.reward).toBeGreaterThanOrEqual(0);
    c.send({ type: 'stop' });
    expect(errors).toEqual([]);
  });
});
