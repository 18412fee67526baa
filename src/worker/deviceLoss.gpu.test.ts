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

function recorder() {
  const events: TrainingEvent[] = [];
  const waiters: { test: (e: TrainingEvent) => boolean; resolve: (e: TrainingEvent) => void }[] = [];
  const emit = (e: TrainingEvent) => {
    events.push(e);
    for (const w of waiters.splice(0)) {
      if (w.test(e)) w.resolve(e);
      else waiters.push(w);
    }
  };
  const of = <K extends TrainingEventType>(type: K) => events.filter((e) => e.type === type) as EventOf<K>[];
  const next = <K extends TrainingEventType>(type: K, test: (e: EventOf<K>) => boolean = () => true) =>
    new Promise<EventOf<K>>((resolve) => waiters.push({ test: (e) => e.type === type && test(e as EventOf<K>), resolve: resolve as (e: TrainingEvent) => void }));
  return { events, emit, of, next };
}

describe('lost GPU device', () => {
  // Issue 20, class 4: the device lost while a step runs (generation, backward or the readback) used to
  // surface as an internal error that paused the run, while the message promised a resume.
  it('lost mid-step while running: resumes by itself from the last completed step, nothing lost or sent twice', async () => {
    const r = recorder();
    const s = (session = new TrainingSession({ randomModelConfig: tiny, emit: r.emit }));
    await s.init();
    const config = experimentSchema.parse({
      task: { id: 'addition', arms: [] },
      model: { init: 'random' },
      algorithm: { promptsPerStep: 4, samplesPerPrompt: 4, maxNewTokens: 4 },
      run: { steps: 100, evalEvery: 0 },
    });
    const second = r.next('metrics', (e) => e.step === 1);
    await s.handle({ type: 'start', runIds: ['lost-mid-step'], config });
    await second;
    // The next step is under way (the loop starts it right after the metrics go out): lose the device
    // inside it, several times over the step's phases.
    const lost = r.next('error', (e) => e.kind === 'device-lost');
    await new Promise((resolve) => setTimeout(resolve, 15));
    s.loseDeviceForTesting();
    const error = await lost;
    expect(error.kind === 'device-lost' ? error.detail?.resumeStep : undefined).toBeGreaterThanOrEqual(2);
    // No resume command: the run carries on by itself.
    const later = await Promise.race([r.next('metrics', (e) => e.step >= 5), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 60000))]);
    expect(later.step).toBeGreaterThanOrEqual(5);
    expect(s.currentState).toBe('running');
    await s.handle({ type: 'pause' });
    const steps = r.of('metrics').map((e) => e.step);
    expect(steps).toEqual(steps.map((_, i) => i));
    expect(r.of('error').filter((e) => e.kind !== 'device-lost')).toEqual([]);
    expect(r.of('ready').length).toBe(2);
  });

  it('resumes from the last completed step on a new device', async () => {
    const { emit, of, next } = recorder();
    const s = (session = new TrainingSession({ randomModelConfig: tiny, emit }));

    await s.init();
    expect(of('ready')[0].backend).toBe('webgpu');
    const config = experimentSchema.parse({
      task: { id: 'addition', arms: [] },
      model: { init: 'random' },
      algorithm: { promptsPerStep: 2, samplesPerPrompt: 2, maxNewTokens: 3 },
      run: { steps: 100, evalEvery: 0 },
    });
    await s.handle({ type: 'start', runIds: ['lost-gpu'], config, paused: true });
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
