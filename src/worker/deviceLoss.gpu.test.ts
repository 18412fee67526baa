// A lost GPU device on real WebGPU (SwiftShader): three steps, the device destroyed, and the session
// reports the loss, brings a new device up, and keeps stepping — step numbers consecutive, none sent
// twice, and the weights exactly those of the last completed step (a snapshot before and after).
import { afterEach, describe, expect, it } from 'vitest';
import { experimentSchema } from '../experiment/schema';
import type { GptConfig } from '../model/config';
import { parseCheckpoint } from '../model/checkpoint';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import type { EventOf, TrainingEvent, TrainingEventType } from './protocol';
import { TrainingSession } from './trainingSession';

const tiny: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 40, dModel: 16, nHeads: 2, nLayers: 1, mlpRatio: 2 };

let session: TrainingSession | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

describe('lost GPU device', () => {
  it('resumes from the last completed step on a new device', async () => {
    const events: TrainingEvent[] = [];
    const waiters: { test: (e: TrainingEvent) => boolean; resolve: (e: TrainingEvent) => void }[] = [];
    const s = (session = new TrainingSession({
      randomModelConfig: tiny,
      emit: (e) => {
        events.push(e);
        for (const w of waiters.splice(0)) {
          if (w.test(e)) w.resolve(e);
          else waiters.push(w);
        }
      },
    }));
    const of = <K extends TrainingEventType>(type: K) => events.filter((e) => e.type === type) as EventOf<K>[];
    const next = <K extends TrainingEventType>(type: K, test: (e: EventOf<K>) => boolean = () => true) =>
      new Promise<EventOf<K>>((resolve) => waiters.push({ test: (e) => e.type === type && test(e as EventOf<K>), resolve: resolve as (e: TrainingEvent) => void }));

    await s.init();
    expect(of('ready')[0].backend).toBe('webgpu');
    const config = experimentSchema.parse({
      task: { id: 'addition', arms: [] },
      model: { init: 'random' },
      algorithm: { promptsPerStep: 2, samplesPerPrompt: 2, maxNewTokens: 3 },
      run: { steps: 100, evalEvery: 0 },
    });
    await s.handle({ type: 'start', runId: 'lost-gpu', config, paused: true });
    for (let i = 0; i < 3; i++) await s.handle({ type: 'stepOnce' });
    expect(of('metrics').map((e) => e.step)).toEqual([0, 1, 2]);
    await s.handle({ type: 'snapshot', requestId: 1 });

    const lost = next('error', (e) => e.kind === 'device-lost');
    const resumed = next('status', (e) => /Resumed/.test(e.message ?? ''));
    s.loseDeviceForTesting();
    const error = await lost;
    if (error.kind === 'device-lost') expect(error.detail?.resumeStep).toBe(3);
    await resumed;
    expect(of('ready').length).toBe(2);
    expect(of('ready')[1].backend).toBe('webgpu');
    expect(s.step).toBe(3);

    await s.handle({ type: 'snapshot', requestId: 2 });
    const [before, after] = of('snapshot');
    expect(after.step).toBe(3);
    expect(parseCheckpoint(after.bytes).values).toEqual(parseCheckpoint(before.bytes).values);

    // Running again: steps continue from 3, consecutive, none twice, all finite.
    const fifth = next('metrics', (e) => e.step === 5);
    await s.handle({ type: 'resume' });
    await fifth;
    await s.handle({ type: 'pause' });
    const steps = of('metrics').map((e) => e.step);
    expect(steps).toEqual(steps.map((_, i) => i));
    expect(of('metrics').every((e) => Number.isFinite(e.metrics.loss))).toBe(true);
    expect(of('error').filter((e) => e.kind !== 'device-lost')).toEqual([]);
  });
});
