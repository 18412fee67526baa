// A 4-seed run on real WebGPU (SwiftShader) keeps a flat live-buffer count (issue 16): four replicas —
// four models, trainers, reference policies and optimizer states on one device — stepped together for
// 100 steps, as the worker's session steps them (a host copy of each replica's state after every step,
// as a lost device needs). The count is read at the same point of every round (the last replica's
// metrics): after step 20 (every pool size class in use by then) it must not move. Tiny model and batch,
// not fewer steps: SwiftShader is slow.
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../engine';
import { experimentSchema } from '../experiment/schema';
import type { GptConfig } from '../model/config';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import { selectBackend } from './backendSelection';
import type { EventOf, TrainingEvent } from './protocol';
import { TrainingSession } from './trainingSession';

const tiny: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 40, dModel: 8, nHeads: 2, nLayers: 1, mlpRatio: 2 };
const IDS = ['m0', 'm1', 'm2', 'm3'];
const STEPS = 100;

let session: TrainingSession | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

describe('a multi-seed run on WebGPU', () => {
  it('4 seeds × 100 steps: live GPU buffers flat from step 20 on', { timeout: 600_000 }, async () => {
    let backend: Backend | null = null;
    let kind = '';
    const liveAt: number[] = [];
    const errors: string[] = [];
    let done: (e: EventOf<'status'>) => void = () => {};
    const finished = new Promise<EventOf<'status'>>((resolve) => (done = resolve));
    const s = (session = new TrainingSession({
      randomModelConfig: tiny,
      createBackend: async () => {
        const selected = await selectBackend();
        backend = selected.backend;
        kind = selected.kind;
        return selected;
      },
      emit: (e: TrainingEvent) => {
        if (e.type === 'metrics' && e.runId === IDS[3]) liveAt[e.step] = backend!.counters().liveBuffers;
        if (e.type === 'error') errors.push(`${e.kind}: ${e.message}`);
        if (e.type === 'status' && (e.state === 'stopped' || e.state === 'paused' || e.state === 'error')) done(e);
      },
    }));
    await s.init();
    expect(kind).toBe('webgpu');
    const config = experimentSchema.parse({
      seed: 3,
      seeds: 4,
      task: { id: 'addition', arms: [] },
      model: { init: 'random' },
      algorithm: { promptsPerStep: 1, samplesPerPrompt: 2, maxNewTokens: 2 },
      run: { steps: STEPS, evalEvery: 0 },
    });
    await s.handle({ type: 'start', runIds: IDS, config });
    const end = await finished;
    expect(errors).toEqual([]);
    expect(end.state).toBe('stopped');
    expect(end.runIds).toEqual(IDS);
    expect(liveAt.length).toBe(STEPS);
    console.log(`[replicaMemory] live buffers at steps 0, 10, 20, 50, 99: ${[0, 10, 20, 50, 99].map((i) => liveAt[i]).join(', ')}`);
    expect(liveAt[20]).toBeGreaterThan(0);
    expect(liveAt[STEPS - 1]).toBe(liveAt[20]);
    expect(Math.max(...liveAt.slice(20))).toBe(liveAt[20]);
  });
});
