// A new run replacing an active one, as the page sends it ("Load and run" during a run: `stop`, then
// `start`, neither awaited, as the worker handles them): the replaced run ends reported as stopped under
// its own id, and the stop never reaches the new run — a self-play loop's `stopped()` frees its driver,
// which used to fail the new run at once with "the loop was disposed".
import { afterEach, describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentConfig } from '../experiment/schema';
import type { GptConfig } from '../model/config';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import { sessionHarness } from './sessionTestHarness';
import type { TrainingSession } from './trainingSession';

const tiny: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 40, dModel: 16, nHeads: 2, nLayers: 1, mlpRatio: 2 };

function rlConfig(): ExperimentConfig {
  return experimentSchema.parse({
    task: { id: 'addition', arms: [] },
    model: { init: 'random' },
    algorithm: { promptsPerStep: 2, samplesPerPrompt: 2, maxNewTokens: 3 },
    run: { steps: 1000, evalEvery: 0, evalPrompts: 1, evalSamples: 1 },
  });
}

function selfplayConfig(iterations: number): ExperimentConfig {
  return experimentSchema.parse({
    task: { id: 'addition', arms: [] },
    model: { init: 'random' },
    algorithm: { promptsPerStep: 2, samplesPerPrompt: 2, maxNewTokens: 4 },
    run: { evalPrompts: 2 },
    selfplay: { loop: 'propose-solve', iterations, proposeSolve: { proposals: 4, solverSamples: 2, warmupSteps: 2 } },
  });
}

let sessions: TrainingSession[] = [];
afterEach(async () => {
  for (const s of sessions) await s.dispose();
  sessions = [];
});

describe('a run replaced by a new one (stop, then start, not awaited)', () => {
  for (const [name, next] of [
    ['an RL run', () => rlConfig()],
    ['a self-play run', () => selfplayConfig(2)],
  ] as const) {
    it(`${name} replacing a running RL run: the old one is reported stopped, the new one trains to its end`, async () => {
      const h = sessionHarness(sessions, tiny);
      await h.session.init();
      const stepped = h.next('metrics', (e) => e.runId === 'old' && e.step >= 1);
      await h.session.handle({ type: 'start', runIds: ['old'], config: rlConfig() });
      await stepped;

      const newStepped = name === 'an RL run' ? h.next('metrics', (e) => e.runId === 'new' && e.step >= 2) : h.next('status', (e) => e.runId === 'new' && e.state === 'stopped');
      const oldStopped = h.next('status', (e) => e.runId === 'old' && e.state === 'stopped');
      // The worker's message handler: `void session.handle(...)` for each command as it arrives.
      const stop = h.session.handle({ type: 'stop' });
      const start = h.session.handle({ type: 'start', runIds: ['new'], config: next() });
      await Promise.all([stop, start, oldStopped, newStepped]);

      expect(h.of('error')).toEqual([]);
      // The last word on each run: the old one stopped, the new one running (RL) or finished (self-play).
      const last = (id: string) => h.of('status').filter((e) => e.runId === id).at(-1);
      expect(last('old')).toMatchObject({ state: 'stopped', runIds: ['old'] });
      if (name === 'an RL run') expect(last('new')?.state).toBe('running');
      else expect(last('new')?.message).toMatch(/Finished: 2 self-play iterations/);
      // No event of the old run after the new one began.
      const firstNew = h.events.findIndex((e) => 'runId' in e && e.runId === 'new');
      expect(h.events.slice(firstNew).some((e) => (e.type === 'metrics' || e.type === 'samples') && e.runId === 'old')).toBe(false);
    }, 60_000);
  }

  it('a start alone (no stop first) while a run is running reports the replaced run stopped', async () => {
    const h = sessionHarness(sessions, tiny);
    await h.session.init();
    const stepped = h.next('metrics', (e) => e.runId === 'a' && e.step >= 1);
    await h.session.handle({ type: 'start', runIds: ['a', 'b'], config: { ...rlConfig(), seeds: 2 } });
    await stepped;
    await h.session.handle({ type: 'start', runIds: ['c'], config: rlConfig() });
    const aStatus = h.of('status').filter((e) => e.runId === 'a').at(-1);
    expect(aStatus).toMatchObject({ state: 'stopped', runIds: ['a', 'b'] });
    expect(h.of('status').at(-1)).toMatchObject({ runId: 'c', state: 'running' });
  }, 60_000);
});
