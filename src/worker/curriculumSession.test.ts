// The session builds the config's curriculum over the run's chosen arms, sends its state with every
// metrics event, turns difficulty filtering on from the config, and refuses a mixture that gives the
// trained arms no weight (CPU backend, tiny random policy).
import { afterEach, describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentConfig } from '../experiment/schema';
import type { GptConfig } from '../model/config';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import { cpuBackend } from './backendSelection';
import type { EventOf, TrainingEvent, TrainingEventType } from './protocol';
import { TrainingSession } from './trainingSession';

const tiny: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 40, dModel: 16, nHeads: 2, nLayers: 1, mlpRatio: 2 };

function config(extra: Record<string, unknown>): ExperimentConfig {
  return experimentSchema.parse({
    task: { id: 'addition', arms: ['d1', 'd3'] },
    model: { init: 'random' },
    algorithm: { promptsPerStep: 2, samplesPerPrompt: 2, maxNewTokens: 3 },
    run: { steps: 3, evalEvery: 0, evalPrompts: 1, evalSamples: 1 },
    ...extra,
  });
}

let sessions: TrainingSession[] = [];
afterEach(async () => {
  for (const s of sessions) await s.dispose();
  sessions = [];
});

async function runToEnd(c: ExperimentConfig) {
  const events: TrainingEvent[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const session = new TrainingSession({
    createBackend: async () => cpuBackend(),
    randomModelConfig: tiny,
    // A reward with spread for a random policy: odd-length completions win.
    reward: () => async (samples) => ({ rewards: samples.map((s) => s.length % 2), components: samples.map((s) => ({ correctness: s.length % 2 })) }),
    emit: (e) => {
      events.push(e);
      if ((e.type === 'status' && e.state === 'stopped') || e.type === 'error') done();
    },
  });
  sessions.push(session);
  await session.init();
  await session.handle({ type: 'start', runIds: ['r1'], config: c });
  await finished;
  const of = <K extends TrainingEventType>(type: K) => events.filter((e) => e.type === type) as EventOf<K>[];
  return { of };
}

describe('curricula in the training session', () => {
  it('sends the SEC curriculum\'s state over the chosen arms with each metrics event', async () => {
    const { of } = await runToEnd(config({ curriculum: { kind: 'sec', alpha: 0.5 } }));
    const metrics = of('metrics');
    expect(metrics.map((e) => e.step)).toEqual([0, 1, 2]);
    for (const [i, e] of metrics.entries()) {
      expect(e.curriculum).toBeDefined();
      expect(e.curriculum!.kind).toBe('sec');
      expect(e.curriculum!.scoreLabel).toBe('Q');
      expect(e.curriculum!.step).toBe(i + 1);
      expect(e.curriculum!.arms.map((a) => a.id)).toEqual(['d1', 'd3']);
      const total = e.curriculum!.arms.reduce((s, a) => s + a.probability, 0);
      expect(total).toBeCloseTo(1);
      expect(e.metrics.samples_spent).toBe((i + 1) * 2 * 2);
    }
    // Arms' samples add up to every completion trained on.
    expect(metrics[2].curriculum!.arms.reduce((s, a) => s + a.samples, 0)).toBe(3 * 4);
  });

  it('filters by group accuracy when the config says so', async () => {
    const { of } = await runToEnd(config({ filter: { enabled: true, lo: 0.2, hi: 0.8, mode: 'inclusive', budget: 2, maxRounds: 2 } }));
    for (const e of of('metrics')) {
      expect(e.metrics.filtering).toBeDefined();
      expect(e.metrics.filtering!.generated_groups).toBeLessThanOrEqual(4); // budget 2 × B 2
      expect(e.curriculum!.kind).toBe('uniform');
    }
  });

  it('refuses to start a mixture with no weight on the trained arms', async () => {
    const { of } = await runToEnd(config({ curriculum: { kind: 'mixture', weights: { d2: 1, d1: 0 } } }));
    const error = of('error')[0];
    expect(error).toMatchObject({ kind: 'config' });
    expect(error.message).toMatch(/no positive weight/);
    expect(of('metrics')).toHaveLength(0);
  });
});
