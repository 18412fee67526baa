// A classroom link's stopAt (the start command's pauseAtStep): the run pauses by itself exactly when it
// has done that many steps — every seed of it, no step more — says why, and goes on when resumed.
import { afterEach, describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentConfig } from '../experiment/schema';
import type { GptConfig } from '../model/config';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import { sessionHarness } from './sessionTestHarness';
import type { TrainingSession } from './trainingSession';

const tiny: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 40, dModel: 16, nHeads: 2, nLayers: 1, mlpRatio: 2 };

function rlConfig(seeds: number): ExperimentConfig {
  return experimentSchema.parse({
    task: { id: 'addition', arms: [] },
    model: { init: 'random' },
    algorithm: { promptsPerStep: 2, samplesPerPrompt: 2, maxNewTokens: 3 },
    run: { steps: 1000, evalEvery: 0, evalPrompts: 1, evalSamples: 1 },
    seeds,
  });
}

let sessions: TrainingSession[] = [];
afterEach(async () => {
  for (const s of sessions) await s.dispose();
  sessions = [];
});

describe('a run started with pauseAtStep', () => {
  it('pauses by itself after exactly that many steps of every seed, and runs on when resumed', async () => {
    const h = sessionHarness(sessions, tiny);
    await h.session.init();
    const paused = h.next('status', (e) => e.state === 'paused');
    await h.session.handle({ type: 'start', runIds: ['a', 'b'], config: rlConfig(2), pauseAtStep: 3 });
    const status = await paused;
    expect(status).toMatchObject({ step: 3, runId: 'a', runIds: ['a', 'b'] });
    expect(status.message).toBe('Stopped at step 3 as the link asks; press Play to go on.');
    // Give a loop that failed to stop the time of a few steps: still no metrics past step index 2.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const id of ['a', 'b']) expect(h.of('metrics').filter((e) => e.runId === id).map((e) => e.step)).toEqual([0, 1, 2]);
    expect(h.session.currentState).toBe('paused');

    const onward = h.next('metrics', (e) => e.runId === 'a' && e.step === 5);
    await h.session.handle({ type: 'resume' });
    await onward;
    expect(h.of('status').filter((e) => e.state === 'paused')).toHaveLength(1);
    expect(h.of('error')).toEqual([]);
  }, 60_000);

  it('without pauseAtStep runs on', async () => {
    const h = sessionHarness(sessions, tiny);
    await h.session.init();
    const far = h.next('metrics', (e) => e.step === 4);
    await h.session.handle({ type: 'start', runIds: ['c'], config: rlConfig(1) });
    await far;
    expect(h.of('status').some((e) => e.state === 'paused')).toBe(false);
  }, 60_000);
});
